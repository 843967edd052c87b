"""What the list of a resource's files shows: each file's kind, and the upload form's limits."""

from django import template

from toolbox import files

register = template.Library()


@register.filter
def file_type_label(content_type: str) -> str:
    """PDF, Texte, Tableur, Présentation, Image… for a sniffed content type."""
    return files.type_label(content_type)


@register.simple_tag
def file_upload_limits() -> dict:
    """The accepted types and sizes, for the upload form to state them."""
    return {
        "accept": files.ACCEPT_ATTRIBUTE,
        "types": files.ACCEPTED_LABEL,
        "max_megabytes": files.max_megabytes(),
        "max_files": files.MAX_FILES_PER_RESOURCE,
    }
