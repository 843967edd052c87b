"""Files of resources: checked by their content, stored through the default storage, read through views.

The type of an uploaded file is sniffed from its bytes (the `filetype` library), never taken from its name
or from what the browser says: a PNG called `rapport.pdf` is stored as a PNG. Only office documents,
PDF, images and plain text are accepted. Zip-based documents (ODF, OOXML) are bounded once decompressed
by reading their zip directory, never by extracting them. Files are stored under a random name; the
cleaned original name is kept for the download (`toolbox.views.files`).
"""

import re
import unicodedata
import zipfile
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.audit import audit_log
from toolbox.models import Resource, ResourceFile
from toolbox.resource_cache import resource_changed
from toolbox.services import ToolboxError, can_edit

MAX_FILES_PER_RESOURCE = 10
NAME_LENGTH = 200
# Zip-based documents once decompressed (zip bombs): the sum of the members' sizes and their number.
ZIP_MAX_TOTAL_BYTES = 50 * 1024 * 1024
ZIP_MAX_MEMBERS = 2_000
SNIFF_BYTES = 8192

PDF = "application/pdf"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
ODP = "application/vnd.oasis.opendocument.presentation"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
PNG = "image/png"
JPEG = "image/jpeg"
TEXT = "text/plain"
CSV = "text/csv"
MARKDOWN = "text/markdown"


@dataclass(frozen=True)
class FileType:
    extension: str
    label: str


FILE_TYPES: dict[str, FileType] = {
    PDF: FileType("pdf", gettext_lazy("PDF")),
    ODT: FileType("odt", gettext_lazy("Texte")),
    DOCX: FileType("docx", gettext_lazy("Texte")),
    ODS: FileType("ods", gettext_lazy("Tableur")),
    XLSX: FileType("xlsx", gettext_lazy("Tableur")),
    ODP: FileType("odp", gettext_lazy("Présentation")),
    PPTX: FileType("pptx", gettext_lazy("Présentation")),
    PNG: FileType("png", gettext_lazy("Image")),
    JPEG: FileType("jpg", gettext_lazy("Image")),
    TEXT: FileType("txt", gettext_lazy("Texte brut")),
    CSV: FileType("csv", gettext_lazy("Tableau CSV")),
    MARKDOWN: FileType("md", gettext_lazy("Texte Markdown")),
}
# What the upload form's `accept` attribute proposes (a convenience: the content decides).
ACCEPT_ATTRIBUTE = ",".join(
    [f".{file_type.extension}" for file_type in FILE_TYPES.values()] + [".jpeg", ".markdown", ".text"]
)
ACCEPTED_LABEL = gettext_lazy(
    "PDF, OpenDocument (odt, ods, odp), Microsoft Office (docx, xlsx, pptx), images PNG ou JPEG, "
    "texte brut, CSV ou Markdown en UTF-8"
)

# Text that a browser would render as a page: refused even though it is text.
_MARKUP_START = re.compile(rb"^\s*<(!doctype|html|head|body|script|svg|\?xml|iframe|object|embed)\b", re.IGNORECASE)
_ODF_TYPES = {ODT, ODS, ODP}
# The member that names an OOXML document's kind, in its zip directory.
_OOXML_PARTS = {"word/document.xml": DOCX, "xl/workbook.xml": XLSX, "ppt/presentation.xml": PPTX}


def max_bytes() -> int:
    return settings.TOOLBOX_FILE_MAX_BYTES


def max_megabytes() -> str:
    return f"{max_bytes() / (1024 * 1024):.0f}"


def type_label(content_type: str) -> str:
    file_type = FILE_TYPES.get(content_type)
    return str(file_type.label) if file_type else _("Fichier")


def _refused() -> ToolboxError:
    return ToolboxError(
        _("Ce type de fichier n'est pas accepté. Types acceptés : %(types)s.") % {"types": ACCEPTED_LABEL}
    )


def _zip_type(uploaded) -> str:
    """The ODF or OOXML type of a zip-based document, read from its zip directory (nothing extracted
    but an ODF's `mimetype` member, a few bytes); refused past the decompressed bounds."""
    uploaded.seek(0)
    try:
        with zipfile.ZipFile(uploaded) as archive:
            members = archive.infolist()
            if len(members) > ZIP_MAX_MEMBERS:
                raise ToolboxError(
                    _("Ce document contient trop d'éléments (%(max)s au plus) : il est refusé.")
                    % {"max": ZIP_MAX_MEMBERS}
                )
            total = sum(member.file_size for member in members)
            if total > ZIP_MAX_TOTAL_BYTES:
                raise ToolboxError(
                    _(
                        "Ce document est refusé : une fois décompressé, il ferait %(size)s Mo "
                        "(%(max)s Mo au plus), ce qui est le signe d'une « bombe de décompression »."
                    )
                    % {"size": f"{total / (1024 * 1024):.0f}", "max": ZIP_MAX_TOTAL_BYTES // (1024 * 1024)}
                )
            names = {member.filename: member for member in members}
            mimetype = names.get("mimetype")
            if mimetype is not None and mimetype.file_size <= 100:
                declared = archive.read(mimetype).decode("ascii", "replace").strip()
                if declared in _ODF_TYPES:
                    return declared
            if "[Content_Types].xml" in names:
                for part, content_type in _OOXML_PARTS.items():
                    if part in names:
                        return content_type
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError, RuntimeError):
        raise ToolboxError(_("Ce document est illisible ou endommagé.")) from None
    raise _refused()


