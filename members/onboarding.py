"""The newcomer's first steps: a short checklist shown once the CNCD team has approved the account.

Each step is computed from the member's data, never ticked by hand: the profile filled in, missions
declared, a self-assessment made, a personal fiche started. members owns the list and its own step
(the profile); the apps above register theirs from their `AppConfig.ready()`
(`onboarding_step_register`), so that members never reaches up. `onboarding_steps(user)` is the one
function the pages call; its result goes to `templates/members/includes/onboarding.html` as
`onboarding`. The member may hide the list for good (`User.onboarding_dismissed_at`).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.models import Profile, User


@dataclass(frozen=True)
class OnboardingStep:
    """One step of the checklist: what to do, where, and how to tell it is done.

    `url_name` is a URL name of the registering app (no arguments); `is_done(user)` reads the data.
    """

    key: str
    label: str
    url_name: str
    is_done: Callable[[User], bool]
    order: int  # place in the list: members' own step uses 10
    hint: str = ""


@dataclass(frozen=True)
class OnboardingItem:
    """A step as one member sees it."""

    key: str
    label: str
    url: str
    done: bool
    hint: str = ""


@dataclass(frozen=True)
class Onboarding:
    """The checklist of one member: its items in order, how many are done, whether to show it."""

    items: tuple[OnboardingItem, ...]
    dismissed: bool

    @property
    def done_count(self) -> int:
        return sum(item.done for item in self.items)

    @property
    def total(self) -> int:
        return len(self.items)

    @property
    def complete(self) -> bool:
        return self.done_count == self.total

    @property
    def shown(self) -> bool:
        """Shown until every step is done or the member hides it."""
        return bool(self.items) and not self.dismissed and not self.complete


_steps: dict[str, OnboardingStep] = {}


def onboarding_step_register(step: OnboardingStep) -> None:
    """Add a step to the checklist (from an AppConfig.ready())."""
    if step.key in _steps:
        raise ValueError(f"Onboarding step {step.key!r} is already registered.")
    _steps[step.key] = step


def onboarding_registered_steps() -> list[OnboardingStep]:
    """The registered steps, in the order the checklist shows them."""
    return sorted(_steps.values(), key=lambda step: (step.order, step.key))


def onboarding_steps(user) -> Onboarding:
    """The checklist of `user`, each step computed from their data (one query per step)."""
    if user is None or not user.is_authenticated or not user.is_approved:
        return Onboarding(items=(), dismissed=True)
    dismissed = user.onboarding_dismissed_at is not None
    if dismissed:
        # Nothing to compute for a list that is not shown.
        return Onboarding(items=(), dismissed=True)
    items = tuple(
        OnboardingItem(
            key=step.key,
            label=str(step.label),
            url=reverse(step.url_name),
            done=bool(step.is_done(user)),
            hint=str(step.hint),
        )
        for step in onboarding_registered_steps()
    )
    return Onboarding(items=items, dismissed=False)


def onboarding_dismiss(*, user: User) -> User:
    """Hide the checklist of `user` for good (their choice, kept on the account)."""
    with transaction.atomic():
        User.objects.filter(pk=user.pk, onboarding_dismissed_at__isnull=True).update(
            onboarding_dismissed_at=timezone.now()
        )
    user.refresh_from_db(fields=["onboarding_dismissed_at"])
    return user


# --- members' own step ------------------------------------------------------------------------------


def profile_completed(user) -> bool:
    """A profile that says who the member is and where they work: a council and the post's title."""
    return Profile.objects.filter(user=user, council__isnull=False).exclude(job_title="").exists()


PROFILE_STEP = OnboardingStep(
    key="profile",
    label=_("Compléter mon profil"),
    url_name="members:profile_edit",
    is_done=profile_completed,
    order=10,
    hint=_("Votre conseil de développement et l'intitulé de votre poste."),
)
