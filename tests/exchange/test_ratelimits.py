"""Rate limits for new accounts in the entraide (exchange.ratelimits), alone and through the asking form."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from exchange import ratelimits, services
from exchange.models import Question
from tests.exchange.factories import AnswerFactory, QuestionFactory, SpaceFactory, conversation_between
from tests.html import content_text
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.EXCHANGE_NEW_ACCOUNT_DAYS = 7
    settings.EXCHANGE_NEW_ACCOUNT_QUESTIONS_PER_DAY = 3
    settings.EXCHANGE_NEW_ACCOUNT_ANSWERS_PER_DAY = 10
    settings.EXCHANGE_NEW_ACCOUNT_CONVERSATIONS_PER_DAY = 5
    settings.EXCHANGE_NEW_ACCOUNT_MESSAGES_PER_DAY = 50
    settings.EXCHANGE_POSTS_PER_MINUTE = 5


def _approved(days_ago: float, **kwargs):
    return UserFactory(status_changed_at=timezone.now() - timedelta(days=days_ago), **kwargs)


def _backdate(rows, minutes: int) -> None:
    rows.update(created_at=timezone.now() - timedelta(minutes=minutes))


def test_a_new_account_may_ask_three_questions_a_day_and_is_told_when_it_may_again():
    user = _approved(days_ago=2)
    for _index in range(3):
        assert ratelimits.posting_refusal(user, ratelimits.QUESTION) is None
        QuestionFactory(author=user)
        _backdate(Question.objects.filter(author=user), minutes=90)
    refusal = ratelimits.posting_refusal(user, ratelimits.QUESTION)
    assert refusal and "au plus 3 questions en 24 heures" in refusal and "à partir du" in refusal
    # Answers are counted apart.
    assert ratelimits.posting_refusal(user, ratelimits.ANSWER) is None


def test_an_older_account_is_not_limited_per_day_and_the_team_never():
    older = _approved(days_ago=30)
    QuestionFactory.create_batch(4, author=older)
    _backdate(Question.objects.filter(author=older), minutes=90)
    assert ratelimits.posting_refusal(older, ratelimits.QUESTION) is None
    curator = _approved(days_ago=1, curator=True)
    QuestionFactory.create_batch(8, author=curator)
    assert ratelimits.posting_refusal(curator, ratelimits.QUESTION) is None


def test_the_wait_ends_when_the_account_is_no_longer_new():
    user = _approved(days_ago=6.9)
    QuestionFactory.create_batch(3, author=user)
    _backdate(Question.objects.filter(author=user), minutes=90)
    refusal = ratelimits.posting_refusal(user, ratelimits.QUESTION)
    from core.dates import long_datetime

    no_longer_new = user.status_changed_at + timedelta(days=7)
    assert long_datetime(no_longer_new) in refusal


def test_everyone_posts_at_most_five_times_a_minute(settings):
    user = _approved(days_ago=100)
    question = QuestionFactory()
    AnswerFactory.create_batch(3, question=question, author=user)
    QuestionFactory.create_batch(2, author=user)
    refusal = ratelimits.posting_refusal(user, ratelimits.ANSWER)
    assert refusal and "au plus 5 messages par minute" in refusal and "secondes" in refusal
    settings.EXCHANGE_POSTS_PER_MINUTE = 6
    assert ratelimits.posting_refusal(user, ratelimits.ANSWER) is None


def test_new_accounts_start_at_most_five_conversations_a_day(settings):
    user = _approved(days_ago=1)
    settings.EXCHANGE_POSTS_PER_MINUTE = 100
    for _index in range(5):
        conversation_between(user, UserFactory(), messages=[(user, "Bonjour")])
    # A conversation someone else started does not count.
    stranger = UserFactory()
    conversation_between(stranger, user, messages=[(stranger, "Bonjour à vous")])
    refusal = ratelimits.posting_refusal(user, ratelimits.CONVERSATION)
    assert refusal and "au plus 5 conversations" in refusal
    assert ratelimits.posting_refusal(user, ratelimits.MESSAGE) is None


def test_an_unknown_action_is_a_programming_error():
    with pytest.raises(ValueError, match="Unknown posting action"):
        ratelimits.posting_refusal(UserFactory(), "sondage")


def test_the_asking_form_shows_the_refusal_and_keeps_the_text(client):
    user = _approved(days_ago=1)
    space = SpaceFactory(name="Animation", slug="animation")
    QuestionFactory.create_batch(3, author=user, space=space)
    _backdate(Question.objects.filter(author=user), minutes=90)
    client.force_login(user)
    response = client.post(
        reverse("exchange:ask"), {"space": space.pk, "title": "Une quatrième question", "body": "Mon texte gardé"}
    )
    page = content_text(response)
    assert "Votre compte est récent" in page and "Mon texte gardé" in page
    assert Question.objects.filter(author=user).count() == 3


def test_the_service_refuses_an_answer_over_the_limit(settings):
    settings.EXCHANGE_NEW_ACCOUNT_ANSWERS_PER_DAY = 2
    user = _approved(days_ago=1)
    question = QuestionFactory()
    services.answer_post(question=question, user=user, body="Première réponse")
    services.answer_post(question=question, user=user, body="Deuxième réponse")
    with pytest.raises(services.ExchangeError, match="au plus 2 réponses"):
        services.answer_post(question=question, user=user, body="Troisième réponse")
