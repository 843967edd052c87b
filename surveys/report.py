"""A campaign's results printed as a report, prepared in the background (core.pdf_exports).

The report holds the aggregates of one group (the whole campaign, a region or a category of post),
exactly as the team's page shows them, charts and tables; never a free-text answer (a PDF travels).
"""

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.figures.tables import STATISTIC_WITHHELD_NOTE
from core.pdf import NETWORK_NAME, PdfDocument
from core.pdf_exports import pdf_export_register
from surveys.exports import results_rule_lines
from surveys.models import Campaign
from surveys.results import CampaignFigures

# The kind of background PDF this app registers (SurveysConfig.ready).
SURVEY_REPORT = "surveys.report"


def survey_report_params(campaign, view_slug: str) -> dict:
    return {"campaign": campaign.pk, "groupe": view_slug if view_slug != "toutes" else ""}


def survey_report_document(params: dict) -> PdfDocument:
    """The report of the campaign and group in `params`, extracted now; never stored (answers may change)."""
    from surveys.results_forms import view_from_slug

    campaign = Campaign.objects.select_related("questionnaire").get(pk=params["campaign"])
    view = view_from_slug(params.get("groupe") or "")
    today = timezone.localdate()
    return PdfDocument(
        template_name="pdf/surveys_report.html",
        context=lambda: _report_context(campaign, view, today),
        filename=f"resultats-{slugify(campaign.title)[:60] or 'enquete'}-{params.get('groupe') or 'toutes'}-"
        f"{today.isoformat()}.pdf",
    )


def _report_context(campaign, view, today) -> dict:
    figures = CampaignFigures(campaign)
    results = figures.results(view, team=False)
    return {
        "doc": {
            "title": campaign.title,
            "kicker": _("Résultats d'enquête"),
            "subtitle": campaign.questionnaire.title,
            "author": NETWORK_NAME,
            "description": _("Résultats de l'enquête « %(title)s »") % {"title": campaign.title},
            "keywords": _("enquête, résultats, réseau, conseil de développement, CNCD"),
            "version_display": _("Extrait le %(date)s") % {"date": date_format(today, "j F Y")},
            "running_version": date_format(today, "j F Y"),
            "date": today,
            "date_iso": today.isoformat(),
            "is_draft": False,
            "extra_meta": [(_("Groupe"), results.label)],
        },
        "toc": [{"anchor": "presentation", "title": _("À propos de ces résultats")}]
        + [
            {"anchor": f"question-{question.spec.code}", "title": question.question.text}
            for question in results.questions  # none when the group is too small: nothing is printed
        ],
        "campaign": campaign,
        "figures": figures,
        "results": results,
        "rule_lines": results_rule_lines(),
        "statistic_note": STATISTIC_WITHHELD_NOTE,
        "in_report": True,
    }


def register() -> None:
    """Declare the report to the background PDF exports (SurveysConfig.ready)."""
    pdf_export_register(SURVEY_REPORT, label=_("Rapport de résultats d'enquête"), build=survey_report_document)
