"""The network's figures of the vitrine (/vitrine/chiffres/): tables under the small-numbers rule, exports."""

import csv
import datetime
import io
from html import escape

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from core.figures.disclosure import CellState
from core.figures.exports import table_lines
from members.models import Region
from showcase.enums import FollowUpAnswer, PageStatus, Uptake, WorkStatus
from showcase.figures import ALL, FigureCounts, figure_counts, figures_from, network_figures
from showcase.works import library_changed
from tests.members.factories import CouncilFactory
from tests.showcase.factories import CouncilPageFactory, ThemeFactory, WorkFactory

pytestmark = pytest.mark.django_db

FIGURES = "/vitrine/chiffres/"


def _page(department: str, region: str, **fields):
    council = CouncilFactory(departments=[department], **fields.pop("council", {}))
    return CouncilPageFactory(council=council, region=Region.objects.get(code=region), **fields)


def _works(page, count, *, answer=FollowUpAnswer.UNKNOWN, themes=(), year=2025, **fields):
    return [
        WorkFactory(
            page=page, followup_answer=answer, themes=list(themes), issued_on=datetime.date(year, 3, 1), **fields
        )
        for _index in range(count)
    ]


@pytest.fixture
def network():
    mobility, housing = ThemeFactory(name="Mobilité", slug="mobilite"), ThemeFactory(name="Logement", slug="logement")
    bretagne = _page("35", "53")
    paris = _page("75", "11")
    _works(bretagne, 12, answer=FollowUpAnswer.ANSWERED, themes=[mobility], followup_uptake=Uptake.PARTLY)
    _works(bretagne, 6, answer=FollowUpAnswer.NO_ANSWER, themes=[mobility, housing], year=2024)
    _works(paris, 3, answer=FollowUpAnswer.ANSWERED, themes=[housing], followup_uptake=Uptake.FULLY)
    _works(paris, 7, answer=FollowUpAnswer.WAITING, year=2024)
    _works(paris, 5)  # follow-up not filled in
    # Not public: a draft work, a hidden one, the works of a draft page and of a council not validated.
    _works(bretagne, 2, status=WorkStatus.DRAFT)
    _works(bretagne, 1, status=WorkStatus.HIDDEN)
    _works(_page("29", "53", status=PageStatus.DRAFT), 4, answer=FollowUpAnswer.ANSWERED)
    _works(_page("56", "53", council={"is_validated": False}), 4, answer=FollowUpAnswer.ANSWERED)
    return {"mobility": mobility, "housing": housing}


def _row(table, code):
    return next(row for row in table.rows if row.code == code)


def test_only_public_works_are_counted(network):
    counts = figure_counts()
    assert counts.total == 33
    assert counts.by_year == {2024: 13, 2025: 20}
    assert counts.uptake == {Uptake.PARTLY: 12, Uptake.FULLY: 3}


def test_followups_by_region_and_the_share_answered(network):
    figures = figures_from(figure_counts())
    bretagne = _row(figures.followups, "53")
    # published, filled in, answered, waiting, no answer, share answered among those filled in
    truth = [18, 18, 12, 0, 6, 67]
    assert bretagne.cells[0].value == 18
    for cell, value in zip(bretagne.cells, truth, strict=True):
        assert not cell.shown or cell.value == value
    paris = _row(figures.followups, "11")
    assert paris.cells[0].value == 15
    assert paris.cells[2].state == CellState.SMALL  # 3 answered: "moins de 5"
    # 3 answered + 7 waiting = 10 filled in: one more figure of the row is masked, or 3 = 10 - 7.
    assert any(cell.state == CellState.MASKED for cell in paris.cells[1:5])
    # ...and the network's answered works (12 + 3) would give the 3 back: masked too, or Bretagne's 12.
    network_row = _row(figures.followups, ALL)
    assert network_row.cells[0].value == 33
    assert CellState.MASKED in {network_row.cells[2].state, bretagne.cells[2].state} or not bretagne.cells[2].shown
    # A share over a withheld count is not given.
    assert paris.cells[-1].value is None and paris.cells[-1].statistic


def test_no_withheld_count_can_be_worked_out(network):
    """No sum of the page (a row's filled-in follow-ups, a column's regions, a theme's years) leaves a "moins de 5"
    as its only withheld figure: the total minus the others would give it back."""
    figures = figures_from(figure_counts())
    regions = [row for row in figures.followups.rows if row.code != ALL]
    sums = [[row.cells[1], row.cells[2], row.cells[3], row.cells[4]] for row in figures.followups.rows]
    for column in (2, 3, 4):
        sums.append([_row(figures.followups, ALL).cells[column], *(row.cells[column] for row in regions)])
    sums += [row.cells for row in figures.themes.rows]
    sums.append([row.cells[0] for row in figures.years.rows])
    withheld = 0
    for cells in sums:
        hidden = [cell for cell in cells if not cell.shown]
        withheld += len(hidden)
        assert len(hidden) != 1 or hidden[0].state != CellState.SMALL, cells
    assert withheld  # the fixture has small counts to protect


