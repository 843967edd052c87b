"""Mon plan de développement: the member's plan page, its priorities and actions, sharing, and the read-only
view of a plan shared with a mentor or the CNCD team. Thin views: rules in training.plans, reads there too.

Every page here is the member's own (the default middleware requires an approved member); a shared plan is
shown only to the people its owner chose, a 404 for anyone else, as for a plan that does not exist.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from core.concurrency import EditConflict, conflict_data, conflict_for
from core.generations import CSRF_PLACEHOLDER, with_csrf_token
from members.models import User
from toolbox.selectors import GENERATION_KEY as TOOLBOX_GENERATION_KEY
from training import generations, plans
from training.enums import ActionKind, ActionStatus, PlanReference
from training.levels import level_comparison
from training.models import PlanPriority
from training.plan_forms import (
    ActionForm,
    PriorityForm,
    PriorityNoteForm,
    ReferenceForm,
    SharingForm,
    action_initial,
)

PLAN_URL = "training:plan"


def _errors(request, error) -> None:
    for message in getattr(error, "messages", [str(error)]):
        messages.error(request, message)


def _plan_context(*, owner, viewer, plan, reference: str, editable: bool) -> dict:
    comparison = level_comparison(user=owner, reference=reference)
    priorities = plans.priorities_of(plan)
    titles = comparison.titles
    priority_rows = [
        {"priority": priority, "title": titles.get(priority.code, ""), "row": comparison.row(priority.code)}
        for priority in priorities
    ]
    actions = plans.actions_of(plan)
    for action in actions:
        action.overdue = plans.is_overdue(action)
        action.competence_title = titles.get(action.code, "")
    context = {
        "owner": owner,
        "plan": plan,
        "comparison": comparison,
        "chart": plans.level_chart(comparison),
        "priority_rows": priority_rows,
        "actions": actions,
        "open_actions": [a for a in actions if a.status in (ActionStatus.PLANNED, ActionStatus.IN_PROGRESS)],
        "closed_actions": [a for a in actions if a.status in (ActionStatus.DONE, ActionStatus.DROPPED)],
        "editable": editable,
        "statuses": ActionStatus,
    }
    if editable:
        help_rows = plans.gap_help(comparison=comparison, viewer=viewer, priority_codes=[p.code for p in priorities])
        for help_row in help_rows:
            code = help_row.row.code
            help_row.training_links = [
                (training, plans.action_add_url(code=code, kind=ActionKind.TRAINING, training=training))
                for training in help_row.trainings
            ]
            help_row.resource_links = [
                (resource, plans.action_add_url(code=code, kind=ActionKind.RESOURCE, resource=resource))
                for resource in help_row.resources
            ]
            help_row.peer_links = [
                (peer, plans.action_add_url(code=code, kind=ActionKind.PEER, peer_id=peer.user_id))
                for peer in help_row.peers
            ]
            help_row.other_url = plans.action_add_url(code=code, kind=ActionKind.OTHER)
        chosen = {priority.code for priority in priorities}
        context.update(
            {
                "gap_help": help_rows,
                "reference_form": ReferenceForm(initial={"reference": comparison.requested}),
                "priority_form": PriorityForm(
                    codes={
                        row.code: row.title
                        for row in [*comparison.rows, *comparison.unexpected]
                        if row.code not in chosen
                    }
                ),
                "chosen_codes": chosen,
                "can_add_priority": len(priorities) < plans.MAX_PRIORITIES,
            }
        )
    return context


# The plan page's content is rendered once per state and kept (a few dozen milliseconds of reads and
# rendering otherwise): the state is every generation it depends on (training.generations), the member's
# role and the day (overdue actions). Its forms carry a placeholder that each response replaces with the
# visitor's own CSRF token (core.generations.with_csrf_token). The page of a network without a
# published référentiel is never kept: the first publication is a bulk update that sends no signal.
BODY_SECONDS = 600


def _body_stamp(user) -> tuple[list[str], list[str], tuple]:
    facts = (timezone.localdate(), user.role, user.status)
    names = [
        generations.levels_of(user.pk),
        generations.plan_of(user.pk),
        generations.NETWORK,
        generations.CATALOGUE,
        generations.REFERENCE,
    ]
    return names, [TOOLBOX_GENERATION_KEY], facts


@require_safe
def plan(request):
    """The member's plan: their levels against the expected ones, the gaps and what helps, priorities, actions."""
    key = f"training:plan:body:v2:{request.user.pk}:{get_language()}"
    names, cache_keys, facts = _body_stamp(request.user)
    stamp, body = generations.cached(key, names, cache_keys=cache_keys, facts=facts)
    if body is None:
        own = plans.plan_of(request.user)
        reference = own.reference if own is not None else PlanReference.COMMON
        context = _plan_context(owner=request.user, viewer=request.user, plan=own, reference=reference, editable=True)
        context["shared_with_me"] = plans.plans_shared_with(request.user)
        context["csrf_token"] = CSRF_PLACEHOLDER
        body = render_to_string("training/plan/_plan_body.html", context)
        if context["comparison"].version is not None:
            generations.store(key, stamp, generations.packed(body), BODY_SECONDS)
    else:
        body = generations.unpacked(body)
    body = with_csrf_token(request, body)
    return render(request, "training/plan/plan.html", {"body": body})


