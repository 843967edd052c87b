"""Background work of the référentiel (Django's tasks API, run by `manage.py db_worker`)."""

from django.tasks import task

from competences.models import FrameworkVersion
from core.pdf import pdf_prerender
from referentiel.pdf import framework_pdf_document


@task
def framework_pdf_prerender(version_id: int) -> list[str]:
    """Store the PDF of a newly published référentiel in every language, so the first download is instant."""
    version = FrameworkVersion.objects.filter(pk=version_id).first()
    if version is None:
        return []
    return pdf_prerender(lambda: framework_pdf_document(version))
