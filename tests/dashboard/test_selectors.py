from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.enums import Role
from core.figures.disclosure import CellState
from core.figures.tables import distribution_cells
from dashboard.selectors import DashboardFilters, frequency_median, network_members, years_ago
from dashboard.tables import (
    network_dashboard,
    overview,
    post_figures,
    self_assessment_heatmap,
    training_wishes,
)
from members.enums import TerritoryKind
from members.models import Region
from tests.dashboard.conftest import TODAY
from tests.dashboard.ratings import rated
from tests.members.factories import ProfileFactory, UserFactory
from tests.referentiel.factories import build_version

SMALL = "small"
MASKED = "masked"


def figures(table):
    """{row label: value, or "small" / "masked"} for the first column of `table`."""
    return {row.label: _figure(row.cells[0]) for row in table.rows}


def _figure(cell):
    return cell.value if cell.state == CellState.SHOWN else str(cell.state)


# --- The small-numbers rule ---------------------------------------------------------------------


def test_counts_from_one_to_four_are_withheld_and_zero_is_shown():
    cells = distribution_cells([0, 1, 4, 5, 9])
    assert [_figure(cell) for cell in cells] == [0, SMALL, SMALL, 5, 9]


def test_a_single_small_cell_masks_the_next_smallest_so_it_cannot_be_subtracted():
    cells = distribution_cells([9, 3, 6, 0])
    assert [_figure(cell) for cell in cells] == [9, SMALL, MASKED, 0]


def test_years_ago_handles_29_february():
    assert years_ago(date(2028, 2, 29), 1) == date(2027, 2, 28)
    assert years_ago(date(2026, 6, 15), 6) == date(2020, 6, 15)


# --- Hand-computed figures ----------------------------------------------------------------------


def test_overview_counts_members_councils_regions_and_time_share(network):
    headline = overview(network_members())
    assert headline.large_enough
    assert headline.members.value == 16
    assert headline.councils.value == 3
    assert headline.regions.value == 3
    # 14 time shares given by members sharing their post: 20 ×5, 50 ×6, 80, 100 ×2.
    assert headline.median_time_share.value == 50
    assert headline.average_time_share.value == 49  # 680 / 14 = 48.57


def test_members_by_region_withholds_a_region_of_three_and_masks_the_next(network):
    dashboard = network_dashboard(DashboardFilters())
    by_region = figures(dashboard.regions)
    assert by_region["Bretagne"] == 8
    assert by_region["Occitanie"] == SMALL
    # 16 − 8 − 5 would give Occitanie's 3: the smallest other region is masked too.
    assert by_region["Auvergne-Rhône-Alpes"] == MASKED
    assert by_region["Corse"] == 0
    assert by_region["Conseil non renseigné"] == 0
    assert len(dashboard.regions.rows) == Region.objects.count() + 1


def test_members_by_kind(network):
    by_kind = figures(network_dashboard(DashboardFilters()).kinds)
    assert by_kind["Communauté d'agglomération"] == 8
    assert by_kind["Communauté de communes"] == SMALL
    assert by_kind["Métropole"] == MASKED
    assert by_kind["PETR / pays"] == 0


def test_post_figures_leave_out_members_hiding_their_post(network):
    post = post_figures(network_members(), today=TODAY)
    assert post.sharing == 15
    assert figures(post.time_share) == {
        "Jusqu'à 25 %": 5,
        "De 26 à 50 %": 6,
        "De 51 à 99 %": SMALL,
        "Temps plein (100 %)": SMALL,  # 2, not 3: the hidden full-timer is left out
        "Non renseigné": SMALL,
    }
    assert figures(post.years_in_post) == {
        "Moins d'un an": 5,
        "1 à 2 ans": 0,
        "3 à 5 ans": 0,
        "6 à 10 ans": 7,  # started exactly six years ago
        "Plus de 10 ans": SMALL,
        "Non renseigné": SMALL,
    }
    assert figures(post.employment_status) == {
        # 9 + 5 + 0 + 1 = 15. With 5 masked only, 15 − 9 = 6 would be "at least 5" plus "1 to 4":
        # exactly 5 and 1. Both 9 and 5 are masked.
        "Titulaire": MASKED,
        "Contractuel·le": MASKED,
        "Autre": 0,
        "Non renseigné": SMALL,
    }
    assert figures(post.category) == {"Catégorie A": 12, "Catégorie B": SMALL, "Catégorie C": SMALL, "Non renseigné": 0}


def test_training_wishes_by_theme(network):
    table = training_wishes(network_members())
    by_theme = figures(table)
    assert by_theme["Animation et facilitation"] == 5  # the hidden sixth is left out
    assert by_theme["Cadre juridique et fonctionnement des EPCI"] == SMALL
    assert by_theme["Évaluation"] == 0
    assert table.rows[0].label == "Animation et facilitation"
    assert "7 membres ont décrit leurs besoins" in table.note


