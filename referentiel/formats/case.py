"""1EdTech CASE 1.1: the version as a CFPackage in JSON, and such a package read back.

Identifiers are UUIDs derived from the version label and each item's code, so that the same version gives
the same identifiers wherever it is exported; every URI is a permanent link of the site.
"""

import json
import uuid
from datetime import UTC, datetime

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from competences.enums import CompetenceKind
from referentiel.formats.common import ImportRefused, ImportResult, decode_text, finish
from referentiel.framework import (
    ActivityData,
    CompetenceData,
    DomainData,
    FrameworkData,
    LevelData,
    MissionData,
    Problem,
)

# Fixed namespace: the same version gives the same identifiers wherever it is exported.
CASE_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://codev-reseau.fr/referentiel")
CASE_ITEM_TYPES = {"mission": "Mission", "activity": "Activité", "domain": "Domaine", "competence": "Compétence"}


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
    return finish(data, problems)


def case_identifier(label: str, key: str) -> str:
    """A UUID derived from the version label and an item's stable code."""
    return str(uuid.uuid5(CASE_NAMESPACE, f"{label}/{key}"))


def export_case(data: FrameworkData, *, changed_at: datetime | None = None) -> dict:
    """The version as a 1EdTech CASE 1.1 CFPackage."""
    label = data.label
    stamp = (changed_at or datetime.now(UTC)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")
    base = settings.SITE_URL.rstrip("/")

    def uri(name, *args):
        return base + reverse(f"referentiel:{name}", args=args)

    document_id = case_identifier(label, "document")
    document = {
        "identifier": document_id,
        "uri": uri("version", label),
        "creator": "Coordination nationale des conseils de développement (CNCD)",
        "title": f"Référentiel des technicien·nes de conseil de développement {label}",
        "lastChangeDateTime": stamp,
        "publisher": "CNCD",
        "description": data.summary,
        "language": "fr",
        "version": label,
        "adoptionStatus": "Adopted",
        "CFPackageURI": {"title": label, "identifier": document_id, "uri": uri("version", label)},
    }
    document_node = {"title": document["title"], "identifier": document_id, "uri": document["uri"]}
    items, associations, nodes = [], [], {}

    def add_item(kind, code, title, notes, order, keywords=None):
        identifier = case_identifier(label, f"{kind}:{code}")
        url_name = {"mission": "mission", "activity": "activity", "domain": "domain", "competence": "competence"}[kind]
        item = {
            "identifier": identifier,
            "uri": uri(url_name, label, code),
            "fullStatement": title,
            "abbreviatedStatement": title,
            "humanCodingScheme": code,
            "listEnumeration": str(order),
            "CFItemType": CASE_ITEM_TYPES[kind],
            "CFItemTypeURI": {
                "title": CASE_ITEM_TYPES[kind],
                "identifier": case_identifier(label, f"type:{kind}"),
                "uri": uri("version", label) + f"#type-{kind}",
            },
            "language": "fr",
            "lastChangeDateTime": stamp,
            "CFDocumentURI": document_node,
        }
        if notes:
            item["notes"] = notes
        if keywords:
            item["conceptKeywords"] = keywords
        items.append(item)
        nodes[(kind, code)] = {"title": title, "identifier": identifier, "uri": item["uri"]}
        return nodes[(kind, code)]

    def associate(kind, origin, destination, sequence=None):
        key = f"association:{kind}:{origin['identifier']}:{destination['identifier']}"
        association = {
            "identifier": case_identifier(label, key),
            "associationType": kind,
            "uri": uri("version", label) + "#" + case_identifier(label, key),
            "originNodeURI": origin,
            "destinationNodeURI": destination,
            "lastChangeDateTime": stamp,
            "CFDocumentURI": document_node,
        }
        if sequence is not None:
            association["sequenceNumber"] = sequence
        associations.append(association)

    def replaced(kind, item, node):
        if item.replaces:
            old = {
                "title": item.replaces,
                "identifier": case_identifier(label, f"replaced:{kind}:{item.replaces}"),
                "uri": uri("version", label) + f"#remplace-{item.replaces}",
            }
            associate("replacedBy", old, node)

    for domain in data.domains:
        node = add_item("domain", domain.code, domain.title, domain.description, domain.order)
        associate("isChildOf", node, document_node, domain.order)
        replaced("domain", domain, node)
    for competence in data.competences:
        keywords = [competence.kind] + (["transversale"] if competence.transversal else [])
        node = add_item(
            "competence", competence.code, competence.title, competence.description, competence.order, keywords
        )
        associate("isChildOf", node, nodes[("domain", competence.domain)], competence.order)
        replaced("competence", competence, node)
    for mission in data.missions:
        node = add_item("mission", mission.code, mission.title, mission.purpose, mission.order)
        associate("isChildOf", node, document_node, mission.order)
        replaced("mission", mission, node)
    for activity in data.activities:
        node = add_item("activity", activity.code, activity.title, activity.description, activity.order)
        associate("isChildOf", node, nodes[("mission", activity.mission)], activity.order)
        replaced("activity", activity, node)
        for code in activity.competences:
            associate("isRelatedTo", node, nodes[("competence", code)])

    rubric_id = case_identifier(label, "rubric")

    def criterion(key, description, levels, item_node=None, position=0):
        criterion_id = case_identifier(label, f"criterion:{key}")
        result = {
            "identifier": criterion_id,
            "uri": uri("version", label) + f"#criterion-{key}",
            "category": "echelle" if item_node is None else "competence",
            "description": description,
            "position": position,
            "rubricId": rubric_id,
            "lastChangeDateTime": stamp,
            "CFRubricCriterionLevels": [
                {
                    "identifier": case_identifier(label, f"criterion:{key}:level:{value}"),
                    "uri": uri("version", label) + f"#criterion-{key}-{value}",
                    "description": text,
                    "quality": quality,
                    "score": value,
                    "position": value,
                    "rubricCriterionId": criterion_id,
                    "lastChangeDateTime": stamp,
                }
                for value, quality, text in levels
            ],
        }
        if item_node is not None:
            result["CFItemURI"] = item_node
        return result

    labels = {level.value: level.label for level in data.scale}
    criteria = [criterion("scale", "Échelle de niveaux", [(s.value, s.label, s.descriptor) for s in data.scale])]
    for position, competence in enumerate((c for c in data.competences if c.levels), start=1):
        criteria.append(
            criterion(
                competence.code,
                competence.title,
                [(value, labels.get(value, str(value)), text) for value, text in sorted(competence.levels.items())],
                nodes[("competence", competence.code)],
                position,
            )
        )
    definitions = {
        "CFItemTypes": [
            {
                "identifier": case_identifier(label, f"type:{kind}"),
                "uri": uri("version", label) + f"#type-{kind}",
                "title": title,
                "description": title,
                "hierarchyCode": kind,
                "lastChangeDateTime": stamp,
            }
            for kind, title in CASE_ITEM_TYPES.items()
        ]
    }
    return {
        "CFDocument": document,
        "CFItems": items,
        "CFAssociations": associations,
        "CFDefinitions": definitions,
        "CFRubrics": [
            {
                "identifier": rubric_id,
                "uri": uri("version", label) + "#echelle",
                "title": "Échelle de niveaux",
                "description": "Niveaux de maîtrise des compétences",
                "lastChangeDateTime": stamp,
                "CFRubricCriteria": criteria,
            }
        ],
    }


def export_case_json(data: FrameworkData, *, changed_at: datetime | None = None) -> bytes:
    """The CFPackage as UTF-8 JSON; `changed_at` dates every item (default: now)."""
    return json.dumps(export_case(data, changed_at=changed_at), ensure_ascii=False, indent=2).encode("utf-8")
