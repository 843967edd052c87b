"""The small-numbers rule across every view of a campaign's results, tested as an adversary would.

The reader sees every page the team sees (the whole campaign, each region and each category offered)
and knows how the figures add up: a single choice's options make its answered count, the regions
and "the others" make the whole, so do the categories. From the printed figures alone (a number,
"moins de 5" = 1 to 4, "masqué" = at least 5), it works out every figure it can, by interval
propagation, including the figures of the groups that are never shown ("the others"). No count of 1
to 4 may come out exactly.
"""

import random

import pytest
from django.urls import reverse

from surveys.enums import QuestionKind
from surveys.results import (
    ALL,
    CATEGORIES_REST,
    REGIONS_REST,
    SPLIT_BANDS,
    CampaignFigures,
    campaign_groups,
    category_view,
    region_view,
)
from tests.html import main_text, select
from tests.surveys.factories import make_campaign, make_response
from tests.surveys.results_data import answers_for, closed_campaign_with

pytestmark = pytest.mark.django_db

BIG = 10**9


def _rows_of(sizes: dict[tuple[str, str], int]) -> list[tuple]:
    return [({}, region, category) for (region, category), count in sizes.items() for _n in range(count)]


# --- Which groups are offered ------------------------------------------------------------------------


def test_a_region_under_5_is_not_offered():
    groups = campaign_groups(_rows_of({("53", "A"): 10, ("11", "A"): 6, ("84", "A"): 3, ("24", "A"): 4}))
    assert set(groups.regions) == {"53", "11"}  # the others: 7


def test_a_region_whose_complement_is_under_5_is_not_offered():
    # The whole minus Bretagne would be the 3 of Île-de-France.
    groups = campaign_groups(_rows_of({("53", "A"): 10, ("11", "A"): 3}))
    assert groups.regions == {}


def test_the_others_never_hold_1_to_4():
    # Offering 53, 11 and 28 would leave 84 (3) readable as the whole minus them: 28 joins the others.
    groups = campaign_groups(_rows_of({("53", "A"): 12, ("11", "A"): 9, ("28", "A"): 6, ("84", "A"): 3}))
    assert groups.regions == {"53": 12, "11": 9}


def test_a_member_without_region_counts_in_the_others():
    groups = campaign_groups(_rows_of({("53", "A"): 8, ("11", "A"): 8, ("", "A"): 1}))
    assert groups.regions == {"53": 8}  # 11 would leave the 1 without region alone


def test_categories_follow_the_same_rule():
    groups = campaign_groups(_rows_of({("53", "A"): 10, ("53", "B"): 6, ("53", "C"): 2}))
    assert groups.categories == {"A": 10}  # B would leave C's 2 alone


def test_a_refused_filter_says_why_and_shows_nothing(curator_client):
    campaign = closed_campaign_with([("53", "A", 10), ("11", "A", 3)])
    for group in ("region-53", "region-11", "region-99", "categorie-Z", "nimporte", "region-" + "1" * 50):
        response = curator_client.get(reverse("surveys:results", args=[campaign.pk]) + f"?groupe={group}")
        assert response.status_code == 200
        assert "Ce groupe n'est pas proposé" in main_text(response), group
        assert not select(response, "#surveys-results table")
    assert not select(curator_client.get(reverse("surveys:results", args=[campaign.pk])), "option[value='region-53']")


def test_a_filter_under_5_is_refused_on_the_public_page_too(curator_client, client):
    campaign = closed_campaign_with([("53", "A", 10), ("11", "A", 3)])
    curator_client.post(
        reverse("surveys:results_publish", args=[campaign.pk]), {"public_summary": "Bilan", "lock_version": 0}
    )
    response = client.get(reverse("surveys:public_results", args=[campaign.pk]) + "?groupe=region-11")
    assert "Ce groupe n'est pas proposé" in main_text(response)
    assert not select(response, "#surveys-results table")


# --- The adversary ------------------------------------------------------------------------------------


def _read(cell) -> tuple[int, int]:
    """What a printed figure tells: its value, 1 to 4, or at least 5."""
    if cell.shown:
        return cell.value, cell.value
    if cell.state == "small":
        return 0, 4
    return 0, BIG  # masked (at least 5; the reader is given less, the test is only stricter)


def _printed(figures: CampaignFigures) -> dict:
    """Every count the team's pages print, keyed (figure, view)."""
    known = {}
    views = [ALL, *(region_view(code) for code in figures.groups.regions)]
    views += [category_view(code) for code in figures.groups.categories]
    for view in views:
        results = figures.results(view)
        known[(("n",), view)] = _read(results.respondents)
        for question in results.questions:
            code = question.spec.code
            known[(("answered", code), view)] = _read(question.answered)
            kind = question.spec.kind
            if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.SCALE):
                for row in question.table.rows:
                    known[(("option", code, row.code), view)] = _read(row.cells[0])
            elif kind == QuestionKind.NUMBER:
                for index, row in enumerate(question.table.rows):
                    known[(("band", code, index), view)] = _read(row.cells[0])
            elif kind == QuestionKind.SPLIT:
                for row in question.table.rows:
                    for band, cell in enumerate(row.cells):
                        known[(("split-band", code, row.code, band), view)] = _read(cell)
    return known


