"""Moodle's CSV of a competency framework (admin/tool/lpimportcsv): domains → competences, missions → activities.

Moodle has two levels under the framework; our exports put the competences and the missions under two
top containers (COMPETENCES, MISSIONS) so that both trees come back on import.
"""

import csv
import io
import json
from datetime import datetime

from django.utils.translation import gettext as _

from competences.enums import CompetenceKind
from core.spreadsheets import neutralise
from referentiel.formats.common import ImportRefused, ImportResult, clean_cell, decode_text, finish, read_csv_rows
from referentiel.framework import (
    ActivityData,
    CompetenceData,
    DomainData,
    FrameworkData,
    LevelData,
    MissionData,
    Problem,
)

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
MOODLE_COMPETENCES = "COMPETENCES"
MOODLE_MISSIONS = "MISSIONS"


def _moodle_id(code: str) -> str:
    return code.replace(",", "%2C")


def _unescape_moodle(code: str) -> str:
    return code.replace("%2C", ",")


LOOP = "loop"
MISSING = "missing"


def _resolve_parents(parents: dict[str, str]) -> dict[str, tuple]:
    """Depth and top ancestor of every code from its parent link, in time linear in the number of codes.

    Each code maps to ("ok", depth, top) (a code without parent has depth 1 and is its own top),
    (LOOP,) when it is in or under a loop of parents, or (MISSING, code) under a parent that does not
    exist. Walks up iteratively and remembers every answer, so a long chain costs no recursion.
    """
    resolved: dict[str, tuple] = {}
    for start in parents:
        path: list[str] = []
        on_path: set[str] = set()
        code = start
        while True:
            if code in resolved:
                outcome = resolved[code]
                break
            if code in on_path:
                outcome = (LOOP,)
                break
            parent = parents[code]
            if not parent:
                outcome = resolved[code] = ("ok", 1, code)
                break
            if parent not in parents:
                outcome = resolved[code] = (MISSING, parent)
                break
            on_path.add(code)
            path.append(code)
            code = parent
        for code in reversed(path):
            if outcome[0] == "ok":
                outcome = ("ok", outcome[1] + 1, outcome[2])
            resolved[code] = outcome
    return resolved


def read_moodle_csv(raw: bytes) -> ImportResult:
    """A Moodle framework: depth 1 = domains, 2 = competences; our own exports also carry missions."""
    problems: list[Problem] = []
    try:
        rows = read_csv_rows(decode_text(raw), delimiters=",")
    except ImportRefused as refused:
        return ImportResult(FrameworkData(), refused.problems)
    if not rows or [c.strip().lstrip("\ufeff") for c in rows[0][1]] != MOODLE_COLUMNS:
        return ImportResult(
            FrameworkData(),
            [
                Problem(
                    _("ce n'est pas un CSV de référentiel Moodle : colonnes attendues %(columns)s.")
                    % {"columns": ", ".join(MOODLE_COLUMNS)},
                    1,
                )
            ],
        )
    body = [(line, row) for line, row in rows[1:] if any(cell.strip() for cell in row)]
    if not body:
        return ImportResult(FrameworkData(), [Problem(_("le fichier ne contient aucun référentiel."))])
    records = []
    for line, row in body:
        cells = {c: clean_cell(row[i] if i < len(row) else "", line, c, problems) for i, c in enumerate(MOODLE_COLUMNS)}
        records.append((line, cells))
    line, framework = records[0]
    if framework["Is framework"] != "1":
        return ImportResult(
            FrameworkData(),
            [
                Problem(
                    _("la première ligne de données doit décrire le référentiel lui-même (Is framework = 1)."),
                    line,
                    "Is framework",
                )
            ],
        )
    if any(cells["Is framework"] == "1" for _line, cells in records[1:]):
        problems.append(Problem(_("un seul référentiel par fichier est pris en charge.")))
    data = FrameworkData(summary=framework["Description"])
    labels = [label.strip() for label in framework["Scale values"].split(",") if label.strip()]
    data.scale = [LevelData(value, label, "", line) for value, label in enumerate(labels, start=1)]
    by_id = {}
    for line, cells in records[1:]:
        code = _unescape_moodle(cells["ID number"])
        if code in by_id:
            problems.append(
                Problem(_("le code « %(code)s » est déjà utilisé.") % {"code": code[:40]}, line, "ID number")
            )
            continue
        by_id[code] = (line, cells)

    tree = _resolve_parents({code: _unescape_moodle(cells["Parent ID number"]) for code, (_l, cells) in by_id.items()})
    roots = {code for code, (_l, cells) in by_id.items() if not cells["Parent ID number"]}
    containers = {
        code: kind for code in roots for kind in (MOODLE_COMPETENCES, MOODLE_MISSIONS) if code.endswith("-" + kind)
    }
    positions: dict[str, int] = {}
    for code, (line, cells) in by_id.items():
        outcome = tree[code]
        if outcome[0] == LOOP:
            problems.append(Problem(_("les parents forment une boucle."), line, "Parent ID number"))
            continue
        if outcome[0] == MISSING:
            problems.append(
                Problem(_("le parent « %(code)s » n'existe pas.") % {"code": outcome[1][:40]}, line, "Parent ID number")
            )
            continue
        _ok, level, top = outcome
        if code in containers:
            continue
        parent = _unescape_moodle(cells["Parent ID number"])
        positions[parent] = positions.get(parent, 0) + 1
        order = positions[parent]
        if not parent:
            top = ""
        branch = containers.get(top, MOODLE_COMPETENCES) if containers else MOODLE_COMPETENCES
        relative = level - (1 if containers else 0)
        if relative not in (1, 2):
            problems.append(
                Problem(
                    _("profondeur non prise en charge : deux niveaux au plus sous le référentiel."),
                    line,
                    "Parent ID number",
                )
            )
            continue
        name, text = cells["Short name"], cells["Description"]
        if branch == MOODLE_MISSIONS and relative == 1:
            data.missions.append(MissionData(code, name, text, order, "", line))
        elif branch == MOODLE_MISSIONS:
            cross = {_unescape_moodle(c.strip()) for c in cells["Cross-referenced competency ID numbers"].split(",")}
            data.activities.append(
                ActivityData(code, parent, name, text, order, "", sorted(c for c in cross if c), line)
            )
        elif relative == 1:
            data.domains.append(DomainData(code, name, text, order, "", line))
        else:
            data.competences.append(
                CompetenceData(code, parent, name, text, CompetenceKind.SKILL, False, order, "", {}, line)
            )
    return finish(data, problems)


