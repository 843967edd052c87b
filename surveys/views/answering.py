"""Answering a campaign: the surveys' home, the notice before the first question, one page per section, the
review and the sending.

Approved members only (the default middleware), except the home page, open to everyone (visitors see the
published summaries). Rules live in surveys/answering.py; the page's fields in surveys/answer_forms.py.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.enums import Role
from core.permissions import has_role, public
from surveys import answering
from surveys.answer_forms import review_rows, section_fields
from surveys.enums import CampaignStatus, ParticipationStatus
from surveys.models import Campaign
from surveys.questions import questionnaire_structure


def _reverse_or_none(name: str, **kwargs) -> str | None:
    """An address of another area of the app, which may not be built yet."""
    try:
        return reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:
        return None


def _results_url(campaign: Campaign) -> str | None:
    if campaign.results_published_at is None:
        return None
    return _reverse_or_none("surveys:public_results", pk=campaign.pk)


def _announced(pk: int) -> Campaign:
    """An announced campaign (a campaign in preparation does not exist for members: 404)."""
    return get_object_or_404(Campaign.objects.announced().select_related("questionnaire"), pk=pk)


@public
def home(request):
    """The campaigns open to me and their state; the published results; the team's pages for curators."""
    now = timezone.now()
    published = list(Campaign.objects.results_public().order_by("-results_published_at", "-pk")[:20])
    for campaign in published:
        campaign.results_url = _results_url(campaign)
    context = {"published": published, "now": now, "rows": [], "programmed": [], "team_url": None}
    if request.user.is_authenticated and request.user.is_approved:
        rows = answering.campaigns_for(request.user, now)
        context.update(
            rows=[row for row in rows if row.campaign.opens_at <= now],
            programmed=[row for row in rows if row.campaign.opens_at > now],
            team_url=(_reverse_or_none("surveys:team") or _reverse_or_none("surveys:questionnaires"))
            if has_role(request.user, Role.CURATOR)
            else None,
        )
    return render(request, "surveys/answering/home.html", context)


def _gate(request, campaign: Campaign, participation):
    """A redirection to the notice, with a message, when answers may not be typed now; else None."""
    if answering.may_answer(campaign, participation):
        return None
    if campaign.anonymous and participation is not None and participation.status == ParticipationStatus.SUBMITTED:
        messages.info(request, _("Votre réponse anonyme est envoyée ; elle ne peut plus être modifiée."))
    elif timezone.now() < campaign.opens_at:
        messages.info(request, _("Cette campagne n'est pas encore ouverte."))
    else:
        messages.warning(
            request, _("Cette campagne est close : les réponses ne peuvent plus être envoyées ni modifiées.")
        )
    return redirect("surveys:answer", pk=campaign.pk)


@require_http_methods(["GET"])
def answer(request, pk: int):
    """The notice before the first question: anonymous or attributed, what it means, what is published."""
    campaign = _announced(pk)
    participation = answering.participation_of(campaign, request.user)
    state = answering.campaign_state(campaign, participation)
    sections = questionnaire_structure(campaign.questionnaire)
    now = timezone.now()
    return render(
        request,
        "surveys/answering/notice.html",
        {
            "campaign": campaign,
            "state": state,
            "sections": sections,
            "question_count": sum(len(section.questions.all()) for section in sections),
            "may_answer": answering.may_answer(campaign, participation, now) and bool(sections),
            "not_yet_open": now < campaign.opens_at and campaign.status == CampaignStatus.OPEN,
            "closed": now >= campaign.closes_at or campaign.status == CampaignStatus.CLOSED,
            "results_url": _results_url(campaign),
        },
    )


def _section(sections, number: int):
    if not 1 <= number <= len(sections):
        raise Http404
    return sections[number - 1]


