"""Answers through the HTTP layer: replying, quoting, "utile" marks, the accepted answer, locks and hidden answers."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from exchange import services
from exchange.models import Answer, AnswerUseful, Question
from tests.exchange.factories import AnswerFactory, SpaceFactory
from tests.html import content_text
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def asker():
    return UserFactory()


@pytest.fixture
def helper():
    return UserFactory()


@pytest.fixture
def question(asker):
    space = SpaceFactory(name="Animation", slug="animation")
    return services.question_ask(user=asker, space=space, title="Débat mouvant ?", body="Qui a essayé ?")


def _answer(client, question, body, **extra):
    return client.post(reverse("exchange:answer_add", args=[question.pk]), {"body": body, **extra})


def test_reply_keeps_counts_and_search_text(client, helper, question):
    client.force_login(helper)
    response = _answer(client, question, "Oui, avec des **cartons** de couleur.")
    answer = Answer.objects.get()
    assert response.status_code == 302 and response.url.endswith(f"#reponse-{answer.pk}")
    question.refresh_from_db()
    assert question.answer_count == 1 and question.last_activity_at == answer.created_at
    assert "cartons" in question.search_text
    assert question.space.last_activity_at is not None
    assert "<strong>cartons</strong>" in content_text(client.get(question.get_absolute_url()))


def test_empty_answer_is_refused_and_typed_text_kept(client, helper, question):
    client.force_login(helper)
    response = _answer(client, question, "   ")
    assert response.status_code == 400 and not Answer.objects.exists()


def test_quote_prefills_the_form_without_javascript(client, helper, question, asker):
    first = services.answer_post(question=question, user=helper, body="Nous passons par le bureau.")
    client.force_login(asker)
    page = content_text(client.get(question.get_absolute_url(), {"citer": first.pk}))
    assert "&gt; Nous passons par le bureau." in page or "> Nous passons par le bureau." in page
    _answer(client, question, "> Nous passons par le bureau.\n\nMerci !", quoted=first.pk)
    reply = Answer.objects.exclude(pk=first.pk).get()
    assert reply.quoted == first and "<blockquote>" in reply.body_html


def test_useful_mark_toggles_one_per_member(client, helper, question, asker):
    answer = services.answer_post(question=question, user=helper, body="Réponse")
    client.force_login(asker)
    url = reverse("exchange:answer_useful", args=[answer.pk])
    client.post(url)
    client.post(url)
    client.post(url)
    answer.refresh_from_db()
    assert answer.useful_count == 1 and AnswerUseful.objects.count() == 1
    client.force_login(helper)
    client.post(url)  # not one's own answer
    answer.refresh_from_db()
    assert answer.useful_count == 1
    assert client.get(url).status_code == 405


def test_asker_accepts_and_changes_the_accepted_answer(client, helper, question, asker):
    first = services.answer_post(question=question, user=helper, body="Première")
    second = services.answer_post(question=question, user=UserFactory(), body="Seconde")
    client.force_login(helper)
    client.post(reverse("exchange:answer_accept", args=[first.pk]))
    question.refresh_from_db()
    assert question.accepted_answer is None  # only the asker
    client.force_login(asker)
    client.post(reverse("exchange:answer_accept", args=[first.pk]))
    question.refresh_from_db()
    assert question.accepted_answer == first
    client.post(reverse("exchange:answer_accept", args=[second.pk]))
    question.refresh_from_db()
    assert question.accepted_answer == second
    page = content_text(client.get(question.get_absolute_url()))
    assert page.index("Seconde") < page.index("Première")  # the accepted answer first


def test_the_team_may_accept(helper, question):
    answer = services.answer_post(question=question, user=helper, body="Réponse")
    services.answer_accept(answer=answer, user=UserFactory(curator=True))
    question.refresh_from_db()
    assert question.accepted_answer == answer


def test_a_discussion_has_no_accepted_answer(asker, helper):
    discussion = services.question_ask(
        user=asker, space=SpaceFactory(), title="Partage", body="Idées ?", is_discussion=True
    )
    answer = services.answer_post(question=discussion, user=helper, body="Une idée")
    with pytest.raises(services.ExchangeError):
        services.answer_accept(answer=answer, user=asker)


def test_locked_question_accepts_no_answer_except_from_the_team(client, helper, question):
    Question.objects.filter(pk=question.pk).update(locked_at=timezone.now())
    client.force_login(helper)
    page = content_text(client.get(question.get_absolute_url()))
    assert "verrouillée" in page
    assert _answer(client, question, "Tentative").status_code == 400
    assert not Answer.objects.exists()
    client.force_login(UserFactory(curator=True))
    _answer(client, question, "L'équipe précise")
    assert Answer.objects.count() == 1


def test_hidden_answer_placeholder_for_others(client, helper, question, asker):
    answer = AnswerFactory(
        question=question,
        author=helper,
        body="Texte masqué",
        body_html="<p>Texte masqué</p>",
        hidden_at=timezone.now(),
        hidden_reason="Propos déplacés",
    )
    client.force_login(asker)
    page = content_text(client.get(question.get_absolute_url()))
    assert "Message masqué par l'équipe" in page and "Texte masqué" not in page
    client.force_login(helper)
    page = content_text(client.get(question.get_absolute_url()))
    assert "Masqué par l'équipe CNCD : Propos déplacés" in page and "Texte masqué" in page
    services.post_hidden_changed(answer)
    question.refresh_from_db()
    assert question.answer_count == 0 and "masque" not in question.search_text


def test_question_page_queries_do_not_grow(asker, question):
    url = question.get_absolute_url()

    def count():
        client = Client()
        client.force_login(asker)
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    for _number in range(2):
        AnswerFactory(question=question)
    few = count()
    for _number in range(20):
        answer = AnswerFactory(question=question)
        AnswerUseful.objects.create(answer=answer, user=asker)
    assert count() == few
