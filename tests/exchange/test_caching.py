"""The space and question pages kept rendered (exchange.caching): after every kind of change the pages show the
new state at once, and what is one person's own never shows to another (their "utile", the asker's and the
authors' buttons, the team's moderation tools, the visitor's CSRF token)."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.generations import CSRF_PLACEHOLDER
from exchange import moderation, services
from exchange.models import AnswerUseful
from members.enums import Credit
from tests.exchange.factories import AnswerFactory, QuestionFactory, SpaceFactory
from tests.html import content_text
from tests.members.factories import ProfileFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def space():
    return SpaceFactory(name="Animation", slug="animation")


@pytest.fixture
def asker():
    return UserFactory()


@pytest.fixture
def helper():
    return UserFactory()


@pytest.fixture
def reader():
    return UserFactory()


@pytest.fixture
def team():
    return UserFactory(curator=True)


@pytest.fixture
def question(asker, space):
    return services.question_ask(user=asker, space=space, title="Débat mouvant ?", body="Qui a essayé le débat ?")


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _page(user, url) -> str:
    response = _client(user).get(url)
    assert response.status_code == 200
    return response.content.decode()


def _space_url(space) -> str:
    return reverse("exchange:space", args=[space.slug])


def _useful_pressed(html: str, answer) -> str:
    form = html.split(reverse("exchange:answer_useful", args=[answer.pk]), 1)[1]
    return re.search(r'aria-pressed="(true|false)"', form).group(1)


# The space's list --------------------------------------------------------------------------------------------


def test_space_list_follows_each_change(space, question, asker, helper, reader, team):
    url = _space_url(space)
    assert "Débat mouvant ?" in _page(reader, url)  # now kept
    second = services.question_ask(user=helper, space=space, title="Charte de la participation ?", body="Un modèle ?")
    assert "Charte de la participation ?" in _page(reader, url)

    services.question_edit(
        question=second, user=helper, title="Charte du conseil ?", body="Un modèle ?", is_discussion=False,
        lock_version=second.lock_version,
    )  # fmt: skip
    page = _page(reader, url)
    assert "Charte du conseil ?" in page and "Charte de la participation ?" not in page

    answer = services.answer_post(question=question, user=helper, body="Nous l'avons fait.")
    assert "1 réponse" in content_text(_client(reader).get(url))
    services.answer_accept(answer=answer, user=asker)
    assert "Résolue" in _page(reader, url)

    moderation.question_lock(question_id=question.pk, actor=team, reason="Sujet clos")
    assert "Verrouillée" in _page(reader, url)

    moderation.question_hide(question_id=question.pk, actor=team, reason="Hors sujet")
    assert "Débat mouvant ?" not in _page(reader, url)
    assert "Débat mouvant ?" in _page(team, url) and "Masquée" in _page(team, url)
    moderation.question_restore(question_id=question.pk, actor=team, reason="Finalement utile")
    assert "Débat mouvant ?" in _page(reader, url)

    other = SpaceFactory(name="Cadre juridique", slug="cadre-juridique")
    assert "Débat mouvant ?" not in _page(reader, _space_url(other))
    moderation.question_move(question_id=question.pk, space_id=other.pk, actor=team, reason="Mieux rangée")
    assert "Débat mouvant ?" not in _page(reader, url)
    assert "Débat mouvant ?" in _page(reader, _space_url(other))


def test_space_list_shows_a_renamed_author(space, asker, reader):
    profile = ProfileFactory(user=asker, display_name="Zoé Martin", credit=Credit.FULL_NAME)
    services.question_ask(user=asker, space=space, title="Un budget ?", body="Combien ?")
    assert "Zoé Martin" in _page(reader, _space_url(space))
    profile.display_name = "Zoé Martin-Durand"
    profile.save()
    assert "Zoé Martin-Durand" in _page(reader, _space_url(space))


def test_hidden_question_shows_to_its_author_only(space, question, asker, reader, team):
    moderation.question_hide(question_id=question.pk, actor=team, reason="Hors sujet")
    url = _space_url(space)
    assert "Débat mouvant ?" not in _page(reader, url)  # the members' list is kept first
    assert "Débat mouvant ?" in _page(asker, url)
    assert "Débat mouvant ?" not in _page(reader, url)
    assert "Débat mouvant ?" in _page(team, url)


def test_each_filter_sort_and_page_is_kept_apart(space, reader):
    for number in range(22):
        QuestionFactory(space=space, title=f"Question numéro {number:02d}")
    url = _space_url(space)
    first = _client(reader).get(url)
    second = _client(reader).get(url, {"page": "2"})
    unanswered = _client(reader).get(url, {"etat": "sans-reponse", "tri": "sans-reponse"})
    assert "Page 1 sur 2" in content_text(first) and "Page 2 sur 2" in content_text(second)
    assert "selected>Sans réponse<" in unanswered.content.decode().replace("\n", "")


# The question's thread ---------------------------------------------------------------------------------------


def test_thread_follows_each_change(question, asker, helper, reader, team):
    url = question.get_absolute_url()
    assert "Pas encore de réponse" in _page(reader, url)
    answer = services.answer_post(question=question, user=helper, body="Nous passons par le bureau.")
    assert "Nous passons par le bureau." in _page(reader, url)

    services.answer_edit(
        answer=answer, user=helper, body="Nous passons par la présidence.", lock_version=answer.lock_version
    )
    assert "Nous passons par la présidence." in _page(reader, url)

    services.useful_toggle(answer=answer, user=asker)
    page = _page(reader, url)
    assert '<span class="badge text-bg-light">1</span>' in page

    services.answer_accept(answer=answer, user=asker)
    assert "Réponse retenue par la personne qui a posé la question" in _page(reader, url)

    services.question_edit(
        question=question, user=asker, title="Débat mouvant, vraiment ?", body="Qui a essayé ?", is_discussion=False,
        lock_version=question.lock_version, tags=[services.TagData(kind="competence", code="C-1-01", title="Animer")],
    )  # fmt: skip
    page = _page(reader, url)
    assert "Débat mouvant, vraiment ?" in page and "C-1-01" in page

    moderation.answer_hide(answer_id=answer.pk, actor=team, reason="Propos déplacés")
    page = _page(reader, url)
    assert "Message masqué par l'équipe" in page and "Nous passons par la présidence." not in page
    moderation.answer_restore(answer_id=answer.pk, actor=team, reason="Relu")
    assert "Nous passons par la présidence." in _page(reader, url)

    moderation.question_lock(question_id=question.pk, actor=team, reason="Sujet clos")
    page = _page(reader, url)
    assert "Question verrouillée par l'équipe CNCD : Sujet clos" in page and "?citer=" not in page


def test_useful_marks_stay_each_members_own(question, helper, reader, asker):
    answer = services.answer_post(question=question, user=helper, body="Voici comment.")
    url = question.get_absolute_url()
    assert _useful_pressed(_page(reader, url), answer) == "false"  # the members' thread is kept
    other = UserFactory()
    services.useful_toggle(answer=answer, user=other)
    assert _useful_pressed(_page(other, url), answer) == "true"
    assert _useful_pressed(_page(reader, url), answer) == "false"
    assert _useful_pressed(_page(other, url), answer) == "true"
    assert AnswerUseful.objects.filter(answer=answer).count() == 1


def test_asker_authors_and_team_get_their_own_buttons(question, asker, helper, reader, team):
    answer = services.answer_post(question=question, user=helper, body="Voici comment.")
    url = question.get_absolute_url()
    edit_answer = reverse("exchange:answer_edit", args=[answer.pk])
    accept = reverse("exchange:answer_accept", args=[answer.pk])
    hide = reverse("exchange:moderation_answer_hide", args=[answer.pk])
    for viewer_first in (reader, team, asker, helper):
        _page(viewer_first, url)  # whoever comes first, each sees their own page
    reader_page = _page(reader, url)
    assert accept not in reader_page and edit_answer not in reader_page and hide not in reader_page
    assert reverse("exchange:question_edit", args=[question.pk]) not in reader_page
    assert reverse("exchange:moderation_answer_report", args=[answer.pk]) in reader_page
    asker_page = _page(asker, url)
    assert accept in asker_page and reverse("exchange:question_edit", args=[question.pk]) in asker_page
    assert hide not in asker_page
    helper_page = _page(helper, url)
    assert edit_answer in helper_page and accept not in helper_page and "1 marque" not in helper_page
    assert re.search(r"0 marques? « utile »", content_text(_client(helper).get(url)))
    team_page = _page(team, url)
    assert hide in team_page and reverse("exchange:moderation_question_lock", args=[question.pk]) in team_page
    assert reverse("exchange:moderation_answer_report", args=[answer.pk]) not in team_page


def test_each_visitor_gets_their_own_csrf_token(question, helper, reader):
    services.answer_post(question=question, user=helper, body="Voici comment.")
    url = question.get_absolute_url()
    tokens = set()
    for user in (reader, UserFactory()):
        client = _client(user)
        page = client.get(url).content.decode()
        assert CSRF_PLACEHOLDER not in page
        found = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page))
        assert len(found) >= 2
        tokens |= found
        # The kept forms post with the visitor's own token (the middleware checks it).
        csrf_client = Client(enforce_csrf_checks=True)
        csrf_client.cookies = client.cookies
        answer = question.answers.get()
        response = csrf_client.post(
            reverse("exchange:answer_useful", args=[answer.pk]), {"csrfmiddlewaretoken": next(iter(found))}
        )
        assert response.status_code == 302
    assert len(tokens) >= 4


def test_hidden_question_page_for_its_author_and_the_team(question, asker, reader, team):
    moderation.question_hide(question_id=question.pk, actor=team, reason="Hors sujet")
    url = question.get_absolute_url()
    assert _client(reader).get(url).status_code == 404
    assert "Masquée par l'équipe CNCD : Hors sujet" in _page(asker, url)
    assert "Masquée par l'équipe CNCD : Hors sujet" in _page(team, url)


# Queries -----------------------------------------------------------------------------------------------------


def _queries(user, url, *, cold: bool) -> int:
    client = _client(user)
    client.get(url)
    if cold:
        cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("cold", [True, False])
def test_space_page_queries_are_constant_kept_or_not(space, reader, cold):
    url = _space_url(space)
    for _number in range(3):
        AnswerFactory(question=QuestionFactory(space=space))
    few = _queries(reader, url, cold=cold)
    for _number in range(25):
        AnswerFactory(question=QuestionFactory(space=space))
    assert _queries(reader, url, cold=cold) == few


@pytest.mark.parametrize("cold", [True, False])
def test_question_page_queries_are_constant_kept_or_not(question, reader, cold):
    url = question.get_absolute_url()
    for _number in range(2):
        AnswerFactory(question=question)
    few = _queries(reader, url, cold=cold)
    for _number in range(20):
        answer = AnswerFactory(question=question)
        AnswerUseful.objects.create(answer=answer, user=UserFactory())
    assert _queries(reader, url, cold=cold) == few


def test_kept_pages_cost_fewer_queries(space, question, reader):
    for _number in range(5):
        AnswerFactory(question=question)
    for url in (_space_url(space), question.get_absolute_url()):
        assert _queries(reader, url, cold=False) < _queries(reader, url, cold=True)
