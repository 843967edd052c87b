"""The dashboard kept between requests (dashboard/caching.py): computed once per change of what it counts, its
sections loaded on demand from their own addresses, and every change seen at the next request."""

import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from competences.models import FrameworkVersion
from dashboard import caching
from fiches.enums import RevisionSource, SectionKind
from fiches.models import COMMON_FICHE_SLUG, Comment, Fiche, Revision, Section, Suggestion
from members.models import Region
from missions.models import MissionDeclaration
from tests.dashboard.pages import NETWORK_URL, full_page, section_urls
from tests.dashboard.ratings import rated
from tests.members.factories import ProfileFactory
from tests.referentiel.factories import build_version

CSV_URL = reverse("dashboard:network_csv")
FIGURE_TABLES = ("members_council", "competences_selfassessment", "missions_missiondeclaration", "fiches_comment")


def section_url(key, query=""):
    return reverse("dashboard:network_section", args=[key]) + (f"?{query}" if query else "")


def fragment(client, key, query=""):
    response = client.get(section_url(key, query), headers={"HX-Request": "true"})
    assert response.status_code == 200
    return response.text


def queries_of(client, url, **kwargs):
    with CaptureQueriesContext(connection) as context:
        assert client.get(url, **kwargs).status_code == 200
    return [query["sql"] for query in context.captured_queries]


def reads_figures(queries) -> bool:
    return any(table in sql for sql in queries for table in FIGURE_TABLES)


@pytest.fixture
def referentiel(db):
    return build_version()


# --- On demand -------------------------------------------------------------------------------------------------


def test_the_page_lists_the_sections_and_loads_each_from_its_own_address(curator_client, network, referentiel):
    html = curator_client.get(NETWORK_URL).text
    # Headings and summaries are on the page; the figures of the sections are not.
    assert '<h2 id="dashboard-post" class="h3">Le poste</h2>' in html
    assert "Parmi les 15 membres qui partagent" in html
    assert "<caption>Catégorie</caption>" not in html
    assert "Auto-évaluation : membres par compétence et niveau" not in html
    urls = section_urls(html)
    # No fiche expects levels yet: no section of gaps.
    assert [url.split("/")[3] for url in urls] == ["poste", "missions", "autoevaluation", "formation", "participation"]
    # With htmx: scrolled to (or, for the heatmap, opened), a section loads in place.
    assert 'hx-trigger="revealed"' in html and 'hx-trigger="toggle once"' in html
    assert "<caption>Catégorie</caption>" in fragment(curator_client, "poste")
    assert "<html" not in fragment(curator_client, "poste")


def test_without_javascript_a_section_is_a_page_of_its_own_with_the_same_filters(curator_client, network):
    bretagne = Region.objects.get(name="Bretagne")
    page = curator_client.get(NETWORK_URL, {"region": bretagne.code}).text
    url = next(url for url in section_urls(page) if "/poste/" in url)
    assert url == section_url("poste", f"region={bretagne.code}")
    response = curator_client.get(url)
    assert response.status_code == 200
    assert "<html" in response.text and "Sélection :" in response.text and "Bretagne" in response.text
    assert "<caption>Catégorie</caption>" in response.text
    assert response.text.count("<h1") == 1
    assert "HX-Request" in response["Vary"]


def test_a_section_not_published_for_a_selection_says_so(curator_client, network, referentiel):
    bretagne = Region.objects.get(name="Bretagne")
    assert curator_client.get(section_url("inconnue")).status_code == 404
    # The heatmap is published for the whole network only.
    assert "<caption>Auto-évaluation" in fragment(curator_client, "autoevaluation")
    assert "ne sont pas publiés pour cette sélection" in fragment(
        curator_client, "autoevaluation", f"region={bretagne.code}"
    )
    # A selection of fewer than 5 members has no section at all.
    occitanie = Region.objects.get(name="Occitanie")
    assert section_urls(curator_client.get(NETWORK_URL, {"region": occitanie.code}).text) == []
    html = fragment(curator_client, "poste", f"region={occitanie.code}")
    assert "ne sont pas publiés pour cette sélection" in html and "<caption>" not in html


def test_the_exports_hold_the_tables_the_sections_show(curator_client, network, referentiel):
    page = full_page(curator_client).text
    csv = curator_client.get(CSV_URL).content.decode("utf-8-sig")
    for title in ("Catégorie", "Missions déclarées", "Besoins de formation les plus cités"):
        assert f"<caption>{title}</caption>" in page
        assert title in csv


# --- Kept between requests ---------------------------------------------------------------------------------------


def test_a_page_already_computed_reads_no_figure_again(curator_client, network, referentiel):
    first = queries_of(curator_client, NETWORK_URL)
    assert reads_figures(first)
    again = queries_of(curator_client, NETWORK_URL)
    assert not reads_figures(again)
    assert len(again) < len(first)
    fragment(curator_client, "poste")
    assert not reads_figures(queries_of(curator_client, section_url("poste"), headers={"HX-Request": "true"}))
    # Another selection reuses the figures of every view, protected together: only its own few reads.
    bretagne = Region.objects.get(name="Bretagne")
    assert not any(
        "competences_selfassessment" in sql for sql in queries_of(curator_client, CSV_URL + f"?region={bretagne.code}")
    )


