"""The catalogue's writes: trainings, their sessions and competences, members' "suivie" marks.

Each function checks its rules, runs in a transaction and writes the team's actions to the audit log
(`training.training.*`). A training followed by members is never deleted (their portfolios and plans
point to it): the team archives it instead. `Training.completion_count` is kept here, by
`completion_count_refresh`, after every change to the marks.
"""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit_log
from core.concurrency import version_claim
from training import generations
from training.enums import TrainingStatus
from training.models import REVIEW_LENGTH, Training, TrainingCompetence, TrainingCompletion, TrainingSession

# The fields a curator edits through the form (and an import fills).
TRAINING_FIELDS = (
    "title",
    "summary",
    "description",
    "provider_kind",
    "provider",
    "format",
    "duration_hours",
    "cost_euros",
    "cost_note",
    "url",
)
SESSION_FIELDS = ("starts_on", "ends_on", "place", "region", "registration_url")
TEXT_FIELDS = ("title", "summary", "description", "provider", "cost_note", "url")


class TrainingError(ValidationError):
    """A business rule refused the operation; the message is for the user."""


def _curator_check(actor) -> None:
    if not (actor is not None and actor.is_authenticated and actor.is_curator):
        raise TrainingError(_("Seule l'équipe CNCD gère le catalogue des formations."))


def _locked(training_id: int) -> Training:
    try:
        return Training.objects.select_for_update().get(pk=training_id)
    except Training.DoesNotExist:
        raise TrainingError(_("Cette formation n'existe plus.")) from None


def _clean_values(values: dict) -> dict:
    cleaned = {name: values.get(name) for name in TRAINING_FIELDS if name in values}
    for name in TEXT_FIELDS:
        if name in cleaned:
            cleaned[name] = (cleaned[name] or "").strip()
    return cleaned


def _codes_set(training: Training, codes: Iterable[str]) -> bool:
    """Make the training develop exactly `codes`; True when that changed anything."""
    wanted = {code.strip() for code in codes if code and code.strip()}
    current = set(training.competences.values_list("code", flat=True))
    gone, added = current - wanted, wanted - current
    if gone:
        training.competences.filter(code__in=gone).delete()
    if added:
        TrainingCompetence.objects.bulk_create(TrainingCompetence(training=training, code=code) for code in added)
        generations.bump(generations.CATALOGUE)  # a bulk write sends no signal
    return bool(gone or added)


def _session_check(values: dict) -> None:
    starts, ends = values.get("starts_on"), values.get("ends_on")
    if starts is None:
        raise TrainingError(_("Indiquez la date de début de la session."))
    if ends is not None and ends < starts:
        raise TrainingError(_("La session ne peut pas finir avant d'avoir commencé."))


@transaction.atomic
def training_create(
    *, actor, values: dict, codes: Iterable[str] = (), sessions: Iterable[dict] = (), audit: bool = True
) -> Training:
    """The team adds a training to the catalogue, as a draft."""
    _curator_check(actor)
    training = Training(**_clean_values(values), status=TrainingStatus.DRAFT, created_by=actor)
    training.full_clean(exclude=["created_by"])
    training.save()
    _codes_set(training, codes)
    for session in sessions:
        _session_check(session)
        TrainingSession.objects.create(training=training, **{name: session.get(name) for name in SESSION_FIELDS})
    if audit:
        audit_log(actor=actor, action="training.training.created", target=training)
    return training


@transaction.atomic
def training_update(
    *, training_id: int, actor, values: dict, codes: Iterable[str] | None, lock_version: int | None
) -> Training:
    """The team edits a training; EditConflict when someone saved it since the form was opened."""
    _curator_check(actor)
    training = _locked(training_id)
    version_claim(training, expected=lock_version)
    cleaned = _clean_values(values)
    changed = sorted(name for name, value in cleaned.items() if getattr(training, name) != value)
    for name, value in cleaned.items():
        setattr(training, name, value)
    training.full_clean(exclude=["created_by"])
    training.save()
    if codes is not None and _codes_set(training, codes):
        changed.append("competences")
    audit_log(actor=actor, action="training.training.edited", target=training, data={"fields": changed})
    return training


@transaction.atomic
def training_publish(*, training_id: int, actor) -> Training:
    """The team publishes a draft or archived training: it appears in the catalogue."""
    _curator_check(actor)
    training = _locked(training_id)
    if training.status == TrainingStatus.PUBLISHED:
        raise TrainingError(_("Cette formation est déjà publiée."))
    training.status = TrainingStatus.PUBLISHED
    training.lock_version += 1
    training.save(update_fields=["status", "lock_version", "updated_at"])
    audit_log(actor=actor, action="training.training.published", target=training)
    return training


