"""The writers of the référentiel's formats (issue 14): CASE 1.1 validated against the official schema, its
links between versions, the Moodle CSV of a domain tree, the project's table without loss.

The round trip of every format is in test_formats.py; this module checks what each file says.
"""

import csv
import io
import json
import re
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from jsonschema import Draft201909Validator, FormatChecker
from openpyxl import Workbook

from competences.enums import FrameworkStatus
from competences.models import FrameworkVersion
from referentiel.demo import v1_data
from referentiel.formats import read_file
from referentiel.formats.case import CASE_NAMESPACE, case_identifier, export_case, export_case_json
from referentiel.formats.common import COLUMNS, REQUIRED_COLUMNS
from referentiel.formats.moodle import MOODLE_COLUMNS, export_moodle_csv
from referentiel.formats.table_csv import export_csv
from referentiel.formats.xlsx import export_xlsx
from referentiel.framework import CompetenceData, DomainData, FrameworkData
from tests.referentiel.factories import build_version, rich_data, small_data

SCHEMA = json.loads((Path(__file__).parent / "data" / "case_v1p1_cfpackage-jsonschema1.json").read_text("utf-8"))
CHANGED_AT = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
# RFC 3339 date-time, as JSON Schema's "date-time" format: jsonschema checks it only with an optional
# package (rfc3339-validator) that the project does not install, so the test gives the check itself.
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$", re.IGNORECASE)


def case_validator() -> Draft201909Validator:
    checker = FormatChecker()
    checker.checks("date-time")(lambda value: not isinstance(value, str) or bool(RFC3339.match(value)))
    assert {"uuid", "date-time"} <= set(checker.checkers)
    return Draft201909Validator(SCHEMA, format_checker=checker)


def schema_errors(package) -> list[str]:
    return [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}" for error in case_validator().iter_errors(package)
    ]


def published(data: FrameworkData, status=FrameworkStatus.PUBLISHED, based_on="") -> FrameworkData:
    data.status = status
    data.based_on = based_on
    return data


# --- CASE -----------------------------------------------------------------------------------------


def test_the_vendored_schema_is_the_official_one_and_checks_formats():
    assert SCHEMA["$id"] == "https://purl.imsglobal.org/spec/case/v1p1/schema/json/case_v1p1_cfpackage-jsonschema1.json"
    Draft201909Validator.check_schema(SCHEMA)
    bad = export_case(small_data(), changed_at=CHANGED_AT)
    bad["CFItems"][0]["identifier"] = "pas-un-uuid"
    bad["CFItems"][0]["lastChangeDateTime"] = "hier"
    bad["CFItems"][0]["CFDocumentURI"] = {"title": "t", "identifier": str(uuid.uuid4()), "uri": "u"}
    errors = schema_errors(bad)
    assert any("is not a 'uuid'" in error for error in errors)
    assert any("is not a 'date-time'" in error for error in errors)
    assert any("'CFDocumentURI' was unexpected" in error for error in errors)


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(published(v1_data()), id="demo"),
        pytest.param(published(small_data()), id="small"),
        pytest.param(published(rich_data(), FrameworkStatus.DRAFT, "v1.0"), id="rich"),
        pytest.param(FrameworkData(label="v0.1"), id="empty"),
    ],
)
def test_the_case_export_validates_against_the_official_case_1_1_schema(data):
    assert schema_errors(export_case(data, changed_at=CHANGED_AT)) == []
    # Through JSON as well: what is downloaded is what was validated.
    assert schema_errors(json.loads(export_case_json(data, changed_at=CHANGED_AT))) == []


@pytest.mark.parametrize(
    ("status", "adoption"),
    [
        (FrameworkStatus.DRAFT, "Draft"),
        (FrameworkStatus.PUBLISHED, "Adopted"),
        (FrameworkStatus.ARCHIVED, "Deprecated"),
    ],
)
def test_the_case_document_says_its_case_version_and_adoption_status(status, adoption):
    document = export_case(published(rich_data(), status), changed_at=CHANGED_AT)["CFDocument"]
    assert document["caseVersion"] == "1.1"
    assert document["adoptionStatus"] == adoption
    assert document["description"] == rich_data().summary
    assert document["version"] == "v2.0"
    assert document["lastChangeDateTime"] == "2026-03-01T09:30:00+00:00"
    assert "CFPackageURI" not in document


