"""Moodle's CSV of a competency framework (admin/tool/lpimportcsv): the writer (the reader is moodle_read.py).

Under the framework row, our exports put two top containers, COMPETENCES and MISSIONS, so that both trees
come back on import:

- COMPETENCES → the domain tree, of any depth (a domain's "Parent ID number" is its parent domain, or the
  container at the top), each domain followed by its competences, then by its sub-domains;
- MISSIONS → missions → activities.

Per row: "Short name" is the title, cut at a word and ended by "…" past 100 characters, in which case the
description starts with the whole title and a blank line; "Cross-referenced competency ID numbers" holds
a competence's related competences and an activity's competences; "Exported ID (optional)" says the kind
(MOODLE_KINDS). On the framework row, "Scale configuration" marks the proficient levels and "Description"
holds the version's summary.

What Moodle cannot carry: the scale's descriptors, a competence's kind, transversality, level descriptors
and external alignments, and every item's `replaces`; orders come back as positions among siblings.
"""

import csv
import io
import json
from datetime import datetime

from referentiel.framework import FrameworkData

MOODLE_COLUMNS = [
    "Parent ID number",
    "ID number",
    "Short name",
    "Description",
    "Description format",
    "Scale values",
    "Scale configuration",
    "Rule type (optional)",
    "Rule outcome (optional)",
    "Rule config (optional)",
    "Cross-referenced competency ID numbers",
    "Exported ID (optional)",
    "Is framework",
    "Taxonomy",
]
MOODLE_FORMAT_PLAIN = "2"
# Moodle's competency short name holds 100 characters; a longer title is cut at a word and ends with this
# mark, the whole title then opening the description, followed by a blank line.
MOODLE_SHORT_NAME_MAX = 100
MOODLE_CUT_MARK = "…"
# Our own exports say in "Exported ID (optional)" what each row is (Moodle only uses that column as a key
# for the rules' configuration, which we do not write): an empty domain is a leaf like a competence.
MOODLE_KINDS = {"domain": "domaine", "competence": "competence", "mission": "mission", "activity": "activite"}
MOODLE_COMPETENCES = "COMPETENCES"
MOODLE_MISSIONS = "MISSIONS"


def _moodle_id(code: str) -> str:
    return code.replace(",", "%2C")


def moodle_short_name(title: str) -> str:
    """The title in Moodle's Short name (100 characters at most): cut at a word and ended by "…" when longer."""
    if len(title) <= MOODLE_SHORT_NAME_MAX:
        return title
    cut = title[: MOODLE_SHORT_NAME_MAX - 1]
    if " " in cut.strip():
        cut = cut.rstrip().rsplit(" ", 1)[0]
    return cut.rstrip() + MOODLE_CUT_MARK


def moodle_description(title: str, description: str) -> str:
    """The description, after the full title and a blank line when the Short name had to cut the title."""
    if len(title) <= MOODLE_SHORT_NAME_MAX:
        return description
    return f"{title}\n\n{description}" if description else title


def _proficient_flags(data: FrameworkData) -> list[bool]:
    """LevelData.proficient of each level; Moodle refuses a scale without a proficient value, so a scale that has
    none gets its top level marked (the stored versions all have one since migration competences 0006)."""
    flags = [level.proficient for level in data.scale]
    if flags and not any(flags):
        flags[-1] = True
    return flags


def export_moodle_csv(data: FrameworkData, *, changed_at: datetime | None = None) -> bytes:
    """Moodle's framework CSV (admin/tool/lpimportcsv), undated: the domain tree with its competences, the missions
    with their activities.

    Cells are written as they are: Moodle is not a spreadsheet, so no formula is neutralised.
    """
    framework_id = f"CNCD-{data.label}"
    configuration = [{"scaleid": "0"}] + [
        {"id": position, "scaledefault": int(position == 1), "proficient": int(proficient)}
        for position, proficient in enumerate(_proficient_flags(data), start=1)
    ]
    rows = [MOODLE_COLUMNS]

    def row(parent, code, title, description="", cross=(), kind="", framework=False, taxonomy=""):
        cells = dict.fromkeys(MOODLE_COLUMNS, "")
        cells.update(
            {
                "Parent ID number": parent,
                "ID number": code,
                "Short name": moodle_short_name(title),
                "Description": moodle_description(title, description),
                "Description format": MOODLE_FORMAT_PLAIN,
                "Cross-referenced competency ID numbers": ",".join(_moodle_id(c) for c in cross),
                "Exported ID (optional)": kind,
                "Is framework": "1" if framework else "0",
            }
        )
        if framework:
            cells["Scale values"] = ",".join(level.label.replace(",", " ") for level in data.scale)
            cells["Scale configuration"] = json.dumps(configuration, separators=(",", ":"))
            cells["Taxonomy"] = taxonomy
        rows.append([cells[column] for column in MOODLE_COLUMNS])

    children: dict[str, list] = {}
    for domain in data.domains:
        children.setdefault(domain.parent, []).append(domain)
    competences: dict[str, list] = {}
    for competence in data.competences:
        competences.setdefault(competence.domain, []).append(competence)
    activities: dict[str, list] = {}
    for activity in data.activities:
        activities.setdefault(activity.mission, []).append(activity)

    # Depth first, each domain followed by its competences then by its sub-domains. Iterative: the tree's
    # depth is bounded by framework_check, not by Python's stack. `seen` stops at a loop of parents.
    competences_id = f"{framework_id}-{MOODLE_COMPETENCES}"
    tree_rows = []
    deepest = 0
    seen: set[int] = set()
    stack = [(domain, competences_id, 2) for domain in reversed(children.get("", []))]
    while stack:
        domain, parent_id, depth = stack.pop()
        if id(domain) in seen:
            continue
        seen.add(id(domain))
        code = _moodle_id(domain.code)
        tree_rows.append((parent_id, code, domain.title, domain.description, (), MOODLE_KINDS["domain"]))
        for competence in competences.get(domain.code, []):
            tree_rows.append(
                (
                    code,
                    _moodle_id(competence.code),
                    competence.title,
                    competence.description,
                    competence.related,
                    MOODLE_KINDS["competence"],
                )
            )
            deepest = max(deepest, depth + 1)
        deepest = max(deepest, depth)
        stack.extend((child, code, depth + 1) for child in reversed(children.get(domain.code, [])))
    # Missions → activities: two levels under their container.
    if data.missions:
        deepest = max(deepest, 3)
    # One taxonomy per level of Moodle's tree: the two containers, the domains, the competences at the deepest level.
    taxonomy = ",".join(["concept"] + ["domain"] * max(deepest - 2, 1) + ["competency"])

    row(
        "",
        framework_id,
        f"Référentiel des technicien·nes de conseil de développement {data.label}",
        data.summary,
        framework=True,
        taxonomy=taxonomy,
    )
    row("", competences_id, "Compétences")
    for parent_id, code, title, description, cross, kind in tree_rows:
        row(parent_id, code, title, description, cross, kind)
    missions_id = f"{framework_id}-{MOODLE_MISSIONS}"
    row("", missions_id, "Missions")
    for mission in data.missions:
        row(missions_id, _moodle_id(mission.code), mission.title, mission.purpose, kind=MOODLE_KINDS["mission"])
        for activity in activities.get(mission.code, []):
            row(
                _moodle_id(mission.code),
                _moodle_id(activity.code),
                activity.title,
                activity.description,
                activity.competences,
                MOODLE_KINDS["activity"],
            )
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue().encode("utf-8")
