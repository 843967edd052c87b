"""The member's portfolio for the annual review: compose with a preview, PDF in the background, JSON."""

import json

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from core.enums import PdfExportStatus, Role
from core.export_views import export_status_page, pdf_export_file
from core.htmx import render_page
from core.models import PdfExport
from core.pdf_exports import pdf_export_request
from core.permissions import role_required
from training.portfolio import PORTFOLIO_EXPORT, levels_chart, portfolio_content
from training.portfolio_forms import DEFAULT_PARTS, PortfolioForm

# The stages of a PDF's preparation, in order, as its status page counts them.
EXPORT_STEPS = [PdfExportStatus.QUEUED, PdfExportStatus.RUNNING, PdfExportStatus.DONE]
RECENT_EXPORTS = 5


def _form(request) -> PortfolioForm:
    """The posted choice, or the default one (everything but the plan) on a first visit."""
    if request.method == "POST":
        return PortfolioForm(request.POST)
    if request.GET.get("parts"):
        return PortfolioForm(request.GET)
    return PortfolioForm({"parts": DEFAULT_PARTS})


def _page(request, form: PortfolioForm, *, status=200):
    content = portfolio_content(user=request.user, choice=form.choice()) if form.is_valid() else None
    exports = PdfExport.objects.of_kind(PORTFOLIO_EXPORT).requested_by(request.user).order_by("-created_at")
    context = {
        "form": form,
        "content": content,
        "chart": levels_chart(content["levels"]) if content and "levels" in content else None,
        "exports": exports[:RECENT_EXPORTS],
    }
    return render_page(request, "training/portfolio/compose.html", context, fragment="preview", status=status)


@role_required(Role.MEMBER)
@never_cache
@require_http_methods(["GET", "POST"])
def portfolio(request):
    """Compose the portfolio: a GET shows the default choice; posting the form refreshes the preview."""
    form = _form(request)
    return _page(request, form)


@role_required(Role.MEMBER)
@never_cache
@require_http_methods(["GET", "POST"])
def portfolio_json(request):
    """The same content as a JSON file (the structure is documented in training/portfolio.py)."""
    form = _form(request)
    if not form.is_valid():
        return _page(request, form, status=400)
    content = portfolio_content(user=request.user, choice=form.choice())
    response = HttpResponse(
        json.dumps(content, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="portfolio-{stamp}.json"'
    return response


@role_required(Role.MEMBER)
@require_POST
def portfolio_pdf(request):
    """Ask for the PDF of the posted choice; the worker prepares it, its status page follows it."""
    form = PortfolioForm(request.POST)
    if not form.is_valid():
        return _page(request, form, status=400)
    export = pdf_export_request(user=request.user, kind=PORTFOLIO_EXPORT, params=form.choice().as_params(request.user))
    return redirect("training:portfolio_status", export_id=export.pk)


@role_required(Role.MEMBER)
@never_cache
def portfolio_status(request, export_id):
    """Where the PDF stands (core.export_views: htmx asks again every 2 s)."""
    export = _own_export(request, export_id)
    links = {
        "status_url": reverse("training:portfolio_status", args=[export.pk]),
        "download_url": reverse("training:portfolio_download", args=[export.pk]),
        "retry_url": reverse("training:portfolio"),
    }
    return export_status_page(request, export, "training/portfolio/status.html", links)


@role_required(Role.MEMBER)
@never_cache
def portfolio_download(request, export_id):
    # never_cache: a member's portfolio must not linger in a shared browser cache.
    export = _own_export(request, export_id)
    return pdf_export_file(export, status_url=reverse("training:portfolio_status", args=[export.pk]))


def _own_export(request, export_id) -> PdfExport:
    """The portfolio export `export_id`, for the member who asked for it only (404 for anyone else)."""
    exports = PdfExport.objects.of_kind(PORTFOLIO_EXPORT).requested_by(request.user)
    return get_object_or_404(exports, pk=export_id)
