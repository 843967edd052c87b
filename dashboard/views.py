from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from core.enums import Role
from core.export_views import export_status_page, pdf_export_file
from core.figures.exports import XLSX_TYPE
from core.figures.tables import STATISTIC_WITHHELD_NOTE
from core.generations import CSRF_PLACEHOLDER, with_csrf_token
from core.htmx import render_page, vary_on_htmx, wants_fragment
from core.models import PdfExport
from core.pdf_exports import pdf_export_request
from core.permissions import curator_required, has_role, public, role_required
from dashboard.caching import dashboard_of, rendered
from dashboard.charts import members_charts, section_charts, territory_charts
from dashboard.exports import dashboard_csv, dashboard_xlsx
from dashboard.forms import DashboardFilterForm
from dashboard.report import NETWORK_REPORT, network_report_params
from dashboard.sections import BY_KEY, filters_query, page_sections
from dashboard.sections import TEMPLATE as SECTIONS_TEMPLATE
from dashboard.tables import key_figures, members_figures
from members.enums import TerritoryKind


@curator_required
@never_cache
def network_statistics(request):
    """The overview of the selection and the sections' headings; each section is loaded on demand."""
    form = DashboardFilterForm(request.GET or None)
    filters = form.filters()

    def results() -> str:
        dashboard = dashboard_of(filters)
        context = {
            "dashboard": dashboard,
            "sections": page_sections(dashboard),
            "charts": territory_charts(dashboard),
            "query": filters_query(filters),
            "csrf_token": CSRF_PLACEHOLDER,
        }
        return render_to_string("dashboard/network_results.html", context)

    context = {
        "form": form,
        "results": with_csrf_token(request, rendered("page", filters, results)),
        "statistic_note": STATISTIC_WITHHELD_NOTE,
    }
    return render_page(request, "dashboard/network_statistics.html", context, fragment="results")


@curator_required
@never_cache
def network_section(request, section):
    """One section of the dashboard for the selection: its figures in place (htmx), or on a page of its own."""
    section = BY_KEY.get(section)
    if section is None:
        raise Http404
    filters = DashboardFilterForm(request.GET or None).filters()

    def body() -> str:
        dashboard = dashboard_of(filters)
        if not section.shown(dashboard):
            # Not published for this selection (the heatmap under a filter, fewer than 5 members): an old link.
            return render_to_string(f"{SECTIONS_TEMPLATE}#unavailable", {"filtered": bool(filters_query(filters))})
        context = {"dashboard": dashboard, "charts": section_charts(dashboard, section.key)}
        return render_to_string(section.body_template, context)

    html = rendered(section.key, filters, body)
    if wants_fragment(request):
        return vary_on_htmx(HttpResponse(html))
    query = filters_query(filters)
    context = {
        "section": section,
        "body": mark_safe(html),  # noqa: S308 - rendered by our template
        "dashboard": dashboard_of(filters),
        "kind_label": TerritoryKind(filters.kind).label if filters.kind else "",
        "back_url": reverse("dashboard:network") + (f"?{query}" if query else ""),
        "statistic_note": STATISTIC_WITHHELD_NOTE,
    }
    return vary_on_htmx(render(request, "dashboard/network_section.html", context))


@curator_required
@never_cache
def network_statistics_export(request, file_format):
    dashboard = dashboard_of(DashboardFilterForm(request.GET or None).filters())
    stamp = timezone.localdate().isoformat()
    if file_format == "xlsx":
        response = HttpResponse(dashboard_xlsx(dashboard), content_type=XLSX_TYPE)
    else:
        # A byte-order mark so that spreadsheet software reads the accents as UTF-8.
        response = HttpResponse("\ufeff" + dashboard_csv(dashboard), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="chiffres-reseau-{stamp}.{file_format}"'
    return response


@curator_required
@require_POST
def network_report_request(request):
    """Ask for the printed report of the figures as filtered (the querystring); the worker prepares it."""
    params = network_report_params(DashboardFilterForm(request.GET or None))
    export = pdf_export_request(user=request.user, kind=NETWORK_REPORT, params=params)
    return redirect("dashboard:network_report_status", export_id=export.pk)


@curator_required
@never_cache
def network_report_status(request, export_id):
    """Where the report stands (core.export_views: htmx asks again every 2 s)."""
    export = _own_report(request, export_id)
    return export_status_page(request, export, "dashboard/network_report.html", _report_links(export))


@curator_required
@never_cache
def network_report_download(request, export_id):
    export = _own_report(request, export_id)
    return pdf_export_file(export, status_url=reverse("dashboard:network_report_status", args=[export.pk]))


def _report_links(export) -> dict:
    return {
        "status_url": reverse("dashboard:network_report_status", args=[export.pk]),
        "download_url": reverse("dashboard:network_report_download", args=[export.pk]),
        "retry_url": reverse("dashboard:network"),
    }


def _own_report(request, export_id) -> PdfExport:
    """The report export `export_id`, for the person who asked for it only (404 for anyone else)."""
    exports = PdfExport.objects.of_kind(NETWORK_REPORT).requested_by(request.user)
    return get_object_or_404(exports, pk=export_id)


@public
def key_figures_page(request):
    context = {"figures": key_figures(), "members_link": has_role(request.user, Role.MEMBER)}
    return render(request, "dashboard/key_figures.html", context)


@role_required(Role.MEMBER)
@never_cache
def members_figures_page(request):
    """The network's figures for approved members: what helps them argue about their post."""
    figures = members_figures()
    context = {"figures": figures, "charts": members_charts(figures), "statistic_note": STATISTIC_WITHHELD_NOTE}
    return render(request, "dashboard/members_figures.html", context)