def test_no_case_object_carries_a_field_its_schema_definition_forbids():
    package = export_case(published(rich_data(), based_on="v1.0"), changed_at=CHANGED_AT)
    definitions = SCHEMA["$defs"]

    def allowed(name):
        return set(definitions[name]["properties"])

    assert set(package["CFDocument"]) <= allowed("CFPckgDocument")
    for item in package["CFItems"]:
        assert set(item) <= allowed("CFPckgItem"), item["identifier"]
    for association in package["CFAssociations"]:
        assert set(association) <= allowed("CFPckgAssociation")
        for end in ("originNodeURI", "destinationNodeURI"):
            assert {"title", "identifier", "uri"} <= set(association[end]) <= allowed("LinkGenURI")
            # OpenSALT drops empty strings before validating: a required one would then be missing.
            assert all(association[end][key] for key in ("title", "identifier", "uri"))
    for criterion in package["CFRubrics"][0]["CFRubricCriteria"]:
        assert set(criterion) <= allowed("CFRubricCriterion")
        for level in criterion["CFRubricCriterionLevels"]:
            assert set(level) <= allowed("CFRubricCriterionLevel")


def by_code(package) -> dict[str, dict]:
    return {item["humanCodingScheme"]: item for item in package["CFItems"] if "humanCodingScheme" in item}


def associations_of(package, kind) -> list[tuple[str, str]]:
    return [
        (a["originNodeURI"]["identifier"], a["destinationNodeURI"]["identifier"])
        for a in package["CFAssociations"]
        if a["associationType"] == kind
    ]


def test_every_domain_of_the_tree_hangs_on_its_parent_and_competences_on_their_domain():
    data = rich_data()
    package = export_case(data, changed_at=CHANGED_AT)
    items = by_code(package)
    document = package["CFDocument"]["identifier"]
    parent_of = dict(associations_of(package, "isChildOf"))
    assert len(parent_of) == len(associations_of(package, "isChildOf"))  # one parent each
    for domain in data.domains:
        expected = items[domain.parent]["identifier"] if domain.parent else document
        assert parent_of[items[domain.code]["identifier"]] == expected
        assert items[domain.code]["CFItemType"] == "Domaine"
    for competence in data.competences:
        assert parent_of[items[competence.code]["identifier"]] == items[competence.domain]["identifier"]
    # The deepest competence reaches the document through its five domains.
    chain, node = [], items["C-2"]["identifier"]
    while node != document:
        node = parent_of[node]
        chain.append(node)
    assert len(chain) == 6
    assert [item["humanCodingScheme"] for item in package["CFItems"] if item["CFItemType"] == "Domaine"] == [
        d.code for d in data.domains
    ]


def test_related_competences_are_one_is_related_to_per_pair():
    package = export_case(rich_data(), changed_at=CHANGED_AT)
    items = by_code(package)
    competence_ids = {items[code]["identifier"]: code for code in ("C-1", "C-2", "C-3", "C-4", "C-5")}
    pairs = [
        frozenset((competence_ids[origin], competence_ids[destination]))
        for origin, destination in associations_of(package, "isRelatedTo")
        if origin in competence_ids and destination in competence_ids
    ]
    assert sorted(map(sorted, pairs)) == [["C-1", "C-2"], ["C-1", "C-4"]]


