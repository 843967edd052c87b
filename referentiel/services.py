"""Business rules of the référentiel: drafts, curation, publication, self-assessment."""

import hashlib

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from competences.directory import versions_changed
from competences.enums import FrameworkStatus
from competences.models import (
    Alignment,
    AssessmentSharing,
    Competence,
    CompetenceLevel,
    Domain,
    FrameworkVersion,
    FrozenVersionError,
    ScaleLevel,
    SelfAssessment,
    label_validator,
)
from core.audit import audit_log
from core.concurrency import EditConflict, version_claim
from missions.models import Activity, Mission
from referentiel import tasks
from referentiel.formats import read_file
from referentiel.framework import (
    MAX_DOMAIN_DEPTH,
    AlignmentData,
    FrameworkData,
    alignment_problems,
    alignment_rows,
    framework_build,
    framework_check,
    framework_snapshot,
)


class FrameworkError(ValidationError):
    """A business rule refused the operation; the message is for the user."""


def _require_draft(version: FrameworkVersion) -> None:
    """Refuse to change a version out of draft; else count the change on the draft (publication compares)."""
    # One UPDATE both checks and locks the draft row: a change cannot slip into a draft being published.
    changed = FrameworkVersion.objects.filter(pk=version.pk, status=FrameworkStatus.DRAFT).update(
        lock_version=F("lock_version") + 1
    )
    version.refresh_from_db(fields=["status", "lock_version"])
    if not changed:
        raise FrozenVersionError


ONE_DRAFT_MESSAGE = gettext_lazy("Un brouillon est déjà en cours : publiez-le ou supprimez-le d'abord.")


def _check_new_label(label: str) -> None:
    label_validator(label)
    if FrameworkVersion.objects.filter(label=label).exists():
        raise FrameworkError(_("Une version « %(label)s » existe déjà.") % {"label": label})
    if FrameworkVersion.objects.drafts().exists():
        raise FrameworkError(str(ONE_DRAFT_MESSAGE))


def _draft_insert(*, label: str, **fields) -> FrameworkVersion:
    """Create the draft row; the database's one-draft and unique-label constraints settle a race."""
    try:
        with transaction.atomic():
            return FrameworkVersion.objects.create(label=label, status=FrameworkStatus.DRAFT, **fields)
    except IntegrityError:
        # Another curator created a draft (or this label) since the check: say which, in words.
        _check_new_label(label)
        raise FrameworkError(str(ONE_DRAFT_MESSAGE)) from None


@transaction.atomic
def draft_create_from(*, source: FrameworkVersion, label: str, actor) -> FrameworkVersion:
    """Start a draft as a full copy of `source` (usually the published version)."""
    _check_new_label(label)
    data = framework_snapshot(source)
    draft = _draft_insert(label=label, based_on=source, created_by=actor)
    framework_build(data=data, version=draft)
    audit_log(actor=actor, action="competences.framework.draft_created", target=draft, data={"source": source.label})
    return draft


@transaction.atomic
def draft_create_from_data(*, data: FrameworkData, label: str, actor, source_name: str = "") -> FrameworkVersion:
    """Create a draft from imported data; refuses the whole of it when anything is invalid."""
    _check_new_label(label)
    problems = framework_check(data)
    if problems:
        raise FrameworkError([str(p) for p in problems])
    draft = _draft_insert(
        label=label, based_on=FrameworkVersion.objects.current(), created_by=actor, summary=data.summary
    )
    framework_build(data=data, version=draft)
    audit_log(actor=actor, action="competences.framework.imported", target=draft, data={"file": source_name})
    return draft


@transaction.atomic
def draft_import(*, raw: bytes, file_format: str, label: str, actor) -> FrameworkVersion:
    """Read a file and create a draft from it, or refuse it whole with every problem found."""
    result = read_file(raw=raw, file_format=file_format)
    if result.problems:
        raise FrameworkError([str(p) for p in result.problems])
    return draft_create_from_data(data=result.data, label=label, actor=actor, source_name=file_format)


