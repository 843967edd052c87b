"""1EdTech CASE 1.1: the version as a CFPackage in JSON (the reader is case_read.py).

The package validates against the official CASE 1.1 JSON schema (tests/referentiel/data, checked in the
tests): no field the schema forbids, `caseVersion` "1.1", `adoptionStatus` from the version's status.

Identifiers are UUIDs derived from a version label and a stable key (`case_identifier`), so that the same
version gives the same identifiers wherever and whenever it is exported, and so that a version can point
to the items of the version it was drafted from (`based_on`) without reading that version's file:

- the document: `{label}/document`; an item: `{label}/{kind}:{code}` (kind: domain, competence, mission,
  activity); the scale's item: `{label}/scale`; associations and rubric parts derive from those.
- `replacedBy`: from `{based_on}/{kind}:{replaces}` (the replaced item, in the earlier version's export)
  to the item that replaces it here.
- `exactMatchOf`: from an item to the item of the same kind and code in `based_on`'s export, for every
  code that version has (`FrameworkData.based_on_codes`, code → kind; nothing without it).
- related competences: one `isRelatedTo` per pair, between the two items.
- alignments with external frameworks: `exactMatchOf` ("exact") or `isRelatedTo` ("close") to a node of
  `targetType` "ext:<scheme>" (esco, rome, rncp, autre) whose identifier is a UUID of the external URI (or
  of the scheme and code); the association's `extensions.alignment` keeps the exact values.
- levels: one rubric; its first criterion is the scale (a level's `extensions` say whether it is
  `proficient`), then one criterion per competence that describes its levels.

Every URI is a permanent link of the site. The output is deterministic: the same data and `changed_at`
give the same bytes.
"""

import json
import uuid
from datetime import UTC, datetime
from urllib.parse import quote

from django.conf import settings
from django.urls import reverse

from competences.enums import AlignmentRelation, FrameworkStatus
from referentiel.framework import AlignmentData, FrameworkData

# Fixed namespace: the same version gives the same identifiers wherever it is exported.
CASE_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://codev-reseau.fr/referentiel")
CASE_VERSION = "1.1"
CASE_ITEM_TYPES = {
    "mission": "Mission",
    "activity": "Activité",
    "domain": "Domaine",
    "competence": "Compétence",
    "scale": "Échelle",
}
CASE_ADOPTION_STATUS = {
    FrameworkStatus.DRAFT: "Draft",
    FrameworkStatus.PUBLISHED: "Adopted",
    FrameworkStatus.ARCHIVED: "Deprecated",
}
# The external node of an alignment is typed "ext:<scheme>" (CASE 1.1 LinkGenURI.targetType); the nodes of
# the earlier version are CASE items.
EXTERNAL_TARGET_PREFIX = "ext:"
CASE_TARGET = "CASE"
SCALE_CATEGORY = "echelle"
COMPETENCE_CATEGORY = "competence"
_URL_NAMES = {"mission": "mission", "activity": "activity", "domain": "domain", "competence": "competence"}


def case_identifier(label: str, key: str) -> str:
    """A UUID derived from a version label and a stable key (`document`, `competence:C-1-01`…)."""
    return str(uuid.uuid5(CASE_NAMESPACE, f"{label}/{key}"))


def alignment_identifier(alignment: AlignmentData) -> str:
    """The external node's UUID: of its URI when it has one (any exporter finds the same), else of scheme and code."""
    if alignment.uri:
        return str(uuid.uuid5(uuid.NAMESPACE_URL, alignment.uri))
    return str(uuid.uuid5(CASE_NAMESPACE, f"{alignment.scheme}:{alignment.code}"))


