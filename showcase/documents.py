"""A work's document: one PDF, checked by its content, bounded in size, stored through the default storage under
a random name, read through a view that checks the work's visibility and counts downloads.

The type is sniffed from the bytes (the `filetype` library, as toolbox.files does), never taken from the name or
from what the browser says: only a PDF is accepted. The cleaned original name is kept for the download
(toolbox.files.clean_name).
"""

import filetype
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from core.audit import audit_log
from showcase.models import Work
from showcase.works import WorkError, _editable, library_changed, visible_to
from toolbox.files import SNIFF_BYTES, clean_name

PDF = "application/pdf"
DEFAULT_MAX_BYTES = 20 * 1024 * 1024


def max_bytes() -> int:
    return getattr(settings, "SHOWCASE_DOCUMENT_MAX_BYTES", DEFAULT_MAX_BYTES)


def max_megabytes() -> str:
    return f"{max_bytes() / (1024 * 1024):.0f}"


def document_check(uploaded) -> None:
    """Refuse (WorkError) an empty, too large or non-PDF file."""
    size = uploaded.size or 0
    if size == 0:
        raise WorkError(_("Le fichier est vide."))
    if size > max_bytes():
        raise WorkError(
            _("Le fichier est trop volumineux : %(size)s Mo, pour %(max)s Mo au plus.")
            % {"size": f"{size / (1024 * 1024):.1f}", "max": max_megabytes()}
        )
    uploaded.seek(0)
    guessed = filetype.guess(uploaded.read(SNIFF_BYTES))
    uploaded.seek(0)
    if guessed is None or guessed.mime != PDF:
        raise WorkError(_("Seul un document PDF est accepté : ce fichier n'en est pas un."))


def _storage_delete(field) -> None:
    if field:
        field.storage.delete(field.name)


def document_attach(*, user, work_id: int, uploaded) -> Work:
    """Attach (or replace) the work's PDF; the old file is deleted once the change is committed."""
    document_check(uploaded)
    stored = None
    try:
        with transaction.atomic():
            work = _editable(user, work_id)
            old = work.document.name
            work.document_name = clean_name(uploaded.name, "pdf")
            work.document_size = uploaded.size
            uploaded.seek(0)
            work.document.save(work.document_name, uploaded, save=False)
            stored = work.document
            work.save(update_fields=["document", "document_name", "document_size", "updated_at"])
            audit_log(
                actor=user,
                action="showcase.work.document",
                target=work,
                data={"name": work.document_name, "size": work.document_size},
            )
            library_changed()
            if old:
                storage = work.document.storage
                transaction.on_commit(lambda: storage.delete(old), robust=True)
    except Exception:
        if stored:  # the row was not written: the stored bytes would be an orphan
            name, storage = stored.name, stored.storage
            transaction.on_commit(lambda: storage.delete(name), robust=True)
        raise
    return work


@transaction.atomic
def document_remove(*, user, work_id: int) -> Work:
    work = _editable(user, work_id)
    if not work.document:
        return work
    name, storage = work.document.name, work.document.storage
    audit_log(actor=user, action="showcase.work.document_removed", target=work, data={"name": work.document_name})
    work.document, work.document_name, work.document_size = "", "", None
    work.save(update_fields=["document", "document_name", "document_size", "updated_at"])
    library_changed()
    transaction.on_commit(lambda: storage.delete(name), robust=True)
    return work


def document_readable(user, work_id: int) -> Work | None:
    """The work when `user` may open it and it has a document, else None."""
    work = visible_to(user).select_related("page__council").filter(pk=work_id).first()
    if work is None or not work.document:
        return None
    return work


def download_count(work_id: int) -> None:
    """Count one download, atomically."""
    Work.objects.filter(pk=work_id).update(downloads=F("downloads") + 1)