@transaction.atomic
def draft_delete(*, draft: FrameworkVersion, actor) -> None:
    """Throw a draft away."""
    _require_draft(draft)
    audit_log(actor=actor, action="competences.framework.draft_deleted", target=draft)
    draft.delete()


@transaction.atomic
def framework_publish(
    *, draft: FrameworkVersion, summary: str, actor, lock_version: int | None = None
) -> FrameworkVersion:
    """Publish `draft` for good, archive the version it replaces, carry members' ratings over.

    `lock_version` is the draft's as the publication form showed it: refused with EditConflict
    when the draft changed since, so that what is published is what the curator reviewed.
    """
    draft = FrameworkVersion.objects.select_for_update().get(pk=draft.pk)
    if not draft.is_draft:
        raise FrozenVersionError
    if lock_version is not None and draft.lock_version != lock_version:
        raise EditConflict(
            draft,
            _(
                "Le brouillon a été modifié depuis que vous avez ouvert cette page : relisez les changements "
                "ci-dessous (votre résumé est conservé), puis publiez de nouveau."
            ),
        )
    if not summary.strip():
        raise FrameworkError(_("Décrivez en quelques mots les changements de cette version."))
    problems = framework_check(framework_snapshot(draft))
    if problems:
        raise FrameworkError([str(p) for p in problems])
    previous = FrameworkVersion.objects.select_for_update().published().first()
    if previous is not None:
        previous.status = FrameworkStatus.ARCHIVED
        previous.save(update_fields=["status"])
    # A frozen version's status can no longer be changed: update the row directly.
    FrameworkVersion.objects.filter(pk=draft.pk).update(
        status=FrameworkStatus.PUBLISHED, summary=summary.strip(), published_at=timezone.now()
    )
    versions_changed()  # the update sends no signal: the directory's choices follow the published version
    draft.refresh_from_db()
    ratings_carry_over(version=draft)
    audit_log(
        actor=actor,
        action="competences.framework.published",
        target=draft,
        data={"previous": previous.label if previous else ""},
    )
    # The PDF is ready before anyone asks for it; if this fails, the download renders it instead.
    transaction.on_commit(lambda: tasks.framework_pdf_prerender.enqueue(draft.pk), robust=True)
    return draft


def _next_order(queryset) -> int:
    return (queryset.aggregate(m=Max("order"))["m"] or 0) + 1


def _save_item(item, *, actor, action: str) -> None:
    _require_draft(item.version)
    item.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            item.save()
    except IntegrityError:
        raise FrameworkError({"code": _("Ce code est déjà utilisé dans cette version.")}) from None
    audit_log(actor=actor, action=action, target=item, data={"version": item.version.label})


ITEM_MODELS = {"mission": Mission, "activity": Activity, "domain": Domain, "competence": Competence}


def _siblings(item):
    model = type(item)
    queryset = model.objects.filter(version=item.version_id)
    if isinstance(item, Activity):
        queryset = queryset.filter(mission=item.mission_id)
    elif isinstance(item, Competence):
        queryset = queryset.filter(domain=item.domain_id)
    elif isinstance(item, Domain):
        queryset = queryset.filter(parent=item.parent_id)
    return queryset


def _check_domain_parent(domain: Domain) -> None:
    """A domain's parent is in the same version, not under the domain itself, and the tree stays bounded."""
    if domain.parent_id is None:
        return
    parent = Domain.objects.with_tree_fields().get(pk=domain.parent_id)
    if domain.pk is not None and domain.pk in parent.tree_path:
        raise FrameworkError(_("Un domaine ne peut pas être rangé dans lui-même ni dans l'un de ses sous-domaines."))
    below = (
        max((d.tree_depth for d in domain.descendants(include_self=True).with_tree_fields()), default=0)
        if domain.pk
        else 0
    )
    if parent.tree_depth + 2 + below > MAX_DOMAIN_DEPTH:
        raise FrameworkError(_("L'arborescence dépasserait %(max)s niveaux de domaines.") % {"max": MAX_DOMAIN_DEPTH})


