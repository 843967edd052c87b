"""The référentiel's search matches whole words, accents and case aside, on PostgreSQL and SQLite alike."""

import pytest
from django.urls import reverse

from competences.enums import FrameworkStatus
from competences.models import Competence
from core.search import matches_words, word_patterns
from tests.html import select_one, text_of
from tests.referentiel.factories import build_version, small_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def version():
    data = small_data("v1.0")
    data.competences[0].title = "Diplomatie territoriale"
    data.competences[1].title = "Comprendre l'IA générative"
    data.competences[2].description = "Animer des réunions publiques"
    data.missions[0].title = "Mobiliser l'Énergie citoyenne"
    data.activities[0].title = "Utiliser des outils d'IA"
    return build_version(data)


def results(client, query: str) -> str:
    response = client.get(reverse("referentiel:search"), {"q": query})
    assert response.status_code == 200
    return text_of(select_one(response, "#search-results"))


def test_a_short_word_is_not_found_inside_a_longer_one(client, version):
    shown = results(client, "IA")

    assert "Comprendre l'IA générative" in shown
    assert "Utiliser des outils d'IA" in shown
    assert "Diplomatie" not in shown
    assert "2 résultats pour « IA »" in shown


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("energie", "Mobiliser l'Énergie citoyenne"),  # accents aside
        ("ÉNERGIE CITOYENNE", "Mobiliser l'Énergie citoyenne"),  # case aside, every word
        ("réunion", "Compétence 1.3"),  # a plural found from the singular, in the description
        ("diplomatie", "Diplomatie territoriale"),
        ("M1.A1", "Utiliser des outils d'IA"),  # codes are words too
    ],
)
def test_whole_words_are_found_whatever_their_accents_case_or_plural(client, version, query, expected):
    assert expected in results(client, query)


@pytest.mark.parametrize("query", ["diplo", "territ", "energie solaire", "réunions publiquesx"])
def test_parts_of_words_and_missing_words_find_nothing(client, version, query):
    assert results(client, query).startswith("0 résultat")


def test_the_queryset_search_narrows_within_its_version(version):
    data = small_data("v0.9")
    data.competences[0].title = "Intelligence artificielle (IA)"
    other = build_version(data, status=FrameworkStatus.ARCHIVED)

    assert list(Competence.objects.of(version).search("ia").values_list("code", flat=True)) == ["C-1-02"]
    assert list(Competence.objects.of(other).search("ia").values_list("code", flat=True)) == ["C-1-01"]


def test_the_word_rule():
    assert matches_words(word_patterns("ia"), "L'IA, demain")
    assert not matches_words(word_patterns("ia"), "diplomatie", "Mariam")
    assert matches_words(word_patterns("conseil développement"), "Conseils de", "développement durable")
    assert not matches_words(word_patterns("conseil développement"), "Conseil de territoire")
    assert matches_words(word_patterns("technicien"), "technicien·nes")
