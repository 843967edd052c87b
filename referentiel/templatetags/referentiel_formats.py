"""`{% referentiel_formats as formats %}`: the registered file formats, for the download links."""

from django import template

from referentiel.formats import FORMATS

register = template.Library()


@register.simple_tag
def referentiel_formats():
    """Every format of referentiel.formats.FORMATS, in its order."""
    return FORMATS