def _is_utf8_text(uploaded) -> bool:
    """Whole file decodes as UTF-8 and holds no NUL byte (read by chunks: the file may sit on disk)."""
    import codecs

    decoder = codecs.getincrementaldecoder("utf-8")()
    uploaded.seek(0)
    try:
        for chunk in uploaded.chunks():
            if b"\x00" in chunk:
                return False
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _text_type(name: str) -> str:
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension == "csv":
        return CSV
    if extension in ("md", "markdown"):
        return MARKDOWN
    return TEXT


def file_check(uploaded) -> tuple[str, str]:
    """The content type and extension of an uploaded file, sniffed from its content; ToolboxError otherwise."""
    size = uploaded.size or 0
    if size == 0:
        raise ToolboxError(_("Le fichier est vide."))
    if size > max_bytes():
        raise ToolboxError(
            _("Le fichier est trop volumineux : %(size)s Mo, pour %(max)s Mo au plus.")
            % {"size": f"{size / (1024 * 1024):.1f}", "max": max_megabytes()}
        )
    uploaded.seek(0)
    head = uploaded.read(SNIFF_BYTES)
    guessed = filetype.guess(head)
    if guessed is None:
        if _MARKUP_START.match(head.removeprefix(b"\xef\xbb\xbf")) or not _is_utf8_text(uploaded):
            raise _refused()
        content_type = _text_type(uploaded.name or "")
    elif guessed.mime in (PDF, PNG, JPEG):
        content_type = guessed.mime
    elif guessed.mime == "image/apng":  # an animated PNG is a PNG
        content_type = PNG
    elif guessed.mime in (*_ODF_TYPES, DOCX, XLSX, PPTX, "application/zip"):
        # filetype reads the first bytes only; the zip directory says for sure, and bounds the content.
        content_type = _zip_type(uploaded)
    else:
        raise _refused()
    uploaded.seek(0)
    return content_type, FILE_TYPES[content_type].extension


def clean_name(name: str, extension: str) -> str:
    """The uploaded name without its folders, control characters or extension, then the sniffed extension."""
    name = unicodedata.normalize("NFC", (name or "").replace("\\", "/").rsplit("/", 1)[-1])
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = re.sub(r"\s+", " ", name).strip(" .")
    stem = name.rsplit(".", 1)[0].strip(" .") if "." in name else name
    stem = stem[: NAME_LENGTH - len(extension) - 1].strip(" .") or _("fichier")
    return f"{stem}.{extension}"


def _storage_delete(*fields) -> None:
    for field in fields:
        if field:
            field.storage.delete(field.name)


def file_add(*, resource_id: int, user, uploaded) -> ResourceFile:
    """Attach an uploaded file to a resource its authors (or the team) may edit; a PDF gets a preview image."""
    resource = Resource.objects.filter(pk=resource_id).first()
    if resource is None or not can_edit(user, resource):
        raise ToolboxError(_("Vous ne pouvez pas ajouter de fichier à cette ressource."))
    content_type, extension = file_check(uploaded)
    attached = ResourceFile(
        name=clean_name(uploaded.name, extension), content_type=content_type, size=uploaded.size, uploaded_by=user
    )
    try:
        with transaction.atomic():
            resource = Resource.objects.select_for_update().filter(pk=resource_id).first()
            if resource is None or not can_edit(user, resource):
                raise ToolboxError(_("Vous ne pouvez pas ajouter de fichier à cette ressource."))
            if resource.files.count() >= MAX_FILES_PER_RESOURCE:
                raise ToolboxError(
                    _("Une ressource porte %(max)s fichiers au plus : retirez-en un avant d'en ajouter un autre.")
                    % {"max": MAX_FILES_PER_RESOURCE}
                )
            attached.resource = resource
            uploaded.seek(0)
            attached.file.save(attached.name, uploaded, save=False)
            attached.save()
            audit_log(
                actor=user,
                action="toolbox.file.added",
                target=resource,
                data={"file": attached.pk, "name": attached.name, "type": content_type, "size": attached.size},
            )
            if content_type == PDF:
                from toolbox.tasks import file_preview_render

                transaction.on_commit(lambda: file_preview_render.enqueue(attached.pk), robust=True)
    except Exception:
        # The row was not written: the stored bytes would be an orphan.
        if attached.file:
            transaction.on_commit(lambda: _storage_delete(attached.file), robust=True)
        raise
    return attached


@transaction.atomic
def file_remove(*, file_id: int, user) -> None:
    """Remove a file (and its preview) from a resource its authors (or the team) may edit."""
    attached = ResourceFile.objects.select_for_update().select_related("resource").filter(pk=file_id).first()
    if attached is None:
        raise ToolboxError(_("Ce fichier n'existe plus."))
    if not can_edit(user, attached.resource):
        raise ToolboxError(_("Vous ne pouvez pas retirer ce fichier."))
    audit_log(
        actor=user,
        action="toolbox.file.removed",
        target=attached.resource,
        data={"file": attached.pk, "name": attached.name},
    )
    file, preview = attached.file, attached.preview
    attached.delete()
    transaction.on_commit(lambda: _storage_delete(file, preview), robust=True)


def file_readable(user, file_id: int) -> ResourceFile | None:
    """The file when `user` may read its resource (Resource.objects.visible_to), else None."""
    return (
        ResourceFile.objects.select_related("resource")
        .filter(pk=file_id, resource__in=Resource.objects.visible_to(user))
        .first()
    )


def download_count(file_id: int) -> None:
    """Count one download, atomically (two downloads at once both count)."""
    ResourceFile.objects.filter(pk=file_id).update(downloads=F("downloads") + 1)
    # A bulk write sends no signal: the resource's kept page shows the count.
    resource_changed(ResourceFile.objects.filter(pk=file_id).values_list("resource_id", flat=True).first())
