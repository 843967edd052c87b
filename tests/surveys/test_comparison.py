"""Comparing two campaigns of one questionnaire lineage, question code by question code."""

from datetime import timedelta

import pytest
from django.urls import reverse

from surveys.enums import QuestionKind
from surveys.models import Question
from surveys.results import CampaignFigures, comparable_campaigns, compare_campaigns
from tests.html import main_text, select, text_of
from tests.surveys.factories import make_questionnaire
from tests.surveys.results_data import STANDARD_GROUPS, closed_campaign_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_years():
    """2025's questionnaire, its copy for 2026 (one question dropped, one added), a campaign of each."""
    first = make_questionnaire(title="Pratiques 2025")
    second = make_questionnaire(title="Pratiques 2026")
    second.based_on = first
    second.save()
    Question.objects.filter(section__questionnaire=second, code="remarques").delete()
    Question.objects.filter(section__questionnaire=second, code="outil").update(code="outil-2026")
    earlier = closed_campaign_with(STANDARD_GROUPS, questionnaire=first, title="Enquête 2025", seed=1)
    earlier.opens_at -= timedelta(days=365)
    earlier.closes_at -= timedelta(days=365)
    earlier.save()
    later = closed_campaign_with(STANDARD_GROUPS * 2, questionnaire=second, title="Enquête 2026", seed=2)
    return earlier, later


def compare_url(campaign, other=None):
    url = reverse("surveys:compare", args=[campaign.pk])
    return url + (f"?avec={other.pk}" if other else "")


def test_lineage_includes_copies_of_copies(two_years):
    earlier, later = two_years
    third = make_questionnaire(title="Pratiques 2027")
    third.based_on = later.questionnaire
    third.save()
    newest = closed_campaign_with(STANDARD_GROUPS, questionnaire=third, title="Enquête 2027")
    unrelated = closed_campaign_with(STANDARD_GROUPS, title="Autre enquête")
    assert set(comparable_campaigns(earlier)) == {later, newest}
    assert unrelated not in comparable_campaigns(earlier)


def test_questions_present_in_both_side_by_side(two_years):
    earlier, later = two_years
    compared = compare_campaigns(CampaignFigures(earlier), CampaignFigures(later))
    codes = [item.question.code for item in compared]
    assert codes == ["ia", "ia-usages", "temps", "satisfaction", "seances"]
    ia = compared[0].table
    assert ia.columns[1].startswith("Enquête 2025") and ia.columns[3].startswith("Enquête 2026")
    assert ia.rows[0].cells[0].value == 30 and ia.rows[0].cells[2].value == 60


def test_figures_keep_each_campaigns_rule(two_years):
    """A cell of the comparison is exactly the cell of its own campaign's page."""
    earlier, later = two_years
    compared = compare_campaigns(CampaignFigures(earlier), CampaignFigures(later))
    own = {q.spec.code: q for q in CampaignFigures(earlier).results(team=False).questions}
    satisfaction = next(item for item in compared if item.question.code == "satisfaction")
    for row in satisfaction.table.rows[1:]:
        page_row = next(r for r in own["satisfaction"].table.rows if r.code == row.code)
        assert row.cells[:2] == page_row.cells


def test_a_question_that_changed_kind_is_not_compared(two_years):
    earlier, later = two_years
    Question.objects.filter(section__questionnaire=later.questionnaire, code="seances").update(
        kind=QuestionKind.SHORT_TEXT
    )
    compared = compare_campaigns(CampaignFigures(earlier), CampaignFigures(later))
    assert "seances" not in [item.question.code for item in compared]


def test_compare_page(curator_client, two_years):
    earlier, later = two_years
    response = curator_client.get(compare_url(later, earlier))
    assert response.status_code == 200
    captions = [text_of(caption) for caption in select(response, "caption")]
    assert captions and all("campagne par campagne" in caption for caption in captions)
    headers = [text_of(th) for th in select(response, "thead th")]
    # the earlier campaign on the left, whichever page it was opened from
    assert headers.index("Enquête 2025 : nombre") < headers.index("Enquête 2026 : nombre")
    assert "Framapad" not in response.content.decode()


def test_an_unrelated_campaign_is_refused(curator_client, two_years):
    earlier, _later = two_years
    unrelated = closed_campaign_with(STANDARD_GROUPS, title="Autre enquête")
    response = curator_client.get(compare_url(earlier, unrelated))
    assert "Choisissez une autre campagne du même questionnaire" in main_text(response)
    assert not select(response, "table")


def test_a_campaign_under_5_responses_is_not_compared(curator_client, two_years):
    earlier, later = two_years
    tiny = closed_campaign_with([("53", "A", 3)], questionnaire=later.questionnaire, title="Enquête test")
    response = curator_client.get(compare_url(earlier, tiny))
    assert "moins de 5 réponses" in main_text(response)
    assert not select(response, "table")


def test_nothing_to_compare(curator_client):
    alone = closed_campaign_with(STANDARD_GROUPS)
    response = curator_client.get(compare_url(alone))
    assert "rien à comparer" in main_text(response)


def test_compare_is_for_the_team(member_client, two_years):
    earlier, later = two_years
    assert member_client.get(compare_url(later, earlier)).status_code == 403


def test_one_chart_per_choice_question_on_one_scale(curator_client, two_years):
    earlier, later = two_years
    compared = compare_campaigns(CampaignFigures(earlier), CampaignFigures(later))
    ia = compared[0]
    assert len(ia.charts) == 1
    labels = [item["label"] for item in ia.charts[0].items]
    assert labels[:2] == ["Oui — Enquête 2025", "Oui — Enquête 2026"]
    response = curator_client.get(compare_url(later, earlier))
    ids = [element.get("id") for element in select(response, "[id]")]
    assert len(ids) == len(set(ids))