@require_http_methods(["GET", "POST"])
def answer_section(request, pk: int, number: int):
    """One section of the questionnaire: every move saves the page's answers in the member's draft."""
    campaign = _announced(pk)
    participation = answering.participation_of(campaign, request.user)
    if request.method == "GET" and (gate := _gate(request, campaign, participation)) is not None:
        return gate
    sections = questionnaire_structure(campaign.questionnaire)
    section = _section(sections, number)
    answers = answering.working_answers(campaign, participation)
    raw, errors = None, {}
    if request.method == "POST":
        action = request.POST.get("action", "save")
        complete = action in ("next", "review")
        try:
            participation, cleaned = answering.draft_save(
                campaign=campaign, user=request.user, section=section, data=request.POST
            )
        except answering.AnswerRefused as refused:
            # Closed meanwhile (or sent from another tab): what was just typed is shown again, to be copied.
            typed = answering.section_clean(section, request.POST, answers=answers, complete=False).raw
            return render(
                request,
                "surveys/answering/section.html",
                {
                    "campaign": campaign,
                    "section": section,
                    "number": number,
                    "count": len(sections),
                    "fields": section_fields(section, answers=answers, raw=typed),
                    "errors": [],
                    "last": number == len(sections),
                    "state": answering.campaign_state(campaign, participation),
                    "refused": str(refused),
                },
            )
        answers = participation.draft
        # Moving on checks the page whole; moving back or saving keeps what is valid and reports the rest.
        check = answering.section_clean(section, request.POST, answers=answers, complete=True) if complete else cleaned
        if check.errors:
            raw, errors = cleaned.raw, check.errors
            if not complete:
                messages.warning(request, _("Le brouillon est enregistré, sauf les réponses signalées ci-dessous."))
        elif action == "previous" and number > 1:
            return redirect("surveys:answer_section", pk=campaign.pk, number=number - 1)
        elif complete and number < len(sections):
            return redirect("surveys:answer_section", pk=campaign.pk, number=number + 1)
        elif complete:
            return redirect("surveys:answer_review", pk=campaign.pk)
        else:
            messages.success(request, _("Brouillon enregistré. Vous pouvez revenir le compléter jusqu'à la clôture."))
            return redirect("surveys:answer_section", pk=campaign.pk, number=number)
    fields = section_fields(section, answers=answers, raw=raw, errors=errors)
    return render(
        request,
        "surveys/answering/section.html",
        {
            "campaign": campaign,
            "section": section,
            "number": number,
            "count": len(sections),
            "fields": fields,
            "errors": [field for field in fields if field.error],
            "last": number == len(sections),
            "state": answering.campaign_state(campaign, participation),
            "refused": "",
        },
    )


@require_http_methods(["GET", "POST"])
def answer_review(request, pk: int):
    """Every answer before sending; POST sends (once, whatever the double clicks)."""
    campaign = _announced(pk)
    participation = answering.participation_of(campaign, request.user)
    if (gate := _gate(request, campaign, participation)) is not None:
        return gate
    sections = questionnaire_structure(campaign.questionnaire)
    answers = answering.answers_prune(sections, answering.working_answers(campaign, participation))
    errors = answering.answers_check(sections, answers)
    if request.method == "POST":
        try:
            answering.answers_send(campaign=campaign, user=request.user)
        except answering.AnswerRefused as refused:
            messages.warning(request, str(refused))
            return redirect("surveys:answer", pk=campaign.pk)
        except answering.AnswersInvalid as invalid:
            errors = invalid.errors
        else:
            if campaign.anonymous:
                messages.success(request, _("Merci ! Votre réponse anonyme est envoyée. Rien ne la relie à vous."))
            else:
                messages.success(
                    request,
                    _("Merci ! Votre réponse est envoyée. Vous pouvez la modifier jusqu'au %(date)s.")
                    % {"date": timezone.localtime(campaign.closes_at).strftime("%d/%m/%Y %H:%M")},
                )
            return redirect("surveys:answer", pk=campaign.pk)
    rows = review_rows(sections, answers, errors)
    first_error = None
    for number, (_section_obj, section_rows) in enumerate(rows, start=1):
        if any(row.error for row in section_rows):
            first_error = number
            break
    return render(
        request,
        "surveys/answering/review.html",
        {
            "campaign": campaign,
            "rows": rows,
            "errors": errors,
            "first_error": first_error,
            "count": len(sections),
            "state": answering.campaign_state(campaign, participation),
        },
    )


@require_POST
def answer_discard(request, pk: int):
    """Forget the changes not sent (an attributed response keeps what was sent; a draft is emptied)."""
    campaign = _announced(pk)
    answering.draft_discard(campaign=campaign, user=request.user)
    messages.info(request, _("Vos modifications non envoyées sont effacées."))
    return redirect("surveys:answer", pk=campaign.pk)
