"""The directory's "compétence + niveau minimum" filter (members.directory), registered in CompetencesConfig.ready()."""

from django import forms
from django.db.models.signals import post_delete, post_save
from django.utils.choices import BaseChoiceIterator
from django.utils.translation import gettext_lazy as _

from competences.models import Competence, FrameworkVersion, ScaleLevel, SelfAssessment
from core import generations
from core.widgets import FastSelect
from members.directory import DirectoryFilter

# Stands for the référentiel's versions: bumped by every save or deletion of one, and by the publication, which
# updates the row directly (versions_changed). A published version's items never change, so the directory's
# choices drawn from the current version follow this generation alone.
VERSIONS = "competences.versions"
CHOICES_CACHE_SECONDS = 24 * 3600


def current_version_kept(key: str, compute):
    """What `compute(version)` gives for the published version (None when there is none), kept until a version
    is written: one cache read, no query, once it is kept."""
    stamp, kept = generations.cached(key, [VERSIONS])
    if kept is not None:
        return kept[0]
    version = FrameworkVersion.objects.current()
    value = None if version is None else compute(version)
    generations.store(key, stamp, (value,), CHOICES_CACHE_SECONDS)
    return value


def versions_changed() -> None:
    """A version was written without a model signal (referentiel.services.framework_publish updates the row)."""
    generations.bump(VERSIONS)


def _version_saved(sender, instance, **kwargs):
    versions_changed()


def connect() -> None:
    """Bump VERSIONS on every save or deletion of a version (CompetencesConfig.ready); the services' direct
    updates call versions_changed themselves."""
    post_save.connect(_version_saved, sender=FrameworkVersion, dispatch_uid="competences.directory.versions")
    post_delete.connect(_version_saved, sender=FrameworkVersion, dispatch_uid="competences.directory.versions")


def _choices_of(version) -> tuple[list, list]:
    competences = [(c.code, f"{c.code} · {c.title}") for c in Competence.objects.of(version).order_by("code")]
    levels = [
        (level.value, f"{level.value} · {level.label}") for level in ScaleLevel.objects.of(version).order_by("value")
    ]
    return competences, levels


class _ReadyChoices(BaseChoiceIterator):
    """Choices already as pairs of a value and a label: a field takes them as they are (Django leaves a choice
    iterator alone) instead of checking hundreds of them again at each request."""

    def __init__(self, choices: list):
        self.choices = choices

    def __iter__(self):
        return iter(self.choices)


def _fields() -> dict[str, forms.Field]:
    # A published version never changes: its choices are computed once per version.
    competences, levels = current_version_kept("directory-competences", _choices_of) or ([], [])
    if not competences:
        return {}
    return {
        "competence": forms.ChoiceField(
            label=_("Compétence"),
            choices=_ReadyChoices([("", _("Toutes")), *competences]),
            required=False,
            widget=FastSelect,
        ),
        "niveau": forms.TypedChoiceField(
            label=_("Niveau au moins égal à"),
            choices=[("", _("Tous")), *levels],
            required=False,
            coerce=int,
            empty_value=None,
        ),
    }


def _clean(values: dict) -> None:
    if values.get("niveau") and not values.get("competence"):
        raise forms.ValidationError({"competence": _("Choisissez la compétence dont vous cherchez le niveau.")})


def _narrow(profiles, values: dict):
    # A self-assessment is private unless its member opted in (AssessmentSharing, set on the
    # self-assessment page, which states this rule). "Not concerned" has no level: it never reaches a minimum.
    rated = SelfAssessment.objects.shared_in_directory().filter(
        code=values["competence"], level__gte=values.get("niveau") or 1
    )
    return profiles.filter(user__in=rated.values("user"))


# Self-assessments shared in the directory are post facts: only the profiles showing their post to the viewer match.
COMPETENCE_FILTER = DirectoryFilter(
    key="competence", fields=_fields, narrow=_narrow, order=80, group="post", clean=_clean
)
connect()  # imported by CompetencesConfig.ready() to register the filter
