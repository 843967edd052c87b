"""What the formats share: import limits and results, text decoding, cell checks, and the project's table.

Every reader returns an ImportResult and never raises on bad input: each problem is reported with its
line and field, in French, and nothing is written unless there is none. The project's table (its
columns and row types) is shared by the CSV and the XLSX.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from competences.enums import CompetenceKind
from core.spreadsheets import SpreadsheetRefused, csv_rows
from referentiel.framework import (
    ActivityData,
    CompetenceData,
    DomainData,
    FrameworkData,
    LevelData,
    MissionData,
    Problem,
    framework_check,
)

MAX_IMPORT_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
# The project's columns are 10; a few more (notes, a spreadsheet's own) are read and ignored.
MAX_COLUMNS = 50


class ImportRefused(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.problems = [Problem(message)]


@dataclass
class ImportResult:
    data: FrameworkData
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        return not self.problems


def finish(data: FrameworkData, problems: list[Problem]) -> ImportResult:
    """Problems found while reading, then those of the framework as a whole (unless nothing was read)."""
    empty = not (data.scale or data.domains or data.competences or data.missions or data.activities)
    if problems and empty:
        return ImportResult(data, problems)
    return ImportResult(data, problems + framework_check(data))


def decode_text(raw: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252/Latin-1; binary content is refused."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ImportRefused(_("Encodage UTF-16 non pris en charge : enregistrez le fichier en UTF-8 ou en Latin-1."))
    if b"\x00" in raw[:4096]:
        raise ImportRefused(_("Ce fichier n'est pas un fichier texte : il contient des données binaires."))
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = raw.decode("cp1252")
        except UnicodeDecodeError:
            text = raw.decode("latin-1")
    if any(ord(ch) < 32 and ch not in "\t\r\n" for ch in text[:4096]):
        raise ImportRefused(_("Ce fichier n'est pas un fichier texte : il contient des caractères de contrôle."))
    return text


def _formula_problem(value: str, line, column) -> Problem | None:
    if value.startswith(("=", "@")) or (len(value) > 1 and value[0] in "+-" and not value[1].isspace()):
        return Problem(
            _("la cellule ressemble à une formule de tableur (« %(start)s… ») : elle est refusée.")
            % {"start": value[:10]},
            line,
            column,
        )
    return None


def clean_cell(value, line, column, problems) -> str:
    """The cell's text, stripped; a formula is reported in `problems`, our exports' neutralising apostrophe removed."""
    text = "" if value is None else str(value)
    text = text.strip()
    # Our exports neutralise formulas with a leading apostrophe: take it off again.
    if text.startswith("'") and len(text) > 1 and text[1] in "=+-@\t\r":
        return text[1:]
    problem = _formula_problem(text, line, column)
    if problem:
        problems.append(problem)
    return text


def read_csv_rows(text: str, *, delimiters=",;") -> list[tuple[int, list[str]]]:
    """The numbered rows of a CSV text, split on whichever of `delimiters` its first line uses most."""
    first_line = text.split("\n", 1)[0]
    delimiter = max(delimiters, key=first_line.count)
    try:
        return csv_rows(text, delimiter=delimiter, max_rows=MAX_ROWS)
    except SpreadsheetRefused as refused:
        raise ImportRefused(str(refused)) from None


# The project's own table (CSV and XLSX), one row per item.
COLUMNS = [
    "type",
    "code",
    "parent",
    "ordre",
    "titre",
    "description",
    "nature",
    "transversale",
    "remplace",
    "competences",
]
ROW_TYPES = {
    "niveau": "level",
    "domaine": "domain",
    "competence": "competence",
    "niveau_competence": "competence_level",
    "mission": "mission",
    "activite": "activity",
}


def project_rows(data: FrameworkData) -> list[list[str]]:
    """The header and one row per item, in the project's columns."""
    rows = [COLUMNS]
    for level in data.scale:
        rows.append(["niveau", str(level.value), "", "", level.label, level.descriptor, "", "", "", ""])
    for domain in data.domains:
        rows.append(
            [
                "domaine",
                domain.code,
                "",
                str(domain.order),
                domain.title,
                domain.description,
                "",
                "",
                domain.replaces,
                "",
            ]
        )
    for competence in data.competences:
        rows.append(
            [
                "competence",
                competence.code,
                competence.domain,
                str(competence.order),
                competence.title,
                competence.description,
                competence.kind,
                "oui" if competence.transversal else "non",
                competence.replaces,
                "",
            ]
        )
        for value, text in sorted(competence.levels.items()):
            rows.append(["niveau_competence", str(value), competence.code, "", "", text, "", "", "", ""])
    for mission in data.missions:
        rows.append(
            [
                "mission",
                mission.code,
                "",
                str(mission.order),
                mission.title,
                mission.purpose,
                "",
                "",
                mission.replaces,
                "",
            ]
        )
    for activity in data.activities:
        rows.append(
            [
                "activite",
                activity.code,
                activity.mission,
                str(activity.order),
                activity.title,
                activity.description,
                "",
                "",
                activity.replaces,
                ";".join(activity.competences),
            ]
        )
    return rows


