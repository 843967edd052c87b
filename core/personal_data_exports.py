"""The archive of a person's data, prepared in the background and downloadable for a day.

Gathering every app's data and copying the uploaded files can take longer than a request should:
the page records a `PersonalDataExport` and queues `personal_data_export_build`; the worker writes
the ZIP (core.personal_data) to a temporary file, then stores it through Django's default storage
(local disk or S3). The person follows its progress on a status page, then downloads it.
Archives are kept `EXPORT_RETENTION` (24 h), then `personal_data_export_prune` deletes the row and
the file (on each new request, and with `manage.py prune_personal_data_exports`). Same patterns as
core.pdf_exports.
"""

import logging
import tempfile
from datetime import timedelta

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.tasks import task
from django.utils import timezone, translation

from core.enums import PdfExportStatus
from core.models import PersonalDataExport
from core.personal_data import personal_data_archive_write

logger = logging.getLogger(__name__)

EXPORT_DIR = "personal-data-exports"
EXPORT_RETENTION = timedelta(hours=24)
# Up to this size the archive is built in memory, beyond it in a temporary file on disk.
SPOOL_MAX_BYTES = 8 * 1024 * 1024


def personal_data_export_request(*, user) -> PersonalDataExport:
    """Record `user`'s request for the archive of their data and queue it (once the request is committed).

    While one of their archives is still being prepared, that one is returned: pressing the button
    twice costs the worker one archive.
    """
    personal_data_export_prune()
    unfinished = (
        PersonalDataExport.objects.of_user(user)
        .filter(status__in=[PdfExportStatus.QUEUED, PdfExportStatus.RUNNING])
        .first()
    )
    if unfinished is not None:
        return unfinished
    export = PersonalDataExport.objects.create(user=user)
    transaction.on_commit(lambda: personal_data_export_build.enqueue(str(export.pk)))
    return export


@task
def personal_data_export_build(export_id: str) -> str:
    """Write and store the archive of a queued request; record the failure when it cannot be produced."""
    # Claimed in one statement: a second run of the same task finds nothing to do.
    claimed = PersonalDataExport.objects.filter(pk=export_id, status=PdfExportStatus.QUEUED).update(
        status=PdfExportStatus.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return "absent"
    export = PersonalDataExport.objects.select_related("user").get(pk=export_id)
    try:
        # The archive's texts (LISEZMOI.txt, yes/no cells) in the site's language, whoever runs the worker.
        with translation.override("fr"), tempfile.SpooledTemporaryFile(max_size=SPOOL_MAX_BYTES) as spool:
            personal_data_archive_write(export.user, spool)
            spool.seek(0)
            file_name = default_storage.save(f"{EXPORT_DIR}/{export.pk}.zip", File(spool, name=f"{export.pk}.zip"))
    except Exception:
        PersonalDataExport.objects.filter(pk=export.pk).update(
            status=PdfExportStatus.FAILED, finished_at=timezone.now()
        )
        logger.exception("Archive de données personnelles %s en échec", export.pk)
        raise
    finished = PersonalDataExport.objects.filter(pk=export.pk, status=PdfExportStatus.RUNNING).update(
        status=PdfExportStatus.DONE, file_name=file_name, finished_at=timezone.now()
    )
    if not finished:
        # Erased (or pruned) while it was being written: the file must not outlive its row.
        default_storage.delete(file_name)
        return "absent"
    return PdfExportStatus.DONE


def personal_data_export_prune(*, older_than: timedelta = EXPORT_RETENTION) -> int:
    """Delete the archives asked for more than `older_than` ago, with their files; returns how many."""
    expired = list(PersonalDataExport.objects.created_before(timezone.now() - older_than).only("pk", "file_name"))
    for export in expired:
        if export.file_name:
            try:
                default_storage.delete(export.file_name)
            except OSError:
                logger.warning("Archive %s : fichier %s impossible à supprimer", export.pk, export.file_name)
    PersonalDataExport.objects.filter(pk__in=[export.pk for export in expired]).delete()
    return len(expired)