@transaction.atomic
def item_save(
    *,
    item,
    actor,
    competence_codes: list[str] | None = None,
    related_codes: list[str] | None = None,
    lock_version: int | None = None,
):
    """Create or update a mission, activity, domain or competence of a draft.

    `lock_version` is the item's as the edit form was opened on: EditConflict when someone saved it since.
    """
    # The draft row first, then the item's: every curation write takes its locks in that order.
    _require_draft(item.version)
    if item.pk is None:
        item.order = _next_order(_siblings(item))
        verb = "created"
    else:
        version_claim(item, expected=lock_version)
        stored = type(item).objects.get(pk=item.pk)
        parent = {"activity": "mission_id", "competence": "domain_id", "domain": "parent_id"}.get(
            type(item).__name__.lower()
        )
        if parent and getattr(stored, parent) != getattr(item, parent):
            item.order = _next_order(_siblings(item))
        verb = "updated"
    for name in ("mission", "domain", "parent"):
        parent_item = getattr(item, name, None) if hasattr(type(item), name) else None
        if parent_item is not None and parent_item.version_id != item.version_id:
            raise FrameworkError(_("Le parent doit appartenir à la même version."))
    if isinstance(item, Domain):
        _check_domain_parent(item)
    _save_item(item, actor=actor, action=f"competences.{type(item).__name__.lower()}.{verb}")
    if isinstance(item, Activity) and competence_codes is not None:
        item.competences.set(Competence.objects.of(item.version).filter(code__in=competence_codes))
    if isinstance(item, Competence) and related_codes is not None:
        item.related.set(Competence.objects.of(item.version).filter(code__in=related_codes).exclude(pk=item.pk))
    return item


@transaction.atomic
def competence_alignments_set(*, competence: Competence, alignments: list[AlignmentData], actor) -> None:
    """Replace a draft competence's links to external frameworks (ESCO, ROME 4.0, RNCP…)."""
    _require_draft(competence.version)
    for alignment in alignments:
        problems = alignment_problems(alignment)
        if problems:
            raise FrameworkError(problems)
    competence.alignments.all().delete()
    Alignment.objects.bulk_create(alignment_rows(competence, alignments))
    audit_log(
        actor=actor,
        action="competences.competence.alignments_updated",
        target=competence,
        data={"version": competence.version.label, "count": len(alignments)},
    )


@transaction.atomic
def item_delete(*, item, actor) -> None:
    """Remove an item from a draft (a domain or mission only once empty)."""
    _require_draft(item.version)
    if isinstance(item, Domain) and item.competences.exists():
        raise FrameworkError(_("Ce domaine contient encore des compétences : déplacez-les ou supprimez-les d'abord."))
    if isinstance(item, Domain) and item.children.exists():
        raise FrameworkError(_("Ce domaine contient encore des sous-domaines : déplacez-les ou supprimez-les d'abord."))
    if isinstance(item, Mission) and item.activities.exists():
        raise FrameworkError(_("Cette mission contient encore des activités : déplacez-les ou supprimez-les d'abord."))
    audit_log(
        actor=actor,
        action=f"competences.{type(item).__name__.lower()}.deleted",
        target=item,
        data={"version": item.version.label},
    )
    item.delete()


@transaction.atomic
def item_move(*, item, direction: str, actor) -> None:
    """Swap an item with its previous (`up`) or next (`down`) sibling."""
    _require_draft(item.version)
    siblings = list(_siblings(item).order_by("order", "code"))
    index = next(i for i, sibling in enumerate(siblings) if sibling.pk == item.pk)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(siblings):
        return
    siblings[index], siblings[other] = siblings[other], siblings[index]
    for position, sibling in enumerate(siblings, start=1):
        if sibling.order != position:
            sibling.order = position
            sibling.save(update_fields=["order"])
    audit_log(
        actor=actor,
        action=f"competences.{type(item).__name__.lower()}.moved",
        target=item,
        data={"version": item.version.label, "direction": direction},
    )