@require_safe
def plan_shared(request, user_id):
    """Someone else's plan, read-only, for the people its owner shared it with; 404 for anyone else."""
    owner = get_object_or_404(User.objects.select_related("profile"), pk=user_id, is_active=True)
    if owner.pk == request.user.pk:
        return redirect(PLAN_URL)
    shared = plans.plan_of(owner)
    if not plans.can_read_shared(plan=shared, viewer=request.user):
        raise Http404
    context = _plan_context(owner=owner, viewer=request.user, plan=shared, reference=shared.reference, editable=False)
    return render(request, "training/plan/shared.html", context)


@require_POST
def plan_reference(request):
    form = ReferenceForm(request.POST)
    if form.is_valid():
        try:
            plans.plan_reference_set(user=request.user, reference=form.cleaned_data["reference"])
        except plans.PlanError as error:
            _errors(request, error)
    else:
        messages.error(request, _("Choisissez la fiche de poste commune ou votre fiche personnelle."))
    return redirect(PLAN_URL)


def plan_sharing(request):
    own = plans.plan_of(request.user)
    initial = {
        "shared_with_mentors": bool(own and own.shared_with_mentors),
        "shared_with_team": bool(own and own.shared_with_team),
    }
    form = SharingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        plans.plan_sharing_set(
            user=request.user,
            with_mentors=form.cleaned_data["shared_with_mentors"],
            with_team=form.cleaned_data["shared_with_team"],
        )
        data = form.cleaned_data
        if data["shared_with_mentors"] or data["shared_with_team"]:
            messages.success(request, _("Votre plan est partagé, en lecture seule, avec les personnes choisies."))
        else:
            messages.success(request, _("Votre plan n'est plus partagé : vous seul·e le voyez."))
        return redirect(PLAN_URL)
    mentors = User.objects.filter(pk__in=plans.accompanying_mentor_ids(request.user)).select_related("profile")
    return render(
        request, "training/plan/sharing.html", {"form": form, "mentors": sorted(mentors, key=str), "plan": own}
    )


# Priorities ----------------------------------------------------------------------------------------------------


@require_POST
def priority_add(request):
    form = PriorityForm(request.POST)
    if form.is_valid():
        try:
            plans.priority_add(user=request.user, code=form.cleaned_data["code"], note=form.cleaned_data["note"])
        except plans.PlanError as error:
            _errors(request, error)
        else:
            messages.success(request, _("La compétence est ajoutée à vos priorités."))
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect(reverse(PLAN_URL) + "#priorites")