def export_case(data: FrameworkData, *, changed_at: datetime | None = None) -> dict:
    """The version as a 1EdTech CASE 1.1 CFPackage (a dict ready for JSON)."""
    label = data.label
    stamp = (changed_at or datetime.now(UTC)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")
    base = settings.SITE_URL.rstrip("/")
    version_uri = base + reverse("referentiel:version", args=[label])

    prefixes = {}

    def item_uri(kind, version_label, code):
        # One reverse() per kind and version, not per item (a third of the export's time on 500 competences):
        # the item's URL is its kind's URL with the code as last segment.
        key = (kind, version_label)
        if key not in prefixes:
            sample = reverse(f"referentiel:{_URL_NAMES[kind]}", args=[version_label, "0"])
            prefixes[key] = base + sample.removesuffix("0/") if sample.endswith("/0/") else None
        if prefixes[key] is None:
            return base + reverse(f"referentiel:{_URL_NAMES[kind]}", args=[version_label, code])
        return f"{prefixes[key]}{code}/"

    document_id = case_identifier(label, "document")
    document = {
        "identifier": document_id,
        "uri": version_uri,
        "caseVersion": CASE_VERSION,
        "creator": "Coordination nationale des conseils de développement (CNCD)",
        "title": f"Référentiel des technicien·nes de conseil de développement {label}",
        "lastChangeDateTime": stamp,
        "publisher": "CNCD",
        "language": "fr",
        "version": label,
    }
    # Empty texts are left out: OpenSALT drops empty strings before validating anyway.
    if data.summary:
        document["description"] = data.summary
    if data.status in CASE_ADOPTION_STATUS:
        document["adoptionStatus"] = CASE_ADOPTION_STATUS[data.status]
    if data.based_on:
        document["notes"] = f"Version établie à partir de la version {data.based_on}."
    document_node = {"title": document["title"], "identifier": document_id, "uri": version_uri}
    items, associations, nodes = [], [], {}

    def type_link(kind):
        return {
            "title": CASE_ITEM_TYPES[kind],
            "identifier": case_identifier(label, f"type:{kind}"),
            "uri": f"{version_uri}#type-{kind}",
        }

    def add_item(kind, code, title, notes, order, keywords=None):
        identifier = case_identifier(label, f"{kind}:{code}")
        item = {
            "identifier": identifier,
            "uri": item_uri(kind, label, code),
            "fullStatement": title,
            "humanCodingScheme": code,
            "listEnumeration": str(order),
            "CFItemType": CASE_ITEM_TYPES[kind],
            "CFItemTypeURI": type_link(kind),
            "language": "fr",
            "lastChangeDateTime": stamp,
        }
        if notes:
            item["notes"] = notes
        if keywords:
            item["conceptKeywords"] = keywords
        items.append(item)
        nodes[(kind, code)] = {"title": title, "identifier": identifier, "uri": item["uri"]}
        return nodes[(kind, code)]

    def associate(kind, origin, destination, sequence=None, extensions=None):
        key = f"association:{kind}:{origin['identifier']}:{destination['identifier']}"
        identifier = case_identifier(label, key)
        association = {
            "identifier": identifier,
            "associationType": kind,
            "uri": f"{version_uri}#{identifier}",
            "originNodeURI": origin,
            "destinationNodeURI": destination,
            "lastChangeDateTime": stamp,
        }
        if sequence is not None:
            association["sequenceNumber"] = sequence
        if extensions:
            association["extensions"] = extensions
        associations.append(association)

    def earlier_node(kind, code):
        """The item `code` of the version this one was drafted from, as that version's export names it.

        Its title is the code: this version does not know the earlier wording.
        """
        if data.based_on:
            return {
                "title": code,
                "identifier": case_identifier(data.based_on, f"{kind}:{code}"),
                "uri": item_uri(kind, data.based_on, code),
                "targetType": CASE_TARGET,
            }
        # No earlier version known (a file read, the first version): the link keeps `replaces` in the
        # package, to an identifier of this version's own making that no package contains.
        return {
            "title": code,
            "identifier": case_identifier(label, f"replaced:{kind}:{code}"),
            "uri": f"{version_uri}#remplace-{code}",
            "targetType": CASE_TARGET,
        }

    earlier_codes = data.based_on_codes

    def history(kind, item, node):
        if item.replaces:
            associate("replacedBy", earlier_node(kind, item.replaces), node)
        if data.based_on and earlier_codes.get(item.code) == kind:
            associate("exactMatchOf", node, earlier_node(kind, item.code))

    # Items in the order of data.domains (the snapshot's tree order), each linked to its parent domain.
    domain_nodes = [
        (domain, add_item("domain", domain.code, domain.title, domain.description, domain.order))
        for domain in data.domains
    ]
    for domain, node in domain_nodes:
        parent = nodes.get(("domain", domain.parent), document_node) if domain.parent else document_node
        associate("isChildOf", node, parent, domain.order)
        history("domain", domain, node)
    for competence in data.competences:
        keywords = [competence.kind] + (["transversale"] if competence.transversal else [])
        node = add_item(
            "competence", competence.code, competence.title, competence.description, competence.order, keywords
        )
        associate("isChildOf", node, nodes[("domain", competence.domain)], competence.order)
        history("competence", competence, node)
    paired = set()
    for competence in data.competences:
        for code in competence.related:
            pair = frozenset((competence.code, code))
            if pair not in paired and ("competence", code) in nodes:
                paired.add(pair)
                associate("isRelatedTo", nodes[("competence", competence.code)], nodes[("competence", code)])
        for alignment in competence.alignments:
            associate(
                "exactMatchOf" if alignment.relation == AlignmentRelation.EXACT else "isRelatedTo",
                nodes[("competence", competence.code)],
                {
                    "title": alignment.title or alignment.code or alignment.uri,
                    "identifier": alignment_identifier(alignment),
                    "uri": alignment.uri or f"urn:{alignment.scheme}:{quote(alignment.code, safe='')}",
                    "targetType": f"{EXTERNAL_TARGET_PREFIX}{alignment.scheme}",
                },
                extensions={"alignment": vars(alignment).copy()},
            )
    for mission in data.missions:
        node = add_item("mission", mission.code, mission.title, mission.purpose, mission.order)
        associate("isChildOf", node, document_node, mission.order)
        history("mission", mission, node)
    for activity in data.activities:
        node = add_item("activity", activity.code, activity.title, activity.description, activity.order)
        associate("isChildOf", node, nodes[("mission", activity.mission)], activity.order)
        history("activity", activity, node)
        for code in activity.competences:
            associate("isRelatedTo", node, nodes[("competence", code)])

    # The scale is an item only so that the rubric's scale criterion can name one (see below).
    scale_id = case_identifier(label, "scale")
    scale_item = {
        "identifier": scale_id,
        "uri": f"{version_uri}#echelle",
        "fullStatement": "Échelle de niveaux",
        "CFItemType": CASE_ITEM_TYPES["scale"],
        "CFItemTypeURI": type_link("scale"),
        "language": "fr",
        "lastChangeDateTime": stamp,
    }
    if data.scale:
        scale_item["notes"] = " ; ".join(f"{level.value}. {level.label}" for level in data.scale)
    items.append(scale_item)
    scale_node = {"title": scale_item["fullStatement"], "identifier": scale_id, "uri": scale_item["uri"]}
    associate("isChildOf", scale_node, document_node, 0)

    rubric_id = case_identifier(label, "rubric")

    def criterion(key, category, description, levels, item_node, position):
        criterion_id = case_identifier(label, f"criterion:{key}")
        result = {
            "identifier": criterion_id,
            "uri": f"{version_uri}#criterion-{key}",
            "category": category,
            "description": description,
            # OpenSALT reads every criterion's CFItemURI and refuses the package when it names no item of
            # the package (not even the document): the scale's criterion names the scale's item.
            "CFItemURI": item_node,
            "position": position,
            "rubricId": rubric_id,
            "lastChangeDateTime": stamp,
            "CFRubricCriterionLevels": [],
        }
        for value, quality, text in levels:
            level = {
                "identifier": case_identifier(label, f"criterion:{key}:level:{value}"),
                "uri": f"{version_uri}#criterion-{key}-{value}",
                "quality": quality,
                "score": value,
                "position": value,
                "rubricCriterionId": criterion_id,
                "lastChangeDateTime": stamp,
                # CASE 1.1 allows an array of extension objects on a level.
                "extensions": [{"proficient": proficient.get(value, False)}],
            }
            if text:
                level["description"] = text
            result["CFRubricCriterionLevels"].append(level)
        return result

    labels = {level.value: level.label for level in data.scale}
    proficient = {level.value: level.proficient for level in data.scale}
    criteria = [
        criterion(
            "scale",
            SCALE_CATEGORY,
            "Échelle de niveaux",
            [(s.value, s.label, s.descriptor) for s in data.scale],
            scale_node,
            0,
        )
    ]
    for position, competence in enumerate((c for c in data.competences if c.levels), start=1):
        criteria.append(
            criterion(
                competence.code,
                COMPETENCE_CATEGORY,
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
                "uri": f"{version_uri}#type-{kind}",
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
                "uri": f"{version_uri}#grille",
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