@transaction.atomic
def competence_levels_set(*, competence: Competence, descriptors: dict[int, str], actor) -> None:
    """Replace the level descriptors specific to a competence of a draft."""
    _require_draft(competence.version)
    competence.levels.all().delete()
    CompetenceLevel.objects.bulk_create(
        [
            CompetenceLevel(competence=competence, value=value, descriptor=text.strip())
            for value, text in sorted(descriptors.items())
            if text.strip()
        ]
    )
    audit_log(actor=actor, action="competences.competence.levels_updated", target=competence)


@transaction.atomic
def scale_level_save(*, level: ScaleLevel, actor, lock_version: int | None = None) -> ScaleLevel:
    """Change the label or descriptor of one level of a draft's scale (EditConflict as for item_save)."""
    _require_draft(level.version)
    version_claim(level, expected=lock_version)
    _save_item(level, actor=actor, action="competences.scale.updated")
    return level


@transaction.atomic
def scale_level_add(*, version: FrameworkVersion, label: str, descriptor: str, actor) -> ScaleLevel:
    """Add a level at the top of a draft's scale."""
    _require_draft(version)
    value = (ScaleLevel.objects.of(version).aggregate(m=Max("value"))["m"] or 0) + 1
    level = ScaleLevel(version=version, value=value, label=label, descriptor=descriptor)
    _save_item(level, actor=actor, action="competences.scale.level_added")
    return level


@transaction.atomic
def scale_level_remove(*, level: ScaleLevel, actor) -> None:
    """Remove the top level of a draft's scale, unless it is the last one or competences describe it."""
    _require_draft(level.version)
    values = list(ScaleLevel.objects.of(level.version).values_list("value", flat=True))
    if level.value != max(values):
        raise FrameworkError(_("Seul le niveau le plus élevé peut être retiré, pour garder une numérotation continue."))
    if len(values) == 1:
        raise FrameworkError(_("L'échelle doit garder au moins un niveau."))
    if CompetenceLevel.objects.filter(competence__version=level.version, value=level.value).exists():
        raise FrameworkError(_("Des compétences décrivent encore ce niveau : retirez d'abord ces descripteurs."))
    audit_log(actor=actor, action="competences.scale.level_removed", target=level.version, data={"value": level.value})
    level.delete()


def ratings_carry_over(*, version: FrameworkVersion) -> int:
    """Give a competence that `replaces` another the ratings members gave the replaced code."""
    created = 0
    for competence in Competence.objects.of(version).exclude(replaces=""):
        rated = SelfAssessment.objects.filter(code=competence.replaces).exclude(
            user__in=SelfAssessment.objects.filter(code=competence.code).values("user")
        )
        SelfAssessment.objects.bulk_create(
            [
                SelfAssessment(
                    user_id=r.user_id,
                    code=competence.code,
                    level=r.level,
                    not_concerned=r.not_concerned,
                    evidence=r.evidence,
                    version=r.version,
                )
                for r in rated
            ]
        )
        created += len(rated)
    return created


def self_assessment_token(user, codes=None, *, directory: bool = True) -> str:
    """A fingerprint of `user`'s ratings and directory choice as stored: the self-assessment form's version token.

    With `codes`, the token of one part of the form: only those ratings, and the directory choice only when
    `directory` (each part saves on its own, so a save of another part is no conflict).
    """
    rows = SelfAssessment.objects.of_user(user).order_by("code")
    if codes is not None:
        rows = rows.filter(code__in=list(codes))
    fingerprint = list(rows.values_list("code", "level", "not_concerned", "evidence"))
    # The choice is saved with the ratings (same form): a change to it in another tab is a conflict
    # too. Off, it leaves the fingerprint as it was before the choice existed: open forms stay valid.
    in_directory = directory and AssessmentSharing.objects.in_directory().filter(user=user).exists()
    return _token_of(fingerprint, in_directory)


def _token_of(fingerprint: list, in_directory: bool) -> str:
    if in_directory:
        fingerprint = [*fingerprint, "in_directory"]
    return hashlib.sha256(repr(fingerprint).encode()).hexdigest()[:20]


