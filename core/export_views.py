"""The pages that follow a file prepared in the background (a PDF report, a portfolio, a data archive).

One way for every such page: htmx asks the status page again every 2 seconds with the state it shows
(`?etat=`) and gets an empty 204 while nothing has changed; a change swaps the progress in (a live region
announces it); without JavaScript the page offers a refresh link. The markup is
`templates/core/includes/export_progress.html`.
"""

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect

from core.enums import PdfExportStatus
from core.htmx import render_page, vary_on_htmx, wants_fragment

# The stages of a preparation, in order, as the status pages count them.
EXPORT_STEPS = [PdfExportStatus.QUEUED, PdfExportStatus.RUNNING, PdfExportStatus.DONE]
FRAGMENT = "export-progress"


def export_status_page(request, export, template_name: str, context: dict | None = None) -> HttpResponse:
    """The status page of `export` (a PdfExport or PersonalDataExport), or 204 when htmx's state is still right.

    `template_name` defines the partial `export-progress` (which includes core/includes/export_progress.html).
    """
    if wants_fragment(request) and request.GET.get("etat") == export.status:
        return vary_on_htmx(HttpResponse(status=204))
    step = EXPORT_STEPS.index(export.status) + 1 if export.status in EXPORT_STEPS else len(EXPORT_STEPS)
    context = {"export": export, "step": step, "steps": len(EXPORT_STEPS), **(context or {})}
    return render_page(request, template_name, context, fragment=FRAGMENT)


def pdf_export_file(export, *, status_url: str) -> HttpResponse:
    """The finished PDF of `export` as a download; its status page while it is not ready; 404 once removed.

    Callers are `never_cache` views: a document about members must not linger in a shared browser cache.
    """
    if export.status != PdfExportStatus.DONE:
        return redirect(status_url)
    try:
        stored = default_storage.open(export.file_name, "rb")
    except OSError:  # removed from the storage in the meantime
        raise Http404 from None
    return FileResponse(stored, as_attachment=True, filename=export.download_name, content_type="application/pdf")
