"""Searching the toolbox (toolbox.search): French full-text search on PostgreSQL, whole words on SQLite.

Tests whose answer depends on the database carry `db_engine` (CI runs them on both); each says what
the other database does.
"""

import pytest
from django.db import connection

from tests.members.factories import UserFactory
from tests.toolbox.factories import make_resource
from toolbox import search
from toolbox.models import Resource

pytestmark = pytest.mark.django_db

POSTGRESQL = connection.vendor == "postgresql"


@pytest.fixture
def owner(db):
    return UserFactory()


def found(query: str) -> list[str]:
    """Titles matching `query`, best rank first."""
    return list(search.search(Resource.objects.all(), query).order_by("-rank", "pk").values_list("title", flat=True))


def test_accents_and_case_do_not_matter(owner):
    make_resource(owner, title="Énergies renouvelables", summary="Le plan climat du territoire.")
    make_resource(owner, title="Mobilités", summary="Le plan de déplacements.")
    assert found("energie") == ["Énergies renouvelables"]
    assert found("ÉNERGIE") == ["Énergies renouvelables"]


def test_title_matches_rank_above_summary_and_body_matches(owner):
    make_resource(owner, title="Un atelier", summary="Rien de plus.", description="On y parle de concertation.")
    make_resource(owner, title="Une fiche", summary="Préparer la concertation.")
    make_resource(owner, title="Concertation préalable", summary="Le code de l'environnement.")
    assert found("concertation") == ["Concertation préalable", "Une fiche", "Un atelier"]


def test_every_word_must_be_there(owner):
    make_resource(owner, title="Forum ouvert", summary="Une méthode pour les assemblées.")
    make_resource(owner, title="World café", summary="Une méthode de petites tablées.")
    assert found("méthode assemblées") == ["Forum ouvert"]


def test_kind_fields_links_and_council_are_searched(owner):
    make_resource(owner, title="Une méthode", steps="Distribuer des gommettes.", links=[("competence", "C-9-01", "")])
    assert found("gommettes") == ["Une méthode"]
    assert found("C-9-01") == ["Une méthode"]


def test_exclusion_and_alternatives(owner):
    make_resource(owner, title="Débat mouvant", summary="Prendre position.")
    make_resource(owner, title="Forum ouvert", summary="Un débat en plénière.")
    make_resource(owner, title="World café", summary="Des tables.")
    assert found("débat -forum") == ["Débat mouvant"]
    assert sorted(found("café or forum")) == ["Forum ouvert", "World café"]


def test_an_empty_query_finds_nothing(owner):
    make_resource(owner, title="Une ressource")
    assert found("") == []
    assert found('  "  ') == []


def test_a_long_query_is_cut(owner):
    make_resource(owner, title="Une ressource")
    assert found("ressource " * 100) == ["Une ressource"]


def test_the_vector_follows_an_edit(owner):
    from toolbox import services

    resource = make_resource(owner, title="Première version")
    data = {"title": "Titre changé", "summary": resource.summary, "purpose": "But.", "steps": "Étapes."}
    services.resource_update(resource=resource, user=owner, data=data, lock_version=resource.lock_version)
    assert found("changé") == ["Titre changé"]
    assert found("première") == []


@pytest.mark.db_engine
def test_stemming_on_postgresql_plurals_only_elsewhere(owner):
    # PostgreSQL's french stemmer reduces "animer", "animation" and "animateur" to "anim";
    # SQLite's whole-word search knows only a final s or x.
    make_resource(owner, title="Animation de réunions", summary="Des conseils.")
    make_resource(owner, title="Les animateurs", summary="Un métier.")
    if POSTGRESQL:
        assert sorted(found("animer")) == ["Animation de réunions", "Les animateurs"]
    else:
        assert found("animer") == []
        assert found("animateur") == ["Les animateurs"]


@pytest.mark.db_engine
def test_quotes_ask_for_the_exact_phrase_on_postgresql(owner):
    make_resource(owner, title="Débat mouvant", summary="Prendre position.")
    make_resource(owner, title="Mouvant", summary="Un débat où l'on se déplace.")
    if POSTGRESQL:
        assert found('"débat mouvant"') == ["Débat mouvant"]
    else:
        # SQLite drops the quotes: both words, anywhere.
        assert sorted(found('"débat mouvant"')) == ["Débat mouvant", "Mouvant"]


@pytest.mark.db_engine
def test_whole_words_only(owner):
    make_resource(owner, title="L'IA générative", summary="Un outil.")
    make_resource(owner, title="Diplomatie territoriale", summary="Des relations.")
    assert found("IA") == ["L'IA générative"]


@pytest.mark.db_engine
def test_stop_words_alone_find_nothing(owner):
    make_resource(owner, title="Le conseil et la ville", summary="Une rencontre de quartier.")
    if POSTGRESQL:
        assert found("le de et la") == []  # french stop words: no lexeme left
    else:
        assert found("le de et la") == ["Le conseil et la ville"]


@pytest.mark.db_engine
@pytest.mark.skipif(not POSTGRESQL, reason="le vecteur de recherche n'existe que sous PostgreSQL")
def test_the_vector_is_weighted_and_uses_the_french_configuration(owner):
    resource = make_resource(owner, title="Énergies", summary="Réseaux de chaleur.", purpose="Animer.")
    vector = Resource.objects.values_list("search_vector", flat=True).get(pk=resource.pk)
    assert "'energ':1A" in vector
    assert "'reseau':2B" in vector
    assert "'anim'" in vector
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'toolbox_resource_search'")
        assert "gin (search_vector)" in cursor.fetchone()[0]