def export_moodle_csv(data: FrameworkData, *, changed_at: datetime | None = None) -> bytes:
    """Moodle's framework CSV (admin/tool/lpimportcsv), undated: domains → competences, missions → activities."""
    framework_id = f"CNCD-{data.label}"
    top = max((level.value for level in data.scale), default=1)
    proficient_from = min(3, top)
    configuration = [{"scaleid": "0"}] + [
        {"id": position, "scaledefault": int(position == 1), "proficient": int(level.value >= proficient_from)}
        for position, level in enumerate(data.scale, start=1)
    ]
    rows = [MOODLE_COLUMNS]

    def row(parent, code, name, description="", cross="", framework=False):
        cells = dict.fromkeys(MOODLE_COLUMNS, "")
        cells.update(
            {
                "Parent ID number": parent,
                "ID number": code,
                "Short name": name,
                "Description": description,
                "Description format": MOODLE_FORMAT_PLAIN,
                "Cross-referenced competency ID numbers": cross,
                "Is framework": "1" if framework else "0",
            }
        )
        if framework:
            cells["Scale values"] = ",".join(level.label.replace(",", " ") for level in data.scale)
            cells["Scale configuration"] = json.dumps(configuration, separators=(",", ":"))
            cells["Taxonomy"] = "concept,domain,competency"
        rows.append([cells[column] for column in MOODLE_COLUMNS])

    row(
        "",
        framework_id,
        f"Référentiel des technicien·nes de conseil de développement {data.label}",
        data.summary,
        framework=True,
    )
    competences_id = f"{framework_id}-{MOODLE_COMPETENCES}"
    missions_id = f"{framework_id}-{MOODLE_MISSIONS}"
    row("", competences_id, "Compétences")
    for domain in data.domains:
        row(competences_id, _moodle_id(domain.code), domain.title, domain.description)
        for competence in (c for c in data.competences if c.domain == domain.code):
            row(_moodle_id(domain.code), _moodle_id(competence.code), competence.title, competence.description)
    row("", missions_id, "Missions")
    for mission in data.missions:
        row(missions_id, _moodle_id(mission.code), mission.title, mission.purpose)
        for activity in (a for a in data.activities if a.mission == mission.code):
            row(
                _moodle_id(mission.code),
                _moodle_id(activity.code),
                activity.title,
                activity.description,
                cross=",".join(_moodle_id(code) for code in activity.competences),
            )
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for values in rows:
        writer.writerow([neutralise(cell) for cell in values])
    return buffer.getvalue().encode("utf-8")
