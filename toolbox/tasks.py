"""Background work of the toolbox (Django's tasks API, run by `manage.py db_worker`)."""

import contextlib
import io
import logging

from django.core.files.base import ContentFile
from django.tasks import task

from toolbox.models import ResourceFile

logger = logging.getLogger(__name__)

PREVIEW_WIDTH = 400
# A page beyond this (in PDF points, 1/72 inch: 5 m) or this elongated is no document: no preview.
PAGE_MAX_POINTS = 14_400
PAGE_MAX_RATIO = 8


def pdf_first_page_png(data: bytes, *, width: int = PREVIEW_WIDTH) -> bytes | None:
    """The first page of a PDF as a PNG `width` pixels wide; None when pdfium cannot render it sensibly."""
    import pypdfium2 as pdfium

    document = page = bitmap = None
    try:
        document = pdfium.PdfDocument(data)
        if len(document) < 1:
            return None
        page = document[0]
        page_width, page_height = page.get_size()
        if not (1 <= page_width <= PAGE_MAX_POINTS and 1 <= page_height <= PAGE_MAX_POINTS):
            return None
        if max(page_width / page_height, page_height / page_width) > PAGE_MAX_RATIO:
            return None
        bitmap = page.render(scale=width / page_width)
        image = bitmap.to_pil()
        output = io.BytesIO()
        image.save(output, format="PNG", optimize=True)
        return output.getvalue()
    except Exception:
        logger.info("toolbox: no preview for a PDF", exc_info=True)
        return None
    finally:
        for handle in (bitmap, page, document):
            if handle is not None:
                with contextlib.suppress(Exception):  # closing what may have failed to open
                    handle.close()


@task
def file_preview_render(file_id: int) -> bool:
    """Store the preview image of an attached PDF's first page; False when there is none to make."""
    from toolbox.files import PDF

    attached = ResourceFile.objects.filter(pk=file_id, content_type=PDF).first()
    if attached is None or attached.preview:
        return False
    try:
        with attached.file.open("rb") as handle:
            data = handle.read()
    except OSError:
        return False
    png = pdf_first_page_png(data)
    if png is None:
        return False
    attached.preview.save("apercu.png", ContentFile(png), save=False)
    stored = ResourceFile.objects.filter(pk=file_id, preview="").update(preview=attached.preview.name)
    if not stored:  # removed (or previewed) meanwhile: the image would be an orphan
        attached.preview.storage.delete(attached.preview.name)
        return False
    return True
