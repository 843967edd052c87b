"""The library's search, facets, sorts and pagination (SQLite's whole-word fallback or PostgreSQL's French FTS)."""

import datetime

import pytest
from django.urls import reverse

from core.fulltext import is_postgresql
from members.models import Region
from showcase import works
from showcase.enums import WorkKind
from tests.showcase.factories import CouncilPageFactory, ThemeFactory
from tests.showcase.works_helpers import published_work

pytestmark = pytest.mark.django_db


@pytest.fixture
def library():
    mobility = ThemeFactory(name="Mobilité", slug="mobilite")
    housing = ThemeFactory(name="Logement", slug="logement")
    brittany = CouncilPageFactory()
    other_region = Region.objects.exclude(code="53").order_by("code").first()
    elsewhere = CouncilPageFactory(region=other_region)
    published_work(
        page=brittany,
        themes=[mobility],
        title="Avis sur le plan de mobilité",
        summary="Des navettes pour les bourgs.",
        issued_on=datetime.date(2024, 5, 1),
    )
    published_work(
        page=brittany,
        themes=[housing],
        title="Contribution sur le logement des jeunes",
        summary="Des énergies renouvelables dans les résidences.",
        kind=WorkKind.CONTRIBUTION,
        issued_on=datetime.date(2025, 2, 1),
    )
    published_work(
        page=elsewhere,
        themes=[mobility, housing],
        title="Rapport sur les mobilités douces",
        summary="Le vélo et la marche.",
        kind=WorkKind.REPORT,
        issued_on=datetime.date(2025, 9, 1),
    )
    return {"region": other_region}


def titles(params):
    return [work.title for work in works.library(params=params).page]


def test_search_finds_words_in_title_summary_and_themes(library):
    assert titles({"q": "navettes"}) == ["Avis sur le plan de mobilité"]
    assert set(titles({"q": "logement"})) == {
        "Contribution sur le logement des jeunes",
        "Rapport sur les mobilités douces",
    }
    assert titles({"q": "velo -marche"}) == []
    if is_postgresql():
        assert titles({"q": "energie"}) == ["Contribution sur le logement des jeunes"]  # stemmed, unaccented


def test_filters_and_facet_counts_on_the_narrowed_set(library):
    result = works.library(params={"theme": "mobilite"})
    assert {work.title for work in result.page} == {"Avis sur le plan de mobilité", "Rapport sur les mobilités douces"}
    facets = {facet.name: facet for facet in result.facets}
    # The theme facet counts with the other filters only (choosing "logement" would give 2).
    assert {value.value: value.count for value in facets["theme"].values} == {"mobilite": 2, "logement": 2}
    assert {value.value: value.count for value in facets["nature"].values} == {"avis": 1, "rapport": 1}
    assert {value.value: value.count for value in facets["annee"].values} == {"2025": 1, "2024": 1}
    assert titles({"theme": "mobilite", "annee": "2025"}) == ["Rapport sur les mobilités douces"]
    assert titles({"region": library["region"].code}) == ["Rapport sur les mobilités douces"]
    assert titles({"nature": "contribution"}) == ["Contribution sur le logement des jeunes"]


def test_sorts(library):
    assert titles({"tri": "ancien"})[0] == "Avis sur le plan de mobilité"
    assert titles({})[0] == "Rapport sur les mobilités douces"
    assert works.LibraryParams.from_query({"tri": "pertinence"}).sort == "recent"  # no query: no relevance
    assert works.LibraryParams.from_query({"q": "avis"}).sort == "pertinence"


def test_bad_parameters_are_ignored(client, library):
    response = client.get(
        reverse("showcase:works"), {"nature": "<script>", "annee": "20x5", "tri": "zzz", "page": "99"}
    )
    assert response.status_code == 200
    assert "<script>" not in response.content.decode()


def test_library_page_shows_results_facets_and_feed_link(client, library):
    response = client.get(reverse("showcase:works"), {"q": "mobilité"})
    body = response.content.decode()
    assert "Avis sur le plan de mobilité" in body
    assert 'rel="alternate" type="application/atom+xml"' in body
    assert "Mobilité" in body


def test_library_query_count_is_constant(client, django_assert_max_num_queries, library):
    url = reverse("showcase:works")
    client.get(url)  # warms the session / caches shared with the rest of the site
    from django.core.cache import cache

    cache.clear()
    # 8 reads of the works, the rest the (database) cache: the generation, the fragments, the facets kept apart.
    with django_assert_max_num_queries(36) as few:
        client.get(url, {"theme": "mobilite"})
    for index in range(10):
        published_work(title=f"Avis numéro {index} sur la mobilité")
    cache.clear()
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url, {"theme": "mobilite"})


def test_library_is_cached_until_a_work_changes(client, library, django_assert_max_num_queries):
    url = reverse("showcase:works")
    client.get(url)
    with django_assert_max_num_queries(3):  # the generation key and the session, never the works
        client.get(url)
    published_work(title="Un avis tout neuf sur le budget")
    assert "Un avis tout neuf" in client.get(url).content.decode()
