"""The tables layer: plain counts (as selectors.py returns them) in, cells withheld and labelled out.

These tests give the numbers by hand, without the database: the small-numbers rule and the
complementary masks are the tables' (with disclosure.py), whatever counted the figures.
"""

from datetime import datetime

import pytest
from django.utils import timezone

from competences.models import Competence, FrameworkVersion, ScaleLevel
from core.figures.disclosure import CellState
from core.figures.tables import Cell, cell_html
from dashboard.selectors import (
    POST_BREAKDOWNS,
    TRAINING_THEMES,
    WHOLE_NETWORK,
    AssessmentCounts,
    DashboardFilters,
    NetworkCounts,
    ParticipationCounts,
    PopulationTotals,
)
from dashboard.tables import (
    headline,
    heatmap_table,
    network_dashboard,
    participation_table,
    post_tables,
    training_table,
)
from members.models import Region
from tests.dashboard.conftest import TODAY

SMALL, MASKED = "small", "masked"


def _figure(cell):
    return cell.value if cell.state == CellState.SHOWN else str(cell.state)


def _column(table):
    return {row.code: _figure(row.cells[0]) for row in table.rows}


def _post_counts(sharing: int, **breakdowns: dict[str, int]) -> dict[str, int]:
    """The counts of selectors.post_counts: every figure 0 but those given, each breakdown adding up to `sharing`."""
    counts = {name: 0 for rows in POST_BREAKDOWNS.values() for name, _label in rows}
    counts.update(sharing=sharing, time_given=0, time_sum=0)
    for figures in breakdowns.values():
        counts.update(figures)
    return counts


# --- Headline figures ---------------------------------------------------------------------------


def test_headline_withholds_everything_below_five_members():
    small = headline(PopulationTotals(members=3, councils=1, regions=1), {50: 3})
    assert not small.large_enough
    assert {_figure(cell) for cell in (small.members, small.councils, small.median_time_share)} == {SMALL}
    nobody = headline(PopulationTotals(members=0, councils=0, regions=0), {})
    assert not nobody.large_enough and nobody.members.value == 0 and nobody.members.shown


def test_headline_shows_the_median_over_five_time_shares_only():
    totals = PopulationTotals(members=16, councils=3, regions=3)
    figures = headline(totals, {20: 5, 50: 6, 80: 1, 100: 2})
    assert (figures.members.value, figures.councils.value, figures.regions.value) == (16, 3, 3)
    assert (figures.median_time_share.value, figures.average_time_share.value) == (50, 49)
    few = headline(totals, {20: 2, 50: 2})
    assert few.members.value == 16
    assert _figure(few.median_time_share) == _figure(few.average_time_share) == SMALL


# --- Breakdowns ---------------------------------------------------------------------------------


def test_post_tables_mask_what_would_give_a_small_count_away():
    counts = _post_counts(
        15,
        temps={"band_0-25": 15},
        anciennete={"years_0": 15},
        statut={"status_titulaire": 9, "status_contractuel": 5, "status_none": 1},
        categorie={"category_A": 15},
    )
    post = post_tables(counts)
    assert post.sharing == 15 and post.sharing_cell.value == 15
    # 15 − 9 would leave 6 for a masked 5 (at least 5) and a "moins de 5" (at least 1): both masked.
    assert _column(post.employment_status) == {
        "status_titulaire": MASKED,
        "status_contractuel": MASKED,
        "status_autre": 0,
        "status_none": SMALL,
    }
    assert _column(post.time_share)["band_0-25"] == 15
    assert post.category.title == "Catégorie" and post.category.rows[0].label == "Catégorie A"


def test_post_tables_of_fewer_than_five_members_withhold_zeros_too():
    counts = _post_counts(
        3,
        temps={"band_0-25": 3},
        anciennete={"years_0": 3},
        statut={"status_titulaire": 3},
        categorie={"category_A": 3},
    )
    post = post_tables(counts)
    assert {_figure(cell) for table in (post.time_share, post.employment_status) for cell in _cells(table)} == {SMALL}
    assert _figure(post.sharing_cell) == SMALL


