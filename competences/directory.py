"""The directory's "compétence + niveau minimum" filter (members.directory), registered in CompetencesConfig.ready()."""

from django import forms
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

from competences.models import Competence, FrameworkVersion, ScaleLevel, SelfAssessment
from core.widgets import FastSelect
from members.directory import DirectoryFilter


def _choices_of(version) -> tuple[list, list]:
    competences = [(c.code, f"{c.code} · {c.title}") for c in Competence.objects.of(version).order_by("code")]
    levels = [
        (level.value, f"{level.value} · {level.label}") for level in ScaleLevel.objects.of(version).order_by("value")
    ]
    return competences, levels


def _fields() -> dict[str, forms.Field]:
    version = FrameworkVersion.objects.current()
    if version is None:
        return {}
    # A published version never changes: its choices are computed once per version.
    competences, levels = cache.get_or_set(f"directory-competences:{version.pk}", lambda: _choices_of(version), 3600)
    if not competences:
        return {}
    return {
        "competence": forms.ChoiceField(
            label=_("Compétence"), choices=[("", _("Toutes")), *competences], required=False, widget=FastSelect
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