@transaction.atomic
def training_archive(*, training_id: int, actor) -> Training:
    """The team withdraws a training from the catalogue; the members who followed it keep their mark."""
    _curator_check(actor)
    training = _locked(training_id)
    if training.status == TrainingStatus.ARCHIVED:
        raise TrainingError(_("Cette formation est déjà archivée."))
    training.status = TrainingStatus.ARCHIVED
    training.lock_version += 1
    training.save(update_fields=["status", "lock_version", "updated_at"])
    audit_log(actor=actor, action="training.training.archived", target=training)
    return training


@transaction.atomic
def training_delete(*, training_id: int, actor) -> None:
    """The team deletes a training nobody followed; one followed by members is archived instead."""
    _curator_check(actor)
    training = _locked(training_id)
    if training.completions.exists():
        raise TrainingError(
            _(
                "Des membres ont suivi cette formation : elle figure dans leur parcours et ne peut pas être "
                "supprimée. Archivez-la plutôt : elle disparaîtra du catalogue."
            )
        )
    audit_log(actor=actor, action="training.training.deleted", target=training, data={"title": training.title})
    training.delete()


# Sessions --------------------------------------------------------------------------------------


def _session_of(training: Training, session_id: int) -> TrainingSession:
    try:
        return training.sessions.get(pk=session_id)
    except TrainingSession.DoesNotExist:
        raise TrainingError(_("Cette session n'existe plus.")) from None


def _touch(training: Training) -> None:
    """A change to a training's sessions counts as an edit of the training (its version moves on)."""
    training.lock_version += 1
    training.save(update_fields=["lock_version", "updated_at"])


@transaction.atomic
def session_save(*, training_id: int, actor, values: dict, session_id: int | None = None) -> TrainingSession:
    """The team adds a session to a training (or changes one): dates checked, the end never before the start."""
    _curator_check(actor)
    training = _locked(training_id)
    _session_check(values)
    session = _session_of(training, session_id) if session_id else TrainingSession(training=training)
    for name in SESSION_FIELDS:
        value = values.get(name)
        if name in ("place", "registration_url"):
            value = (value or "").strip()
        setattr(session, name, value)
    session.full_clean()
    session.save()
    _touch(training)
    audit_log(
        actor=actor,
        action="training.training.edited",
        target=training,
        data={"session": "changed" if session_id else "added", "starts_on": session.starts_on.isoformat()},
    )
    return session


@transaction.atomic
def session_delete(*, training_id: int, actor, session_id: int) -> None:
    _curator_check(actor)
    training = _locked(training_id)
    session = _session_of(training, session_id)
    starts = session.starts_on.isoformat()
    session.delete()
    _touch(training)
    audit_log(
        actor=actor,
        action="training.training.edited",
        target=training,
        data={"session": "deleted", "starts_on": starts},
    )


# "Suivie" marks --------------------------------------------------------------------------------


def completion_count_refresh(training_ids: Iterable[int]) -> None:
    """Recount the members who followed each of `training_ids` (Training.completion_count)."""
    ids = list(set(training_ids))
    if not ids:
        return
    counted = (
        TrainingCompletion.objects.filter(training=OuterRef("pk"))
        .order_by()
        .values("training")
        .annotate(total=Count("pk"))
        .values("total")
    )
    Training.objects.filter(pk__in=ids).update(completion_count=Coalesce(Subquery(counted), 0))
    generations.bump(generations.CATALOGUE)  # the most followed first: a bulk write sends no signal


@transaction.atomic
def completion_save(*, training_id: int, user, completed_on: date, review: str = "") -> TrainingCompletion:
    """A member says they followed the training, on a date (not in the future), with an optional short review."""
    if not (user is not None and user.is_authenticated and user.is_approved):
        raise TrainingError(_("Seul·es les membres du réseau peuvent indiquer les formations suivies."))
    training = _locked(training_id)
    existing = TrainingCompletion.objects.filter(training=training, user=user).first()
    if existing is None and training.status != TrainingStatus.PUBLISHED:
        raise TrainingError(_("Cette formation n'est pas au catalogue."))
    if completed_on is None:
        raise TrainingError(_("Indiquez la date à laquelle vous avez suivi la formation."))
    if completed_on > timezone.localdate():
        raise TrainingError(_("La date ne peut pas être dans le futur : indiquez quand vous l'avez suivie."))
    review = (review or "").strip()
    if len(review) > REVIEW_LENGTH:
        raise TrainingError(_("L'avis ne doit pas dépasser %(max)s caractères.") % {"max": REVIEW_LENGTH})
    completion = existing or TrainingCompletion(training=training, user=user)
    completion.completed_on = completed_on
    completion.review = review
    completion.save()
    completion_count_refresh([training.pk])
    return completion


@transaction.atomic
def completion_remove(*, training_id: int, user) -> bool:
    """A member takes back their "suivie" mark (and their review); False when there was none."""
    deleted, _details = TrainingCompletion.objects.filter(training_id=training_id, user=user).delete()
    completion_count_refresh([training_id])
    return bool(deleted)
