"""The CNCD team's pages: questionnaires (parts, questions, preview, copy) and campaigns.

Thin views: the rules are in surveys.authoring and surveys.campaigns. Every page is for curators only.
"""

from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from core.concurrency import EditConflict, conflict_data, conflict_for
from core.permissions import curator_required
from fiches.rendering import render_markdown
from surveys import authoring, campaigns
from surveys.authoring_forms import (
    KIND_HELP,
    CampaignForm,
    ConfirmForm,
    QuestionForm,
    QuestionnaireForm,
    SectionForm,
)
from surveys.enums import CampaignStatus, ParticipationStatus, QuestionKind
from surveys.models import Campaign, Participation, Question, Questionnaire, QuestionSection
from surveys.questions import question_options, questionnaire_frozen, questionnaire_structure

UP, DOWN = "up", "down"


def _show_error(request, error) -> None:
    for message in error.messages:
        messages.error(request, message)


def _results_url(campaign: Campaign) -> str:
    """The results page (surveys:results, built by the results' area), when it exists."""
    try:
        return reverse("surveys:results", kwargs={"pk": campaign.pk})
    except NoReverseMatch:
        return ""


# The team's home of the surveys --------------------------------------------------------------------


@curator_required
@require_safe
def team(request):
    """Questionnaires (with their number of questions and campaigns) and campaigns (with their counts)."""
    questionnaires = Questionnaire.objects.annotate(
        question_count=Count("sections__questions", distinct=True),
        campaign_count=Count("campaigns", distinct=True),
    ).order_by("-created_at", "-pk")
    campaign_rows = (
        Campaign.objects.select_related("questionnaire")
        .annotate(
            started=Count(
                "participations", filter=Q(participations__status=ParticipationStatus.STARTED), distinct=True
            ),
            sent=Count("participations", filter=Q(participations__status=ParticipationStatus.SUBMITTED), distinct=True),
        )
        .order_by("-opens_at", "-pk")
    )
    now = timezone.now()
    rows = [(campaign, campaigns.campaign_phase_label(campaign, now)) for campaign in campaign_rows]
    return render(
        request,
        "surveys/authoring/team.html",
        {"questionnaires": questionnaires, "campaign_rows": rows},
    )


# Questionnaires ----------------------------------------------------------------------------------


@curator_required
def questionnaire_create(request):
    form = QuestionnaireForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        questionnaire = authoring.questionnaire_create(actor=request.user, values=form.cleaned_data)
        messages.success(request, _("Le questionnaire est créé : ajoutez-lui une première partie."))
        return redirect(questionnaire)
    return render(
        request, "surveys/authoring/questionnaire_form.html", {"form": form, "questionnaire": None, "conflict": None}
    )


@curator_required
@require_safe
def questionnaire_detail(request, pk):
    questionnaire = get_object_or_404(Questionnaire.objects.select_related("based_on"), pk=pk)
    sections = questionnaire_structure(questionnaire)
    for section in sections:
        for question in section.questions.all():
            if question.condition_question_id is not None:
                labels = dict(question_options(question.condition_question))
                question.condition_labels = [labels.get(value, value) for value in question.condition_values]
    now = timezone.now()
    campaign_rows = [
        (campaign, campaigns.campaign_phase_label(campaign, now))
        for campaign in questionnaire.campaigns.order_by("-opens_at", "-pk")
    ]
    context = {
        "questionnaire": questionnaire,
        "sections": sections,
        "frozen": questionnaire_frozen(questionnaire),
        "introduction_html": render_markdown(questionnaire.introduction),
        "campaign_rows": campaign_rows,
        "kinds": dict(QuestionKind.choices),
        "question_count": sum(len(section.questions.all()) for section in sections),
    }
    return render(request, "surveys/authoring/questionnaire_detail.html", context)


@curator_required
def questionnaire_edit(request, pk):
    questionnaire = get_object_or_404(Questionnaire, pk=pk)
    form = QuestionnaireForm(request.POST or None, instance=questionnaire)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            authoring.questionnaire_update(
                questionnaire_id=questionnaire.pk,
                actor=request.user,
                values=form.cleaned_data,
                lock_version=form.cleaned_data["lock_version"],
            )
        except EditConflict as error:
            if error.current is None:
                raise Http404 from None
            questionnaire = error.current
            form = QuestionnaireForm(conflict_data(request.POST, questionnaire.lock_version), instance=questionnaire)
            conflict = conflict_for(error, form, QuestionnaireForm(instance=questionnaire))
        else:
            messages.success(request, _("Le questionnaire est enregistré."))
            return redirect(questionnaire)
    context = {"form": form, "questionnaire": questionnaire, "conflict": conflict}
    return render(request, "surveys/authoring/questionnaire_form.html", context)


