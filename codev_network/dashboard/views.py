from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from codev_network.dashboard import charts
from codev_network.dashboard.exports import dashboard_csv, dashboard_xlsx
from codev_network.dashboard.forms import DashboardFilterForm
from codev_network.dashboard.selectors import key_figures, network_dashboard
from codev_network.pdf import NETWORK_NAME, pdf_response
from codev_network.permissions import curator_required, public

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@curator_required
@never_cache
def network_statistics(request):
    form = DashboardFilterForm(request.GET or None)
    dashboard = network_dashboard(form.filters())
    context = {
        "form": form,
        "dashboard": dashboard,
        "charts": _charts(dashboard),
        "query": request.GET.urlencode(),
    }
    # A history restore asks for the whole page, not the fragment.
    partial = request.htmx and not request.htmx.history_restore_request
    template = "dashboard/network_statistics.html#results" if partial else "dashboard/network_statistics.html"
    return render(request, template, context)


@curator_required
@never_cache
def network_statistics_export(request, file_format):
    dashboard = network_dashboard(DashboardFilterForm(request.GET or None).filters())
    stamp = timezone.localdate().isoformat()
    if file_format == "xlsx":
        response = HttpResponse(dashboard_xlsx(dashboard), content_type=XLSX_TYPE)
    else:
        # A byte-order mark so that spreadsheet software reads the accents as UTF-8.
        response = HttpResponse("\ufeff" + dashboard_csv(dashboard), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="chiffres-reseau-{stamp}.{file_format}"'
    return response


@curator_required
@never_cache
def network_statistics_pdf(request):
    """The dashboard as a printed report (the network's annual report), through the project's renderer."""
    form = DashboardFilterForm(request.GET or None)
    today = timezone.localdate()
    return pdf_response(
        request,
        template_name="pdf/dashboard.html",
        context=lambda: _report_context(form, today),
        filename=f"chiffres-reseau-codev-{today.isoformat()}.pdf",
    )


def _report_context(form, today) -> dict:
    filters = form.filters()
    dashboard = network_dashboard(filters)
    sections = [
        ("dashboard-territories", _("Où travaillent les membres"), True),
        ("dashboard-post", _("Le poste"), dashboard.post is not None),
        ("dashboard-missions", _("Missions déclarées"), bool(dashboard.missions)),
        ("dashboard-assessment", _("Auto-évaluation au regard du référentiel"), dashboard.heatmap is not None),
        ("dashboard-gaps", _("Écart au niveau attendu par la fiche commune"), bool(dashboard.gaps)),
        ("dashboard-training", _("Besoins de formation"), bool(dashboard.training)),
        ("dashboard-participation", _("Participation à la fiche commune"), bool(dashboard.participation)),
    ]
    chosen = (
        [str(value) for name, value in form.cleaned_data.items() if value] if form.is_bound and form.is_valid() else []
    )
    return {
        "doc": {
            "title": _("Chiffres du réseau"),
            "kicker": _("Rapport du réseau des technicien·nes de conseil de développement"),
            "subtitle": _("Qui sont les technicien·nes, ce qu'ils et elles font, où sont les besoins de formation"),
            "author": NETWORK_NAME,
            "description": _("Chiffres du réseau des technicien·nes de conseil de développement"),
            "keywords": _("statistiques, réseau, conseil de développement, CNCD"),
            "version_display": _("Extrait le %(date)s") % {"date": date_format(today, "j F Y")},
            "running_version": date_format(today, "j F Y"),
            "date": today,
            "date_iso": today.isoformat(),
            "is_draft": False,
        },
        "toc": [{"anchor": "presentation", "title": _("À propos de ces chiffres")}]
        + [{"anchor": anchor, "title": title} for anchor, title, shown in sections if shown],
        "filters_label": ", ".join(chosen),
        "dashboard": dashboard,
        "charts": _charts(dashboard),
        "query": "",
    }


@public
def key_figures_page(request):
    return render(request, "dashboard/key_figures.html", {"figures": key_figures()})


def _charts(dashboard) -> dict:
    result = {"map": charts.tile_map(dashboard.regions), "kinds": charts.bar_chart(dashboard.kinds)}
    if dashboard.post is not None:
        result["time_share"] = charts.histogram(dashboard.post.time_share, skip_codes=("band_none",))
        result["years_in_post"] = charts.histogram(dashboard.post.years_in_post, skip_codes=("years_none",))
        result["status"] = charts.bar_chart(dashboard.post.employment_status)
        result["category"] = charts.bar_chart(dashboard.post.category)
    if dashboard.heatmap is not None and dashboard.heatmap.table.rows:
        result["heatmap"] = charts.heatmap(dashboard.heatmap.table, value_columns=len(dashboard.heatmap.levels) + 1)
    if dashboard.missions is not None:
        result["missions"] = charts.bar_chart(dashboard.missions)
    if dashboard.gaps is not None and dashboard.gaps.rows:
        result["gaps"] = charts.bar_chart(dashboard.gaps, column=3, label_codes=True)
    if dashboard.training is not None:
        result["training"] = charts.bar_chart(dashboard.training)
    if dashboard.participation is not None:
        result["participation"] = charts.histogram(dashboard.participation, column=2, use_codes=True)
    return result
