"""Every export of a référentiel version: the project's CSV and XLSX, 1EdTech CASE 1.1 JSON, Moodle CSV.

Each serialises a FrameworkData; competences.imports reads the same formats back.
"""

import csv
import io
import json
import uuid
from datetime import UTC, datetime

from django.conf import settings
from django.urls import reverse

from codev_network.spreadsheets import neutralise
from competences.framework import FrameworkData

# The project's own columns (CSV and XLSX), one row per item.
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

# Fixed namespace: the same version gives the same identifiers wherever it is exported.
CASE_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://codev-reseau.fr/referentiel")
CASE_ITEM_TYPES = {"mission": "Mission", "activity": "Activité", "domain": "Domaine", "competence": "Compétence"}


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


def export_csv(data: FrameworkData) -> bytes:
    """The project's CSV, UTF-8 with a BOM so that spreadsheets open it with the right accents."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in project_rows(data):
        writer.writerow([neutralise(cell) for cell in row])
    return buffer.getvalue().encode("utf-8-sig")


def export_xlsx(data: FrameworkData) -> bytes:
    """The project's columns in a spreadsheet, every cell stored as text."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "referentiel"
    for index, row in enumerate(project_rows(data), start=1):
        values = [neutralise(cell) for cell in row]
        sheet.append(values)
        # By position: `sheet[sheet.max_row]` rescans every cell on each row (quadratic, 1.5 s for 500 rows).
        for column in range(1, len(values) + 1):
            sheet.cell(row=index, column=column).data_type = "s"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _moodle_id(code: str) -> str:
    return code.replace(",", "%2C")


def export_moodle_csv(data: FrameworkData) -> bytes:
    """A Moodle competency framework (admin/tool/lpimportcsv): domains → competences, missions → activities."""
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


def case_identifier(label: str, key: str) -> str:
    """A UUID derived from the version label and an item's stable code."""
    return str(uuid.uuid5(CASE_NAMESPACE, f"{label}/{key}"))


def export_case(data: FrameworkData, *, changed_at: datetime | None = None) -> dict:
    """The version as a 1EdTech CASE 1.1 CFPackage."""
    label = data.label
    stamp = (changed_at or datetime.now(UTC)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")
    base = settings.SITE_URL.rstrip("/")

    def uri(name, *args):
        return base + reverse(f"competences:{name}", args=args)

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
    return json.dumps(export_case(data, changed_at=changed_at), ensure_ascii=False, indent=2).encode("utf-8")


# format → (content type, file name suffix, writer)
EXPORT_FORMATS = {
    "csv": ("text/csv; charset=utf-8", ".csv", export_csv),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx", export_xlsx),
    "case": ("application/json", "-case.json", export_case_json),
    "moodle": ("text/csv; charset=utf-8", "-moodle.csv", export_moodle_csv),
}
