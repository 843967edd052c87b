import csv
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from competences.enums import FrameworkStatus
from competences.models import Competence, FrameworkVersion
from missions.models import Activity
from referentiel.formats import read_file
from referentiel.formats.case import export_case, export_case_json
from referentiel.formats.common import COLUMNS
from referentiel.formats.moodle import MOODLE_COLUMNS, export_moodle_csv
from referentiel.formats.table_csv import export_csv
from referentiel.formats.xlsx import export_xlsx
from referentiel.framework import framework_snapshot
from referentiel.services import FrameworkError, draft_import
from tests.referentiel.factories import build_version, small_data

WRITERS = {"csv": export_csv, "xlsx": export_xlsx, "case": export_case_json, "moodle": export_moodle_csv}


def tricky_data():
    data = small_data()
    data.competences[0].description = '=HYPERLINK("http://exemple.org")'
    data.competences[1].title = "-Compétence qui commence par un tiret"
    data.activities[0].description = "@mention et « guillemets », virgules; points-virgules"
    data.competences[2].replaces = "C-ANCIEN"
    return data


@pytest.mark.parametrize("file_format", ["csv", "xlsx", "case"])
def test_export_then_import_gives_back_the_same_framework(file_format):
    data = tricky_data()
    result = read_file(raw=WRITERS[file_format](data), file_format=file_format)
    assert result.problems == []
    assert result.data.comparable() == data.comparable()


def test_moodle_round_trip_keeps_what_moodle_can_carry():
    data = tricky_data()
    result = read_file(raw=export_moodle_csv(data), file_format="moodle")
    assert result.problems == []
    imported = result.data
    assert [(m.code, m.title, m.purpose, m.order) for m in imported.missions] == [
        (m.code, m.title, m.purpose, m.order) for m in data.missions
    ]
    assert [(a.code, a.mission, a.title, a.description, a.competences) for a in imported.activities] == [
        (a.code, a.mission, a.title, a.description, a.competences) for a in data.activities
    ]
    assert [(d.code, d.title, d.description) for d in imported.domains] == [
        (d.code, d.title, d.description) for d in data.domains
    ]
    assert [(c.code, c.domain, c.title, c.description) for c in imported.competences] == [
        (c.code, c.domain, c.title, c.description) for c in data.competences
    ]
    assert [level.label for level in imported.scale] == [level.label for level in data.scale]


@pytest.mark.django_db
@pytest.mark.parametrize("file_format", ["csv", "xlsx", "case", "moodle"])
def test_http_export_then_import_into_a_draft(client, curator, file_format):
    version = build_version(tricky_data())
    response = client.get(reverse("referentiel:export", args=[version.label, file_format]))
    assert response.status_code == 200
    assert 'filename="referentiel-v1.0' in response["Content-Disposition"]
    client.force_login(curator)
    upload = SimpleUploadedFile("export", response.content)
    response = client.post(reverse("referentiel:import"), {"file": upload, "file_format": file_format, "label": "v2.0"})
    content = response.content.decode()
    assert "Aperçu : le brouillon v2.0 contiendra" in content
    assert "6 compétences" in content
    assert not FrameworkVersion.objects.filter(label="v2.0").exists()  # nothing written before confirming
    response = client.post(reverse("referentiel:import"), {"confirm": "1"}, follow=True)
    assert "Le brouillon v2.0 a été créé à partir du fichier." in response.content.decode()
    draft = FrameworkVersion.objects.get(label="v2.0")
    assert draft.status == FrameworkStatus.DRAFT
    if file_format != "moodle":
        assert framework_snapshot(draft).comparable() == framework_snapshot(version).comparable()


def test_csv_and_xlsx_cells_are_neutralised():
    rows = list(csv.reader(io.StringIO(export_csv(tricky_data()).decode("utf-8-sig"))))
    assert rows[0] == COLUMNS
    cells = [cell for row in rows for cell in row]
    assert '\'=HYPERLINK("http://exemple.org")' in cells
    assert "'-Compétence qui commence par un tiret" in cells
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)
    sheet = load_workbook(io.BytesIO(export_xlsx(tricky_data()))).active
    values = [cell.value for row in sheet.iter_rows() for cell in row if cell.value]
    assert '\'=HYPERLINK("http://exemple.org")' in values
    assert not any(str(value).startswith(("=", "+", "-", "@")) for value in values)