@curator_required
def questionnaire_delete(request, pk):
    questionnaire = get_object_or_404(Questionnaire, pk=pk)
    if request.method == "POST":
        try:
            authoring.questionnaire_delete(questionnaire_id=questionnaire.pk, actor=request.user)
        except authoring.AuthoringError as error:
            _show_error(request, error)
            return redirect(questionnaire)
        messages.success(request, _("Le questionnaire est supprimé."))
        return redirect("surveys:team")
    context = {
        "title": _("Supprimer le questionnaire « %(title)s »") % {"title": questionnaire.title},
        "text": _("Ses parties et ses questions seront supprimées. Cette action est définitive."),
        "back_url": questionnaire.get_absolute_url(),
        "form": ConfirmForm(),
        "questionnaire": questionnaire,
    }
    return render(request, "surveys/authoring/confirm_delete.html", context)


@curator_required
@require_POST
def questionnaire_copy(request, pk):
    questionnaire = get_object_or_404(Questionnaire, pk=pk)
    copy = authoring.questionnaire_copy(questionnaire_id=questionnaire.pk, actor=request.user)
    messages.success(
        request,
        _(
            "Voici la copie : mêmes parties, questions, codes et conditions. Modifiez-la pour la prochaine campagne ; "
            "les codes inchangés permettront de comparer les années."
        ),
    )
    return redirect(copy)


@curator_required
@require_safe
def questionnaire_preview(request, pk):
    """The questionnaire as a respondent reads it (every question, conditions said in words)."""
    questionnaire = get_object_or_404(Questionnaire, pk=pk)
    sections = questionnaire_structure(questionnaire)
    previews = []
    for section in sections:
        items = []
        for question in section.questions.all():
            condition = None
            if question.condition_question_id is not None:
                labels = dict(question_options(question.condition_question))
                condition = {
                    "question": question.condition_question.text,
                    "values": [labels.get(value, value) for value in question.condition_values],
                }
            items.append({"question": question, "options": question_options(question), "condition": condition})
        previews.append({"section": section, "items": items, "description_html": render_markdown(section.description)})
    context = {
        "questionnaire": questionnaire,
        "previews": previews,
        "introduction_html": render_markdown(questionnaire.introduction),
        "kinds": QuestionKind,
    }
    return render(request, "surveys/authoring/preview.html", context)


# Parts -------------------------------------------------------------------------------------------


@curator_required
def section_create(request, pk):
    questionnaire = get_object_or_404(Questionnaire, pk=pk)
    form = SectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            authoring.section_create(questionnaire_id=questionnaire.pk, actor=request.user, values=form.cleaned_data)
        except authoring.AuthoringError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("La partie est ajoutée."))
            return redirect(questionnaire)
    context = {"form": form, "questionnaire": questionnaire, "section": None}
    return render(request, "surveys/authoring/section_form.html", context)


@curator_required
def section_edit(request, pk):
    section = get_object_or_404(QuestionSection.objects.select_related("questionnaire"), pk=pk)
    form = SectionForm(request.POST or None, instance=section)
    if request.method == "POST" and form.is_valid():
        try:
            authoring.section_update(section_id=section.pk, actor=request.user, values=form.cleaned_data)
        except authoring.AuthoringError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("La partie est enregistrée."))
            return redirect(section.questionnaire)
    context = {"form": form, "questionnaire": section.questionnaire, "section": section}
    return render(request, "surveys/authoring/section_form.html", context)


@curator_required
def section_delete(request, pk):
    section = get_object_or_404(QuestionSection.objects.select_related("questionnaire"), pk=pk)
    questionnaire = section.questionnaire
    if request.method == "POST":
        try:
            authoring.section_delete(section_id=section.pk, actor=request.user)
        except authoring.AuthoringError as error:
            _show_error(request, error)
        else:
            messages.success(request, _("La partie est supprimée."))
        return redirect(questionnaire)
    count = section.questions.count()
    context = {
        "title": _("Supprimer la partie « %(title)s »") % {"title": section.title},
        "text": _("Ses %(count)s question(s) seront supprimées avec elle.") % {"count": count},
        "back_url": questionnaire.get_absolute_url(),
        "form": ConfirmForm(),
        "questionnaire": questionnaire,
    }
    return render(request, "surveys/authoring/confirm_delete.html", context)


