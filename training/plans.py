"""Mon plan de développement: the member's own plan, its priorities and actions, who may read it, and what the
plan page reads (the comparison, the help per gap, the chart).

A plan is private to its member. They may share it, read-only, with the peers who accepted to accompany
them (an accepted `MentoringRequest` they sent) and/or with the CNCD team; anyone else gets a 404, as for
a plan that does not exist. Every change goes through a service below; an action's edit detects conflicting
saves (`PlanAction` is LockVersioned). Like the self-assessment, the plan is the member's own notes: only a
change of who may read it is audited (`training.plan.sharing_changed`), never the plan's content.

Target dates: an open action's target date may not be set in the past (choosing a date that has already
passed makes no plan); a date already stored stays as it is when the rest of the action is edited, so an
overdue action can still be updated. A done action keeps any target date. When the target date changes,
the overdue reminder may be sent again (`reminded_at` is reset).
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max, Q, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from competences.models import Competence, FrameworkVersion
from core.audit import audit_log
from core.concurrency import version_claim
from fiches.notifications import notify
from members.models import User
from toolbox.models import Resource, ResourceLink
from toolbox.selectors import GENERATION_KEY as TOOLBOX_GENERATION_KEY
from training import generations
from training.enums import ActionKind, ActionStatus, PlanReference, RequestStatus
from training.levels import LevelComparison, LevelRow
from training.models import (
    CODE_LENGTH,
    DevelopmentPlan,
    MentoringRequest,
    PlanAction,
    PlanPriority,
    Training,
)

MAX_PRIORITIES = 10
MAX_ACTIONS = 100
# How far ahead a target date may be set.
MAX_HORIZON = timedelta(days=5 * 366)
# Suggestions shown per gap on the plan page.
TRAININGS_PER_GAP = 3
RESOURCES_PER_GAP = 3
PEERS_PER_GAP = 3


class PlanError(ValidationError):
    """A change to a plan refused, with a French message for the member."""


# Reading -----------------------------------------------------------------------------------------------------


def plan_of(user) -> DevelopmentPlan | None:
    return DevelopmentPlan.objects.filter(user=user).first()


def accompanying_mentor_ids(owner) -> set[int]:
    """The members who accepted to accompany `owner` (an accepted request `owner` sent them)."""
    return set(
        MentoringRequest.objects.filter(requester=owner, status=RequestStatus.ACCEPTED).values_list(
            "mentor_id", flat=True
        )
    )


def can_read_shared(*, plan: DevelopmentPlan | None, viewer) -> bool:
    """May `viewer` read `plan` (someone else's) in the read-only view?"""
    if plan is None or viewer is None or not viewer.is_authenticated or not viewer.is_approved:
        return False
    if plan.user_id == viewer.pk:
        return True
    if plan.shared_with_team and viewer.is_curator:
        return True
    return plan.shared_with_mentors and viewer.pk in accompanying_mentor_ids(plan.user)


def plans_shared_with(viewer) -> list[DevelopmentPlan]:
    """The plans of other members `viewer` may read, by owner's name."""
    if viewer is None or not viewer.is_authenticated or not viewer.is_approved:
        return []
    mentees = MentoringRequest.objects.filter(mentor=viewer, status=RequestStatus.ACCEPTED).values("requester_id")
    condition = Q(shared_with_mentors=True, user__in=mentees)
    if viewer.is_curator:
        condition |= Q(shared_with_team=True)
    plans = (
        DevelopmentPlan.objects.filter(condition, user__is_active=True, user__erased_at__isnull=True)
        .exclude(user=viewer)
        .select_related("user__profile")
    )
    return sorted(plans, key=lambda plan: str(plan.user).casefold())


def priorities_of(plan: DevelopmentPlan | None) -> list[PlanPriority]:
    return list(plan.priorities.all()) if plan is not None else []


def actions_of(plan: DevelopmentPlan | None) -> list[PlanAction]:
    """The plan's actions, open ones first by target date (undated last), then done and dropped ones."""
    if plan is None:
        return []
    rank = {ActionStatus.IN_PROGRESS: 0, ActionStatus.PLANNED: 0, ActionStatus.DONE: 1, ActionStatus.DROPPED: 2}
    actions = list(plan.actions.select_related("training", "resource", "peer__profile"))
    return sorted(
        actions,
        key=lambda action: (
            rank.get(action.status, 3),
            action.target_date is None,
            action.target_date or date.max,
            action.pk,
        ),
    )


def is_overdue(action: PlanAction, today: date | None = None) -> bool:
    today = today or timezone.localdate()
    return action.status in (ActionStatus.PLANNED, ActionStatus.IN_PROGRESS) and bool(
        action.target_date and action.target_date < today
    )


def current_codes() -> dict[str, str]:
    """Code → title of every competence of the current référentiel."""
    version = FrameworkVersion.objects.current()
    if version is None:
        return {}
    return dict(Competence.objects.of(version).order_by("domain__order", "order", "code").values_list("code", "title"))


@dataclass
class GapHelp:
    """What can help on one gap: trainings, toolbox resources, peers."""

    row: LevelRow
    trainings: list = field(default_factory=list)
    resources: list = field(default_factory=list)
    peers: list = field(default_factory=list)
    priority: bool = False


def trainings_for(codes) -> dict[str, list[Training]]:
    """Up to TRAININGS_PER_GAP published trainings per code (two queries whatever the number of codes)."""
    codes = list(codes)
    if not codes:
        return {}
    from training.models import TrainingCompetence

    ranked = (
        TrainingCompetence.objects.filter(code__in=codes, training__in=Training.objects.published())
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=F("code"),
                order_by=[F("training__completion_count").desc(), F("training__title").asc(), F("training").asc()],
            )
        )
        .filter(rank__lte=TRAININGS_PER_GAP)
        .select_related("training")
        .only("code", "training", "training__title", "training__provider")  # what a suggestion shows
        .order_by("code", "rank")
    )
    result: dict[str, list[Training]] = {code: [] for code in codes}
    for link in ranked:
        result[link.code].append(link.training)
    return result


