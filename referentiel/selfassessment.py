"""Reads for the self-assessment page: a member's ratings against the published version, per mission."""

from dataclasses import dataclass

from competences.models import FrameworkVersion, ScaleLevel, SelfAssessment
from missions.models import Activity
from referentiel.diff import framework_diff
from referentiel.framework import framework_snapshot

CHART_WIDTH = 320
BAR_HEIGHT = 22
BAR_GAP = 14
LABEL_WIDTH = 0


@dataclass
class MissionSummary:
    code: str
    title: str
    average: float | None
    rated: int
    total: int
    bar_width: int = 0
    y: int = 0

    @property
    def text_y(self) -> int:
        return self.y + BAR_HEIGHT // 2 + 5


def mission_summaries(version: FrameworkVersion, ratings: dict[str, SelfAssessment]) -> list[MissionSummary]:
    """Average self-rated level of the competences each mission's activities mobilise."""
    top = max(ScaleLevel.objects.of(version).values_list("value", flat=True), default=1)
    competences_by_mission: dict[str, set[str]] = {}
    titles: dict[str, str] = {}
    activities = Activity.objects.of(version).select_related("mission").prefetch_related("competences")
    for activity in activities.order_by("mission__order", "mission__code"):
        titles[activity.mission.code] = activity.mission.title
        competences_by_mission.setdefault(activity.mission.code, set()).update(
            c.code for c in activity.competences.all()
        )
    summaries = []
    for index, (code, codes) in enumerate(competences_by_mission.items()):
        levels = [ratings[c].level for c in codes if c in ratings and ratings[c].level is not None]
        concerned = [c for c in codes if not (c in ratings and ratings[c].not_concerned)]
        average = round(sum(levels) / len(levels), 1) if levels else None
        summaries.append(
            MissionSummary(
                code,
                titles[code],
                average,
                len(levels),
                len(concerned),
                bar_width=round(CHART_WIDTH * (average or 0) / top),
                y=index * (BAR_HEIGHT + BAR_GAP),
            )
        )
    return summaries


def chart_height(summaries) -> int:
    return max(1, len(summaries)) * (BAR_HEIGHT + BAR_GAP)


@dataclass
class WhatIsNew:
    since: str
    added: list
    changed: list


def what_is_new(version: FrameworkVersion, ratings: dict[str, SelfAssessment]) -> WhatIsNew | None:
    """What the published version added or changed since the version the member last rated against."""
    rated_versions = {rating.version_id for rating in ratings.values()}
    if not rated_versions or (version.pk in rated_versions and len(rated_versions) == 1):
        return None
    last = (
        FrameworkVersion.objects.filter(pk__in=rated_versions - {version.pk}).order_by("-published_at", "-pk").first()
    )
    if last is None:
        return None
    diff = framework_diff(framework_snapshot(last), framework_snapshot(version))
    added = [c for c in diff.added if c.kind == "competence" and c.code not in ratings]
    changed = [
        c
        for c in diff.changed
        if c.kind == "competence" and c.code in ratings and ratings[c.code].version_id != version.pk
    ]
    if not added and not changed:
        return None
    return WhatIsNew(last.label, added, changed)