def _int(value: str, line, column, problems, default=None):
    if value == "" and default is not None:
        return default
    try:
        return int(value)
    except ValueError:
        problems.append(Problem(_("« %(value)s » n'est pas un nombre entier.") % {"value": value[:20]}, line, column))
        return default if default is not None else 0


def framework_from_project_rows(rows: list[tuple[int, list]], problems: list[Problem]) -> FrameworkData:
    """The framework in numbered rows of the project's table; each problem found is added to `problems`."""
    data = FrameworkData()
    if not rows:
        problems.append(Problem(_("le fichier est vide.")))
        return data
    header_line, header = rows[0]
    header = [str(h or "").strip().lower().lstrip("\ufeff") for h in header]
    missing = [column for column in COLUMNS if column not in header]
    if missing:
        problems.append(Problem(_("colonnes manquantes : %(columns)s.") % {"columns": ", ".join(missing)}, header_line))
        return data
    index = {column: header.index(column) for column in COLUMNS}
    competences: dict[str, CompetenceData] = {}
    pending_levels = []
    positions: dict[str, int] = {}
    for line, raw in rows[1:]:
        if not any(str(cell or "").strip() for cell in raw):
            continue
        cells = {
            column: clean_cell(raw[i] if i < len(raw) else "", line, column, problems) for column, i in index.items()
        }
        row_type = ROW_TYPES.get(cells["type"].lower())
        if row_type is None:
            problems.append(
                Problem(
                    _("type inconnu « %(type)s » (attendu : %(types)s).")
                    % {"type": cells["type"][:30], "types": ", ".join(ROW_TYPES)},
                    line,
                    "type",
                )
            )
            continue
        parent = cells["parent"]
        positions[parent] = positions.get(parent, 0) + 1
        order = _int(cells["ordre"], line, "ordre", problems, default=positions[parent])
        if row_type in ("domain", "mission", "level") and parent:
            problems.append(Problem(_("cette ligne ne doit pas avoir de parent."), line, "parent"))
        if row_type in ("competence", "activity", "competence_level") and not parent:
            problems.append(Problem(_("le parent est obligatoire pour ce type de ligne."), line, "parent"))
        if row_type == "level":
            data.scale.append(
                LevelData(_int(cells["code"], line, "code", problems), cells["titre"], cells["description"], line)
            )
        elif row_type == "domain":
            data.domains.append(
                DomainData(cells["code"], cells["titre"], cells["description"], order, cells["remplace"], line)
            )
        elif row_type == "mission":
            data.missions.append(
                MissionData(cells["code"], cells["titre"], cells["description"], order, cells["remplace"], line)
            )
        elif row_type == "competence":
            transversal = cells["transversale"].lower()
            if transversal not in ("", "oui", "non", "1", "0", "true", "false", "vrai", "faux"):
                problems.append(Problem(_("répondez « oui » ou « non »."), line, "transversale"))
            competence = CompetenceData(
                cells["code"],
                parent,
                cells["titre"],
                cells["description"],
                cells["nature"].lower() or CompetenceKind.SKILL,
                transversal in ("oui", "1", "true", "vrai"),
                order,
                cells["remplace"],
                {},
                line,
            )
            data.competences.append(competence)
            competences.setdefault(competence.code, competence)
        elif row_type == "activity":
            codes = [code.strip() for code in cells["competences"].replace(",", ";").split(";") if code.strip()]
            data.activities.append(
                ActivityData(
                    cells["code"],
                    parent,
                    cells["titre"],
                    cells["description"],
                    order,
                    cells["remplace"],
                    sorted(set(codes)),
                    line,
                )
            )
        else:
            pending_levels.append((line, parent, _int(cells["code"], line, "code", problems), cells["description"]))
    for line, parent, value, text in pending_levels:
        if parent not in competences:
            problems.append(
                Problem(_("la compétence « %(code)s » n'existe pas.") % {"code": parent[:40]}, line, "parent")
            )
        elif value in competences[parent].levels:
            problems.append(Problem(_("ce niveau est déjà décrit pour cette compétence."), line, "code"))
        else:
            competences[parent].levels[value] = text
    for competence in data.competences:
        competence.levels = dict(sorted(competence.levels.items()))
    return data