def resources_for(codes, *, viewer) -> dict[str, list[Resource]]:
    """Up to RESOURCES_PER_GAP published resources `viewer` may read per code, the most useful first (one query)."""
    codes = list(codes)
    if not codes:
        return {}
    links = (
        ResourceLink.objects.filter(code__in=codes, resource__in=Resource.objects.visible_to(viewer).published())
        .select_related("resource")
        .only("code", "resource", "resource__title")  # what a suggestion shows
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=F("code"),
                order_by=[F("resource__useful_count").desc(), F("resource__published_at").desc(), F("resource").desc()],
            )
        )
        .filter(rank__lte=RESOURCES_PER_GAP)
        .order_by("code", "rank")
    )
    result: dict[str, list[Resource]] = {code: [] for code in codes}
    for link in links:
        result[link.code].append(link.resource)
    return result


# The help per gap is kept per member (three window queries and the peers' profiles otherwise), for as long
# as the catalogue, the toolbox, the network and the expected levels stay as they were (training.generations).
GAP_HELP_SECONDS = 600


def _help_by_code(codes: list[str], *, viewer, version) -> dict[str, tuple[list, list, list]]:
    """(trainings, resources, peers) for each of `codes`, as `viewer` may see them."""
    from training.mentoring import peers_who_can_help  # tmentor's module: who may be proposed, never more

    key = f"training:gap-help:{viewer.pk}"
    stamp, found = generations.cached(
        key,
        [generations.NETWORK, generations.CATALOGUE, generations.REFERENCE],
        cache_keys=[TOOLBOX_GENERATION_KEY],
        facts=(tuple(codes), version.pk if version else None, viewer.role, viewer.status),
    )
    if found is not None:
        return found
    trainings = trainings_for(codes)
    resources = resources_for(codes, viewer=viewer)
    peers = peers_who_can_help(codes=codes, viewer=viewer, limit_per_code=PEERS_PER_GAP)
    found = {code: (trainings.get(code, []), resources.get(code, []), peers.get(code, [])) for code in codes}
    generations.store(key, stamp, found, GAP_HELP_SECONDS)
    return found


def gap_help(*, comparison: LevelComparison, viewer, priority_codes=()) -> list[GapHelp]:
    """For each gap, the trainings, resources and peers who can help: a constant number of queries."""
    gaps = comparison.gaps
    codes = [row.code for row in gaps]
    if not codes:
        return []
    found = _help_by_code(codes, viewer=viewer, version=comparison.version)
    chosen = set(priority_codes)
    return [
        GapHelp(
            row=row,
            trainings=found[row.code][0],
            resources=found[row.code][1],
            peers=found[row.code][2],
            priority=row.code in chosen,
        )
        for row in gaps
    ]