def test_moodle_csv_columns_and_framework_row():
    rows = list(csv.reader(io.StringIO(export_moodle_csv(small_data()).decode())))
    assert rows[0] == MOODLE_COLUMNS
    framework = dict(zip(MOODLE_COLUMNS, rows[1], strict=True))
    assert framework["Is framework"] == "1"
    assert framework["Parent ID number"] == ""
    assert framework["Scale values"] == "Notions,Application,Maîtrise,Expertise"
    configuration = json.loads(framework["Scale configuration"])
    assert configuration[0] == {"scaleid": "0"}
    assert {"id": 3, "scaledefault": 0, "proficient": 1} in configuration
    assert framework["Taxonomy"] == "concept,domain,competency"
    assert all(row[12] == "0" for row in rows[2:])
    activity = next(dict(zip(MOODLE_COLUMNS, row, strict=True)) for row in rows if row[1] == "M1.A1")
    assert activity["Parent ID number"] == "M1"
    assert activity["Cross-referenced competency ID numbers"] == "C-1-02,C-2-01"


def test_case_package_has_required_fields_and_valid_associations():
    package = export_case(tricky_data())
    document = package["CFDocument"]
    for key in ("identifier", "uri", "creator", "title", "lastChangeDateTime"):
        assert document[key], key
    identifiers = {document["identifier"]}
    for item in package["CFItems"]:
        for key in ("identifier", "fullStatement", "uri", "lastChangeDateTime"):
            assert item[key], key
        identifiers.add(item["identifier"])
    assert len(identifiers) == len(package["CFItems"]) + 1
    types = {association["associationType"] for association in package["CFAssociations"]}
    assert types == {"isChildOf", "isRelatedTo", "replacedBy"}
    for association in package["CFAssociations"]:
        for key in (
            "identifier",
            "associationType",
            "uri",
            "originNodeURI",
            "destinationNodeURI",
            "lastChangeDateTime",
        ):
            assert association[key], key
        for node in ("originNodeURI", "destinationNodeURI"):
            # targetType says what a node outside the package is (an earlier version's item, "CASE").
            assert (
                {"title", "identifier", "uri"} <= set(association[node]) <= {"title", "identifier", "uri", "targetType"}
            )
        # A replaced item belongs to an earlier version: only the replacing one must be in this package.
        if association["associationType"] != "replacedBy":
            assert association["originNodeURI"]["identifier"] in identifiers
        assert association["destinationNodeURI"]["identifier"] in identifiers
    competence_ids = {i["identifier"] for i in package["CFItems"] if i["CFItemType"] == "Compétence"}
    related = [a for a in package["CFAssociations"] if a["associationType"] == "isRelatedTo"]
    assert related and all(a["destinationNodeURI"]["identifier"] in competence_ids for a in related)
    rubric = package["CFRubrics"][0]
    scale = rubric["CFRubricCriteria"][0]["CFRubricCriterionLevels"]
    assert [(level["score"], level["quality"]) for level in scale] == [
        (1, "Notions"),
        (2, "Application"),
        (3, "Maîtrise"),
        (4, "Expertise"),
    ]
    # Deterministic: the same version always gives the same identifiers.
    assert export_case(tricky_data())["CFItems"][0]["identifier"] == package["CFItems"][0]["identifier"]


def problems_of(raw, file_format="csv"):
    return [str(problem) for problem in read_file(raw=raw, file_format=file_format).problems]


def project_csv(rows, encoding="utf-8"):
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode(encoding)