def test_alignments_point_to_external_nodes_with_stable_identifiers():
    package = export_case(rich_data(), changed_at=CHANGED_AT)
    items = by_code(package)
    external = [
        a for a in package["CFAssociations"] if a["destinationNodeURI"].get("targetType", "").startswith("ext:")
    ]
    found = {
        (a["associationType"], a["destinationNodeURI"]["targetType"]): (a["originNodeURI"], a["destinationNodeURI"])
        for a in external
    }
    assert set(found) == {("exactMatchOf", "ext:esco"), ("isRelatedTo", "ext:rome"), ("exactMatchOf", "ext:rncp")}
    origin, esco = found[("exactMatchOf", "ext:esco")]
    assert origin["identifier"] == items["C-1"]["identifier"]
    esco_uri = "http://data.europa.eu/esco/skill/0a2c1e4b-7d8f-4a8e-9b1c-2f3d4e5f6a7b"
    assert esco == {
        "title": "animer des réunions",
        "identifier": str(uuid.uuid5(uuid.NAMESPACE_URL, esco_uri)),
        "uri": esco_uri,
        "targetType": "ext:esco",
    }
    _origin, rome = found[("isRelatedTo", "ext:rome")]
    assert rome["identifier"] == str(uuid.uuid5(CASE_NAMESPACE, "rome:K1802"))
    assert rome["title"] == "Développement local"
    assert rome["uri"] == "urn:rome:K1802"  # no URI given: a name, never an address of ours
    origin, rncp = found[("exactMatchOf", "ext:rncp")]
    assert origin["identifier"] == items["C-2"]["identifier"]
    assert rncp["title"] == rncp["uri"] == "https://www.francecompetences.fr/recherche/rncp/35000/"
    # The exact values, for our own import.
    assert [a["extensions"]["alignment"] for a in external] == [
        vars(alignment) for c in rich_data().competences for alignment in c.alignments
    ]


def test_every_rubric_criterion_names_an_item_of_the_package_and_the_scale_keeps_proficient_levels():
    package = export_case(rich_data(), changed_at=CHANGED_AT)
    identifiers = {item["identifier"] for item in package["CFItems"]}
    criteria = package["CFRubrics"][0]["CFRubricCriteria"]
    assert all(criterion["CFItemURI"]["identifier"] in identifiers for criterion in criteria)
    scale = criteria[0]
    scale_item = next(i for i in package["CFItems"] if i["identifier"] == scale["CFItemURI"]["identifier"])
    assert (scale["category"], scale_item["CFItemType"]) == ("echelle", "Échelle")
    assert "humanCodingScheme" not in scale_item  # not a code of the référentiel
    assert [(lv["score"], lv["quality"], lv["extensions"]) for lv in scale["CFRubricCriterionLevels"]] == [
        (1, "Notions", [{"proficient": False}]),
        (2, "Application", [{"proficient": False}]),
        (3, "Maîtrise", [{"proficient": True}]),
        (4, "Expertise", [{"proficient": True}]),
    ]
    assert [(c["category"], c["CFItemURI"]["identifier"]) for c in criteria[1:]] == [
        ("competence", by_code(package)["C-1"]["identifier"])
    ]


def test_the_case_export_is_deterministic():
    data = published(rich_data(), based_on="v1.0")
    first = export_case_json(data, changed_at=CHANGED_AT)
    assert export_case_json(published(rich_data(), based_on="v1.0"), changed_at=CHANGED_AT) == first
    identifiers = [item["identifier"] for item in json.loads(first)["CFItems"]]
    assert len(set(identifiers)) == len(identifiers)
    assert by_code(json.loads(first))["C-1"]["identifier"] == case_identifier("v2.0", "competence:C-1")


def two_versions():
    """v1.0, then v2.0 drafted from it: C-1-01 renamed C-NEW (replaces), a competence added, the rest kept."""
    earlier = published(small_data("v1.0"), FrameworkStatus.ARCHIVED)
    later = published(small_data("v2.0"), FrameworkStatus.PUBLISHED, based_on="v1.0")
    renamed = later.competences[0]
    for activity in later.activities:
        activity.competences = sorted("C-NEW" if code == renamed.code else code for code in activity.competences)
    renamed.code, renamed.replaces = "C-NEW", "C-1-01"
    later.competences.append(CompetenceData("C-AJOUT", "D-1", "Nouvelle compétence"))
    later.based_on_codes = {
        **{d.code: "domain" for d in earlier.domains},
        **{c.code: "competence" for c in earlier.competences},
        **{m.code: "mission" for m in earlier.missions},
        **{a.code: "activity" for a in earlier.activities},
    }
    return earlier, later