@curator_required
@require_POST
def section_move(request, pk):
    section = get_object_or_404(QuestionSection.objects.select_related("questionnaire"), pk=pk)
    direction = UP if request.POST.get("direction") == UP else DOWN
    try:
        authoring.section_move(section_id=section.pk, actor=request.user, direction=direction)
    except authoring.AuthoringError as error:
        _show_error(request, error)
    return redirect(reverse("surveys:questionnaire", kwargs={"pk": section.questionnaire_id}) + f"#partie-{section.pk}")


# Questions ---------------------------------------------------------------------------------------


@curator_required
def question_create(request, pk):
    section = get_object_or_404(QuestionSection.objects.select_related("questionnaire"), pk=pk)
    questionnaire = section.questionnaire
    kind = request.GET.get("type") or request.POST.get("type") or ""
    if kind not in QuestionKind.values:
        kinds = [(value, label, KIND_HELP[value]) for value, label in QuestionKind.choices]
        context = {"kinds": kinds, "section": section, "questionnaire": questionnaire}
        return render(request, "surveys/authoring/question_kind.html", context)
    form = QuestionForm(request.POST or None, kind=kind, questionnaire=questionnaire, section_id=section.pk)
    if request.method == "POST" and form.is_valid():
        try:
            authoring.question_create(section_id=section.pk, actor=request.user, kind=kind, values=form.values())
        except authoring.AuthoringError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("La question est ajoutée."))
            return redirect(reverse("surveys:questionnaire", kwargs={"pk": questionnaire.pk}) + f"#partie-{section.pk}")
    context = {
        "form": form,
        "kind": kind,
        "kind_label": QuestionKind(kind).label,
        "section": section,
        "questionnaire": questionnaire,
        "question": None,
    }
    return render(request, "surveys/authoring/question_form.html", context)


@curator_required
def question_edit(request, pk):
    question = get_object_or_404(Question.objects.select_related("section__questionnaire"), pk=pk)
    questionnaire = question.section.questionnaire
    form = QuestionForm(request.POST or None, kind=question.kind, questionnaire=questionnaire, question=question)
    if request.method == "POST" and form.is_valid():
        try:
            authoring.question_update(question_id=question.pk, actor=request.user, values=form.values())
        except authoring.AuthoringError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("La question est enregistrée."))
            return redirect(
                reverse("surveys:questionnaire", kwargs={"pk": questionnaire.pk}) + f"#question-{question.pk}"
            )
    context = {
        "form": form,
        "kind": question.kind,
        "kind_label": question.get_kind_display(),
        "section": question.section,
        "questionnaire": questionnaire,
        "question": question,
        "frozen": questionnaire_frozen(questionnaire),
    }
    return render(request, "surveys/authoring/question_form.html", context)


@curator_required
def question_delete(request, pk):
    question = get_object_or_404(Question.objects.select_related("section__questionnaire"), pk=pk)
    questionnaire = question.section.questionnaire
    if request.method == "POST":
        try:
            authoring.question_delete(question_id=question.pk, actor=request.user)
        except authoring.AuthoringError as error:
            _show_error(request, error)
        else:
            messages.success(request, _("La question est supprimée."))
        return redirect(questionnaire)
    context = {
        "title": _("Supprimer la question « %(text)s »") % {"text": question.text},
        "text": _("Cette action est définitive."),
        "back_url": questionnaire.get_absolute_url(),
        "form": ConfirmForm(),
        "questionnaire": questionnaire,
    }
    return render(request, "surveys/authoring/confirm_delete.html", context)


@curator_required
@require_POST
def question_move(request, pk):
    question = get_object_or_404(Question.objects.select_related("section"), pk=pk)
    direction = UP if request.POST.get("direction") == UP else DOWN
    try:
        authoring.question_move(question_id=question.pk, actor=request.user, direction=direction)
    except authoring.AuthoringError as error:
        _show_error(request, error)
    url = reverse("surveys:questionnaire", kwargs={"pk": question.section.questionnaire_id})
    return redirect(f"{url}#question-{question.pk}")


# Campaigns ---------------------------------------------------------------------------------------


@curator_required
def campaign_create(request, pk):
    questionnaire = get_object_or_404(Questionnaire, pk=pk)
    form = CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = campaigns.campaign_create(
                questionnaire_id=questionnaire.pk, actor=request.user, values=form.values()
            )
        except campaigns.CampaignError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("La campagne est créée, en préparation : ouvrez-la quand elle est prête."))
            return redirect(campaign)
    context = {"form": form, "questionnaire": questionnaire, "campaign": None, "conflict": None}
    return render(request, "surveys/authoring/campaign_form.html", context)