def test_bad_project_csv_files_are_refused_with_line_and_field():
    assert (
        "colonnes manquantes : nature, transversale, remplace, competences"
        in problems_of(project_csv([["type", "code", "parent", "ordre", "titre", "description"]]))[0]
    )
    rows = [r.copy() for r in [COLUMNS]]
    rows += [
        ["niveau", "1", "", "", "Notions", "", "", "", "", ""],
        ["domaine", "D-1", "", "1", "Domaine", "", "", "", "", ""],
        ["competence", "C-1", "D-1", "1", "Compétence", "", "savoir", "oui", "", ""],
        ["competence", "C-1", "D-1", "2", "Doublon", "", "savoir", "non", "", ""],
        ["mission", "M1", "", "1", "Mission", "", "", "", "", ""],
        ["activite", "M1.A1", "M1", "1", "Animer", "", "", "", "", "C-1;C-INCONNUE"],
        ["activite", "M1.A2", "M9", "2", "Animer", "", "", "", "", ""],
        ["competence", "C-2", "D-1", "3", "Formule", "=1+1", "savoir", "non", "", ""],
        ["mystere", "X", "", "", "", "", "", "", "", ""],
    ]
    problems = problems_of(project_csv(rows))
    # Text that a spreadsheet would take for a formula is data: it is not refused (test_exports.py).
    assert not any(p.startswith("Ligne 9") for p in problems)
    assert any(p.startswith("Ligne 10, champ « type » : type inconnu « mystere »") for p in problems)
    assert "Ligne 5, champ « code » : le code « C-1 » est déjà utilisé (ligne 4)." in problems
    assert "Ligne 7, champ « competences » : la compétence « C-INCONNUE » n'existe pas." in problems
    assert "Ligne 8, champ « parent » : la mission « M9 » n'existe pas." in problems


def test_encodings_latin1_and_bom_are_read():
    data = small_data()
    data.competences[0].title = "Écouter, reformuler, synthétiser"
    utf8 = export_csv(data)
    assert utf8.startswith(b"\xef\xbb\xbf")
    latin1 = utf8.decode("utf-8-sig").encode("latin-1")
    assert problems_of(utf8.decode("utf-8-sig").encode("utf-16")) == [
        "Encodage UTF-16 non pris en charge : enregistrez le fichier en UTF-8 ou en Latin-1."
    ]
    for raw in (utf8, latin1, utf8[3:]):
        result = read_file(raw=raw, file_format="csv")
        assert result.problems == []
        assert result.data.competences[0].title == "Écouter, reformuler, synthétiser"


def test_files_that_are_not_what_they_claim_are_refused():
    assert problems_of(b"\x00\x01\x02binary" * 20) == [
        "Ce fichier n'est pas un fichier texte : il contient des données binaires."
    ]
    assert problems_of(export_csv(small_data()), "xlsx") == ["Ce fichier n'est pas un classeur XLSX."]
    assert problems_of(b"PK\x03\x04 pas vraiment un zip", "xlsx") == ["Ce classeur XLSX est illisible ou endommagé."]
    assert problems_of(b"{pas du json", "case")[0].startswith("Ligne 1 : JSON invalide")
    assert problems_of(b'{"a": 1}', "case") == ["ce n'est pas un paquet CASE : CFDocument est absent."]
    assert "ce n'est pas un CSV de référentiel Moodle" in problems_of(export_csv(small_data()), "moodle")[0]
    assert problems_of(b"x" * (10 * 1024 * 1024)) == ["Le fichier est trop volumineux (4 Mo au plus)."]
    assert problems_of(b"   ") == ["Le fichier est vide."]


def test_xlsx_formula_cells_are_refused():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(COLUMNS)
    sheet.append(["niveau", "1", "", "", "Notions", "=SUM(A1:A2)", "", "", "", ""])
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert problems_of(buffer.getvalue(), "xlsx") == [
        "Ligne 2, champ « description » : la cellule contient une formule : elle est refusée."
    ]