def test_self_assessment_heatmap(network):
    version = build_version()
    raters = network["bretagne"] + network["ara"]  # 12 members
    for index, profile in enumerate(raters):
        level = 2 if index < 6 else 3 if index < 11 else 4
        rated(user=profile.user, code="C-1-01", level=level, version=version)
    for profile in network["occitanie"]:
        rated(user=profile.user, code="C-1-02", level=1, version=version)
    for index, profile in enumerate(raters[:10]):
        rated(user=profile.user, code="C-1-03", level=2 if index < 5 else 4, version=version)
    heatmap = self_assessment_heatmap(network_members())
    assert [level.value for level in heatmap.levels] == [1, 2, 3, 4]
    assert heatmap.table.columns[-3:] == ["Non concerné·e", "Répondant·es", "Niveau moyen"]
    rows = {row.code: [_figure(cell) for cell in row.cells] for row in heatmap.table.rows}
    # Levels 1–4, not concerned, respondents, average. 12 − 6 = 6 would be a masked level (at least
    # 5) plus a "moins de 5" (at least 1): exactly 5 and 1, so level 2 is masked too. The average
    # (6×2 + 5×3 + 4) / 12 = 2.58 would give the withheld levels away: masked.
    assert rows["C-1-01"] == [0, MASKED, MASKED, SMALL, 0, 12, MASKED]
    assert rows["C-2-01"] == [0, 0, 0, 0, 0, 0, SMALL]
    # Three respondents only: every cell is withheld, zeros included.
    assert rows["C-1-02"] == [SMALL] * 7
    # Every level cell shown: the average is too, (5 × 2 + 5 × 4) / 10 = 3.
    assert rows["C-1-03"] == [0, 5, 0, 5, 0, 10, 3.0]


# --- Filters ------------------------------------------------------------------------------------


def test_filtering_on_a_region_of_three_withholds_everything(network):
    dashboard = network_dashboard(DashboardFilters(region=Region.objects.get(name="Occitanie")))
    assert not dashboard.overview.large_enough
    assert dashboard.overview.members.state == CellState.SMALL
    assert dashboard.overview.median_time_share.state == CellState.SMALL
    assert dashboard.post is None and dashboard.heatmap is None and dashboard.training is None
    assert figures(dashboard.regions)["Occitanie"] == SMALL
    assert figures(dashboard.kinds)["Communauté de communes"] == SMALL
    # Not even a zero is shown: it would tell where these three members do not work.
    assert figures(dashboard.regions)["Bretagne"] == SMALL
    assert figures(dashboard.kinds)["Métropole"] == SMALL
    assert not [cell for table in dashboard.tables() for row in table.rows for cell in row.cells if cell.shown]


def test_filtering_on_a_kind_of_five_masks_what_would_give_the_kind_of_three_away(network):
    dashboard = network_dashboard(DashboardFilters(kind=TerritoryKind.METROPOLE))
    # 16 members, 8 in agglomérations: showing the 5 of the métropoles would leave 3 for the
    # communautés de communes. Masked here as in the table of the whole network.
    assert dashboard.overview.members.state == CellState.MASKED
    assert figures(network_dashboard(DashboardFilters()).kinds)["Métropole"] == MASKED
    assert figures(dashboard.regions)["Auvergne-Rhône-Alpes"] == MASKED
    assert dashboard.overview.median_time_share.value == 50
    assert dashboard.overview.average_time_share.value == 56  # (4 × 50 + 80) / 5
    assert figures(dashboard.post.time_share)["De 26 à 50 %"] == SMALL
    assert figures(dashboard.post.time_share)["De 51 à 99 %"] == SMALL
    assert figures(dashboard.post.employment_status)["Contractuel·le"] == MASKED


def test_combined_filters_with_nobody_left(network):
    dashboard = network_dashboard(
        DashboardFilters(region=Region.objects.get(name="Bretagne"), kind=TerritoryKind.METROPOLE)
    )
    assert not dashboard.overview.large_enough
    assert dashboard.overview.members.value == 0
    assert figures(dashboard.regions)["Bretagne"] == SMALL  # an empty selection withholds as well


def test_region_and_kind_together(network):
    dashboard = network_dashboard(
        DashboardFilters(region=Region.objects.get(name="Bretagne"), kind=TerritoryKind.AGGLOMERATION)
    )
    assert dashboard.overview.members.value == 8
    assert dashboard.post.sharing == 7
    # 5 and 2 out of 7. The whole network has fewer than 5 full-timers (2): where they are not is
    # withheld too, so the 0 here reads "moins de 5" (it may be 0 to 4). 7 − 5 then leaves the 2
    # among several withheld figures: the 5 can be shown.
    assert figures(dashboard.post.time_share)["Jusqu'à 25 %"] == 5
    assert figures(dashboard.post.time_share)["De 26 à 50 %"] == SMALL
    assert figures(dashboard.post.time_share)["Temps plein (100 %)"] == SMALL


def test_the_cncd_team_and_pending_accounts_are_not_counted(network):
    ProfileFactory(user=UserFactory(role=Role.CURATOR))
    ProfileFactory(user=UserFactory(pending=True))
    assert overview(network_members()).members.value == 16


# --- Cost ---------------------------------------------------------------------------------------


def _queries_for_dashboard(count):
    for _index in range(count):
        ProfileFactory()
    with CaptureQueriesContext(connection) as context:
        dashboard = network_dashboard(DashboardFilters())
        dashboard.tables()
    return len(context.captured_queries)


@pytest.mark.django_db
def test_query_count_does_not_grow_with_members():
    build_version()
    small = _queries_for_dashboard(5)
    large = _queries_for_dashboard(35)
    assert small == large


@pytest.mark.parametrize(
    ("frequencies", "median"),
    [({}, None), ({40: 1}, 40), ({20: 2, 50: 2}, 35), ({20: 5, 50: 6, 80: 1, 100: 2}, 50), ({10: 1, 30: 1, 90: 1}, 30)],
)
def test_median_from_frequencies(frequencies, median):
    assert frequency_median(frequencies) == median