def test_small_theme_year_counts_are_withheld_with_their_complement():
    counts = FigureCounts(
        themes=[(1, "Mobilité")],
        regions=[("53", "Bretagne")],
        years=[2024, 2025],
        by_theme={(1, 2024): 2, (1, 2025): 20},
        by_year={2024: 10, 2025: 30},
        by_region={("53", FollowUpAnswer.UNKNOWN): 40},
        uptake={},
    )
    figures = figures_from(counts)
    mobility = _row(figures.themes, "1")
    assert mobility.cells[0].state == CellState.SMALL  # 2 in 2024
    # The theme's total (22) minus 2025's 20 would give it: one of them is masked.
    assert CellState.MASKED in {mobility.cells[1].state, mobility.cells[2].state}


def test_figures_page_shows_charts_and_tables(client, network):
    response = client.get(FIGURES)
    assert response.status_code == 200
    html = response.content.decode()
    for title in (
        "Travaux publiés par année",
        "Travaux publiés par thème et par année",
        "Suites données aux travaux par la collectivité, par région",
        "Prise en compte des travaux ayant reçu une réponse",
    ):
        assert f"<caption>{title}</caption>" in html
    assert 'id="chart-annees-title"' in html and 'id="chart-suites-part-title"' in html
    assert "moins de 5" in html
    assert "Ensemble du réseau" in html


@pytest.mark.parametrize("count", [1, 3, 6])
def test_a_handful_of_works_is_protected_whole(client, count):
    """With fewer than 5 works in all, every count reads "moins de 5" (nothing to mask around a tiny total)."""
    _works(_page("35", "53"), count, answer=FollowUpAnswer.ANSWERED, themes=[ThemeFactory()])
    response = client.get(FIGURES)
    assert response.status_code == 200
    figures = network_figures()
    assert figures.total.shown == (count >= 5)
    assert client.get("/vitrine/chiffres/export.csv").status_code == 200


def test_empty_figures(client):
    html = client.get(FIGURES).content.decode()
    assert "Aucun travail n" in html
    assert "export.csv" not in html


def test_csv_export_is_exactly_the_page_tables(client, network):
    figures = network_figures()
    response = client.get("/vitrine/chiffres/export.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    expected = []
    for table in figures.tables():
        expected += [[str(value) for value in line] for line in table_lines(table, for_csv=True)]
    found = [row for row in rows if row]
    assert found[-len(expected) :] == expected
    # The page shows the same figures: every row of the CSV's follow-up table is a row of the page's.
    html = client.get(FIGURES).content.decode()
    for row in figures.followups.rows:
        assert f'<th scope="row">{escape(row.label)}</th>' in html
    assert "moins de 5" in text and "masqué" in text


def test_xlsx_export_has_one_sheet_per_table(client, network):
    response = client.get("/vitrine/chiffres/export.xlsx")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    figures = network_figures()
    assert len(workbook.sheetnames) == 1 + len(figures.tables())
    sheet = workbook.worksheets[3]  # the follow-ups by region
    assert sheet["A1"].value == figures.followups.title
    values = [[cell.value for cell in line] for line in sheet.iter_rows(min_row=3)]
    bretagne = next(line for line in values if line[0] == "Bretagne")
    page_row = _row(figures.followups, "53")
    assert bretagne[:7] == ["Bretagne", *(cell.export_value() for cell in page_row.cells)]


def test_figures_are_cached_until_the_library_changes(client, network, django_assert_max_num_queries):
    client.get(FIGURES)
    with django_assert_max_num_queries(4):
        client.get(FIGURES)
    _works(_page("13", "93"), 6, answer=FollowUpAnswer.ANSWERED)
    library_changed()
    html = client.get(FIGURES).content.decode()
    assert escape("Provence-Alpes-Côte d'Azur") in html
    assert network_figures().total.value == 39


def test_figures_query_count_does_not_grow_with_works(client, network):
    def cold_queries() -> int:
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            assert client.get(FIGURES).status_code == 200
        return len(captured.captured_queries)

    few = cold_queries()
    page = _page("69", "84")
    _works(page, 20, answer=FollowUpAnswer.ANSWERED, themes=[network["housing"]], year=2019)
    _works(page, 5, themes=[ThemeFactory(name="Budget", slug="budget")], year=2018)
    assert cold_queries() == few