def _cells(table):
    return [cell for row in table.rows for cell in row.cells]


def test_training_table_ranks_the_themes_shown_and_withholds_small_ones():
    counts = {f"theme:{key}": 0 for key, _label, _words in TRAINING_THEMES}
    table = training_table({**counts, "writers": 7, "theme:animation": 5, "theme:juridique": 2})
    assert table.rows[0].code == "animation" and _figure(table.rows[0].cells[0]) == 5
    assert table.rows[-1].code == "juridique" and _figure(table.rows[-1].cells[0]) == SMALL
    assert "7 membres ont décrit leurs besoins" in table.note


def test_participation_table_withholds_a_month_of_few_contributors_whole():
    starts = [timezone.make_aware(datetime(2026, month, 1)) for month in (4, 5, 6)]
    counts = {
        "contributors:1": 3,
        "proposals:1": 40,  # many proposals, but from 3 people: withheld with them
        "comments:1": 2,
        "contributors:2": 6,
        "proposals:2": 6,
        "comments:2": 5,
    }
    table = participation_table(ParticipationCounts(starts, counts, members=16))
    rows = {row.label: [_figure(cell) for cell in row.cells] for row in table.rows}
    assert rows == {"avril 2026": [0, 0, 0], "mai 2026": [SMALL] * 3, "juin 2026": [6, 5, 6]}


def test_heatmap_table_protects_each_row_with_its_respondents():
    levels = [ScaleLevel(value=value, label=f"Niveau {value}") for value in (1, 2, 3, 4)]
    competences = [Competence(code=code, title=code) for code in ("C-1", "C-2", "C-3", "C-4")]
    counts = {("C-1", 2): 6, ("C-1", 3): 5, ("C-1", 4): 1, ("C-2", 1): 3, ("C-3", 2): 5, ("C-3", 4): 5}
    heatmap = heatmap_table(AssessmentCounts(FrameworkVersion(label="v1"), levels, competences, counts))
    rows = {row.code: [_figure(cell) for cell in row.cells] for row in heatmap.table.rows}
    # Levels 1–4, not concerned, respondents, average level.
    assert rows["C-1"] == [0, MASKED, MASKED, SMALL, 0, 12, MASKED]
    assert rows["C-2"] == [SMALL] * 7
    assert rows["C-3"] == [0, 5, 0, 5, 0, 10, 3.0]
    assert rows["C-4"] == [0, 0, 0, 0, 0, 0, SMALL]
    assert heatmap.counts["C-1"] == {2: 6, 3: 5, 4: 1}  # raw, for the gaps table that applies the rule itself
    assert heatmap.table.columns[1] == "1. Niveau 1"


# --- Formatting ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "label"),
    [(CellState.SMALL, "moins de 5"), (CellState.MASKED, "masqué"), (CellState.WITHDRAWN, "non publié")],
)
def test_a_withheld_cell_reads_its_reason_on_the_page_and_in_exports(state, label):
    cell = Cell(None, state)
    assert cell.export_value() == label
    assert cell_html(cell) == f'<span class="dashboard-withheld">{label}</span>'


# --- Selectors count, tables withhold -----------------------------------------------------------


def test_the_selectors_give_the_true_count_and_the_tables_withhold_it(network):
    occitanie = Region.objects.get(name="Occitanie")
    counts = NetworkCounts(today=TODAY)
    assert counts.values["members"][("v", occitanie.code, "")] == 3
    assert counts.values["members"][WHOLE_NETWORK] == 16
    by_region = {row.label: _figure(row.cells[0]) for row in network_dashboard(DashboardFilters()).regions.rows}
    assert by_region["Occitanie"] == SMALL
