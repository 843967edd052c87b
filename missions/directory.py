"""The directory's "mission exercée" filter (members.directory), registered in MissionsConfig.ready()."""

from django import forms
from django.utils.translation import gettext_lazy as _

from competences.directory import current_version_kept
from core.widgets import FastSelect
from members.directory import DirectoryFilter
from missions.models import Mission, MissionDeclaration


def _mission_choices() -> list[tuple[str, str]]:
    # A published version never changes: its choices are computed once per version, kept until one is written.
    return (
        current_version_kept(
            "directory-missions",
            lambda version: [
                (m.code, f"{m.code} · {m.title}") for m in Mission.objects.of(version).order_by("order", "code")
            ],
        )
        or []
    )


def _fields() -> dict[str, forms.Field]:
    choices = _mission_choices()
    if not choices:
        return {}
    return {
        "mission": forms.ChoiceField(
            label=_("Mission exercée"), choices=[("", _("Toutes")), *choices], required=False, widget=FastSelect
        )
    }


def _narrow(profiles, values: dict):
    declared = MissionDeclaration.objects.filter(mission_code=values["mission"])
    return profiles.filter(user__in=declared.values("user"))


# Declared missions are post facts: only the profiles showing their post to the viewer match.
MISSION_FILTER = DirectoryFilter(key="mission", fields=_fields, narrow=_narrow, order=70, group="post")
