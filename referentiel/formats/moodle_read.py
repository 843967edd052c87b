"""Moodle's CSV of a competency framework (admin/tool/lpimportcsv) read into a FrameworkData (the writer is moodle.py).

Moodle writes 14 columns, named in the language of the site that exported them; they are read by position,
as Moodle does: parentidnumber, idnumber, shortname, description, descriptionformat, scalevalues,
scaleconfiguration, ruletype, ruleoutcome, ruleconfig, relatedidnumbers, exportid, isframework, taxonomy. The
competencies form a tree of any depth (tree.py maps its levels); our own exports put the competences and the
missions under two top containers (COMPETENCES, MISSIONS) so that both trees come back.
"""

import html
import json
import re

import nh3
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from referentiel.formats.common import ImportRefused, ImportResult, decode_text, read_csv_rows
from referentiel.formats.moodle import (
    MOODLE_COLUMNS,
    MOODLE_COMPETENCES,
    MOODLE_CUT_MARK,
    MOODLE_MISSIONS,
    MOODLE_SHORT_NAME_MAX,
)
from referentiel.formats.tree import (
    KIND_ACTIVITY,
    KIND_DOMAIN,
    KIND_MISSION,
    MAX_NODES,
    SourceNode,
    SourceTree,
    kind_of,
    kinds_from_types,
    link_nodes,
    remap_read,
)
from referentiel.framework import FrameworkData, LevelData, Problem

PARENT, IDNUMBER, SHORTNAME, DESCRIPTION, FORMAT, SCALE_VALUES, SCALE_CONFIGURATION = range(7)
RULE_TYPE, RULE_OUTCOME, RULE_CONFIG, RELATED, EXPORT_ID, IS_FRAMEWORK, TAXONOMY = range(7, 14)
# Moodle's description formats: 0 Moodle auto-format (HTML allowed), 1 HTML, 2 plain text, 4 Markdown.
HTML_FORMATS = {"0", "1", ""}
# Up to the taxonomy, which an old export may leave out.
MIN_COLUMNS = IS_FRAMEWORK + 1
FALSE_VALUES = {"", "0", "false", "faux", "non", "no"}

# Block elements whose end starts a new line of text; a list item is a line starting with "- ".
_BLOCK_TAGS = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "blockquote", "pre"}
_LINE_BREAK = re.compile(r"<br\s*/?>|</(?:p|div|li|ul|ol|h[1-6]|tr|blockquote|pre)>|<(?:p|div|ul|ol|h[1-6]|tr|pre)>")


def html_to_text(value: str) -> str:
    """Moodle's HTML description as plain text: paragraphs and list items as lines, nothing of the markup left."""
    # nh3 (an allow-list sanitiser) first: scripts and styles go with their content, what is kept is well formed.
    cleaned = nh3.clean(value.replace("\r", " ").replace("\n", " "), tags=_BLOCK_TAGS, attributes={})
    cleaned = cleaned.replace("<li>", "\n- ")
    cleaned = _LINE_BREAK.sub("\n", cleaned)
    text = html.unescape(nh3.clean(cleaned, tags=set()))
    lines = (" ".join(line.split()) for line in text.split("\n"))
    return "\n".join(line for line in lines if line and line != "-")


def looks_like_html(value: str) -> bool:
    return bool(re.search(r"<[A-Za-z/!][^>]*>|&[A-Za-z]+;|&#\d+;", value))


def _cell(row: list[str], index: int) -> str:
    text = (row[index] if index < len(row) else "").strip()
    # Our earlier exports neutralised formulas with a leading apostrophe: take it off again.
    if text.startswith("'") and len(text) > 1 and text[1] in "=+-@\t\r":
        return text[1:]
    return text


def _is_framework(row) -> bool:
    return _cell(row, IS_FRAMEWORK).lower() not in FALSE_VALUES


def _description(row) -> str:
    text = _cell(row, DESCRIPTION)
    if _cell(row, FORMAT) in HTML_FORMATS and looks_like_html(text):
        return html_to_text(text)
    return text