def _section_queries(client, count):
    version = FrameworkVersion.objects.current()
    for _index in range(count):
        profile = ProfileFactory()
        rated(user=profile.user, code="C-1-01", level=3, version=version)
        MissionDeclaration.objects.create(user=profile.user, mission_code="M1", time_share=30)
    counts = []
    for key in ("poste", "autoevaluation", "participation"):
        with CaptureQueriesContext(connection) as context:
            fragment(client, key)  # computed (the data just changed)
        computed = len(context.captured_queries)
        with CaptureQueriesContext(connection) as context:
            fragment(client, key)  # kept
        counts.append((computed, len(context.captured_queries)))
    return counts


def test_section_query_counts_do_not_grow_with_members(curator_client, db, referentiel):
    assert _section_queries(curator_client, 5) == _section_queries(curator_client, 30)


# --- Seen at the next request ------------------------------------------------------------------------------------


def test_a_new_member_is_counted_at_the_next_request(curator_client, network):
    assert "<title>Bretagne : 8</title>" in curator_client.get(NETWORK_URL).text
    ProfileFactory(council=network["bretagne"][0].council)
    html = curator_client.get(NETWORK_URL).text
    assert "<title>Bretagne : 9</title>" in html


def test_post_facts_missions_and_ratings_are_seen_at_the_next_request(curator_client, network, referentiel):
    before = fragment(curator_client, "missions")
    for profile in network["bretagne"][:6]:
        MissionDeclaration.objects.create(user=profile.user, mission_code="M2", time_share=20)
    assert fragment(curator_client, "missions") != before
    assert "6 membres ont déclaré au moins une mission" in fragment(curator_client, "missions")

    heatmap = fragment(curator_client, "autoevaluation")
    for profile in network["bretagne"][:5]:
        rated(user=profile.user, code="C-1-01", level=2, version=referentiel)
    assert fragment(curator_client, "autoevaluation") != heatmap

    post = fragment(curator_client, "poste")
    profile = network["ara"][0]
    profile.category = "B"
    profile.save()
    assert fragment(curator_client, "poste") != post


def test_the_levels_the_fiche_expects_are_seen_at_the_next_request(curator_client, network, referentiel):
    for profile in network["bretagne"][:5]:
        rated(user=profile.user, code="C-1-01", level=3, version=referentiel)
    assert "ecarts" not in " ".join(section_urls(curator_client.get(NETWORK_URL).text))
    fiche = Fiche.objects.create(slug=COMMON_FICHE_SLUG, title="Fiche commune")
    section = Section.objects.create(fiche=fiche, key="competences", title="Compétences", kind=SectionKind.COMPETENCES)
    revision = Revision.objects.create(
        section=section, number=1, body="C-1-01 : niveau 3", source=RevisionSource.CREATED
    )
    section.current_revision = revision
    section.save()
    assert "/chiffres/reseau/ecarts/" in " ".join(section_urls(curator_client.get(NETWORK_URL).text))


def test_comments_are_counted_once_the_kept_figures_expire(curator_client, network, monkeypatch):
    # The participation bumps nothing (it changes often): the kept figures live five minutes at most, one second here.
    assert caching.SECONDS == 300
    monkeypatch.setattr(caching, "SECONDS", 1)
    fiche = Fiche.objects.create(slug=COMMON_FICHE_SLUG, title="Fiche commune")
    section = Section.objects.create(fiche=fiche, key="missions", title="Missions", kind=SectionKind.TEXT)
    section.current_revision = Revision.objects.create(
        section=section, number=1, body="Texte", source=RevisionSource.CREATED
    )
    section.save()
    before = fragment(curator_client, "participation")  # the fiche itself bumps its generation
    suggestion = Suggestion.objects.create(
        section=section, author=network["bretagne"][0].user, base_revision=section.current_revision, body="Texte"
    )
    for profile in network["bretagne"][:5]:
        Comment.objects.create(suggestion=suggestion, author=profile.user, body="D'accord")
    assert fragment(curator_client, "participation") == before
    time.sleep(1.5)
    assert fragment(curator_client, "participation") != before


def test_the_renderings_are_kept_per_language(curator_client, network):
    assert "Où travaillent les membres" in curator_client.get(NETWORK_URL).text
    curator_client.cookies["django_language"] = "en"
    english = curator_client.get(NETWORK_URL).text
    assert "Where members work" in english and "Où travaillent les membres" not in english
    assert "Where members work" in curator_client.get(NETWORK_URL).text  # kept, in English
    curator_client.cookies["django_language"] = "fr"
    assert "Où travaillent les membres" in curator_client.get(NETWORK_URL).text


def test_a_rating_saved_recomputes_the_heatmap_not_the_figures_of_every_view(curator_client, network, referentiel):
    heatmap = fragment(curator_client, "autoevaluation")
    for profile in network["bretagne"][:5]:
        rated(user=profile.user, code="C-1-02", level=4, version=referentiel)
    queries = queries_of(curator_client, section_url("autoevaluation"), headers={"HX-Request": "true"})
    assert any("competences_selfassessment" in sql for sql in queries)  # the heatmap, counted again
    assert not any("members_council_departments" in sql for sql in queries)  # every view's figures, kept
    assert fragment(curator_client, "autoevaluation") != heatmap