# The chart: for each competence with an expected level, the member's level and the expected one ------------


@dataclass
class LevelChart:
    id: str
    title: str
    desc: str
    width: int
    height: int
    items: list[dict]
    ticks: list[dict]
    legend: list[dict]
    axis_y: int = 0  # where the level scale's numbers sit, under the bars


CHART_WIDTH, VALUE_ROOM = 520, 96
OWN_FILL, EXPECTED_FILL, EXPECTED_STROKE = "#1c4f7c", "#e3edf6", "#3f77ae"


def _shorten(text: str, size: int) -> str:
    return text if len(text) <= size else text[: size - 1].rstrip() + "…"


def level_chart(comparison: LevelComparison, *, chart_id: str = "plan-levels") -> LevelChart | None:
    """Two bars per competence (the member's level, the expected one), each with its figure as text."""
    rows = comparison.rows
    top = comparison.max_level or max((row.expected or 0 for row in rows), default=0)
    if not rows or not top:
        return None
    label_height, bar_height, gap, legend_height = 18, 14, 12, 28
    plot = CHART_WIDTH - VALUE_ROOM
    unit = plot / top
    items, y = [], legend_height
    described = []
    for row in rows:
        if row.not_concerned:
            own_text = own_said = _("non concerné·e")
        elif row.level is None:
            own_text = own_said = _("non évalué")
        else:
            own_text = _("vous : %(level)s") % {"level": row.level}
            own_said = _("votre niveau %(level)s") % {"level": row.level}
        expected_text = _("attendu : %(level)s") % {"level": row.expected}
        items.append(
            {
                "label": _shorten(f"{row.code} {row.title}", 62),
                "label_y": y + 13,
                "own_y": y + label_height,
                "own_width": round(unit * (row.level or 0)),
                "own_text": own_text,
                "own_text_x": round(unit * (row.level or 0)) + 6,
                "own_text_y": y + label_height + 11,
                "expected_y": y + label_height + bar_height + 2,
                "expected_width": round(unit * row.expected),
                "expected_text": expected_text,
                "expected_text_x": round(unit * row.expected) + 6,
                "expected_text_y": y + label_height + 2 * bar_height + 13 - 2,
                "bar_height": bar_height,
                "below": row.below,
            }
        )
        described.append(
            _("%(competence)s : %(own)s, niveau attendu %(expected)s")
            % {"competence": f"{row.code} {row.title}", "own": own_said, "expected": row.expected}
        )
        y += label_height + 2 * bar_height + 2 + gap
    ticks = [{"x": round(unit * value), "value": value} for value in range(1, top + 1)]
    return LevelChart(
        id=chart_id,
        title=_("Votre niveau et le niveau attendu, par compétence"),
        desc="; ".join(described) + ".",
        width=CHART_WIDTH,
        height=y + 22,
        axis_y=y + 2,
        items=items,
        ticks=ticks,
        legend=[
            {"x": 0, "fill": OWN_FILL, "stroke": OWN_FILL, "text": _("Votre niveau")},
            {"x": 160, "fill": EXPECTED_FILL, "stroke": EXPECTED_STROKE, "text": _("Niveau attendu")},
        ],
    )


# Changing the plan -------------------------------------------------------------------------------------------


def plan_for_update(user) -> DevelopmentPlan:
    """`user`'s plan, created on first use, locked for the rest of the transaction."""
    DevelopmentPlan.objects.get_or_create(user=user)
    return DevelopmentPlan.objects.select_for_update().get(user=user)


@transaction.atomic
def plan_reference_set(*, user, reference: str) -> DevelopmentPlan:
    if reference not in PlanReference.values:
        raise PlanError(_("Choisissez la fiche de poste commune ou votre fiche personnelle."))
    plan = plan_for_update(user)
    if plan.reference != reference:
        plan.reference = reference
        plan.save(update_fields=["reference", "updated_at"])
    return plan


