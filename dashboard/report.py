"""The dashboard printed as the network's report (14 pages), prepared in the background (core.pdf_exports)."""

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.figures.tables import STATISTIC_WITHHELD_NOTE
from core.pdf import NETWORK_NAME, PdfDocument
from dashboard.charts import dashboard_charts
from dashboard.forms import DashboardFilterForm
from dashboard.sections import page_sections
from dashboard.tables import network_dashboard


def network_report_params(form: DashboardFilterForm) -> dict:
    """The filters chosen on the dashboard, as the export's JSON parameters (invalid ones dropped)."""
    filters = form.filters()
    params = {"region": filters.region.code if filters.region else "", "kind": filters.kind}
    return {name: value for name, value in params.items() if value}


# The kind of background PDF this app registers (DashboardConfig.ready).
NETWORK_REPORT = "network_report"


def network_report_document(params: dict) -> PdfDocument:
    """The report for the filters in `params`, extracted today; never stored (the figures move)."""
    form = DashboardFilterForm(params or None)
    today = timezone.localdate()
    return PdfDocument(
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
        "sections": page_sections(dashboard),
        "charts": dashboard_charts(dashboard),
        "query": "",
        "statistic_note": STATISTIC_WITHHELD_NOTE,
        "in_report": True,
    }
