"""Reads for the self-assessment page: a member's ratings against the published version, per mission."""

from dataclasses import dataclass, field

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


def mission_competences(version: FrameworkVersion) -> dict[str, tuple[str, set[str]]]:
    """{mission code: (title, codes of the competences its activities mobilise)}, missions in order."""
    missions: dict[str, tuple[str, set[str]]] = {}
    activities = Activity.objects.of(version).select_related("mission").prefetch_related("competences")
    for activity in activities.order_by("mission__order", "mission__code", "order", "code"):
        _title, codes = missions.setdefault(activity.mission.code, (activity.mission.title, set()))
        codes.update(c.code for c in activity.competences.all())
    return missions


def mission_summaries(
    version: FrameworkVersion,
    ratings: dict[str, SelfAssessment],
    missions: dict[str, tuple[str, set[str]]] | None = None,
) -> list[MissionSummary]:
    """Average self-rated level of the competences each mission's activities mobilise."""
    top = max(ScaleLevel.objects.of(version).values_list("value", flat=True), default=1)
    if missions is None:
        missions = mission_competences(version)
    titles = {code: title for code, (title, _codes) in missions.items()}
    competences_by_mission = {code: codes for code, (_title, codes) in missions.items()}
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


OTHERS = "autres"


@dataclass
class AssessmentPart:
    """One part of the self-assessment form, saved on its own: a mission, or the competences no mission mobilises.

    `groups` are the competences shown in this part, by domain in tree order: a competence several missions
    mobilise is shown once, in its first mission (`also` names the others); `elsewhere` lists those this mission
    mobilises that an earlier part shows. `rated` and `total` count every competence the mission mobilises.
    """

    key: str
    code: str
    title: str
    groups: list = field(default_factory=list)  # [(domain, [competence, …])]
    codes: list[str] = field(default_factory=list)  # the codes shown (and saved) here
    elsewhere: list = field(default_factory=list)  # [(competence, key of the part that shows it)]
    also: dict[str, list[str]] = field(default_factory=dict)  # {code shown here: [other mission codes]}
    rated: int = 0
    total: int = 0

    @property
    def complete(self) -> bool:
        return self.rated == self.total


def assessment_parts(
    domains: list, missions: dict[str, tuple[str, set[str]]], ratings: dict[str, SelfAssessment]
) -> list[AssessmentPart]:
    """The self-assessment split by mission (`domains` from domain_tree, `missions` from mission_competences)."""
    ordered = [(domain, competence) for domain in domains for competence in domain.competences.all()]
    by_code = {competence.code: competence for _domain, competence in ordered}
    shown_in: dict[str, str] = {}
    mobilised_by: dict[str, list[str]] = {}
    for code, (_title, codes) in missions.items():
        for competence_code in codes:
            if competence_code in by_code:
                mobilised_by.setdefault(competence_code, []).append(code)
                shown_in.setdefault(competence_code, code)
    parts = [AssessmentPart(code, code, title) for code, (title, _codes) in missions.items()]
    parts.append(AssessmentPart(OTHERS, "", ""))
    index = {part.key: part for part in parts}
    for domain, competence in ordered:
        part = index[shown_in.get(competence.code, OTHERS)]
        if part.groups and part.groups[-1][0] is domain:
            part.groups[-1][1].append(competence)
        else:
            part.groups.append((domain, [competence]))
        part.codes.append(competence.code)
        others = [code for code in mobilised_by.get(competence.code, []) if code != part.key]
        if others:
            part.also[competence.code] = others
    for part in parts:
        counted = list(part.codes)
        if part.key != OTHERS:
            mobilised = missions[part.key][1]
            part.elsewhere = [
                (competence, shown_in[competence.code])
                for _domain, competence in ordered
                if competence.code in mobilised and shown_in[competence.code] != part.key
            ]
            counted += [competence.code for competence, _key in part.elsewhere]
        part.total = len(counted)
        part.rated = sum(1 for code in counted if code in ratings)
    return [part for part in parts if part.codes or part.elsewhere]


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
