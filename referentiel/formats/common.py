"""What the formats share: import limits and results, text decoding, cell checks, and the project's table.

Every reader returns an ImportResult and never raises on bad input: each problem is reported with its
line and field, in French, and nothing is written unless there is none. The project's table (its
columns and row types) is shared by the CSV and the XLSX.

The project's table: one header row (COLUMNS; case, spaces and a BOM do not matter; the last two columns
may be missing from older files), then one row per item, its kind in `type`:

=================  ================  ======================  ==============================================
type               code              parent                  other columns
=================  ================  ======================  ==============================================
version            the label         —                       description: the version's summary
niveau             1, 2, 3…          —                       titre, description; nature: "maitrise" when
                                                             reaching this level means mastery, else empty
domaine            code              parent domain, or       ordre, titre, description, remplace
                                     empty at the top
competence         code              its domain              ordre, titre, description, nature (savoir,
                                                             savoir-faire, savoir-etre), transversale
                                                             (oui/non), remplace, competences: related
                                                             competences, separated by ";"
niveau_competence  level value       the competence          description: what the level means for it
correspondance     the external      the competence          nature: exact (correspond à) or close (proche
                   code (may be                              de); referentiel_externe: esco, rome, rncp or
                   empty with a URI)                         autre; uri; titre: the external title
mission            code              —                       ordre, titre, description (its purpose),
                                                             remplace
activite           code              its mission             ordre, titre, description, remplace,
                                                             competences: the competences it mobilises
=================  ================  ======================  ==============================================

A cell is text, whatever it starts with: the spreadsheet exports put an apostrophe before a cell that a
spreadsheet would run as a formula (=, +, -, @), and the readers take it off; nothing is refused for
looking like a formula.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from competences.enums import CompetenceKind
from core.spreadsheets import SpreadsheetRefused, csv_rows
from referentiel.framework import (
    ActivityData,
    AlignmentData,
    CompetenceData,
    DomainData,
    FrameworkData,
    LevelData,
    MissionData,
    Problem,
    framework_check,
)

# A CASE package of 500 competences weighs about 1.8 MB (indented JSON): 4 MB leaves room for real
# frameworks; the request limit (6 MB, core.middleware) stays above it.
MAX_IMPORT_BYTES = 4 * 1024 * 1024
MAX_IMPORT_MB = MAX_IMPORT_BYTES // (1024 * 1024)
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
    # Formats read through a source tree (Moodle, CASE) also say what the preview shows: the depth levels found
    # (tree.LevelInfo), the roles applied to them, notes on what was generated or not carried, and the tree
    # itself, kept so that the curator can map it again without uploading the file again.
    levels: list = field(default_factory=list)
    roles: dict[int, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    tree: object | None = None

    @property
    def needs_scale(self) -> bool:
        """The file has no scale of levels: the curator chooses one (the published version's, or typed)."""
        return self.tree is not None and not self.tree.scale

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


def clean_cell(value, line=None, column="", problems=None) -> str:
    """The cell's text, stripped, with our spreadsheet exports' neutralising apostrophe taken off.

    Text is never refused for looking like a formula (`-10 %`, `+33 …`, `@équipe`, `=`): it is data, and
    only a spreadsheet would run it. Our CSV and XLSX exports neutralise such cells with a leading
    apostrophe (core.spreadsheets.neutralise), removed here. `line`, `column` and `problems` are kept for
    the readers that pass them.
    """
    text = "" if value is None else str(value)
    text = text.strip()
    if text.startswith("'") and len(text) > 1 and text[1] in "=+-@\t\r":
        return text[1:]
    return text


def read_csv_rows(text: str, *, delimiters=",;") -> list[tuple[int, list[str]]]:
    """The numbered rows of a CSV text, split on whichever of `delimiters` its first line uses most."""
    first_line = text.split("\n", 1)[0]
    delimiter = max(delimiters, key=first_line.count)
    try:
        return csv_rows(text, delimiter=delimiter, max_rows=MAX_ROWS)
    except SpreadsheetRefused as refused:
        raise ImportRefused(str(refused)) from None


# The project's own table (CSV and XLSX), one row per item: see the module docstring.
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
    "referentiel_externe",
    "uri",
]
# A file without the last two columns (written before correspondances existed) is still read.
REQUIRED_COLUMNS = COLUMNS[:10]
ROW_TYPES = {
    "version": "version",
    "niveau": "level",
    "domaine": "domain",
    "competence": "competence",
    "niveau_competence": "competence_level",
    "correspondance": "alignment",
    "mission": "mission",
    "activite": "activity",
}
PROFICIENT_NATURE = "maitrise"
PROFICIENT_NATURES = {"maitrise", "maîtrise"}


def _split_codes(text: str) -> list[str]:
    return [code.strip() for code in text.replace(",", ";").split(";") if code.strip()]


