"""1EdTech CASE 1.1: a CFPackage in JSON, from any publisher, read into a FrameworkData (the writer is case.py).

The structure comes from the isChildOf associations (children of the CFDocument are at the top), at any depth;
the item types may be ours (CFItemType Domaine, Compétence, Mission, Activité), anyone's, or absent: tree.py maps
the levels. Other associations: isRelatedTo between two items → related competences (or an activity's
competences), isRelatedTo / exactMatchOf to a node outside the package → an alignment with an external framework
(ESCO, ROME, RNCP…), replacedBy → the code replaced; every other type is counted in the notes. Every problem
names CASE's own fields and the item's identifier.
"""

import json
from urllib.parse import urlsplit

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from competences.enums import AlignmentRelation, AlignmentScheme, CompetenceKind
from referentiel.formats.common import ImportRefused, ImportResult, decode_text
from referentiel.formats.tree import (
    KIND_SCALE,
    MAX_NODES,
    SourceNode,
    SourceTree,
    alignment,
    count_note,
    kind_of,
    kinds_from_types,
    link_nodes,
    own_kind,
    remap_read,
)
from referentiel.framework import FrameworkData, LevelData, Problem

FIELD_NAMES = {
    "code": "humanCodingScheme",
    "titre": "fullStatement",
    "description": "notes",
    "parent": "isChildOf",
    "ordre": "sequenceNumber",
    "remplace": "replacedBy",
    "competences": "isRelatedTo",
    "niveau": "CFRubrics",
    "nature": "conceptKeywords",
    "correspondance": "exactMatchOf / isRelatedTo",
    "resume": "CFDocument.description",
}
REQUIRED = ("identifier", "fullStatement", "uri", "lastChangeDateTime")
TEXT_FIELDS = ("identifier", "fullStatement", "abbreviatedStatement", "humanCodingScheme", "notes")


def _dict(value) -> dict:
    return value if isinstance(value, dict) else {}


def _list(value) -> list:
    return value if isinstance(value, list) else []


def _text(value) -> str:
    return str(value) if isinstance(value, str | int) and not isinstance(value, bool) else ""


def _whole_number(value, default):
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return default
    if isinstance(value, float) and not value.is_integer():
        return default
    try:
        return int(value)
    except (ValueError, OverflowError):
        return default


def read_case_json(raw: bytes) -> ImportResult:
    """A 1EdTech CASE 1.1 CFPackage, mapped with the default roles."""
    return remap_read(read_case_tree(raw))


def read_case_tree(raw: bytes) -> SourceTree | ImportResult:
    """The package's tree, or an ImportResult with the problem when it cannot be read as a CFPackage."""
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
        return _tree_of(package)
    except (TypeError, AttributeError, KeyError, ValueError, OverflowError, RecursionError):
        # A value of an unexpected JSON type that the checks below did not foresee: a problem, not a crash.
        return ImportResult(FrameworkData(), [Problem(_("le paquet CASE contient une valeur d'un type inattendu."))])


