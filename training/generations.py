"""Generations of what the parcours' cached pages show: a number that changes whenever what it stands for
changes, so that a page cached under the old numbers is simply never read again.

The mechanism (stamps, `cached`, `store`, `bump` at once and on commit) is core.generations; this module
names what the parcours' pages depend on and connects the signals that bump them. The toolbox's
catalogue does the same with one generation (toolbox.selectors.catalogue_generation).

The names:

- `NETWORK`: other members as the plan page shows them: accounts and profiles (names, councils, what
  they show), self-assessments and the choice to be found by level, offers of help and mentoring
  requests, who shares their plan (the peers who can help, "Plans partagés avec moi", an action's peer);
- `CATALOGUE`: the trainings of the catalogue (their sessions, the regions they name, their counts of
  members who followed them), the toolbox's resources and their links to competences;
- `REFERENCE`: the fiches (the levels the common fiche expects) and the référentiel's versions (a
  publication archives the version before it; the very first one is a bulk update that sends no
  signal: the plan page keeps nothing while no version is published);
- `levels_of(user_id)`: one member's self-assessment and personal fiche;
- `plan_of(user_id)`: one member's plan, priorities and actions.

The models' saves and deletions bump them (`connect`, at start-up): services, the admin, imports and
factories alike. Bulk writes (`bulk_create`, `QuerySet.update`) send no signal: the code that makes
them calls `bump` itself. A generation is bumped at once (a reader in the same transaction, as in the
tests, sees the change) and again when the transaction commits (another process may have cached the
state before the change in between); within one transaction, a second change of the same generation
with no read in between costs nothing more. A bulk write elsewhere that says nothing (devtools'
seed_scale) is caught up by the entries' lifetime, a few minutes.
"""

from django.db.models.signals import post_delete, post_save

from core.generations import bump, cached, packed, store, unpacked

__all__ = [
    "CATALOGUE",
    "NETWORK",
    "REFERENCE",
    "bump",
    "cached",
    "connect",
    "levels_of",
    "packed",
    "plan_of",
    "store",
    "unpacked",
]

NETWORK, CATALOGUE, REFERENCE = "network", "catalogue", "reference"


def levels_of(user_id) -> str:
    return f"levels:{user_id}"


def plan_of(user_id) -> str:
    return f"plan:{user_id}"


# What bumps what ---------------------------------------------------------------------------------------------


def _user_saved(sender, instance, update_fields=None, **kwargs):
    if update_fields is not None and set(update_fields) <= {"last_login", "password"}:
        return  # a login saves them (a password hash upgraded too): nothing the pages show
    bump(NETWORK)


def _rating_changed(sender, instance, **kwargs):
    bump(NETWORK, levels_of(instance.user_id))


def _personal_fiche_changed(sender, instance, **kwargs):
    bump(levels_of(instance.owner_id))


def _personal_section_changed(sender, instance, **kwargs):
    from fiches.models import PersonalFiche

    owner_id = PersonalFiche.objects.filter(pk=instance.personal_fiche_id).values_list("owner_id", flat=True).first()
    bump(REFERENCE if owner_id is None else levels_of(owner_id))


def _plan_saved(sender, instance, **kwargs):
    # Its sharing: the peers who accompany its owner, or the team, list it among the plans shared with them.
    bump(NETWORK, plan_of(instance.user_id))


def _plan_part_changed(sender, instance, **kwargs):
    from training.models import DevelopmentPlan

    user_id = DevelopmentPlan.objects.filter(pk=instance.plan_id).values_list("user_id", flat=True).first()
    bump(NETWORK if user_id is None else plan_of(user_id))


def _bumper(*names):
    def bump_names(sender, instance, **kwargs):
        bump(*names)

    return bump_names


def connect() -> None:
    """Bump the generations on every save or deletion of what they stand for (TrainingConfig.ready)."""
    from competences.models import AssessmentSharing, FrameworkVersion, SelfAssessment
    from fiches.models import Fiche, FicheVersion, PersonalFiche, PersonalSection, Revision, Section, VersionEntry
    from members.models import Council, Profile, Region, User
    from toolbox.models import Resource, ResourceLink
    from training.models import (
        DevelopmentPlan,
        MentoringRequest,
        MentorOffer,
        PlanAction,
        PlanPriority,
        Training,
        TrainingCompetence,
        TrainingCompletion,
        TrainingSession,
    )

    receivers = [
        (User, _user_saved, _bumper(NETWORK)),
        (SelfAssessment, _rating_changed, _rating_changed),
        (PersonalFiche, _personal_fiche_changed, _personal_fiche_changed),
        (PersonalSection, _personal_section_changed, _personal_section_changed),
        (DevelopmentPlan, _plan_saved, _plan_saved),
        (PlanPriority, _plan_part_changed, _plan_part_changed),
        (PlanAction, _plan_part_changed, _plan_part_changed),
    ]
    for model in (Profile, Council, AssessmentSharing, MentorOffer, MentoringRequest):
        receivers.append((model, _bumper(NETWORK), _bumper(NETWORK)))
    for model in (Training, TrainingCompetence, TrainingCompletion, TrainingSession, Region, Resource, ResourceLink):
        receivers.append((model, _bumper(CATALOGUE), _bumper(CATALOGUE)))
    for model in (FrameworkVersion, Fiche, Section, Revision, FicheVersion, VersionEntry):
        receivers.append((model, _bumper(REFERENCE), _bumper(REFERENCE)))
    for model, on_save, on_delete in receivers:
        uid = f"training.generations.{model._meta.label_lower}"
        post_save.connect(on_save, sender=model, dispatch_uid=uid, weak=False)
        post_delete.connect(on_delete, sender=model, dispatch_uid=uid, weak=False)
