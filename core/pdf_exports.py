"""PDFs prepared in the background: asked for on a page, rendered by the worker, downloaded once ready.

For documents too long to render during a request (the network report: 14 pages of tables and
charts). The request records a `PdfExport` and queues `pdf_export_render`; the worker renders the
document through the one renderer (core.pdf) and stores the file through Django's
default storage (local disk or S3); the person who asked follows its progress on a status page,
then downloads it. Exports are kept `EXPORT_RETENTION` (24 h), then `pdf_export_prune` deletes the
row and the file (on each new export, and with `manage.py prune_pdf_exports`).

Each kind of document is registered by the app that prints it (`pdf_export_register`, called from its
`AppConfig.ready()`): a label and the function that receives the export's JSON parameters and returns a
`PdfDocument`. This module, on the ground floor, knows no app above it.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.tasks import task
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.enums import PdfExportStatus
from core.models import PdfExport
from core.pdf import PdfDocument, PdfError

logger = logging.getLogger(__name__)

EXPORT_DIR = "pdf-exports"
EXPORT_RETENTION = timedelta(hours=24)


@dataclass(frozen=True)
class PdfExportKind:
    """One kind of document prepared in the background: its stored name, its label, its builder."""

    name: str
    label: object
    build: Callable[[dict], PdfDocument]
    # True for a document about the person who asked for it (a portfolio): copied into their data archive.
    personal: bool = False


_KINDS: dict[str, PdfExportKind] = {}


def pdf_export_register(name: str, *, label, build: Callable[[dict], PdfDocument], personal: bool = False) -> None:
    """Declare a kind of background PDF (from the printing app's `AppConfig.ready()`); `personal`: about its
    requester (their data archive copies it)."""
    _KINDS[name] = PdfExportKind(name=name, label=label, build=build, personal=personal)


def pdf_export_kind(name: str) -> PdfExportKind | None:
    """The registered kind called `name`, or None."""
    return _KINDS.get(name)


def pdf_export_document(export: PdfExport) -> PdfDocument:
    """The document `export` asks for, described in the current language."""
    return _KINDS[export.kind].build(export.params)


def pdf_export_request(*, user, kind: str, params: dict) -> PdfExport:
    """Record `user`'s request for a document and queue its rendering (once the request is committed)."""
    pdf_export_prune()
    export = PdfExport.objects.create(
        requested_by=user,
        kind=_KINDS[kind].name,
        params=params,
        language=(translation.get_language() or "fr").split("-")[0],
    )
    transaction.on_commit(lambda: pdf_export_render.enqueue(str(export.pk)))
    return export


@task
def pdf_export_render(export_id: str) -> str:
    """Render and store the document of a queued export; record why when it cannot be produced."""
    # Claimed in one statement: a second run of the same task finds nothing to do.
    claimed = PdfExport.objects.filter(pk=export_id, status=PdfExportStatus.QUEUED).update(
        status=PdfExportStatus.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return "absent"
    export = PdfExport.objects.get(pk=export_id)
    with translation.override(export.language):
        try:
            document = pdf_export_document(export)
            content = document.render()
            file_name = default_storage.save(f"{EXPORT_DIR}/{export.pk}.pdf", ContentFile(content))
        except PdfError as error:
            _finish(export, status=PdfExportStatus.FAILED, error=str(error))
            return export.status
        except Exception:
            _finish(
                export,
                status=PdfExportStatus.FAILED,
                error=_(
                    "Le document n'a pas pu être préparé à la suite d'une erreur technique. "
                    "Réessayez ; si le problème persiste, prévenez l'équipe technique."
                ),
            )
            logger.exception("Export PDF %s (%s) en échec", export.pk, export.kind)
            raise
    _finish(export, status=PdfExportStatus.DONE, file_name=file_name, download_name=document.filename)
    return export.status


def _finish(export: PdfExport, *, status: str, error: str = "", file_name: str = "", download_name: str = ""):
    export.status = status
    export.error = error
    export.file_name = file_name
    export.download_name = download_name
    export.finished_at = timezone.now()
    export.save(update_fields=["status", "error", "file_name", "download_name", "finished_at"])


def pdf_export_prune(*, older_than: timedelta = EXPORT_RETENTION) -> int:
    """Delete the exports asked for more than `older_than` ago, with their files; returns how many."""
    expired = list(PdfExport.objects.created_before(timezone.now() - older_than).only("pk", "file_name"))
    for export in expired:
        if export.file_name:
            try:
                default_storage.delete(export.file_name)
            except OSError:
                logger.warning("Export PDF %s : fichier %s impossible à supprimer", export.pk, export.file_name)
    PdfExport.objects.filter(pk__in=[export.pk for export in expired]).delete()
    return len(expired)