def _tree_of(package: dict) -> SourceTree | ImportResult:
    items = package.get("CFItems") or []
    associations = package.get("CFAssociations") or []
    if not isinstance(items, list) or not isinstance(associations, list):
        return ImportResult(FrameworkData(), [Problem(_("CFItems et CFAssociations doivent être des listes."))])
    if len(items) > MAX_NODES:
        return ImportResult(
            FrameworkData(), [Problem(_("trop d'éléments dans CFItems : %(max)s au plus.") % {"max": MAX_NODES})]
        )
    document = package["CFDocument"]
    document_id = _text(document.get("identifier"))
    tree = SourceTree(
        format="case",
        name=_text(document.get("title")),
        summary=_text(document.get("description")) if isinstance(document.get("description"), str) else "",
        field_names=dict(FIELD_NAMES),
    )
    problems = tree.problems
    nodes: dict[str, SourceNode] = {}
    # Our export's item for the scale exists only for the rubric to name it: not part of the tree.
    scale_items: set[str] = set()
    for position, item in enumerate(items, start=1):
        where = _("CFItems n°%(n)s") % {"n": position}
        if not isinstance(item, dict):
            problems.append(Problem(_("%(where)s : objet attendu.") % {"where": where}))
            continue
        identifier = _text(item.get("identifier"))
        ref = identifier or where
        not_text = [key for key in TEXT_FIELDS if item.get(key) is not None and not _text(item[key])]
        if not_text:
            problems += [Problem(_("texte attendu."), field=key, item=ref) for key in not_text]
            continue
        missing = [key for key in REQUIRED if not item.get(key)]
        if missing:
            problems.append(
                Problem(_("champs obligatoires manquants : %(fields)s.") % {"fields": ", ".join(missing)}, item=ref)
            )
            continue
        if identifier in nodes or identifier == document_id:
            problems.append(
                Problem(_("identifiant déjà utilisé par un autre élément."), field="identifier", item=identifier)
            )
            continue
        type_uri = _dict(item.get("CFItemTypeURI"))
        type_label = _text(item.get("CFItemType")) or _text(type_uri.get("title"))
        if kind_of(type_label) == KIND_SCALE:
            scale_items.add(identifier)
            continue
        keywords = [keyword for keyword in _list(item.get("conceptKeywords")) if isinstance(keyword, str)]
        nodes[identifier] = SourceNode(
            id=identifier,
            title=_text(item["fullStatement"]),
            code=_text(item.get("humanCodingScheme")).strip(),
            description=_text(item.get("notes")),
            order=_whole_number(item.get("listEnumeration"), position),
            kind=own_kind(type_label),
            type_label=type_label,
            short_title=_text(item.get("abbreviatedStatement")),
            competence_kind=next((k for k in keywords if k in CompetenceKind.values), ""),
            transversal="transversale" in keywords,
            ref=identifier,
        )
    tree.nodes = list(nodes.values())
    _read_associations(tree, nodes, associations, document_id, _text(document.get("uri")), scale_items)
    link_nodes(tree, parent_field="isChildOf")
    # Other publishers' types (Domain, Cluster, Standard, Competency…) give the preview's default roles.
    kinds_from_types(tree)
    tree.scale = _read_rubrics(tree, nodes, package.get("CFRubrics"), scale_items)
    return tree


def _same_site(uri: str, other: str) -> bool:
    first, second = urlsplit(uri), urlsplit(other)
    return bool(first.netloc) and (first.scheme, first.netloc) == (second.scheme, second.netloc)


def _external_alignment(relation: str, node: dict, association: dict) -> dict:
    """The alignment an association makes with a node outside the package; our export's exact values first."""
    exact = _dict(_dict(association.get("extensions")).get("alignment"))
    if exact.get("relation") in AlignmentRelation.values and exact.get("scheme") in AlignmentScheme.values:
        values = {name: _text(exact.get(name)) for name in ("relation", "scheme", "uri", "code", "title")}
        if values["uri"] or values["code"]:
            return values
    return alignment(
        relation, uri=_text(node.get("uri")), identifier=_text(node.get("identifier")), title=_text(node.get("title"))
    )