def test_links_to_the_earlier_version_resolve_in_that_version_s_own_export():
    earlier, later = two_versions()
    old = export_case(earlier, changed_at=CHANGED_AT)
    new = export_case(later, changed_at=CHANGED_AT)
    old_items = {item["identifier"]: item for item in old["CFItems"]}
    new_items = {item["identifier"]: item for item in new["CFItems"]}

    replaced = [a for a in new["CFAssociations"] if a["associationType"] == "replacedBy"]
    assert len(replaced) == 1
    origin, destination = replaced[0]["originNodeURI"], replaced[0]["destinationNodeURI"]
    assert old_items[origin["identifier"]]["humanCodingScheme"] == "C-1-01" == origin["title"]
    assert origin["uri"] == old_items[origin["identifier"]]["uri"]
    assert new_items[destination["identifier"]]["humanCodingScheme"] == "C-NEW"

    matches = [
        a
        for a in new["CFAssociations"]
        if a["associationType"] == "exactMatchOf" and a["destinationNodeURI"]["targetType"] == "CASE"
    ]
    matched = set()
    for association in matches:
        here = new_items[association["originNodeURI"]["identifier"]]
        there = old_items[association["destinationNodeURI"]["identifier"]]  # resolves in v1.0's own export
        assert here["humanCodingScheme"] == there["humanCodingScheme"]
        assert here["CFItemType"] == there["CFItemType"]
        assert association["destinationNodeURI"]["uri"] == there["uri"]
        matched.add(here["humanCodingScheme"])
    codes_kept = set(later.based_on_codes) - {"C-1-01"}
    assert matched == codes_kept  # every kept code, neither the renamed nor the added one
    assert schema_errors(new) == []


def test_without_the_earlier_codes_no_exact_match_is_guessed():
    _earlier, later = two_versions()
    later.based_on_codes = {}
    package = export_case(later, changed_at=CHANGED_AT)
    assert not [
        a
        for a in package["CFAssociations"]
        if a["associationType"] == "exactMatchOf" and a["destinationNodeURI"]["targetType"] == "CASE"
    ]


# --- Moodle ---------------------------------------------------------------------------------------


def moodle_rows(data) -> list[dict]:
    rows = list(csv.reader(io.StringIO(export_moodle_csv(data).decode("utf-8"))))
    assert rows[0] == MOODLE_COLUMNS
    return [dict(zip(MOODLE_COLUMNS, row, strict=True)) for row in rows[1:]]


def test_the_moodle_csv_nests_the_whole_domain_tree():
    data = rich_data()
    rows = moodle_rows(data)
    by_id = {row["ID number"]: row for row in rows}
    container = "CNCD-v2.0-COMPETENCES"
    for domain in data.domains:
        assert by_id[domain.code]["Parent ID number"] == (domain.parent or container)
        assert by_id[domain.code]["Exported ID (optional)"] == "domaine"
    for competence in data.competences:
        assert by_id[competence.code]["Parent ID number"] == competence.domain
        assert by_id[competence.code]["Exported ID (optional)"] == "competence"
    assert by_id["D-3"]["Exported ID (optional)"] == "domaine"  # an empty domain is a leaf, still a domain
    # Depth first: each domain after its parent, its competences right after it.
    order = [row["ID number"] for row in rows]
    assert order[order.index(container) + 1 :][:9] == [
        "D-1",
        "C-1",
        "D-1.1",
        "D-1.1.1",
        "D-1.1.1.1",
        "D-1.1.1.1.1",
        "C-2",
        "D-1.2",
        "C-3",
    ]
    framework = rows[0]
    assert framework["Taxonomy"] == "concept,domain,domain,domain,domain,domain,competency"