def _equations(figures: CampaignFigures) -> list[tuple]:
    """(total, parts) as the reader knows them from the questionnaire and the list of groups."""
    names = [("n",)]
    within = []
    for spec in figures.specs:
        code = spec.code
        names.append(("answered", code))
        if spec.kind in (QuestionKind.SINGLE, QuestionKind.SCALE):
            options = [("option", code, value) for value, _label in spec.options]
            names += options
            within.append((("answered", code), options))
        elif spec.kind == QuestionKind.MULTIPLE:
            names += [("option", code, value) for value, _label in spec.options]
        elif spec.kind == QuestionKind.NUMBER:
            bands = [("band", code, index) for index in range(len(spec.bands))]
            names += bands
            within.append((("answered", code), bands))
        elif spec.kind == QuestionKind.SPLIT:
            for part, _label in spec.options:
                bands = [("split-band", code, part, band) for band in range(len(SPLIT_BANDS))]
                names += bands
                within.append((("answered", code), bands))
    views = [ALL, *(region_view(code) for code in figures.groups.regions)]
    views += [category_view(code) for code in figures.groups.categories]
    # "The others" exist when some groups are offered (otherwise they are the whole).
    views += [REGIONS_REST] if figures.groups.regions else []
    views += [CATEGORIES_REST] if figures.groups.categories else []
    equations = [((total, view), [(part, view) for part in parts]) for total, parts in within for view in views]
    regions = [region_view(code) for code in figures.groups.regions] + [REGIONS_REST]
    categories = [category_view(code) for code in figures.groups.categories] + [CATEGORIES_REST]
    for name in names:
        if figures.groups.regions:
            equations.append(((name, ALL), [(name, view) for view in regions]))
        if figures.groups.categories:
            equations.append(((name, ALL), [(name, view) for view in categories]))
    return equations, views, names


def _work_out(known: dict, equations: list) -> dict:
    bounds = dict(known)
    for total, parts in equations:
        for key in (total, *parts):
            bounds.setdefault(key, (0, BIG))
    for _round in range(200):
        moved = False
        for total, parts in equations:
            low_parts = sum(bounds[part][0] for part in parts)
            high_parts = sum(bounds[part][1] for part in parts)
            low, high = bounds[total]
            new = (max(low, low_parts), min(high, high_parts))
            if new != bounds[total]:
                bounds[total], moved = new, True
            for part in parts:
                others_low = low_parts - bounds[part][0]
                others_high = high_parts - bounds[part][1]
                new = (
                    max(bounds[part][0], bounds[total][0] - others_high),
                    min(bounds[part][1], bounds[total][1] - others_low),
                )
                if new != bounds[part]:
                    bounds[part], moved = new, True
        if not moved:
            break
    return bounds


def _scenario(seed: int) -> list[tuple]:
    rng = random.Random(seed)
    regions = rng.sample(["53", "11", "84", "93", "24", "28", "94", ""], rng.randint(2, 6))
    rows = []
    for region in regions:
        for _number in range(rng.choice([1, 2, 3, 4, 5, 6, 7, 9, 12, 20])):
            rows.append((answers_for(rng), region, rng.choice("ABBCC")))
    return rows


@pytest.mark.parametrize("seed", range(40))
def test_no_count_of_1_to_4_can_be_worked_out(seed):
    campaign = make_campaign(open_now=False)
    figures = CampaignFigures(campaign, rows=_scenario(seed))
    if not figures.large_enough:
        return
    equations, views, names = _equations(figures)
    bounds = _work_out(_printed(figures), equations)
    for name in names:
        for view in views:
            value = figures.values.get((name, view), 0)
            low, high = bounds.get((name, view), (0, BIG))
            assert low <= value <= high, (name, view)  # the reader is never misled either
            if 0 < value < 5:
                assert low != high, f"{name} in {view} = {value} is worked out from the printed figures"
    assert figures.publication.disclosed() == []


def test_whole_minus_a_region_of_3(db):
    """The classic attack: 3 people of a region not offered; the whole minus the offered region."""
    campaign = make_campaign(open_now=False)
    for number in range(10):
        make_response(campaign, {"ia": "oui" if number % 2 else "non"}, region_code="53")
    for _number in range(5):
        make_response(campaign, {"ia": "oui"}, region_code="11")
    for _number in range(3):
        make_response(campaign, {"ia": "non"}, region_code="84")  # the 3 of Provence all say "non"
    figures = CampaignFigures(campaign)
    equations, _views, _names = _equations(figures)
    bounds = _work_out(_printed(figures), equations)
    assert bounds[(("option", "ia", "non"), REGIONS_REST)][0] != bounds[(("option", "ia", "non"), REGIONS_REST)][1]


def test_means_over_the_others_are_not_worked_out(db):
    """The sums behind the means are tied across views too: the whole's mean minus the regions' is
    never the mean of fewer than 5 people."""
    campaign = make_campaign(open_now=False)
    for _number in range(8):
        make_response(campaign, {"ia": "non", "seances": "10"}, region_code="53")
    for _number in range(8):
        make_response(campaign, {"ia": "non", "seances": "10"}, region_code="11")
    for _number in range(5):
        make_response(campaign, {"ia": "non", "seances": "90" if _number < 2 else None}, region_code="84")
    figures = CampaignFigures(campaign)
    means = []
    for view in (ALL, region_view("53"), region_view("11")):
        seances = next(q for q in figures.results(view).questions if q.spec.code == "seances")
        means.append(seances.stats.rows[0].cells[0])
    assert not all(cell.shown for cell in means)
