"""Every importer, fuzzed: random bytes, random JSON, mutated valid files, random values in each column.

Whatever the input, the preview yields a clean result or a list of problems, never an exception; a
clean preview always confirms; a refused one writes nothing (issue 12, item 8).
"""

import csv
import dataclasses
import io
import json

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.utils.exceptions import IllegalCharacterError

from competences.enums import CompetenceKind
from competences.models import Competence, CompetenceLevel, Domain, FrameworkVersion, ScaleLevel
from missions.models import Activity, Mission
from referentiel.formats import read_file
from referentiel.formats.case import export_case
from referentiel.formats.common import COLUMNS, ROW_TYPES
from referentiel.formats.moodle import MOODLE_COLUMNS, export_moodle_csv
from referentiel.formats.table_csv import export_csv
from referentiel.framework import Problem
from referentiel.services import FrameworkError, draft_create_from_data
from referentiel.views.transfer import _data_from_session
from tests.referentiel.factories import small_data

FUZZ = settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Text a file can carry (no lone surrogates: they cannot be encoded), with a taste for the awkward.
any_text = st.text(alphabet=st.characters(codec="utf-8"), max_size=60)
awkward = st.sampled_from(
    ["", " ", "=1+1", "'=1", "-5", "@x", "é" * 5, "\t", "a\nb", "\x00", "\x1f", "X" * 41, "T" * 201, "%2C"]
)
numbers = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.sampled_from(["0", "2147483647", "2147483648", "32767", "32768", "-1", "1.5", "1e3", "١٢", "1_0"]),
)
codes = st.sampled_from(["D-1", "D-2", "C-1-01", "C-1-02", "C-2-01", "M1", "M2", "M1.A1", "1", "2", "", "C-9"])


def column_values(column: str):
    specific = {
        "type": st.sampled_from([*ROW_TYPES, "", "autre"]),
        "code": st.one_of(codes, numbers),
        "parent": codes,
        "ordre": numbers,
        "nature": st.sampled_from([*CompetenceKind.values, "", "autre"]),
        "transversale": st.sampled_from(["oui", "non", "", "peut-être"]),
        "remplace": st.one_of(codes, st.text(max_size=45)),
        "competences": st.lists(codes, max_size=4).map(";".join),
    }
    return st.one_of(specific.get(column, any_text), any_text, awkward)


def csv_bytes(rows) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode()


@st.composite
def mutated_rows(draw, base: list[list[str]], columns: list[str]):
    """`base` (header first) with a few cells replaced, rows dropped or repeated, or new random rows."""
    rows = [list(row) for row in base]
    for _ in range(draw(st.integers(min_value=0, max_value=5))):
        operation = draw(st.sampled_from(["cell", "cell", "cell", "drop", "repeat", "new"]))
        index = draw(st.integers(min_value=0, max_value=len(rows) - 1))
        if operation == "cell":
            column = draw(st.integers(min_value=0, max_value=len(columns) - 1))
            while len(rows[index]) <= column:
                rows[index].append("")
            rows[index][column] = draw(column_values(columns[column]))
        elif operation == "drop" and len(rows) > 1:
            del rows[index]
        elif operation == "repeat":
            rows.insert(index, list(rows[index]))
        else:
            rows.append([draw(column_values(column)) for column in columns])
    return rows


PROJECT_ROWS = list(csv.reader(io.StringIO(export_csv(small_data()).decode("utf-8-sig"))))
MOODLE_ROWS = list(csv.reader(io.StringIO(export_moodle_csv(small_data()).decode())))
project_files = mutated_rows(PROJECT_ROWS, COLUMNS).map(csv_bytes)
moodle_files = mutated_rows(MOODLE_ROWS, MOODLE_COLUMNS).map(csv_bytes)


def xlsx_bytes(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    try:
        for row in rows:
            sheet.append(row)
    except IllegalCharacterError:
        assume(False)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@st.composite
def corrupted(draw, valid: bytes):
    """`valid` with a few bytes changed, or cut short."""
    content = bytearray(valid)
    if draw(st.booleans()):
        return bytes(content[: draw(st.integers(min_value=1, max_value=len(content)))])
    for _ in range(draw(st.integers(min_value=1, max_value=8))):
        content[draw(st.integers(min_value=0, max_value=len(content) - 1))] = draw(st.integers(0, 255))
    return bytes(content)


json_values = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(2**80), max_value=2**80),
        st.floats(),
        st.text(max_size=20),
        awkward,
    ),
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)