def self_assessment_part_tokens(user, parts: dict[str, list[str]], *, directory_part: str) -> dict[str, str]:
    """{part: self_assessment_token(user, codes, directory=False)} for each part, and the directory choice's
    token under `directory_part` (no ratings, the choice): in two queries, whatever the number of parts."""
    rows = list(
        SelfAssessment.objects.of_user(user).order_by("code").values_list("code", "level", "not_concerned", "evidence")
    )
    tokens = {}
    for key, codes in parts.items():
        wanted = set(codes)
        tokens[key] = _token_of([row for row in rows if row[0] in wanted], False)
    tokens[directory_part] = _token_of([], AssessmentSharing.objects.in_directory().filter(user=user).exists())
    return tokens


@transaction.atomic
def assessment_sharing_set(*, user, in_directory: bool) -> AssessmentSharing:
    """Record whether `user` may be found in the directory by competence and minimum level."""
    # The row is unique per member: two saves at once end with one row, the last choice made.
    sharing, _created = AssessmentSharing.objects.select_for_update().get_or_create(
        user=user, defaults={"in_directory": in_directory}
    )
    if sharing.in_directory != in_directory:
        sharing.in_directory = in_directory
        sharing.save(update_fields=["in_directory", "updated_at"])
    return sharing


@transaction.atomic
def self_assessment_save(
    *,
    user,
    version: FrameworkVersion,
    ratings: dict[str, tuple[int | None, bool, str]],
    token: str | None = None,
    in_directory: bool | None = None,
    part: bool = False,
) -> int:
    """Store `user`'s ratings {code: (level, not_concerned, evidence)} against the published `version`.

    `token` is self_assessment_token() as the form was opened: EditConflict when the ratings (or
    the directory choice) were saved since (the form open in two tabs), as the whole form is saved
    at once. With `part`, only one part of the form is saved (the ratings given, and the directory
    choice when given): `token` is then that part's, self_assessment_token(user, ratings,
    directory=in_directory is not None), and the other ratings are left alone. `in_directory`, when
    given, is the member's choice to be found in the directory by competence and level
    (assessment_sharing_set); None leaves it as it is.
    """
    if version.status != FrameworkStatus.PUBLISHED:
        raise FrameworkError(_("On ne s'évalue que sur la version publiée du référentiel."))
    # One member's saves take turns: the comparison below holds until this one is written.
    list(get_user_model().objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True))
    stored_token = (
        self_assessment_token(user, list(ratings), directory=in_directory is not None)
        if part
        else self_assessment_token(user)
    )
    if token is not None and token != stored_token:
        raise EditConflict(
            None,
            _(
                "Votre auto-évaluation a été enregistrée depuis un autre onglet pendant que vous remplissiez "
                "celui-ci. Rien n'est perdu : vos réponses sont conservées ci-dessous ; comparez-les aux réponses "
                "enregistrées, puis enregistrez de nouveau."
            ),
        )
    codes = set(Competence.objects.of(version).values_list("code", flat=True))
    levels = set(ScaleLevel.objects.of(version).values_list("value", flat=True))
    saved = 0
    for code, (level, not_concerned, evidence) in ratings.items():
        if code not in codes:
            raise FrameworkError(_("Compétence inconnue : %(code)s.") % {"code": code})
        if level is not None and level not in levels:
            raise FrameworkError(_("Niveau inconnu pour %(code)s.") % {"code": code})
        if level is None and not not_concerned:
            SelfAssessment.objects.filter(user=user, code=code).delete()
            continue
        SelfAssessment.objects.update_or_create(
            user=user,
            code=code,
            defaults={
                "level": None if not_concerned else level,
                "not_concerned": not_concerned,
                "evidence": evidence.strip()[:280],
                "version": version,
            },
        )
        saved += 1
    if in_directory is not None:
        assessment_sharing_set(user=user, in_directory=in_directory)
    return saved
