"""Read a référentiel from a file: the project's CSV or XLSX, 1EdTech CASE JSON, Moodle CSV.

Each reader returns (FrameworkData, problems) and never raises on bad input: every problem is
reported with its line and field, in French, and nothing is written unless there is none.
"""

import json
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from codev_network.spreadsheets import SpreadsheetRefused, csv_rows, xlsx_rows
from competences.enums import CompetenceKind
from competences.exports import COLUMNS, MOODLE_COLUMNS, MOODLE_COMPETENCES, MOODLE_MISSIONS, ROW_TYPES
from competences.framework import (
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
IMPORT_FORMATS = {
    "csv": gettext_lazy("CSV du projet"),
    "xlsx": gettext_lazy("Classeur XLSX du projet"),
    "case": gettext_lazy("JSON 1EdTech CASE"),
    "moodle": gettext_lazy("CSV de référentiel Moodle"),
}


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


def _finish(data: FrameworkData, problems: list[Problem]) -> ImportResult:
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


def _clean_cell(value, line, column, problems) -> str:
    text = "" if value is None else str(value)
    text = text.strip()
    # Our exports neutralise formulas with a leading apostrophe: take it off again.
    if text.startswith("'") and len(text) > 1 and text[1] in "=+-@\t\r":
        return text[1:]
    problem = _formula_problem(text, line, column)
    if problem:
        problems.append(problem)
    return text


def _read_csv_rows(text: str, *, delimiters=",;") -> list[tuple[int, list[str]]]:
    first_line = text.split("\n", 1)[0]
    delimiter = max(delimiters, key=first_line.count)
    try:
        return csv_rows(text, delimiter=delimiter, max_rows=MAX_ROWS)
    except SpreadsheetRefused as refused:
        raise ImportRefused(str(refused)) from None


def _int(value: str, line, column, problems, default=None):
    if value == "" and default is not None:
        return default
    try:
        return int(value)
    except ValueError:
        problems.append(Problem(_("« %(value)s » n'est pas un nombre entier.") % {"value": value[:20]}, line, column))
        return default if default is not None else 0


def _from_project_rows(rows: list[tuple[int, list]], problems: list[Problem]) -> FrameworkData:
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
            column: _clean_cell(raw[i] if i < len(raw) else "", line, column, problems) for column, i in index.items()
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


def read_project_csv(raw: bytes) -> ImportResult:
    problems: list[Problem] = []
    try:
        rows = _read_csv_rows(decode_text(raw))
    except ImportRefused as refused:
        return ImportResult(FrameworkData(), refused.problems)
    data = _from_project_rows(rows, problems)
    return _finish(data, problems)


def read_project_xlsx(raw: bytes) -> ImportResult:
    """The project's columns in the first sheet; the archive is checked for size and ratio before it is read."""
    try:
        sheet = xlsx_rows(raw, max_rows=MAX_ROWS, max_columns=MAX_COLUMNS)
    except SpreadsheetRefused as refused:
        return ImportResult(FrameworkData(), [Problem(str(refused))])
    problems: list[Problem] = []
    rows = []
    for number, cells in enumerate(sheet, start=1):
        values = []
        for column, cell in enumerate(cells):
            if cell.formula:
                problems.append(
                    Problem(
                        _("la cellule contient une formule : elle est refusée."),
                        number,
                        COLUMNS[column] if column < len(COLUMNS) else "",
                    )
                )
                values.append("")
            else:
                values.append("" if cell.value is None else str(cell.value))
        rows.append((number, values))
    data = _from_project_rows(rows, problems)
    return _finish(data, problems)


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
        rows = _read_csv_rows(decode_text(raw), delimiters=",")
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
        cells = {
            c: _clean_cell(row[i] if i < len(row) else "", line, c, problems) for i, c in enumerate(MOODLE_COLUMNS)
        }
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
    return _finish(data, problems)


def _has_loop(parents: dict[str, str]) -> bool:
    """Whether following parent links from some identifier comes back to it (linear time)."""
    done: set[str] = set()
    for start in parents:
        on_path: set[str] = set()
        current = start
        while current in parents and current not in done:
            if current in on_path:
                return True
            on_path.add(current)
            current = parents[current]
        done |= on_path
    return False


def _dict(value) -> dict:
    return value if isinstance(value, dict) else {}


def _list(value) -> list:
    return value if isinstance(value, list) else []


def read_case_json(raw: bytes) -> ImportResult:
    """A 1EdTech CASE 1.1 CFPackage as written by export_case."""
    try:
        text = decode_text(raw)
    except ImportRefused as refused:
        return ImportResult(FrameworkData(), refused.problems)
    try:
        package = json.loads(text)
    except json.JSONDecodeError as error:
        return ImportResult(
            FrameworkData(), [Problem(_("JSON invalide : %(error)s.") % {"error": error.msg}, error.lineno)]
        )
    except RecursionError:
        return ImportResult(FrameworkData(), [Problem(_("JSON invalide : trop de niveaux imbriqués."))])
    except ValueError:
        # An integer of more than 4,300 digits, which Python refuses to convert.
        return ImportResult(FrameworkData(), [Problem(_("JSON invalide : un nombre est trop long."))])
    if not isinstance(package, dict) or not isinstance(package.get("CFDocument"), dict):
        return ImportResult(FrameworkData(), [Problem(_("ce n'est pas un paquet CASE : CFDocument est absent."))])
    try:
        return _from_case_package(package)
    except (TypeError, AttributeError, KeyError, ValueError, OverflowError, RecursionError):
        # A value of an unexpected JSON type that the checks below did not foresee: a problem, not a crash.
        return ImportResult(FrameworkData(), [Problem(_("le paquet CASE contient une valeur d'un type inattendu."))])


def _from_case_package(package: dict) -> ImportResult:
    problems: list[Problem] = []
    items = package.get("CFItems") or []
    associations = package.get("CFAssociations") or []
    if not isinstance(items, list) or not isinstance(associations, list):
        return ImportResult(FrameworkData(), [Problem(_("CFItems et CFAssociations doivent être des listes."))])
    kinds = {
        "mission": "mission",
        "activité": "activity",
        "activite": "activity",
        "domaine": "domain",
        "compétence": "competence",
        "competence": "competence",
    }
    by_id = {}
    for position, item in enumerate(items, start=1):
        where = _("CFItems n°%(n)s") % {"n": position}
        if not isinstance(item, dict):
            problems.append(Problem(_("%(where)s : objet attendu.") % {"where": where}))
            continue
        missing = [key for key in ("identifier", "fullStatement", "uri", "lastChangeDateTime") if not item.get(key)]
        if missing:
            problems.append(
                Problem(
                    _("%(where)s : champs obligatoires manquants : %(fields)s.")
                    % {"where": where, "fields": ", ".join(missing)}
                )
            )
            continue
        not_text = [
            key
            for key in ("identifier", "fullStatement", "abbreviatedStatement", "humanCodingScheme", "notes")
            if item.get(key) is not None and not isinstance(item[key], str | int)
        ]
        if not_text:
            problems.append(
                Problem(
                    _("%(where)s : texte attendu pour %(fields)s.") % {"where": where, "fields": ", ".join(not_text)}
                )
            )
            continue
        kind = kinds.get(str(item.get("CFItemType", "")).strip().lower())
        if kind is None:
            problems.append(
                Problem(
                    _("%(where)s : type d'élément inconnu « %(type)s ».")
                    % {"where": where, "type": str(item.get("CFItemType", ""))[:30]}
                )
            )
            continue
        identifier = str(item["identifier"])
        if identifier in by_id:
            problems.append(Problem(_("%(where)s : identifiant déjà utilisé par un autre élément.") % {"where": where}))
            continue
        by_id[identifier] = (kind, item, position)
    parents, links, replaces = {}, {}, {}
    for position, association in enumerate(associations, start=1):
        try:
            kind = association["associationType"]
            origin = association["originNodeURI"]["identifier"]
            destination = association["destinationNodeURI"]["identifier"]
        except (KeyError, TypeError):
            origin = destination = None
        if not isinstance(origin, str | int) or not isinstance(destination, str | int):
            problems.append(Problem(_("CFAssociations n°%(n)s : association incomplète.") % {"n": position}))
            continue
        origin, destination = str(origin), str(destination)
        if kind == "isChildOf" and origin in by_id:
            if origin in parents:
                problems.append(Problem(_("CFAssociations n°%(n)s : l'élément a déjà un parent.") % {"n": position}))
            parents[origin] = (destination, association.get("sequenceNumber"))
        elif kind == "isRelatedTo" and origin in by_id:
            links.setdefault(origin, []).append(destination)
        elif kind == "replacedBy" and destination in by_id:
            title = association["originNodeURI"].get("title", "")
            replaces[destination] = title if isinstance(title, str) else str(title)
    if _has_loop({child: parent for child, (parent, _sequence) in parents.items()}):
        problems.append(Problem(_("les associations isChildOf forment une boucle.")))
        return ImportResult(FrameworkData(), problems)

    def code_of(identifier):
        entry = by_id.get(identifier)
        return str(entry[1].get("humanCodingScheme") or "") if entry else ""

    def whole_number(value, default):
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            return default
        try:
            return int(value)
        except (ValueError, OverflowError):
            return default

    document = package["CFDocument"]
    description = document.get("description")
    data = FrameworkData(summary=description if isinstance(description, str) else "")
    for identifier, (kind, item, position) in by_id.items():
        code = code_of(identifier)
        title = str(item.get("abbreviatedStatement") or item["fullStatement"])
        notes = str(item.get("notes") or "")
        parent_id, sequence = parents.get(identifier, ("", None))
        order = whole_number(sequence if sequence is not None else item.get("listEnumeration") or position, position)
        parent = code_of(parent_id)
        replaced = replaces.get(identifier, "")
        if kind in ("activity", "competence") and parent_id not in by_id:
            problems.append(
                Problem(
                    _("l'élément « %(code)s » n'a pas de parent valide.") % {"code": code[:40]}, position, "isChildOf"
                )
            )
        if kind == "domain":
            data.domains.append(DomainData(code, title, notes, order, replaced, position))
        elif kind == "mission":
            data.missions.append(MissionData(code, title, notes, order, replaced, position))
        elif kind == "competence":
            keywords = [keyword for keyword in _list(item.get("conceptKeywords")) if isinstance(keyword, str)]
            kind_value = next((k for k in keywords if k in CompetenceKind.values), CompetenceKind.SKILL)
            data.competences.append(
                CompetenceData(
                    code, parent, title, notes, kind_value, "transversale" in keywords, order, replaced, {}, position
                )
            )
        else:
            data.activities.append(
                ActivityData(
                    code,
                    parent,
                    title,
                    notes,
                    order,
                    replaced,
                    sorted({code_of(i) or i for i in links.get(identifier, [])}),
                    position,
                )
            )
    competences = {c.code: c for c in data.competences}
    for rubric in _list(package.get("CFRubrics")):
        for criterion in _list(_dict(rubric).get("CFRubricCriteria")):
            if not isinstance(criterion, dict):
                problems.append(Problem(_("critère de grille mal formé : objet attendu.")))
                continue
            levels = []
            for level in _list(criterion.get("CFRubricCriterionLevels")):
                level = _dict(level)
                score = level.get("score")
                value = whole_number(score, None) if not isinstance(score, float) or score.is_integer() else None
                if value is None:
                    problems.append(Problem(_("niveau de grille sans score entier.")))
                    continue
                levels.append((value, str(level.get("quality") or ""), str(level.get("description") or "")))
            item_node = criterion.get("CFItemURI")
            if not item_node:
                data.scale = [LevelData(value, quality, text) for value, quality, text in sorted(levels)]
            else:
                code = code_of(str(_dict(item_node).get("identifier", "")))
                if code in competences:
                    levels_by_value = {}
                    for value, _quality, text in sorted(levels):
                        if value in levels_by_value:
                            problems.append(
                                Problem(
                                    _("le niveau %(value)s de la compétence « %(code)s » est décrit deux fois.")
                                    % {"value": value, "code": code}
                                )
                            )
                        levels_by_value[value] = text
                    competences[code].levels = levels_by_value
    return _finish(data, problems)


READERS = {"csv": read_project_csv, "xlsx": read_project_xlsx, "case": read_case_json, "moodle": read_moodle_csv}


def read_file(*, raw: bytes, file_format: str) -> ImportResult:
    """Read `raw` in `file_format`; size and format are checked before anything else."""
    if len(raw) > MAX_IMPORT_BYTES:
        return ImportResult(
            FrameworkData(),
            [
                Problem(
                    _("Le fichier est trop volumineux (%(size)s Mo au plus).")
                    % {"size": MAX_IMPORT_BYTES // (1024 * 1024)}
                )
            ],
        )
    if not raw.strip():
        return ImportResult(FrameworkData(), [Problem(_("Le fichier est vide."))])
    reader = READERS.get(file_format)
    if reader is None:
        return ImportResult(FrameworkData(), [Problem(_("Format de fichier inconnu."))])
    return reader(raw)