def _nodes(value, found):
    """Every (container, key) of a JSON document, depth first."""
    pairs = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, child in pairs:
        found.append((value, key))
        _nodes(child, found)
    return found


@st.composite
def mutated_case(draw):
    package = export_case(small_data())
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        nodes = _nodes(package, [])
        container, key = nodes[draw(st.integers(min_value=0, max_value=len(nodes) - 1))]
        if isinstance(container, dict) and draw(st.booleans()):
            del container[key]
        else:
            container[key] = draw(json_values)
    return json.dumps(package).encode()


def counts() -> tuple[int, ...]:
    models = (FrameworkVersion, ScaleLevel, Domain, Competence, CompetenceLevel, Mission, Activity)
    return tuple(model.objects.count() for model in models)


def check_preview_then_confirm(raw: bytes, file_format: str) -> None:
    """The importer's contract: problems or a clean preview; a clean preview confirms; a refusal writes nothing."""
    result = read_file(raw=raw, file_format=file_format)
    assert all(isinstance(problem, Problem) and str(problem) for problem in result.problems)
    if result.problems:
        event("refusé à l'aperçu")
        return
    event("aperçu propre, confirmé")
    before = counts()
    # As the import page does: through the session's JSON, then the confirm's service.
    payload = json.loads(json.dumps(dataclasses.asdict(result.data)))
    try:
        draft = draft_create_from_data(data=_data_from_session(payload), label="v9.0", actor=None)
    except FrameworkError:
        assert counts() == before
        raise
    assert_storable(draft)
    draft.delete()
    assert counts() == before


def assert_storable(version) -> None:
    """What was stored fits the model on every database: SQLite would keep what PostgreSQL refuses."""
    items = [
        *ScaleLevel.objects.of(version),
        *Domain.objects.of(version),
        *Competence.objects.of(version),
        *Mission.objects.of(version),
        *Activity.objects.of(version),
    ]
    for item in items:
        item.clean_fields(exclude=["version", "domain", "mission"])
        assert 0 <= getattr(item, "order", 0) <= 2**31 - 1
        assert 0 <= getattr(item, "value", 0) <= 2**15 - 1


@pytest.mark.django_db
@FUZZ
@given(raw=st.one_of(st.binary(max_size=600), project_files))
def test_fuzz_project_csv(raw):
    check_preview_then_confirm(raw, "csv")


@pytest.mark.django_db
@FUZZ
@given(raw=st.one_of(mutated_rows(PROJECT_ROWS, COLUMNS).map(xlsx_bytes), corrupted(xlsx_bytes(PROJECT_ROWS))))
def test_fuzz_project_xlsx(raw):
    check_preview_then_confirm(raw, "xlsx")


@pytest.mark.django_db
@FUZZ
@given(
    raw=st.one_of(
        st.binary(max_size=600),
        json_values.map(lambda value: json.dumps(value).encode()),
        st.dictionaries(st.sampled_from(["CFDocument", "CFItems", "CFAssociations", "CFRubrics"]), json_values).map(
            lambda value: json.dumps(value).encode()
        ),
        mutated_case(),
        corrupted(json.dumps(export_case(small_data())).encode()),
    )
)
def test_fuzz_case_json(raw):
    check_preview_then_confirm(raw, "case")


@pytest.mark.django_db
@FUZZ
@given(raw=st.one_of(st.binary(max_size=600), moodle_files))
def test_fuzz_moodle_csv(raw):
    check_preview_then_confirm(raw, "moodle")


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.one_of(project_files, mutated_case()))
def test_fuzz_the_import_page_never_answers_500(curator_client, raw):
    file_format = "case" if raw.startswith(b"{") else "csv"
    upload = io.BytesIO(raw)
    upload.name = "referentiel"
    response = curator_client.post(
        reverse("referentiel:import"), {"file": upload, "file_format": file_format, "label": "v9.0"}
    )
    assert response.status_code == 200
    if "Créer le brouillon" in response.content.decode():
        response = curator_client.post(reverse("referentiel:import"), {"confirm": "1"})
        assert response.status_code == 302
        FrameworkVersion.objects.get(label="v9.0").delete()
    assert not FrameworkVersion.objects.exists()