def priority_edit(request, pk):
    priority = get_object_or_404(PlanPriority.objects.filter(plan__user=request.user), pk=pk)
    form = PriorityNoteForm(request.POST or None, initial={"note": priority.note})
    if request.method == "POST" and form.is_valid():
        plans.priority_note_set(user=request.user, priority_id=priority.pk, note=form.cleaned_data["note"])
        messages.success(request, _("La note est enregistrée."))
        return redirect(reverse(PLAN_URL) + "#priorites")
    title = plans.current_codes().get(priority.code, "")
    return render(request, "training/plan/priority_form.html", {"form": form, "priority": priority, "title": title})


@require_POST
def priority_move(request, pk):
    try:
        plans.priority_move(user=request.user, priority_id=pk, up=request.POST.get("direction") != "bas")
    except plans.PlanError as error:
        _errors(request, error)
    return redirect(reverse(PLAN_URL) + "#priorites")


@require_POST
def priority_remove(request, pk):
    try:
        plans.priority_remove(user=request.user, priority_id=pk)
    except plans.PlanError as error:
        _errors(request, error)
    else:
        messages.success(request, _("La compétence n'est plus une de vos priorités."))
    return redirect(reverse(PLAN_URL) + "#priorites")


# Actions -------------------------------------------------------------------------------------------------------


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def action_add(request):
    """A new action; from a gap's suggestion, the query string pre-fills it (?code=…&type=…&formation=…)."""
    initial = {"status": ActionStatus.PLANNED, "kind": ActionKind.OTHER}
    code = (request.GET.get("code") or "")[:40]
    if code:
        initial["code"] = code
    if request.GET.get("type") in ActionKind.values:
        initial["kind"] = request.GET["type"]
    for param, name in (("formation", "training"), ("ressource", "resource"), ("pair", "peer")):
        value = _int(request.GET.get(param))
        if value is not None:
            initial[name] = value
    form = ActionForm(request.POST or None, user=request.user, initial=initial, code=code)
    if request.method == "POST" and form.is_valid():
        try:
            plans.action_create(user=request.user, values=form.values())
        except plans.PlanError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("L'action est ajoutée à votre plan."))
            return redirect(reverse(PLAN_URL) + "#actions")
    return render(request, "training/plan/action_form.html", {"form": form, "action": None, "conflict": None})


def action_edit(request, pk):
    action = plans.own_action(request.user, pk)
    if action is None:
        raise Http404
    form = ActionForm(request.POST or None, user=request.user, action=action, initial=action_initial(action))
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            plans.action_update(
                user=request.user,
                action_id=action.pk,
                values=form.values(),
                lock_version=form.cleaned_data["lock_version"],
            )
        except EditConflict as error:
            # Saved in another tab meanwhile: both versions shown, what was typed kept.
            if error.current is None:
                raise Http404 from None
            action = plans.own_action(request.user, pk)
            form = ActionForm(
                conflict_data(request.POST, action.lock_version),
                user=request.user,
                action=action,
                initial=action_initial(action),
            )
            stored = ActionForm(user=request.user, action=action, initial=action_initial(action))
            conflict = conflict_for(error, form, stored)
            form.is_valid()
        except plans.PlanError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("L'action est enregistrée."))
            return redirect(reverse(PLAN_URL) + "#actions")
    return render(request, "training/plan/action_form.html", {"form": form, "action": action, "conflict": conflict})


@require_POST
def action_status(request, pk):
    try:
        action = plans.action_status_set(user=request.user, action_id=pk, status=request.POST.get("status", ""))
    except plans.PlanError as error:
        _errors(request, error)
    else:
        messages.success(
            request,
            _("« %(title)s » : %(status)s.") % {"title": action.title, "status": action.get_status_display().lower()},
        )
    return redirect(reverse(PLAN_URL) + "#actions")


def action_delete(request, pk):
    action = plans.own_action(request.user, pk)
    if action is None:
        raise Http404
    if request.method == "POST":
        plans.action_delete(user=request.user, action_id=action.pk)
        messages.success(request, _("L'action est supprimée de votre plan."))
        return redirect(reverse(PLAN_URL) + "#actions")
    return render(request, "training/plan/action_delete.html", {"action": action})