def project_rows(data: FrameworkData) -> list[list[str]]:
    """The header and one row per item, in the project's columns."""
    rows = [COLUMNS]

    def add(row_type, code="", parent="", order="", title="", description="", **others):
        cells = dict.fromkeys(COLUMNS, "")
        cells.update(
            {
                "type": row_type,
                "code": code,
                "parent": parent,
                "ordre": order,
                "titre": title,
                "description": description,
            }
            | others
        )
        rows.append([cells[column] for column in COLUMNS])

    add("version", data.label, description=data.summary)
    for level in data.scale:
        add(
            "niveau",
            str(level.value),
            title=level.label,
            description=level.descriptor,
            nature=PROFICIENT_NATURE if level.proficient else "",
        )
    for domain in data.domains:
        add(
            "domaine",
            domain.code,
            domain.parent,
            str(domain.order),
            domain.title,
            domain.description,
            remplace=domain.replaces,
        )
    for competence in data.competences:
        add(
            "competence",
            competence.code,
            competence.domain,
            str(competence.order),
            competence.title,
            competence.description,
            nature=competence.kind,
            transversale="oui" if competence.transversal else "non",
            remplace=competence.replaces,
            competences=";".join(competence.related),
        )
        for value, text in sorted(competence.levels.items()):
            add("niveau_competence", str(value), competence.code, description=text)
        for alignment in competence.alignments:
            add(
                "correspondance",
                alignment.code,
                competence.code,
                title=alignment.title,
                nature=alignment.relation,
                referentiel_externe=alignment.scheme,
                uri=alignment.uri,
            )
    for mission in data.missions:
        add("mission", mission.code, "", str(mission.order), mission.title, mission.purpose, remplace=mission.replaces)
    for activity in data.activities:
        add(
            "activite",
            activity.code,
            activity.mission,
            str(activity.order),
            activity.title,
            activity.description,
            remplace=activity.replaces,
            competences=";".join(activity.competences),
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


def _header_name(cell) -> str:
    """A header cell as a column name: case, surrounding spaces and a BOM do not matter."""
    return str(cell or "").replace("\ufeff", "").strip().lower()


def framework_from_project_rows(rows: list[tuple[int, list]], problems: list[Problem]) -> FrameworkData:
    """The framework in numbered rows of the project's table; each problem found is added to `problems`."""
    data = FrameworkData()
    if not rows:
        problems.append(Problem(_("le fichier est vide.")))
        return data
    header_line, header = rows[0]
    header = [_header_name(h) for h in header]
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        problems.append(Problem(_("colonnes manquantes : %(columns)s.") % {"columns": ", ".join(missing)}, header_line))
        return data
    index = {column: header.index(column) for column in COLUMNS if column in header}
    competences: dict[str, CompetenceData] = {}
    pending_levels = []
    pending_alignments = []
    positions: dict[tuple[str, str], int] = {}
    version_line = None
    for line, raw in rows[1:]:
        if not any(str(cell or "").strip() for cell in raw):
            continue
        cells = dict.fromkeys(COLUMNS, "") | {
            column: clean_cell(raw[i] if i < len(raw) else "") for column, i in index.items()
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
        # Default orders count the rows of one type under one parent (a domain's competences and sub-domains apart).
        positions[(row_type, parent)] = positions.get((row_type, parent), 0) + 1
        order = _int(cells["ordre"], line, "ordre", problems, default=positions[(row_type, parent)])
        if row_type in ("mission", "level", "version") and parent:
            problems.append(Problem(_("cette ligne ne doit pas avoir de parent."), line, "parent"))
        if row_type in ("competence", "activity", "competence_level", "alignment") and not parent:
            problems.append(Problem(_("le parent est obligatoire pour ce type de ligne."), line, "parent"))
        if row_type == "version":
            if version_line is not None:
                problems.append(
                    Problem(
                        _("une seule ligne « version » est attendue (déjà ligne %(first)s).") % {"first": version_line},
                        line,
                        "type",
                    )
                )
            version_line = line
            data.summary = cells["description"]
        elif row_type == "level":
            nature = cells["nature"].lower()
            if nature not in PROFICIENT_NATURES | {""}:
                problems.append(
                    Problem(
                        _("nature inconnue « %(nature)s » pour un niveau (« maitrise » ou vide).")
                        % {"nature": cells["nature"][:30]},
                        line,
                        "nature",
                    )
                )
            data.scale.append(
                LevelData(
                    _int(cells["code"], line, "code", problems),
                    cells["titre"],
                    cells["description"],
                    line,
                    proficient=nature in PROFICIENT_NATURES,
                )
            )
        elif row_type == "domain":
            data.domains.append(
                DomainData(
                    cells["code"], cells["titre"], cells["description"], order, cells["remplace"], line, parent=parent
                )
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
                related=_split_codes(cells["competences"]),
            )
            data.competences.append(competence)
            competences.setdefault(competence.code, competence)
        elif row_type == "activity":
            data.activities.append(
                ActivityData(
                    cells["code"],
                    parent,
                    cells["titre"],
                    cells["description"],
                    order,
                    cells["remplace"],
                    sorted(set(_split_codes(cells["competences"]))),
                    line,
                )
            )
        elif row_type == "alignment":
            alignment = AlignmentData(
                cells["nature"].lower(),
                cells["referentiel_externe"].lower(),
                cells["uri"],
                cells["code"],
                cells["titre"],
            )
            pending_alignments.append((line, parent, alignment))
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
    for line, parent, alignment in pending_alignments:
        if parent not in competences:
            problems.append(
                Problem(_("la compétence « %(code)s » n'existe pas.") % {"code": parent[:40]}, line, "parent")
            )
        else:
            competences[parent].alignments.append(alignment)
    for competence in data.competences:
        competence.levels = dict(sorted(competence.levels.items()))
    return data