def _title_and_description(row) -> tuple[str, str]:
    """Short name and description; a Short name cut by our export (or Moodle's 100 characters) takes back the
    whole title when the description starts with it, followed by a blank line."""
    title, description = _cell(row, SHORTNAME), _description(row)
    if title.endswith(MOODLE_CUT_MARK):
        first, _blank, rest = description.partition("\n\n")
        if len(first) > MOODLE_SHORT_NAME_MAX and first.startswith(title[: -len(MOODLE_CUT_MARK)]):
            return first, rest
    return title, description


def _refused(message: str, line: int | None = 1) -> ImportResult:
    return ImportResult(FrameworkData(), [Problem(message, line)])


def read_moodle_csv(raw: bytes) -> ImportResult:
    """A Moodle competency framework CSV (as Moodle or our export writes it), mapped with the default roles."""
    return remap_read(read_moodle_tree(raw))


def read_moodle_tree(raw: bytes) -> SourceTree | ImportResult:
    """The file's tree, or an ImportResult with the problem when it cannot be read as a Moodle framework."""
    try:
        rows = read_csv_rows(decode_text(raw), delimiters=",;")
    except ImportRefused as refused:
        return ImportResult(FrameworkData(), refused.problems)
    if not rows:
        return _refused(_("le fichier ne contient aucun référentiel."))
    header_line, header = rows[0]
    header = [cell.strip().lstrip("\ufeff") for cell in header]
    if len(header) < MIN_COLUMNS or len(header) > 2 * len(MOODLE_COLUMNS):
        return _refused(
            _(
                "ce n'est pas un CSV de référentiel Moodle : %(expected)s colonnes attendues (%(columns)s), "
                "le fichier en a %(found)s."
            )
            % {"expected": len(MOODLE_COLUMNS), "columns": ", ".join(MOODLE_COLUMNS), "found": len(header)},
            header_line,
        )

    def name(index):
        return (header[index] if index < len(header) else "") or MOODLE_COLUMNS[index]

    body = [(line, row) for line, row in rows[1:] if any(cell.strip() for cell in row)]
    frameworks = [(line, row) for line, row in body if _is_framework(row)]
    if not frameworks:
        return _refused(
            _(
                "aucune ligne ne décrit le référentiel lui-même : la colonne « %(column)s » (la 13e) doit valoir 1 "
                "sur sa ligne."
            )
            % {"column": name(IS_FRAMEWORK)},
            body[0][0] if body else header_line,
        )
    framework_line, framework = frameworks[0]
    tree = SourceTree(
        format="moodle",
        name=_cell(framework, SHORTNAME),
        summary=_description(framework),
        field_names={
            "code": name(IDNUMBER),
            "titre": name(SHORTNAME),
            "description": name(DESCRIPTION),
            "parent": name(PARENT),
            "competences": name(RELATED),
            "niveau": name(SCALE_VALUES),
            "resume": name(DESCRIPTION),
        },
    )
    # The rows of a framework follow its own row: those of the second and next ones are left aside.
    records, ignored, current = [], 0, 0
    for line, row in body:
        if _is_framework(row):
            current += 1
        elif current <= 1:
            records.append((line, row))
        else:
            ignored += 1
    if len(frameworks) > 1:
        tree.notes.append(
            ngettext(
                "Le fichier contient %(count)s référentiels : seul le premier, « %(name)s », est importé "
                "(%(ignored)s ligne des suivants est laissée de côté).",
                "Le fichier contient %(count)s référentiels : seul le premier, « %(name)s », est importé "
                "(%(ignored)s lignes des suivants sont laissées de côté).",
                ignored,
            )
            % {"count": len(frameworks), "name": tree.name[:80], "ignored": ignored}
        )
    if len(records) > MAX_NODES:
        return _refused(_("trop de compétences : %(max)s au plus.") % {"max": MAX_NODES}, None)
    tree.scale = _scale(framework, framework_line, tree)
    own = _read_competencies(tree, records, framework, name)
    link_nodes(tree, parent_field=name(PARENT))
    taxonomy = [term.strip() for term in _cell(framework, TAXONOMY).split(",")]
    if not own:
        # The framework names each level (Moodle's taxonomy: domain, competency, indicator…): shown in the preview,
        # and the preview's default roles follow it when it names every level of the file.
        for node in tree.nodes:
            if node.depth <= len(taxonomy):
                node.type_label = taxonomy[node.depth - 1]
        if max((node.depth for node in tree.nodes), default=0) <= len(taxonomy):
            kinds_from_types(tree)
    return tree


