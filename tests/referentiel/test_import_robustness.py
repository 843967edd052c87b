"""Malformed, oversized or hostile référentiel files: a clear problem at preview, never a crash or a half import.

Each test replays an attack of the security audit (issue 12, items 6 and 8).
"""

import csv
import io
import json
import time
import tracemalloc
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from competences.models import Competence, Domain, FrameworkVersion
from core.spreadsheets import (
    XLSX_MAX_MEMBER_BYTES,
    XLSX_MAX_TOTAL_BYTES,
    SpreadsheetRefused,
    xlsx_check,
)
from missions.models import Activity
from referentiel.formats import read_file
from referentiel.formats.case import export_case
from referentiel.formats.common import COLUMNS, MAX_IMPORT_BYTES
from referentiel.formats.moodle import MOODLE_COLUMNS
from referentiel.formats.table_csv import export_csv
from referentiel.formats.tree import MAX_DEPTH
from referentiel.formats.xlsx import export_xlsx
from referentiel.framework import framework_check
from referentiel.services import FrameworkError, draft_create_from_data
from tests.referentiel.factories import small_data

CONTENT_TYPES_SHARED_STRINGS = (
    b'<Override PartName="/xl/sharedStrings.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
)
SHEET = "xl/worksheets/sheet1.xml"


def problems_of(raw: bytes, file_format: str) -> list[str]:
    return [str(problem) for problem in read_file(raw=raw, file_format=file_format).problems]