def test_moodle_short_names_cut_long_titles_at_a_word_and_keep_the_whole_title_in_the_description():
    data = rich_data()
    rows = moodle_rows(data)
    assert all(len(row["Short name"]) <= 100 for row in rows)
    by_id = {row["ID number"]: row for row in rows}
    competence = by_id["C-2"]
    title = data.competences[1].title
    assert len(title) > 100
    assert competence["Short name"].endswith("…")
    assert title.startswith(competence["Short name"][:-1])
    assert title[len(competence["Short name"]) - 1] == " "  # cut between two words
    assert competence["Description"] == f"{title}\n\nDescription de C-2"
    assert by_id["M2.A1"]["Description"] == data.activities[2].title  # no description: the title alone
    assert by_id["C-1"]["Short name"] == "Conduire une concertation"
    assert by_id["C-1"]["Description"] == "Description de C-1"


def test_the_moodle_csv_is_not_neutralised_and_carries_proficiency_and_related_competences():
    rows = moodle_rows(rich_data())
    by_id = {row["ID number"]: row for row in rows}
    assert by_id["C-4"]["Short name"] == "-10 % de réunions : prioriser"
    assert by_id["C-5"]["Short name"] == "=Coopérer avec les élus"
    assert by_id["C-5"]["Description"].startswith("+33 1 23")
    assert not any(cell.startswith("'") for row in rows for cell in row.values())
    configuration = json.loads(rows[0]["Scale configuration"])
    assert configuration == [
        {"scaleid": "0"},
        {"id": 1, "scaledefault": 1, "proficient": 0},
        {"id": 2, "scaledefault": 0, "proficient": 0},
        {"id": 3, "scaledefault": 0, "proficient": 1},
        {"id": 4, "scaledefault": 0, "proficient": 1},
    ]
    assert by_id["C-1"]["Cross-referenced competency ID numbers"] == "C-2,C-4"
    assert by_id["C-4"]["Cross-referenced competency ID numbers"] == "C-1"
    assert by_id["M1.A1"]["Cross-referenced competency ID numbers"] == "C-1,C-2"
    assert rows[0]["Description"] == rich_data().summary


def test_a_scale_without_a_proficient_level_gets_its_top_level_marked_for_moodle():
    data = small_data()
    for level in data.scale:
        level.proficient = False
    configuration = json.loads(moodle_rows(data)[0]["Scale configuration"])
    assert [entry["proficient"] for entry in configuration[1:]] == [0, 0, 0, 1]


# --- The project's table (CSV, XLSX) ----------------------------------------------------------------


def table(raw_csv: bytes) -> list[dict]:
    rows = list(csv.reader(io.StringIO(raw_csv.decode("utf-8-sig"))))
    assert rows[0] == COLUMNS
    return [dict(zip(COLUMNS, row, strict=True)) for row in rows[1:]]


def test_the_project_table_carries_summary_tree_related_alignments_and_proficiency():
    rows = table(export_csv(rich_data()))
    assert rows[0] == dict.fromkeys(COLUMNS, "") | {
        "type": "version",
        "code": "v2.0",
        "description": rich_data().summary,
    }
    levels = [row for row in rows if row["type"] == "niveau"]
    assert [row["nature"] for row in levels] == ["", "", "maitrise", "maitrise"]
    domains = {row["code"]: row for row in rows if row["type"] == "domaine"}
    assert domains["D-1.1.1.1.1"]["parent"] == "D-1.1.1.1"
    assert domains["D-1"]["parent"] == ""
    competences = {row["code"]: row for row in rows if row["type"] == "competence"}
    assert competences["C-1"]["competences"] == "C-2;C-4"
    alignments = [row for row in rows if row["type"] == "correspondance"]
    assert [
        (row["parent"], row["nature"], row["referentiel_externe"], row["code"], row["uri"], row["titre"])
        for row in alignments
    ] == [
        (
            "C-1",
            "exact",
            "esco",
            "S1.2.3",
            "http://data.europa.eu/esco/skill/0a2c1e4b-7d8f-4a8e-9b1c-2f3d4e5f6a7b",
            "animer des réunions",
        ),
        ("C-1", "close", "rome", "K1802", "", "Développement local"),
        ("C-2", "exact", "rncp", "", "https://www.francecompetences.fr/recherche/rncp/35000/", ""),
    ]


