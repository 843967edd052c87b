"""Background work of the fiches (Django's tasks API, run by `manage.py db_worker`)."""

from django.tasks import task

from core.pdf import pdf_prerender
from fiches.models import FicheVersion
from fiches.pdf import version_pdf_document


@task
def version_pdf_prerender(version_id: int) -> list[str]:
    """Store the PDF of a newly published version in every language, so the first download is instant."""
    version = FicheVersion.objects.select_related("fiche").filter(pk=version_id).first()
    if version is None:  # deleted since: nothing to prepare
        return []
    return pdf_prerender(lambda: version_pdf_document(version))