def rebuilt_xlsx(*, replace: dict[str, bytes] | None = None, add: dict[str, int] | None = None) -> bytes:
    """The project's XLSX of small_data(), with members replaced, and members added as `size` bytes of one
    repeated shared string (written in chunks: the test itself never holds them in memory)."""
    replace = replace or {}
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(export_xlsx(small_data()))) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive,
    ):
        for info in source.infolist():
            data = replace.get(info.filename, source.read(info.filename))
            if info.filename == "[Content_Types].xml" and add:
                data = data.replace(b"</Types>", CONTENT_TYPES_SHARED_STRINGS)
            archive.writestr(info.filename, data)
        for name, size in (add or {}).items():
            chunk = b"<si><t>" + b"A" * 1000 + b"</t></si>"
            with archive.open(name, "w", force_zip64=True) as member:
                member.write(b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
                for _ in range(size // len(chunk)):
                    member.write(chunk)
                member.write(b"</sst>")
    return buffer.getvalue()


@pytest.fixture
def openpyxl_must_not_run(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("openpyxl ne doit pas lire un classeur refusé")

    monkeypatch.setattr(openpyxl, "load_workbook", refuse)


# --- Item 6: XLSX decompression bombs ---------------------------------------------------------


def test_an_xlsx_decompression_bomb_is_refused_before_openpyxl_reads_it(openpyxl_must_not_run):
    bomb = rebuilt_xlsx(add={"xl/sharedStrings.xml": 48 * 1024 * 1024})
    assert len(bomb) < 300 * 1024 < MAX_IMPORT_BYTES  # well under the upload limit

    tracemalloc.start()
    started = time.perf_counter()
    problems = problems_of(bomb, "xlsx")
    elapsed = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    assert problems == [
        "Ce classeur XLSX est refusé : une fois décompressé, l'élément « xl/sharedStrings.xml » ferait 48 Mo "
        "(12 Mo au plus)."
    ]
    assert elapsed < 1
    assert peak < 5 * 1024 * 1024


@pytest.mark.django_db
def test_a_bomb_uploaded_through_the_import_page_gets_a_french_error(curator_client, openpyxl_must_not_run):
    bomb = rebuilt_xlsx(add={"xl/sharedStrings.xml": 30 * 1024 * 1024})
    upload = SimpleUploadedFile("bombe.xlsx", bomb)
    response = curator_client.post(
        reverse("referentiel:import"), {"file": upload, "file_format": "xlsx", "label": "v2.0"}
    )
    assert response.status_code == 200
    assert "Ce classeur XLSX est refusé : une fois décompressé" in response.content.decode()
    assert not FrameworkVersion.objects.exists()


def test_a_member_compressed_too_well_is_refused(openpyxl_must_not_run):
    # Under the size bound, but a thousand times smaller once compressed: the mark of a bomb.
    compressed = rebuilt_xlsx(add={"xl/sharedStrings.xml": 4 * 1024 * 1024})
    assert problems_of(compressed, "xlsx") == [
        "Ce classeur XLSX est refusé : l'élément « xl/sharedStrings.xml » est compressé plus de 100 fois, ce qui "
        "est le signe d'une « bombe de décompression »."
    ]


def test_the_members_together_are_bounded_too():
    buffer = io.BytesIO()
    member_size = XLSX_MAX_MEMBER_BYTES - 1024
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for number in range(XLSX_MAX_TOTAL_BYTES // member_size + 1):
            info = zipfile.ZipInfo(f"xl/media/image{number}.bin")
            with archive.open(info, "w", force_zip64=True) as member:
                member.write(bytes(member_size))
    with pytest.raises(SpreadsheetRefused, match=r"une fois décompressé, il ferait \d+ Mo \(32 Mo au plus\)"):
        xlsx_check(buffer.getvalue())


def sheet_xml(rows: str, dimension: str = "A1:J2") -> bytes:
    return (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="{dimension}"/><sheetData>{rows}</sheetData></worksheet>'
    ).encode()


def inline_cell(reference: str, text: str) -> str:
    return f'<c r="{reference}" t="inlineStr"><is><t>{text}</t></is></c>'


def test_rows_are_counted_as_read_not_taken_from_the_declared_dimension():
    # openpyxl's read-only mode believes <dimension>: the whole sheet would be padded to 16,384 columns.
    header = "".join(inline_cell(f"{chr(65 + i)}1", column) for i, column in enumerate(COLUMNS))
    sheet = sheet_xml(
        f'<row r="1">{header}</row><row r="1048576">{inline_cell("A1048576", "niveau")}</row>',
        dimension="A1:XFD1048576",
    )
    started = time.perf_counter()
    problems = problems_of(rebuilt_xlsx(replace={SHEET: sheet}), "xlsx")
    assert problems == ["Le classeur compte trop de lignes (5000 au plus)."]
    assert time.perf_counter() - started < 3


def test_a_row_too_wide_is_refused():
    sheet = sheet_xml(f'<row r="1">{inline_cell("A1", "type")}{inline_cell("XFD1", "loin")}</row>')
    assert problems_of(rebuilt_xlsx(replace={SHEET: sheet}), "xlsx") == [
        "La ligne 1 du classeur compte trop de colonnes (50 au plus)."
    ]


@pytest.mark.parametrize(
    "sheet",
    [
        pytest.param(b"<worksheet><sheetData><row r='1'><c r='A1'", id="xml-tronque"),
        pytest.param(b"\x00\x01 pas du XML", id="binaire"),
        pytest.param(sheet_xml('<row r="abc"><c r="A1"><v>1</v></c></row>'), id="numero-de-ligne"),
        pytest.param(sheet_xml('<row r="1"><c r="1A"><v>1</v></c></row>'), id="reference-de-cellule"),
        pytest.param(
            b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
            b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>'
            + sheet_xml(f'<row r="1">{inline_cell("A1", "&d;")}</row>'),
            id="entites-xml",
        ),
    ],
)
def test_malformed_xlsx_xml_is_a_problem_not_a_crash(sheet):
    problems = problems_of(rebuilt_xlsx(replace={SHEET: sheet}), "xlsx")
    assert problems
    assert all(isinstance(problem, str) for problem in problems)


def test_the_workbook_of_a_large_referentiel_still_passes_the_bounds():
    data = small_data(missions=20, activities=40, domains=20, competences=60)
    for competence in data.competences:
        competence.description = "Une description assez longue, " * 20
    raw = export_xlsx(data)
    xlsx_check(raw)
    assert read_file(raw=raw, file_format="xlsx").problems == []


# --- Item 8: every value checked against the model at preview ----------------------------------


def project_csv(rows) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows([COLUMNS, *rows])
    return buffer.getvalue().encode()


def csv_with(column: str, value: str) -> bytes:
    """small_data() as the project's CSV, `column` of its first domain row set to `value`."""
    rows = list(csv.reader(io.StringIO(export_csv(small_data()).decode("utf-8-sig"))))
    domain = next(row for row in rows if row[0] == "domaine")
    domain[COLUMNS.index(column)] = value
    return project_csv(rows[1:])


def preview(client, raw: bytes, file_format: str = "csv"):
    upload = SimpleUploadedFile("referentiel", raw)
    return client.post(reverse("referentiel:import"), {"file": upload, "file_format": file_format, "label": "v2.0"})


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("ordre", "2147483648", "« 2147483648 » est hors limites : un nombre entier de 0 à 2147483647 est attendu."),
        ("ordre", "99999999999999999999999", "est hors limites"),
        # Line 7: the header, the version's row, four levels, then the first domain.
        ("remplace", "C-" + "X" * 39, "Ligne 7, champ « remplace » : pas plus de 40 caractères."),
        ("titre", "T" * 201, "pas plus de 200 caractères."),
    ],
)
def test_values_beyond_the_model_are_refused_at_preview(curator_client, column, value, message):
    response = preview(curator_client, csv_with(column, value))
    content = response.content.decode()
    assert "Le fichier n'a pas été importé : 1 problème à corriger." in content
    assert message.replace("'", "&#x27;") in content
    assert "Créer le brouillon" not in content
    response = curator_client.post(reverse("referentiel:import"), {"confirm": "1"}, follow=True)
    assert "L&#x27;aperçu a expiré" in response.content.decode()
    assert not FrameworkVersion.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("column", "value"), [("ordre", "2147483647"), ("remplace", "C-" + "X" * 38)])
def test_values_at_the_model_limit_pass_the_preview_and_the_confirm(curator_client, column, value):
    response = preview(curator_client, csv_with(column, value))
    assert "Créer le brouillon" in response.content.decode()
    response = curator_client.post(reverse("referentiel:import"), {"confirm": "1"}, follow=True)
    assert "Le brouillon v2.0 a été créé à partir du fichier." in response.content.decode()
    domain = Domain.objects.get(version__label="v2.0", code="D-1")
    assert str(getattr(domain, {"ordre": "order", "remplace": "replaces"}[column])) == value


@pytest.mark.django_db
def test_the_service_refuses_what_the_database_would_refuse():
    """On SQLite the 41 characters would be stored silently, on PostgreSQL refused by the database."""
    data = small_data()
    data.domains[0].replaces = "R" * 41
    data.competences[0].order = -1
    data.activities[0].order = 2**31
    data.scale[0].descriptor = "nul\x00"
    data.missions[0].purpose = "surrogate \ud800"
    with pytest.raises(FrameworkError) as refused:
        draft_create_from_data(data=data, label="v2.0", actor=None)
    messages = refused.value.messages
    assert "Champ « remplace » : pas plus de 40 caractères." in messages
    assert any("« -1 » est hors limites" in message for message in messages)
    assert any("« 2147483648 » est hors limites" in message for message in messages)
    assert any("caractère nul" in message for message in messages)
    assert any("caractère Unicode invalide" in message for message in messages)
    assert not FrameworkVersion.objects.exists()
    assert not Domain.objects.exists()


def case_package(change) -> bytes:
    package = export_case(small_data())
    change(package)
    return json.dumps(package).encode()


def first_child_of(package):
    return next(a for a in package["CFAssociations"] if a["associationType"] == "isChildOf")


@pytest.mark.django_db
@pytest.mark.parametrize("sequence", [-3, 2**31, 10**30])
def test_a_case_sequence_number_out_of_range_is_refused_at_preview(curator_client, sequence):
    raw = case_package(lambda package: first_child_of(package).update(sequenceNumber=sequence))
    content = preview(curator_client, raw, "case").content.decode()
    # Named by CASE's own field, on the item whose isChildOf carries the number.
    identifier = json.loads(raw)["CFAssociations"][0]["originNodeURI"]["identifier"]
    assert f"Élément « {identifier} », champ « sequenceNumber » : « " in content
    assert "est hors limites" in content
    assert "Créer le brouillon" not in content


@pytest.mark.django_db
def test_a_case_link_given_twice_is_imported_once(curator_client):
    def twice(package):
        related = next(a for a in package["CFAssociations"] if a["associationType"] == "isRelatedTo")
        package["CFAssociations"].append(dict(related))

    response = preview(curator_client, case_package(twice), "case")
    assert "Créer le brouillon" in response.content.decode()
    response = curator_client.post(reverse("referentiel:import"), {"confirm": "1"}, follow=True)
    assert "Le brouillon v2.0 a été créé à partir du fichier." in response.content.decode()
    version = FrameworkVersion.objects.get(label="v2.0")
    assert Activity.competences.through.objects.filter(activity__version=version).count() == sum(
        len(activity.competences) for activity in small_data().activities
    )


def test_an_activity_citing_a_competence_twice_is_a_problem():
    data = small_data()
    data.activities[0].competences = [data.competences[0].code] * 2
    assert "une même compétence est citée deux fois." in [problem.message for problem in framework_check(data)]


# --- Item 8: malformed files are problems, not HTTP 500 ----------------------------------------

MISTYPED_CASE = {
    "imbrication-profonde": b'{"CFDocument": {}, "CFItems": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
    "imbrication-juste-sous-la-limite": b'{"CFDocument": {}, "CFItems": [{"identifier": '
    + b"[" * 900
    + b"]" * 900
    + b', "fullStatement": "x", "uri": "u", "lastChangeDateTime": "d", "CFItemType": '
    + b"[" * 900
    + b"]" * 900
    + b"}]}",
    "entier-geant": b'{"CFDocument": {}, "CFItems": [], "x": ' + b"9" * 5000 + b"}",
    "grilles-en-objet": case_package(lambda p: p.update(CFRubrics={"a": 1})),
    "grilles-en-texte": case_package(lambda p: p.update(CFRubrics=["x", [1], {"CFRubricCriteria": "abc"}])),
    "score-infini": case_package(
        lambda p: p["CFRubrics"][0]["CFRubricCriteria"][0]["CFRubricCriterionLevels"][0].update(score=float("inf"))
    ),
    "critere-en-texte": case_package(lambda p: p["CFRubrics"][0]["CFRubricCriteria"].append({"CFItemURI": "zz"})),
    "mots-cles-en-nombre": case_package(lambda p: p["CFItems"][-1].update(conceptKeywords=12)),
    "noeud-en-liste": case_package(lambda p: first_child_of(p).update(originNodeURI=[1, 2])),
    "identifiant-en-objet": case_package(lambda p: p["CFItems"][0].update(identifier={"a": 1})),
    "sequence-infinie": case_package(lambda p: first_child_of(p).update(sequenceNumber=float("inf"))),
    "document-sans-description-texte": case_package(lambda p: p["CFDocument"].update(description=[1])),
}


@pytest.mark.parametrize("raw", list(MISTYPED_CASE.values()), ids=list(MISTYPED_CASE))
def test_mistyped_or_deeply_nested_case_json_gives_problems(raw):
    result = read_file(raw=raw, file_format="case")
    assert result.problems or framework_check(result.data) == []


@pytest.mark.django_db
def test_deeply_nested_case_json_through_the_page(curator_client):
    content = preview(curator_client, MISTYPED_CASE["imbrication-profonde"], "case").content.decode()
    assert "JSON invalide : trop de niveaux imbriqués." in content


def moodle_row(parent: str, code: str, *, framework: bool = False) -> list[str]:
    cells = dict.fromkeys(MOODLE_COLUMNS, "")
    cells.update({"Parent ID number": parent, "ID number": code, "Short name": code})
    cells["Is framework"] = "1" if framework else "0"
    if framework:
        cells["Scale values"] = "Notions,Maîtrise"
    return [cells[column] for column in MOODLE_COLUMNS]


def moodle_chain(length: int, *, loop: bool = False) -> bytes:
    rows = [MOODLE_COLUMNS, moodle_row("", "CNCD", framework=True)]
    rows.append(moodle_row(f"N{length - 1}" if loop else "", "N0"))
    rows += [moodle_row(f"N{n - 1}", f"N{n}") for n in range(1, length)]
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode()


@pytest.mark.parametrize("loop", [False, True])
def test_a_long_moodle_parent_chain_is_resolved_in_linear_time(loop):
    # 900 levels took 17 s (cubic); past 1,000 the recursion crashed.
    started = time.perf_counter()
    problems = problems_of(moodle_chain(3000, loop=loop), "moodle")
    assert time.perf_counter() - started < 5
    expected = "les parents forment une boucle." if loop else "profondeur non prise en charge : 20 niveaux au plus."
    # A loop: every item of it; a chain: every item deeper than the 20 levels a file may have.
    assert sum(expected in problem for problem in problems) == (3000 if loop else 3000 - MAX_DEPTH)


def test_a_case_parent_chain_is_checked_for_loops_in_linear_time():
    items = [
        {
            "identifier": f"id-{n}",
            "fullStatement": f"Domaine {n}",
            "uri": f"urn:{n}",
            "lastChangeDateTime": "2026-01-01T00:00:00Z",
            "CFItemType": "Domaine",
            "humanCodingScheme": f"D-{n}",
        }
        for n in range(6000)
    ]
    associations = [
        {
            "associationType": "isChildOf",
            "originNodeURI": {"identifier": f"id-{n}"},
            "destinationNodeURI": {"identifier": f"id-{n + 1}"},
        }
        for n in range(5999)
    ]
    raw = json.dumps({"CFDocument": {}, "CFItems": items, "CFAssociations": associations}).encode()
    assert len(raw) < MAX_IMPORT_BYTES
    started = time.perf_counter()
    read_file(raw=raw, file_format="case")
    assert time.perf_counter() - started < 5


def test_a_csv_with_a_huge_field_is_refused_with_a_french_message():
    raw = project_csv([["niveau", "1", "", "", "Notions", ""], ["domaine", "D-1", "", "1", "D", "x" * 200_000]])
    assert problems_of(raw, "csv") == ["Ligne 3 : une cellule dépasse 100000 caractères ; le fichier est refusé."]


@pytest.mark.django_db
def test_nothing_is_written_by_a_refused_import():
    data = small_data()
    data.competences[-1].replaces = "R" * 41
    with pytest.raises(FrameworkError):
        draft_create_from_data(data=data, label="v2.0", actor=None)
    assert (FrameworkVersion.objects.count(), Domain.objects.count(), Competence.objects.count()) == (0, 0, 0)