def _read_associations(
    tree: SourceTree, nodes: dict, associations: list, document_id: str, document_uri: str, scale_items: set
):
    problems = tree.problems
    has_parent: set[str] = set()
    several_parents: list[str] = []
    left_aside: dict[str, int] = {}
    unplaced_replacements = 0
    for position, association in enumerate(associations, start=1):
        association = _dict(association)
        kind = _text(association.get("associationType"))
        origin_node = association.get("originNodeURI")
        destination_node = association.get("destinationNodeURI")
        origin = _text(_dict(origin_node).get("identifier"))
        destination = _text(_dict(destination_node).get("identifier"))
        if not kind or not origin or not destination:
            problems.append(
                Problem(
                    _("association incomplète (associationType, originNodeURI, destinationNodeURI)."),
                    item=_text(association.get("identifier")) or _("CFAssociations n°%(n)s") % {"n": position},
                )
            )
            continue
        destination_node = _dict(destination_node)
        origin_node = _dict(origin_node)
        if origin in scale_items or destination in scale_items:
            continue
        if (
            kind == "exactMatchOf"
            and origin in nodes
            and destination not in nodes
            and destination_node.get("targetType") == "CASE"
            and _same_site(_text(destination_node.get("uri")), document_uri)
        ):
            # The same item in the version this one was drafted from (our export): information only.
            continue
        if kind == "isChildOf":
            if origin not in nodes:
                left_aside[kind] = left_aside.get(kind, 0) + 1
                continue
            if origin in has_parent:
                several_parents.append(origin)
                continue
            has_parent.add(origin)
            node = nodes[origin]
            is_document = destination == document_id or (
                destination not in nodes and document_uri and _text(destination_node.get("uri")) == document_uri
            )
            if not is_document and destination not in nodes:
                problems.append(
                    Problem(
                        _("le parent « %(parent)s » n'est ni le CFDocument ni un élément du paquet.")
                        % {"parent": destination[:80]},
                        field="isChildOf",
                        item=origin,
                    )
                )
            node.parent = "" if is_document else destination
            sequence = association.get("sequenceNumber")
            if sequence is not None:
                # Out of range is kept as found: framework_check says so, on the field « sequenceNumber ».
                node.order = _whole_number(sequence, node.order)
        elif kind in ("isRelatedTo", "exactMatchOf"):
            relation = "exact" if kind == "exactMatchOf" else "close"
            if origin in nodes and destination in nodes:
                if kind == "isRelatedTo":
                    nodes[origin].related.append(destination)
                else:
                    left_aside[kind] = left_aside.get(kind, 0) + 1
            elif origin in nodes or destination in nodes:
                inside, outside = (origin, destination_node) if origin in nodes else (destination, origin_node)
                nodes[inside].alignments.append(_external_alignment(relation, outside, association))
            else:
                left_aside[kind] = left_aside.get(kind, 0) + 1
        elif kind == "replacedBy" and destination in nodes:
            replaced = nodes[origin].code if origin in nodes else _text(origin_node.get("title"))
            nodes[destination].replaces = replaced.strip()
        else:
            if kind == "replacedBy":
                unplaced_replacements += 1
            else:
                left_aside[kind[:40]] = left_aside.get(kind[:40], 0) + 1
    orphans = [node for node in tree.nodes if node.id not in has_parent]
    if orphans and tree.nodes:
        tree.notes.append(
            ngettext(
                "%(count)s élément sans association isChildOf est placé au premier niveau.",
                "%(count)s éléments sans association isChildOf sont placés au premier niveau.",
                len(orphans),
            )
            % {"count": len(orphans)}
        )
    if several_parents:
        tree.notes.append(
            ngettext(
                "%(count)s élément a plusieurs parents (isChildOf) : seul le premier est repris.",
                "%(count)s éléments ont plusieurs parents (isChildOf) : seul le premier est repris.",
                len(set(several_parents)),
            )
            % {"count": len(set(several_parents))}
        )
    if unplaced_replacements:
        left_aside["replacedBy"] = unplaced_replacements
    tree.notes += count_note(
        left_aside,
        "%(count)s association de type « %(type)s » n'est pas reprise (sans équivalent dans le référentiel).",
        "%(count)s associations de type « %(type)s » ne sont pas reprises (sans équivalent dans le référentiel).",
    )


def _read_rubrics(tree: SourceTree, nodes: dict, rubrics, scale_items: set) -> list[LevelData]:
    problems = tree.problems
    scale: list[LevelData] = []
    for rubric in _list(rubrics):
        for criterion in _list(_dict(rubric).get("CFRubricCriteria")):
            if not isinstance(criterion, dict):
                problems.append(Problem(_("critère de grille mal formé : objet attendu."), field="CFRubricCriteria"))
                continue
            where = _text(criterion.get("identifier")) or _text(_dict(criterion.get("CFItemURI")).get("identifier"))
            levels = []
            for level in _list(criterion.get("CFRubricCriterionLevels")):
                level = _dict(level)
                value = _whole_number(level.get("score"), None)
                if value is None:
                    problems.append(Problem(_("niveau de grille sans score entier."), field="score", item=where))
                    continue
                proficient = any(
                    isinstance(extension, dict) and extension.get("proficient") is True
                    for extension in _list(level.get("extensions"))
                )
                levels.append((value, _text(level.get("quality")), _text(level.get("description")), proficient))
            item_id = _text(_dict(criterion.get("CFItemURI")).get("identifier"))
            if criterion.get("category") == "echelle" or not criterion.get("CFItemURI") or item_id in scale_items:
                scale = [
                    LevelData(value, quality, text, ref=where, proficient=proficient)
                    for value, quality, text, proficient in sorted(levels)
                ]
                continue
            node = nodes.get(item_id)
            if node is None:
                continue
            descriptors: dict[str, str] = {}
            for value, _quality, text, _proficient in sorted(levels):
                if str(value) in descriptors:
                    problems.append(
                        Problem(
                            _("le niveau %(value)s est décrit deux fois.") % {"value": value},
                            field="CFRubricCriterionLevels",
                            item=node.id,
                        )
                    )
                descriptors[str(value)] = text
            node.levels = descriptors
    return scale