@transaction.atomic
def plan_sharing_set(*, user, with_mentors: bool, with_team: bool) -> DevelopmentPlan:
    """Who may read `user`'s plan; the peers who accompany them are told when it is newly shared with them."""
    plan = plan_for_update(user)
    if (plan.shared_with_mentors, plan.shared_with_team) != (with_mentors, with_team):
        newly_with_mentors = with_mentors and not plan.shared_with_mentors
        plan.shared_with_mentors, plan.shared_with_team = with_mentors, with_team
        plan.save(update_fields=["shared_with_mentors", "shared_with_team", "updated_at"])
        audit_log(
            actor=user,
            action="training.plan.sharing_changed",
            target=plan,
            data={"mentors": with_mentors, "team": with_team},
        )
        mentors = accompanying_mentor_ids(user) if newly_with_mentors else set()
        if mentors:
            notify(
                user_ids=mentors,
                actor=user,
                message=_("%(name)s partage avec vous son plan de développement, en lecture seule.") % {"name": user},
                url=reverse("training:plan_shared", args=[user.pk]),
            )
    return plan


def _check_code(code: str, *, required: bool) -> str:
    code = (code or "").strip()
    if not code:
        if required:
            raise PlanError(_("Choisissez une compétence."))
        return ""
    if len(code) > CODE_LENGTH or code not in current_codes():
        raise PlanError(_("Cette compétence n'est pas dans le référentiel en vigueur."))
    return code


@transaction.atomic
def priority_add(*, user, code: str, note: str = "") -> PlanPriority:
    code = _check_code(code, required=True)
    note = (note or "").strip()
    if len(note) > PlanPriority._meta.get_field("note").max_length:
        raise PlanError(_("La note est trop longue."))
    plan = plan_for_update(user)
    if plan.priorities.filter(code=code).exists():
        raise PlanError(_("Cette compétence est déjà une de vos priorités."))
    if plan.priorities.count() >= MAX_PRIORITIES:
        raise PlanError(
            _("Vous avez déjà %(count)s priorités : retirez-en une avant d'en ajouter une autre.")
            % {"count": MAX_PRIORITIES}
        )
    last = plan.priorities.aggregate(last=Max("order"))["last"]
    priority = PlanPriority.objects.create(plan=plan, code=code, note=note, order=(last or 0) + 1)
    return priority


def _own_priority(user, priority_id: int) -> PlanPriority:
    priority = PlanPriority.objects.filter(pk=priority_id, plan__user=user).select_related("plan").first()
    if priority is None:
        raise PlanError(_("Cette priorité n'existe plus."))
    return priority


@transaction.atomic
def priority_note_set(*, user, priority_id: int, note: str) -> PlanPriority:
    note = (note or "").strip()
    if len(note) > PlanPriority._meta.get_field("note").max_length:
        raise PlanError(_("La note est trop longue."))
    priority = _own_priority(user, priority_id)
    priority.note = note
    priority.save(update_fields=["note"])
    return priority


@transaction.atomic
def priority_move(*, user, priority_id: int, up: bool) -> None:
    """Swap the priority with the one before (`up`) or after it; renumbers the list 1…n."""
    plan_for_update(user)
    priority = _own_priority(user, priority_id)
    ordered = list(priority.plan.priorities.order_by("order", "pk"))
    index = next(i for i, item in enumerate(ordered) if item.pk == priority.pk)
    other = index - 1 if up else index + 1
    if 0 <= other < len(ordered):
        ordered[index], ordered[other] = ordered[other], ordered[index]
    for position, item in enumerate(ordered, start=1):
        if item.order != position:
            item.order = position
            item.save(update_fields=["order"])


@transaction.atomic
def priority_remove(*, user, priority_id: int) -> None:
    priority = _own_priority(user, priority_id)
    priority.delete()