def project_csv(rows) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode("utf-8")


def project_xlsx(rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    for row in workbook.active.iter_rows():
        for cell in row:
            cell.data_type = "s"  # text cells, as a user types them with a leading apostrophe
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


TEXTS_LIKE_FORMULAS = ["-10 % de réunions", "+33 1 23 45 67 89", "@équipe projet", "=Coopérer avec les élus"]


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_text_that_looks_like_a_formula_is_imported_as_text(file_format):
    rows = [
        REQUIRED_COLUMNS,
        ["niveau", "1", "", "", "Notions", "", "", "", "", ""],
        ["domaine", "D-1", "", "1", TEXTS_LIKE_FORMULAS[0], TEXTS_LIKE_FORMULAS[1], "", "", "", ""],
        ["competence", "C-1", "D-1", "1", TEXTS_LIKE_FORMULAS[2], TEXTS_LIKE_FORMULAS[3], "savoir", "non", "", ""],
    ]
    raw = project_csv(rows) if file_format == "csv" else project_xlsx(rows)
    result = read_file(raw=raw, file_format=file_format)
    assert result.problems == []
    assert [result.data.domains[0].title, result.data.domains[0].description] == TEXTS_LIKE_FORMULAS[:2]
    assert [result.data.competences[0].title, result.data.competences[0].description] == TEXTS_LIKE_FORMULAS[2:]


@pytest.mark.parametrize("writer", [export_csv, export_xlsx], ids=["csv", "xlsx"])
def test_our_neutralised_cells_come_back_without_the_apostrophe(writer):
    data = rich_data()
    file_format = "csv" if writer is export_csv else "xlsx"
    result = read_file(raw=writer(data), file_format=file_format)
    assert result.problems == []
    titles = {c.code: c.title for c in result.data.competences}
    assert titles["C-3"] == "@équipe : animer une réunion"
    assert titles["C-4"] == "-10 % de réunions : prioriser"
    assert titles["C-5"] == "=Coopérer avec les élus"


def test_headers_are_read_whatever_their_case_spaces_or_bom():
    header = ["\ufeffType", " CODE ", "Parent", "Ordre", "Titre", "Description", "Nature", "Transversale"]
    rows = [
        [*header, "Remplace", "Competences"],
        ["niveau", "1", "", "", "Notions", "", "maitrise", "", "", ""],
        ["domaine", "D-1", "", "1", "Domaine", "", "", "", "", ""],
        ["domaine", "D-1.1", "D-1", "1", "Sous-domaine", "", "", "", "", ""],
        ["competence", "C-1", "D-1.1", "1", "Compétence", "", "savoir", "non", "", ""],
    ]
    result = read_file(raw=project_csv(rows), file_format="csv")
    assert result.problems == []
    assert [(d.code, d.parent) for d in result.data.domains] == [("D-1", ""), ("D-1.1", "D-1")]
    assert result.data.scale[0].proficient


def test_bad_rows_of_the_new_kinds_are_reported_with_line_and_field():
    rows = [
        COLUMNS,
        ["version", "v1.0", "", "", "", "Résumé", "", "", "", "", "", ""],
        ["version", "v1.0", "", "", "", "Autre résumé", "", "", "", "", "", ""],
        ["niveau", "1", "", "", "Notions", "", "expert", "", "", "", "", ""],
        ["domaine", "D-1", "D-9", "1", "Domaine", "", "", "", "", "", "", ""],
        ["competence", "C-1", "D-1", "1", "Compétence", "", "savoir", "non", "", "C-9", "", ""],
        ["correspondance", "K1802", "C-9", "", "", "", "exact", "", "", "", "rome", ""],
        ["correspondance", "", "C-1", "", "", "", "lointain", "", "", "", "xyz", "pas-une-url"],
    ]
    problems = [str(problem) for problem in read_file(raw=project_csv(rows), file_format="csv").problems]
    assert "Ligne 3, champ « type » : une seule ligne « version » est attendue (déjà ligne 2)." in problems
    assert "Ligne 4, champ « nature » : nature inconnue « expert » pour un niveau (« maitrise » ou vide)." in problems
    assert "Ligne 5, champ « parent » : le domaine parent « D-9 » n'existe pas." in problems
    assert "Ligne 6, champ « competences » : la compétence liée « C-9 » n'existe pas." in problems
    assert "Ligne 7, champ « parent » : la compétence « C-9 » n'existe pas." in problems
    assert any(p.startswith("Ligne 6, champ « correspondance » : relation inconnue « lointain »") for p in problems)


def test_an_older_ten_column_file_is_still_read():
    rows = [r[:10] for r in csv.reader(io.StringIO(export_csv(small_data()).decode("utf-8-sig")))]
    assert rows[0] == REQUIRED_COLUMNS
    result = read_file(raw=project_csv(rows), file_format="csv")
    assert result.problems == []
    assert result.data.comparable() == small_data().comparable()


def test_a_domain_tree_in_any_order_of_rows_is_read():
    data = small_data()
    data.domains.append(DomainData("D-1.1", "Sous-domaine", "", 1, parent="D-1"))
    rows = list(csv.reader(io.StringIO(export_csv(data).decode("utf-8-sig"))))
    header, body = rows[0], rows[1:]
    body.sort(key=lambda row: row[0] != "domaine" or row[1] != "D-1.1")  # the child first
    result = read_file(raw=project_csv([header, *body]), file_format="csv")
    assert result.problems == []
    assert {(d.code, d.parent) for d in result.data.domains} == {("D-1", ""), ("D-2", ""), ("D-1.1", "D-1")}


def test_case_uris_are_the_site_s_permanent_links():
    package = export_case(rich_data(), changed_at=CHANGED_AT)
    base = settings.SITE_URL.rstrip("/")
    kinds = {"Domaine": "domain", "Compétence": "competence", "Mission": "mission", "Activité": "activity"}
    for item in package["CFItems"]:
        if item["CFItemType"] in kinds:
            url = reverse(f"referentiel:{kinds[item['CFItemType']]}", args=["v2.0", item["humanCodingScheme"]])
            assert item["uri"] == base + url
    assert package["CFDocument"]["uri"] == base + reverse("referentiel:version", args=["v2.0"])


@pytest.mark.django_db
def test_the_downloaded_case_files_of_two_stored_versions_link_up(client):
    earlier, later = two_versions()
    old_version = build_version(earlier, status=FrameworkStatus.ARCHIVED)
    new_version = build_version(later, status=FrameworkStatus.PUBLISHED)
    FrameworkVersion.objects.filter(pk=new_version.pk).update(based_on=old_version)
    old, new = (
        json.loads(client.get(reverse("referentiel:export", args=[label, "case"])).content)
        for label in ("v1.0", "v2.0")
    )
    assert (old["CFDocument"]["adoptionStatus"], new["CFDocument"]["adoptionStatus"]) == ("Deprecated", "Adopted")
    old_ids = {item["identifier"]: item["humanCodingScheme"] for item in old["CFItems"] if "humanCodingScheme" in item}
    links = [
        (a["associationType"], a["originNodeURI"]["identifier"], a["destinationNodeURI"]["identifier"])
        for a in new["CFAssociations"]
        if a["associationType"] in ("replacedBy", "exactMatchOf")
    ]
    assert [old_ids[origin] for kind, origin, _dest in links if kind == "replacedBy"] == ["C-1-01"]
    matched = {old_ids[destination] for kind, _origin, destination in links if kind == "exactMatchOf"}
    assert matched == set(old_ids.values()) - {"C-1-01"}
    assert schema_errors(new) == []
