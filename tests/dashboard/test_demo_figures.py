"""The demo data (what `run.sh` loads) gives every dashboard page, the exports and the public figures."""

import pytest
from django.core.management import call_command

from competences.models import AssessmentSharing, SelfAssessment
from dashboard.charts import dashboard_charts, members_charts
from dashboard.selectors import DashboardFilters
from dashboard.tables import members_figures, network_dashboard
from fiches.models import Comment, Suggestion
from members.models import Profile, User
from missions.models import MissionDeclaration
from tests.dashboard.pages import full_page, section_urls

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("seed_demo", verbosity=0)


def test_every_figure_page_answers_on_the_demo_data(client, demo):
    assert client.get("/chiffres/").status_code == 200
    client.force_login(User.objects.get(email="technicienne@demo.codev-reseau.fr"))
    assert client.get("/chiffres/membres/").status_code == 200
    client.force_login(User.objects.get(email="equipe@demo.codev-reseau.fr"))
    for url in (
        "/chiffres/reseau/",
        "/chiffres/membres/",
        "/chiffres/reseau/export.csv",
        "/chiffres/reseau/export.xlsx",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
    # Every section the page loads on demand answers too, as a fragment and as a page of its own.
    html = client.get("/chiffres/reseau/").text
    assert len(section_urls(html)) == 6
    for url in section_urls(html):
        assert client.get(url).status_code == 200, url
    assert "Auto-évaluation : membres par compétence et niveau" in full_page(client).text


def test_the_demo_network_is_large_and_seeded_once(demo):
    members = Profile.objects.approved().filter(user__role="member")
    assert members.count() >= 60
    counts = [
        model.objects.count() for model in (User, Profile, SelfAssessment, AssessmentSharing, MissionDeclaration)
    ] + [Suggestion.objects.count(), Comment.objects.count()]
    call_command("seed_demo", verbosity=0)
    assert [
        model.objects.count() for model in (User, Profile, SelfAssessment, AssessmentSharing, MissionDeclaration)
    ] + [Suggestion.objects.count(), Comment.objects.count()] == counts
    # A realistic share agree to be found by competence and level, not everyone.
    sharing = AssessmentSharing.objects.filter(user__profile__in=members)
    assert 0.5 * sharing.count() < sharing.filter(in_directory=True).count() < sharing.count()
    # The three demo accounts stay as they were: the technician's own ratings and declarations.
    lea = User.objects.get(email="technicienne@demo.codev-reseau.fr")
    assert not AssessmentSharing.objects.filter(user=lea).exists()
    assert sum(MissionDeclaration.objects.of_user(lea).values_list("time_share", flat=True)) == 50


def _drawn(chart) -> int:
    """How many of a chart's shapes carry a figure (a bar or a tile with a count above 0)."""
    if chart.svg:  # the heatmap: cells with a figure are shaded
        return sum(1 for item in chart.items for cell in item["cells"] if cell["fill"] != "#f4f7fa")
    return sum(
        1
        for item in chart.items
        if item.get("bar_width")
        or item.get("height")
        or (item.get("fill", "").startswith("#") and item["fill"] not in ("#f4f7fa", "#d5dae0"))
    )


def test_every_chart_of_the_demo_shows_figures(demo):
    dashboard = network_dashboard(DashboardFilters())
    charts = dashboard_charts(dashboard)
    assert set(charts) >= {
        "map",
        "kinds",
        "time_share",
        "status",
        "category",
        "heatmap",
        "missions",
        "gaps",
        "training",
        "participation",
    }
    for name, chart in charts.items():
        assert _drawn(chart) >= 2, name
    # The heatmap: most of its cells are published.
    cells = [cell for row in dashboard.heatmap.table.rows for cell in row.cells]
    assert sum(cell.shown for cell in cells) > 0.7 * len(cells)
    # The members' page counts fewer people (those who show their post to members): a masked bar or two.
    for name, chart in members_charts(members_figures()).items():
        assert _drawn(chart) >= 1, name