def _clean_action(*, user, values: dict, existing: PlanAction | None) -> dict:
    """Check an action's values; raise PlanError with a French message. Returns the values to store."""
    today = timezone.localdate()
    title = (values.get("title") or "").strip()
    kind = values.get("kind") or ActionKind.OTHER
    status = values.get("status") or ActionStatus.PLANNED
    if kind not in ActionKind.values:
        raise PlanError(_("Choisissez un type d'action."))
    if status not in ActionStatus.values:
        raise PlanError(_("Choisissez un état."))
    training = values.get("training")
    resource = values.get("resource")
    peer = values.get("peer")
    if kind == ActionKind.TRAINING and training is None:
        raise PlanError(_("Choisissez la formation à suivre."))
    if kind == ActionKind.RESOURCE and resource is None:
        raise PlanError(_("Choisissez la ressource à essayer."))
    if kind == ActionKind.PEER and peer is None:
        raise PlanError(_("Choisissez le ou la pair avec qui échanger."))

    def kept(name, obj) -> bool:
        # Already on the action: it stays, even if it left the catalogue or the toolbox since.
        return existing is not None and getattr(existing, f"{name}_id") == obj.pk

    if (
        training is not None
        and not kept("training", training)
        and not Training.objects.published().filter(pk=training.pk).exists()
    ):
        raise PlanError(_("Cette formation n'est pas au catalogue."))
    if (
        resource is not None
        and not kept("resource", resource)
        and not Resource.objects.visible_to(user).published().filter(pk=resource.pk).exists()
    ):
        raise PlanError(_("Cette ressource n'est pas dans la boîte à outils."))
    if peer is not None and not kept("peer", peer) and (peer.pk == user.pk or not peer.is_approved):
        raise PlanError(_("Choisissez un·e autre membre du réseau."))
    # Only what the kind says is kept: a training for a training, and so on.
    training = training if kind == ActionKind.TRAINING else None
    resource = resource if kind == ActionKind.RESOURCE else None
    peer = peer if kind == ActionKind.PEER else None
    limit = PlanAction._meta.get_field("title").max_length
    if len(title) > limit:
        raise PlanError(_("L'intitulé de l'action est trop long (200 caractères au plus)."))
    if not title:
        derived = str(training or resource or "")
        if peer is not None:
            derived = _("Échanger avec %(name)s") % {"name": peer}
        title = derived[:limit]
    if not title:
        raise PlanError(_("Décrivez l'action en quelques mots."))
    note = (values.get("note") or "").strip()
    if len(note) > PlanAction._meta.get_field("note").max_length:
        raise PlanError(_("Les notes sont trop longues (2 000 caractères au plus)."))
    code = (values.get("code") or "").strip()
    # A code kept from before stays, even if a new référentiel dropped it; a new one must exist today.
    if existing is None or code != existing.code:
        code = _check_code(code, required=False)
    target_date = values.get("target_date")
    open_status = status in (ActionStatus.PLANNED, ActionStatus.IN_PROGRESS)
    date_changed = existing is None or existing.target_date != target_date
    if target_date is not None and open_status and date_changed and target_date < today:
        raise PlanError(_("L'échéance est déjà passée : choisissez une date à venir."))
    if target_date is not None and target_date > today + MAX_HORIZON:
        raise PlanError(_("Choisissez une échéance dans les cinq ans qui viennent."))
    done_on = values.get("done_on")
    if status == ActionStatus.DONE:
        done_on = done_on or (existing.done_on if existing and existing.done_on else today)
        if done_on > today:
            raise PlanError(_("La date de réalisation ne peut pas être dans le futur."))
    else:
        done_on = None
    return {
        "code": code,
        "kind": kind,
        "title": title,
        "training": training,
        "resource": resource,
        "peer": peer,
        "target_date": target_date,
        "status": status,
        "note": note,
        "done_on": done_on,
    }


@transaction.atomic
def action_create(*, user, values: dict) -> PlanAction:
    plan = plan_for_update(user)
    if plan.actions.count() >= MAX_ACTIONS:
        raise PlanError(
            _("Votre plan compte déjà %(count)s actions : supprimez celles qui ne servent plus.")
            % {"count": MAX_ACTIONS}
        )
    cleaned = _clean_action(user=user, values=values, existing=None)
    action = PlanAction.objects.create(plan=plan, **cleaned)
    return action


def own_action(user, action_id: int) -> PlanAction | None:
    return PlanAction.objects.filter(pk=action_id, plan__user=user).select_related("training", "resource").first()


@transaction.atomic
def action_update(*, user, action_id: int, values: dict, lock_version: int | None) -> PlanAction:
    """Save the action; raises EditConflict when it was saved elsewhere since the form was opened."""
    action = own_action(user, action_id)
    if action is None:
        raise PlanError(_("Cette action n'existe plus."))
    version_claim(action, expected=lock_version)
    cleaned = _clean_action(user=user, values=values, existing=action)
    if cleaned["target_date"] != action.target_date:
        action.reminded_at = None  # a new date: a new reminder when it passes
    for name, value in cleaned.items():
        setattr(action, name, value)
    action.save()
    return action


@transaction.atomic
def action_status_set(*, user, action_id: int, status: str) -> PlanAction:
    """A quick change of state from the plan page ("Marquer comme faite"…)."""
    action = own_action(user, action_id)
    if action is None:
        raise PlanError(_("Cette action n'existe plus."))
    if status not in ActionStatus.values:
        raise PlanError(_("Choisissez un état."))
    version_claim(action, expected=None)
    action.status = status
    action.done_on = (action.done_on or timezone.localdate()) if status == ActionStatus.DONE else None
    action.save(update_fields=["status", "done_on", "updated_at"])
    return action


