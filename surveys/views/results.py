"""The results of a campaign: the team's page, its exports and report, the comparison, the public page."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from core.concurrency import EditConflict, conflict_data, conflict_for
from core.enums import PdfExportStatus
from core.export_views import export_status_page, pdf_export_file
from core.figures.exports import XLSX_TYPE
from core.figures.tables import STATISTIC_WITHHELD_NOTE
from core.htmx import render_page
from core.models import PdfExport
from core.pdf_exports import pdf_export_request
from core.permissions import curator_required, public
from surveys.exports import results_csv, results_filename, results_rule_lines, results_xlsx
from surveys.models import Campaign
from surveys.report import SURVEY_REPORT, survey_report_params
from surveys.results import (
    CampaignFigures,
    ResultsError,
    campaign_closed,
    comparable_campaigns,
    compare_campaigns,
    results_held,
    results_publish,
    results_unpublish,
)
from surveys.results_forms import CompareForm, PublishForm, ResultsFilterForm

# The stages of a report's preparation, in order, as its status page counts them.
REPORT_STEPS = [PdfExportStatus.QUEUED, PdfExportStatus.RUNNING, PdfExportStatus.DONE]


def _campaign(pk) -> Campaign:
    return get_object_or_404(Campaign.objects.select_related("questionnaire"), pk=pk)


def _team_results(request, campaign):
    """The figures, the filter form and the chosen group's results (None when the group is refused, or while
    an anonymous campaign is open: results_held)."""
    if results_held(campaign):
        return None, None, None
    figures = CampaignFigures(campaign)
    form = ResultsFilterForm(request.GET if "groupe" in request.GET else None, figures=figures)
    view = form.view()
    results = figures.results(view, team=True) if view is not None else None
    return figures, form, results


@curator_required
@never_cache
def results(request, pk):
    campaign = _campaign(pk)
    figures, form, results = _team_results(request, campaign)
    context = {
        "campaign": campaign,
        "figures": figures,
        "form": form,
        "results": results,
        "query": request.GET.urlencode() if results is not None and results.filtered else "",
        "rule_lines": results_rule_lines(),
        "statistic_note": STATISTIC_WITHHELD_NOTE,
        "closed": campaign_closed(campaign),
        "held": figures is None,
        "responses": campaign.responses.count() if figures is None else None,
    }
    return render_page(request, "surveys/results/results.html", context, fragment="results")


@curator_required
@never_cache
def results_export(request, pk, file_format):
    campaign = _campaign(pk)
    _figures, _form, results = _team_results(request, campaign)
    if results_held(campaign):
        messages.error(request, _("Les chiffres d'une campagne anonyme s'affichent une fois la campagne close."))
        return redirect("surveys:results", pk=campaign.pk)
    if results is None or not results.shown:
        messages.error(request, _("Ce groupe n'est pas proposé : rien n'est exporté."))
        return redirect("surveys:results", pk=campaign.pk)
    if file_format == "xlsx":
        response = HttpResponse(results_xlsx(results), content_type=XLSX_TYPE)
    else:
        # A byte-order mark so that spreadsheet software reads the accents as UTF-8.
        response = HttpResponse("\ufeff" + results_csv(results), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{results_filename(results, file_format)}"'
    return response


@curator_required
@require_POST
def results_report_request(request, pk):
    """Ask for the printed report of the results as filtered (the querystring); the worker prepares it."""
    campaign = _campaign(pk)
    _figures, _form, results = _team_results(request, campaign)
    if results_held(campaign):
        messages.error(request, _("Les chiffres d'une campagne anonyme s'affichent une fois la campagne close."))
        return redirect("surveys:results", pk=campaign.pk)
    if results is None or not results.shown:
        messages.error(request, _("Ce groupe n'est pas proposé : aucun rapport n'est préparé."))
        return redirect("surveys:results", pk=campaign.pk)
    params = survey_report_params(campaign, results.slug)
    export = pdf_export_request(user=request.user, kind=SURVEY_REPORT, params=params)
    return redirect("surveys:results_report_status", export_id=export.pk)


@curator_required
@never_cache
def results_report_status(request, export_id):
    """Where the report stands (core.export_views: htmx asks again every 2 s)."""
    export = _own_report(request, export_id)
    campaign = Campaign.objects.filter(pk=export.params.get("campaign")).first()
    context = {
        "campaign": campaign,
        "status_url": reverse("surveys:results_report_status", args=[export.pk]),
        "download_url": reverse("surveys:results_report_download", args=[export.pk]),
        "retry_url": reverse("surveys:results", args=[campaign.pk]) if campaign is not None else "",
    }
    return export_status_page(request, export, "surveys/results/report.html", context)


@curator_required
@never_cache
def results_report_download(request, export_id):
    export = _own_report(request, export_id)
    return pdf_export_file(export, status_url=reverse("surveys:results_report_status", args=[export.pk]))


def _own_report(request, export_id) -> PdfExport:
    """The report export `export_id`, for the person who asked for it only (404 for anyone else)."""
    exports = PdfExport.objects.of_kind(SURVEY_REPORT).requested_by(request.user)
    return get_object_or_404(exports, pk=export_id)


@curator_required
@never_cache
def compare(request, pk):
    campaign = _campaign(pk)
    if results_held(campaign):
        messages.error(
            request, _("Une campagne anonyme encore ouverte ne montre pas ses chiffres : comparez-la après sa clôture.")
        )
        return redirect("surveys:results", pk=campaign.pk)
    candidates = comparable_campaigns(campaign).select_related("questionnaire")
    form = CompareForm(request.GET if "avec" in request.GET else None, campaigns=candidates)
    other, compared, figures = None, [], {}
    if form.is_bound and form.is_valid():
        other = form.cleaned_data["avec"]
        # The earlier campaign on the left.
        first, second = sorted([campaign, other], key=lambda item: (item.opens_at, item.pk))
        figures = {"first": CampaignFigures(first), "second": CampaignFigures(second)}
        compared = compare_campaigns(figures["first"], figures["second"])
    context = {
        "campaign": campaign,
        "form": form,
        "other": other,
        "has_candidates": candidates.exists(),
        "compared": compared,
        "figures": figures,
        "rule_lines": results_rule_lines(),
        "statistic_note": STATISTIC_WITHHELD_NOTE,
    }
    return render(request, "surveys/results/compare.html", context)


@curator_required
def publish(request, pk):
    """Write the public summary and publish the results of a closed campaign (or rewrite it)."""
    campaign = _campaign(pk)
    form = PublishForm(request.POST or None, instance=campaign)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            results_publish(
                campaign_id=campaign.pk,
                actor=request.user,
                summary=form.cleaned_data["public_summary"],
                lock_version=form.cleaned_data["lock_version"],
            )
        except EditConflict as error:
            if error.current is None:
                raise Http404 from None
            campaign = error.current
            form = PublishForm(conflict_data(request.POST, campaign.lock_version), instance=campaign)
            conflict = conflict_for(error, form, PublishForm(instance=campaign))
        except ResultsError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Les résultats sont publiés."))
            return redirect("surveys:public_results", pk=campaign.pk)
    context = {"campaign": campaign, "form": form, "conflict": conflict, "closed": campaign_closed(campaign)}
    return render(request, "surveys/results/publish.html", context)


@curator_required
@require_POST
def unpublish(request, pk):
    campaign = _campaign(pk)
    try:
        results_unpublish(campaign_id=campaign.pk, actor=request.user)
    except ResultsError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("La page publique des résultats est retirée."))
    return redirect("surveys:results", pk=campaign.pk)


@public
def public_results(request, pk):
    """The published summary and aggregates; only region filters whose groups and complements hold 5 or more."""
    campaign = get_object_or_404(Campaign.objects.results_public().select_related("questionnaire"), pk=pk)
    figures = CampaignFigures(campaign)
    form = ResultsFilterForm(request.GET if "groupe" in request.GET else None, figures=figures, categories=False)
    view = form.view()
    results = figures.results(view, team=False) if view is not None else None
    context = {
        "campaign": campaign,
        "figures": figures,
        "form": form,
        "results": results,
        "rule_lines": results_rule_lines(),
        "statistic_note": STATISTIC_WITHHELD_NOTE,
        "public_page": True,
    }
    return render_page(request, "surveys/results/public.html", context, fragment="results")