@curator_required
def campaign_edit(request, pk):
    campaign = get_object_or_404(Campaign.objects.select_related("questionnaire"), pk=pk)
    locked = campaigns.has_participants(campaign)
    form = CampaignForm(request.POST or None, instance=campaign, anonymous_locked=locked)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            campaigns.campaign_update(
                campaign_id=campaign.pk,
                actor=request.user,
                values=form.values(),
                lock_version=form.cleaned_data["lock_version"],
            )
        except EditConflict as error:
            if error.current is None:
                raise Http404 from None
            campaign = error.current
            form = CampaignForm(
                conflict_data(request.POST, campaign.lock_version), instance=campaign, anonymous_locked=locked
            )
            conflict = conflict_for(error, form, CampaignForm(instance=campaign, anonymous_locked=locked))
        except campaigns.CampaignError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("La campagne est enregistrée."))
            return redirect(campaign)
    context = {
        "form": form,
        "questionnaire": campaign.questionnaire,
        "campaign": campaign,
        "conflict": conflict,
        "anonymous_locked": locked,
    }
    return render(request, "surveys/authoring/campaign_form.html", context)


@curator_required
@require_safe
def campaign_detail(request, pk):
    campaign = get_object_or_404(Campaign.objects.select_related("questionnaire", "created_by"), pk=pk)
    now = timezone.now()
    phase = campaigns.campaign_phase(campaign, now)
    respondents = []
    if not campaign.anonymous:
        respondents = list(
            Participation.objects.filter(campaign=campaign, status=ParticipationStatus.SUBMITTED)
            .select_related("user", "user__profile")
            .order_by("user__profile__display_name", "user__email")
        )
    context = {
        "campaign": campaign,
        "phase": phase,
        "phase_label": campaigns.PHASE_LABELS[phase],
        "counts": campaigns.campaign_counts(campaign),
        "respondents": respondents,
        "results_url": _results_url(campaign),
        "may_delete": campaign.status == CampaignStatus.DRAFT and not campaigns.has_participants(campaign),
        "may_reopen": campaign.status == CampaignStatus.CLOSED
        and campaign.closes_at > now
        and campaign.results_published_at is None,
        "reminder_days": campaigns.reminder_days(),
        "publication_html": render_markdown(campaign.publication_note),
    }
    return render(request, "surveys/authoring/campaign_detail.html", context)


def _campaign_action(request, pk, action, success: str):
    campaign = get_object_or_404(Campaign, pk=pk)
    try:
        action(campaign_id=campaign.pk, actor=request.user)
    except campaigns.CampaignError as error:
        _show_error(request, error)
    else:
        messages.success(request, success)
    return redirect(campaign)


@curator_required
@require_POST
def campaign_open(request, pk):
    campaign = get_object_or_404(Campaign, pk=pk)
    if campaign.opens_at > timezone.now():
        success = _("La campagne est programmée : elle s'ouvrira à sa date, et les invitations partiront ce jour-là.")
    else:
        success = _("La campagne est ouverte : les invitations partent vers chaque membre approuvé·e.")
    return _campaign_action(request, pk, campaigns.campaign_open, success)


@curator_required
@require_POST
def campaign_close(request, pk):
    return _campaign_action(request, pk, campaigns.campaign_close, _("La campagne est close : plus aucune réponse."))


@curator_required
@require_POST
def campaign_reopen(request, pk):
    return _campaign_action(
        request, pk, campaigns.campaign_reopen, _("La campagne est rouverte jusqu'à sa date de clôture.")
    )


@curator_required
def campaign_delete(request, pk):
    campaign = get_object_or_404(Campaign.objects.select_related("questionnaire"), pk=pk)
    if request.method == "POST":
        try:
            campaigns.campaign_delete(campaign_id=campaign.pk, actor=request.user)
        except campaigns.CampaignError as error:
            _show_error(request, error)
            return redirect(campaign)
        messages.success(request, _("La campagne est supprimée."))
        return redirect(campaign.questionnaire)
    context = {
        "title": _("Supprimer la campagne « %(title)s »") % {"title": campaign.title},
        "text": _("Elle est encore en préparation et personne n'y a participé. Cette action est définitive."),
        "back_url": campaign.get_absolute_url(),
        "form": ConfirmForm(),
        "questionnaire": campaign.questionnaire,
    }
    return render(request, "surveys/authoring/confirm_delete.html", context)