def _scale(framework, line, tree: SourceTree) -> list[LevelData]:
    labels = [label.strip() for label in _cell(framework, SCALE_VALUES).split(",") if label.strip()]
    scale = [LevelData(value, label, "", line) for value, label in enumerate(labels, start=1)]
    configuration = _cell(framework, SCALE_CONFIGURATION)
    if not configuration:
        return scale
    try:
        entries = json.loads(configuration)
        proficient = {
            int(entry["id"]): str(entry.get("proficient", 0)) not in FALSE_VALUES
            for entry in entries
            if isinstance(entry, dict) and "id" in entry
        }
    except (ValueError, TypeError, KeyError, RecursionError):
        tree.notes.append(
            _("La configuration du barème est illisible : les niveaux de maîtrise (proficient) ne sont pas repris.")
        )
        return scale
    for level in scale:
        level.proficient = proficient.get(level.value, False)
    return scale


def _read_competencies(tree: SourceTree, records, framework, name) -> bool:
    """The competencies as nodes of `tree`; whether the file is our own export."""
    framework_id = _cell(framework, IDNUMBER)
    # Our own export: two top containers, the competences' and the missions'.
    containers = {
        f"{framework_id}-{MOODLE_COMPETENCES}": "competences",
        f"{framework_id}-{MOODLE_MISSIONS}": "missions",
    }
    roots = {_cell(row, IDNUMBER) for _line, row in records if not _cell(row, PARENT)}
    containers = {code: branch for code, branch in containers.items() if code in roots}
    scale_values = _cell(framework, SCALE_VALUES)
    seen: set[str] = set()
    positions: dict[tuple[str, str], int] = {}
    own_scales = rules = 0
    for line, row in records:
        identifier = _cell(row, IDNUMBER)
        if identifier in containers:
            continue
        if not identifier:
            tree.problems.append(Problem(_("le code est obligatoire."), line, name(IDNUMBER)))
            continue
        if identifier in seen:
            tree.problems.append(
                Problem(_("le code « %(code)s » est déjà utilisé.") % {"code": identifier[:40]}, line, name(IDNUMBER))
            )
            continue
        seen.add(identifier)
        parent = _cell(row, PARENT)
        related = [code.strip().replace("%2C", ",") for code in _cell(row, RELATED).split(",") if code.strip()]
        title, description = _title_and_description(row)
        node = SourceNode(
            id=identifier,
            code=identifier,
            title=title,
            description=description,
            parent="" if parent in containers else parent,
            line=line,
            related=related,
        )
        if containers:
            branch = containers.get(parent)
            if branch == "missions":
                node.kind = KIND_MISSION
            elif branch == "competences":
                node.kind = KIND_DOMAIN
            node.kind = kind_of(_cell(row, EXPORT_ID)) or node.kind
        # The position among its siblings; in our own export, among its siblings of the same kind (a domain's
        # competences and sub-domains are two lists).
        key = (parent, node.kind if containers else "")
        positions[key] = positions.get(key, 0) + 1
        node.order = positions[key]
        if values := _cell(row, SCALE_VALUES):
            own_scales += values != scale_values
        rules += bool(_cell(row, RULE_TYPE))
        tree.nodes.append(node)
    if containers:
        missions = {node.id for node in tree.nodes if node.kind == KIND_MISSION}
        for node in tree.nodes:
            if node.parent in missions and not node.kind:
                node.kind = KIND_ACTIVITY
            elif node.kind == KIND_MISSION and node.parent:
                node.kind = ""
    if own_scales:
        tree.notes.append(
            ngettext(
                "%(count)s compétence a son propre barème dans Moodle : seul celui du référentiel est repris.",
                "%(count)s compétences ont leur propre barème dans Moodle : seul celui du référentiel est repris.",
                own_scales,
            )
            % {"count": own_scales}
        )
    if rules:
        tree.notes.append(
            ngettext(
                "%(count)s règle de compétence de Moodle (%(column)s) n'est pas reprise.",
                "%(count)s règles de compétence de Moodle (%(column)s) ne sont pas reprises.",
                rules,
            )
            % {"count": rules, "column": name(RULE_TYPE)}
        )
    return bool(containers)