@transaction.atomic
def action_delete(*, user, action_id: int) -> None:
    action = own_action(user, action_id)
    if action is None:
        return
    action.delete()


# What a "Ajouter à mon plan" link pre-fills --------------------------------------------------------------------


def action_add_url(*, code: str = "", kind: str = "", training=None, resource=None, peer_id=None) -> str:
    params = {"code": code, "type": kind}
    if training is not None:
        params["formation"] = training.pk
    if resource is not None:
        params["ressource"] = resource.pk
    if peer_id is not None:
        params["pair"] = peer_id
    from urllib.parse import urlencode

    return reverse("training:plan_action_add") + "?" + urlencode({k: v for k, v in params.items() if v})


def peer_choices(*, user, code: str = "", extra_ids=()) -> list[tuple[int, str]]:
    """The peers an action may name: who can help on `code`, the peers who accompany the member, and any
    peer already named (`extra_ids`). Names as the platform shows them."""
    from training.mentoring import peers_who_can_help

    names: dict[int, str] = {}
    if code:
        for peer in peers_who_can_help(codes=[code], viewer=user, limit_per_code=20).get(code, []):
            names[peer.user_id] = peer.display_name
    related = accompanying_mentor_ids(user) | set(
        MentoringRequest.objects.filter(mentor=user, status=RequestStatus.ACCEPTED).values_list(
            "requester_id", flat=True
        )
    )
    wanted = (related | set(extra_ids)) - set(names) - {user.pk}
    for other in User.objects.filter(pk__in=wanted).select_related("profile"):
        names[other.pk] = str(other)
    return sorted(names.items(), key=lambda item: item[1].casefold())


def overdue_actions(user, today: date | None = None):
    return PlanAction.objects.overdue(today or timezone.localdate()).filter(plan__user=user)


# Personal data (training.personal_data) ------------------------------------------------------------------------


def _iso(value):
    return value.isoformat() if value is not None else None


def plan_export(user) -> list[dict]:
    plan = plan_of(user)
    if plan is None:
        return []
    return [
        {
            "reference": str(plan.get_reference_display()),
            "shared_with_mentors": plan.shared_with_mentors,
            "shared_with_team": plan.shared_with_team,
            "created_at": _iso(plan.created_at),
            "updated_at": _iso(plan.updated_at),
        }
    ]


def priorities_export(user) -> list[dict]:
    return [
        {"order": priority.order, "code": priority.code, "note": priority.note, "created_at": _iso(priority.created_at)}
        for priority in PlanPriority.objects.filter(plan__user=user).order_by("order", "pk")
    ]


def actions_export(user) -> list[dict]:
    return [
        {
            "title": action.title,
            "kind": str(action.get_kind_display()),
            "code": action.code,
            "training": action.training.title if action.training else "",
            "resource": action.resource.title if action.resource else "",
            "peer": str(action.peer) if action.peer else "",
            "target_date": _iso(action.target_date),
            "status": str(action.get_status_display()),
            "done_on": _iso(action.done_on),
            "note": action.note,
            "reminded_at": _iso(action.reminded_at),
            "created_at": _iso(action.created_at),
            "updated_at": _iso(action.updated_at),
        }
        for action in PlanAction.objects.filter(plan__user=user)
        .select_related("training", "resource", "peer__profile")
        .order_by("target_date", "pk")
    ]


def plan_erase(user) -> None:
    """Delete the member's plan, its priorities and actions; other members' actions stop naming them."""
    DevelopmentPlan.objects.filter(user=user).delete()
    _peer_forget(user)


def priorities_erase(user) -> None:
    PlanPriority.objects.filter(plan__user=user).delete()


def actions_erase(user) -> None:
    PlanAction.objects.filter(plan__user=user).delete()
    _peer_forget(user)


def _peer_forget(user) -> None:
    """Other members' actions stop naming `user` (a bulk write: their plan pages are told by hand)."""
    owners = set(PlanAction.objects.filter(peer=user).values_list("plan__user_id", flat=True))
    if owners:
        PlanAction.objects.filter(peer=user).update(peer=None)
        generations.bump(*[generations.plan_of(owner) for owner in owners])