def test_cycles_in_parents_are_refused():
    rows = list(csv.reader(io.StringIO(export_moodle_csv(small_data()).decode())))
    rows[2][0] = "C-1-01"  # the competences container now hangs under one of its grandchildren
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    assert any("les parents forment une boucle" in p for p in problems_of(buffer.getvalue().encode(), "moodle"))
    package = export_case(small_data())
    child_of = [a for a in package["CFAssociations"] if a["associationType"] == "isChildOf"]
    domain_link = next(a for a in child_of if a["originNodeURI"]["title"] == "Domaine 1")
    competence_node = next(
        a["originNodeURI"] for a in child_of if a["destinationNodeURI"] == domain_link["originNodeURI"]
    )
    domain_link["destinationNodeURI"] = competence_node
    looped = [p for p in problems_of(json.dumps(package).encode(), "case") if "les parents forment une boucle." in p]
    # Each item of the loop is named by its CASE identifier, on CASE's own field.
    assert (
        f"Élément « {domain_link['originNodeURI']['identifier']} », champ « isChildOf » : les parents forment "
        "une boucle." in looped
    )
    assert f"Élément « {competence_node['identifier']} », champ « isChildOf » : les parents forment une boucle." in (
        looped
    )


def test_case_items_missing_required_fields():
    package = export_case(small_data())
    identifier = package["CFItems"][0]["identifier"]
    del package["CFItems"][0]["uri"]
    assert f"Élément « {identifier} » : champs obligatoires manquants : uri." in problems_of(
        json.dumps(package).encode(), "case"
    )


@pytest.mark.django_db
def test_invalid_upload_writes_nothing_and_shows_french_errors(curator_client):
    build_version()
    before = FrameworkVersion.objects.count()
    # Over the import's 4 MB, under the site's 6 MB for a whole request (REQUEST_MAX_BYTES).
    upload = SimpleUploadedFile("junk.csv", b"x" * (5 * 1024 * 1024))
    response = curator_client.post(
        reverse("referentiel:import"), {"file": upload, "file_format": "csv", "label": "v2.0"}
    )
    assert "Le fichier est trop volumineux (4 Mo au plus)." in response.content.decode()
    upload = SimpleUploadedFile(
        "bad.csv", project_csv([COLUMNS, ["competence", "C-1", "D-X", "", "T", "", "", "", "", ""]])
    )
    response = curator_client.post(
        reverse("referentiel:import"), {"file": upload, "file_format": "csv", "label": "v2.0"}
    )
    content = response.content.decode()
    assert "Le fichier n'a pas été importé" in content
    assert "Ligne 2, champ « parent » : le domaine « D-X » n&#x27;existe pas." in content
    assert FrameworkVersion.objects.count() == before
    assert curator_client.post(reverse("referentiel:import"), {"confirm": "1"}).status_code == 302


text_cells = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    raw=st.one_of(
        st.binary(max_size=400),
        st.lists(
            st.lists(
                st.one_of(
                    st.sampled_from(
                        ["competence", "activite", "niveau", "domaine", "mission", "C-1", "D-1", "1", "=1", ""]
                    ),
                    text_cells,
                ),
                max_size=10,
            ),
            max_size=8,
        ).map(lambda rows: project_csv([COLUMNS, *rows])),
    )
)
@pytest.mark.django_db
def test_csv_importer_never_crashes_and_never_half_imports(raw):
    before = (FrameworkVersion.objects.count(), Competence.objects.count(), Activity.objects.count())
    try:
        draft = draft_import(raw=raw, file_format="csv", label="v9.0", actor=None)
    except FrameworkError as error:
        assert error.messages
        assert (FrameworkVersion.objects.count(), Competence.objects.count(), Activity.objects.count()) == before
    else:
        assert read_file(raw=raw, file_format="csv").problems == []
        draft.delete()


def test_every_problem_is_reported_at_once():
    rows = [
        COLUMNS,
        ["niveau", "1", "", "", "Notions", "", "", "", "", ""],
        ["domaine", "D-1", "", "1", "Domaine", "", "", "", "", ""],
        ["competence", "C-1", "D-9", "1", "Compétence", "=1+1", "savoir", "oui", "", ""],
    ]
    problems = problems_of(project_csv(rows, encoding="latin-1"))
    assert problems == [
        "Ligne 4, champ « parent » : le domaine « D-9 » n'existe pas.",
    ]
