"""The newcomers' path ("parcours d'arrivée"): steps curated by the CNCD team, checked off by each newcomer.

The team writes the steps (`WelcomeStep`: a title, a description in Markdown, a link on the site or
elsewhere), orders them and may stop proposing one without losing who had done it. A member checks a
step off and may uncheck it; their progress counts the active steps only. The home page reminds the
members approved in the last `RECENT_DAYS` days who have not finished it.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.audit import audit_log
from core.concurrency import EditConflict, version_claim
from training.models import WelcomeStep, WelcomeStepDone

RECENT_DAYS = 90
STEP_FIELDS = ("title", "description", "link")


class WelcomeError(Exception):
    """A change refused, with a French message."""


@dataclass(frozen=True)
class StepLine:
    step: WelcomeStep
    done: bool
    done_at: object = None


@dataclass(frozen=True)
class WelcomeProgress:
    lines: list[StepLine]

    @property
    def total(self) -> int:
        return len(self.lines)

    @property
    def done(self) -> int:
        return sum(1 for line in self.lines if line.done)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def finished(self) -> bool:
        return self.total > 0 and self.done == self.total

    @property
    def next_step(self) -> WelcomeStep | None:
        return next((line.step for line in self.lines if not line.done), None)


def welcome_progress(user) -> WelcomeProgress:
    """The active steps, in order, each with whether `user` checked it off (two queries)."""
    steps = list(WelcomeStep.objects.filter(active=True))
    done = dict(WelcomeStepDone.objects.filter(user=user, step__active=True).values_list("step_id", "done_at"))
    return WelcomeProgress([StepLine(step, step.pk in done, done.get(step.pk)) for step in steps])


def is_newcomer(user) -> bool:
    """Approved in the last RECENT_DAYS days (the approval date, else the account's creation)."""
    joined = user.status_changed_at or user.date_joined
    return joined is not None and joined >= timezone.now() - timedelta(days=RECENT_DAYS)


# --- The newcomer's checks ----------------------------------------------------------------------------------


def step_check(*, user, step: WelcomeStep, done: bool) -> bool:
    """Check `step` off for `user` (or uncheck it); True when something changed. A member's own notes: not audited."""
    if done:
        if not step.active:
            raise WelcomeError(_("Cette étape n'est plus proposée."))
        _row, created = WelcomeStepDone.objects.get_or_create(step=step, user=user)
        return created
    deleted, _rows = WelcomeStepDone.objects.filter(step=step, user=user).delete()
    return bool(deleted)


# --- The team's steps ---------------------------------------------------------------------------------------


@transaction.atomic
def step_create(*, actor, values: dict) -> WelcomeStep:
    last = WelcomeStep.objects.aggregate(last=Max("order"))["last"] or 0
    step = WelcomeStep.objects.create(**{name: values[name] for name in STEP_FIELDS}, order=last + 10)
    audit_log(actor=actor, action="training.welcome_step.created", target=step, data={"title": step.title})
    return step


@transaction.atomic
def step_update(*, step_id: int, actor, values: dict, lock_version: int) -> WelcomeStep:
    step = WelcomeStep.objects.select_for_update().filter(pk=step_id).first()
    if step is None:
        raise EditConflict(None, _("Cette étape n'existe plus."))
    version_claim(step, expected=lock_version)
    changed = [name for name in STEP_FIELDS if getattr(step, name) != values[name]]
    for name in STEP_FIELDS:
        setattr(step, name, values[name])
    step.save(update_fields=[*STEP_FIELDS])
    audit_log(actor=actor, action="training.welcome_step.updated", target=step, data={"fields": changed})
    return step


@transaction.atomic
def step_move(*, step_id: int, actor, up: bool) -> bool:
    """Move a step one place up or down among all steps; renumbers them 10, 20, 30… True when it moved."""
    steps = list(WelcomeStep.objects.select_for_update().order_by("order", "pk"))
    index = next((i for i, step in enumerate(steps) if step.pk == step_id), None)
    if index is None:
        raise WelcomeError(_("Cette étape n'existe plus."))
    other = index - 1 if up else index + 1
    if not 0 <= other < len(steps):
        return False
    steps[index], steps[other] = steps[other], steps[index]
    for position, step in enumerate(steps, start=1):
        step.order = position * 10
    WelcomeStep.objects.bulk_update(steps, ["order"])
    moved = steps[other]
    audit_log(
        actor=actor,
        action="training.welcome_step.moved",
        target=moved,
        data={"direction": "up" if up else "down", "position": other + 1},
    )
    return True


@transaction.atomic
def step_set_active(*, step_id: int, actor, active: bool) -> WelcomeStep:
    step = WelcomeStep.objects.select_for_update().filter(pk=step_id).first()
    if step is None:
        raise WelcomeError(_("Cette étape n'existe plus."))
    if step.active != active:
        step.active = active
        step.save(update_fields=["active"])
        audit_log(
            actor=actor,
            action="training.welcome_step.activated" if active else "training.welcome_step.deactivated",
            target=step,
        )
    return step


def home_welcome(user):
    """The newcomer's progress on the path: members approved in the last RECENT_DAYS days who have not finished."""
    from django.urls import reverse

    from core.home import HomeBlock, HomeLink

    if not is_newcomer(user):
        return None
    progress = welcome_progress(user)
    if progress.total == 0 or progress.finished:
        return None
    step = progress.next_step
    return HomeBlock(
        "progress-welcome",
        _("Mon parcours d'arrivée"),
        [HomeLink(_("Prochaine étape : %(title)s") % {"title": step.title}, reverse("training:welcome"))],
        text=ngettext(
            "%(done)s étape franchie sur %(total)s.", "%(done)s étapes franchies sur %(total)s.", progress.done
        )
        % {"done": progress.done, "total": progress.total},
        more_url=reverse("training:welcome"),
        more_text=_("Voir tout le parcours"),
    )


# --- Personal data (core.personal_data, registered by training.personal_data) -------------------------------


def steps_done_export(user) -> list[dict]:
    return [
        {"step": done.step.title, "done_at": done.done_at.isoformat()}
        for done in WelcomeStepDone.objects.filter(user=user).select_related("step").order_by("done_at", "pk")
    ]


def steps_done_erase(user) -> None:
    WelcomeStepDone.objects.filter(user=user).delete()
