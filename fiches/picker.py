"""The référentiel picker of a structured section's editor: missions, activities and competences to tick.

It works without JavaScript: a GET form on the editor's own address (`?selection=1&choix=M1.A2&niveau-C-ANI-01=3`)
opens the editor with the lines of the items chosen, in their canonical form, in place of the text.
"""

from dataclasses import dataclass, field

from fiches.enums import SectionKind
from fiches.rendering import FrameworkLookup, StructuredError, normalise_structured, parse_structured

SELECTION, PICK, LEVEL = "selection", "choix", "niveau-"


@dataclass
class PickerGroup:
    """A mission with its activities, or a domain with its competences."""

    code: str
    title: str
    picked: bool = False  # a mission chosen as a whole
    items: list = field(default_factory=list)  # [(item, picked or level)]


def picker_groups(kind: str, lookup: FrameworkLookup, body: str) -> list[PickerGroup]:
    """The référentiel's items, grouped by mission or by domain, marked with what `body` already holds."""
    lines = {line.code: line.level for line in parse_structured(body or "", strict=False)}
    if kind == SectionKind.MISSIONS:
        return [
            PickerGroup(
                mission.code,
                mission.title,
                mission.code in lines,
                [(a, a.code in lines) for a in lookup.activities.values() if a.mission_id == mission.pk],
            )
            for mission in lookup.missions.values()
        ]
    from competences.models import FrameworkVersion
    from referentiel.selectors import domain_tree

    version = FrameworkVersion.objects.filter(label=lookup.label).first()
    titles = {domain.pk: (domain.code, domain.path_title) for domain in domain_tree(version)} if version else {}
    groups: dict[int, PickerGroup] = {pk: PickerGroup(code, title) for pk, (code, title) in titles.items()}
    for competence in lookup.competences.values():
        group = groups.setdefault(competence.domain_id, PickerGroup("", ""))
        group.items.append((competence, lines.get(competence.code) if competence.code in lines else None))
    return [group for group in groups.values() if group.items]


def picked_text(kind: str, lookup: FrameworkLookup | None, params) -> str:
    """The section's lines for the items chosen in the picker (`params`: the query), canonical when they are valid."""
    if lookup is None:
        return ""
    chosen = set(params.getlist(PICK))
    lines = []
    if kind == SectionKind.MISSIONS:
        for mission in lookup.missions.values():
            if mission.code in chosen:
                lines.append(mission.code)
            lines += [a.code for a in lookup.activities.values() if a.mission_id == mission.pk and a.code in chosen]
    else:
        for code in lookup.competences:
            level = (params.get(f"{LEVEL}{code}") or "").strip()
            if level:
                lines.append(f"{code} : niveau {level}")
    text = "\n".join(lines)
    try:
        return normalise_structured(kind, text, lookup)
    except StructuredError:
        return text  # the editor's own checks say what is wrong when it is saved
