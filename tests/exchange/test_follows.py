"""Follows and notifications: joining a space, following a question or a tag, « Mes abonnements », who is told
of new questions, answers and accepted answers, and the daily digest (network area)."""

from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from exchange import follows, services
from exchange.enums import FollowTarget, TagKind
from exchange.models import Block, ExchangeFollow, QuestionTag
from fiches.enums import EmailMode
from fiches.models import Notification
from fiches.notifications import email_mode_set
from tests.exchange.factories import QuestionFactory, SpaceFactory
from tests.members.factories import ProfileFactory, UserFactory

pytestmark = pytest.mark.django_db


def person(name, **options):
    return ProfileFactory(user=UserFactory(**options), display_name=name).user


@pytest.fixture
def space():
    return SpaceFactory(name="Communication", slug="communication")


@pytest.fixture
def asker():
    return person("Alice Demande")


def test_joining_and_leaving_a_space_without_javascript(client, space):
    member = person("Marc Membre")
    client.force_login(member)
    url = reverse("exchange:follow_space", args=[space.slug])
    response = client.post(url, {"suivre": "1", "next": space.get_absolute_url()})
    assert response.status_code == 302 and response["Location"] == space.get_absolute_url()
    assert follows.is_following(member, space)
    client.post(url, {"suivre": "1"})  # twice: still one follow
    assert ExchangeFollow.objects.filter(user=member, target=FollowTarget.SPACE).count() == 1
    page = client.get(reverse("exchange:follows")).content.decode()
    assert "Mes espaces" in page and space.name in page and 'aria-pressed="true"' in page
    response = client.post(url, {"suivre": "0", "next": "https://ailleurs.example.org/"})
    assert response["Location"] == space.get_absolute_url()  # never sent off-site
    assert not follows.is_following(member, space)


def test_follow_button_swapped_by_htmx(client, space):
    member = person("Marc Membre")
    client.force_login(member)
    response = client.post(
        reverse("exchange:follow_space", args=[space.slug]), {"suivre": "1"}, headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body
    assert 'aria-pressed="true"' in body and "Vous avez rejoint cet espace" in body and 'value="0"' in body
    assert "HX-Request" in response["Vary"]


def test_following_a_question_and_a_tag(client, asker):
    member = person("Marc Membre")
    question = QuestionFactory(author=asker)
    QuestionTag.objects.create(question=question, kind=TagKind.COMPETENCE, code="C-1-01", title="Animer")
    client.force_login(member)
    client.post(reverse("exchange:follow_question", args=[question.pk]), {"suivre": "1"})
    client.post(reverse("exchange:follow_tag", args=["C-1-01"]), {"suivre": "1"})
    assert follows.is_following(member, question) and follows.is_following(member, "C-1-01")
    page = client.get(reverse("exchange:follows")).content.decode()
    assert question.title in page and "C-1-01" in page and "Animer" in page
    # A code the entraide does not know cannot be followed.
    assert client.post(reverse("exchange:follow_tag", args=["X-9-99"]), {"suivre": "1"}).status_code == 404
    client.post(reverse("exchange:follow_tag", args=["C-1-01"]), {"suivre": "0"})
    assert not follows.is_following(member, "C-1-01")


def test_hidden_question_cannot_be_followed_by_others(client, asker):
    member = person("Marc Membre")
    question = QuestionFactory(author=asker, hidden_at="2026-01-01T00:00Z", hidden_reason="Hors sujet")
    client.force_login(member)
    assert client.post(reverse("exchange:follow_question", args=[question.pk]), {"suivre": "1"}).status_code == 404


def test_follows_page_query_count_does_not_grow(client, django_assert_max_num_queries):
    member = person("Marc Membre")
    client.force_login(member)

    def add(count):
        for _ in range(count):
            follows.follow_add(user=member, target=SpaceFactory())
            follows.follow_add(user=member, target=QuestionFactory())
        SpaceFactory()

    add(2)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse("exchange:follows")).status_code == 200
    add(6)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("exchange:follows"))


def test_new_question_notifies_space_and_tag_followers_not_the_author(space, asker):
    space_follower = person("Sam Espace")
    tag_follower = person("Tina Étiquette")
    blocker = person("Bob Bloque")
    other = person("Olga Autre")
    follows.follow_add(user=space_follower, target=space)
    follows.follow_add(user=asker, target=space)
    follows.follow_add(user=blocker, target=space)
    follows.follow_add(user=tag_follower, target="C-1-01")
    Block.objects.create(blocker=blocker, blocked=asker)
    question = services.question_ask(
        user=asker,
        space=space,
        title="Quel outil de sondage ?",
        body="Nous cherchons un outil libre.",
        tags=[services.TagData(kind=TagKind.COMPETENCE, code="C-1-01", title="Animer")],
    )
    told = set(Notification.objects.values_list("recipient_id", flat=True))
    assert told == {space_follower.pk, tag_follower.pk}
    assert other.pk not in told
    note = Notification.objects.filter(recipient=space_follower).get()
    assert note.message == "Nouvelle question dans l'espace « Communication » : « Quel outil de sondage ? »."
    assert note.url == question.get_absolute_url() and note.actor == asker
    assert follows.is_following(asker, question)  # the asker follows their question


def test_new_answer_notifies_asker_and_question_followers_and_answerer_follows(space, asker):
    follower = person("Fanny Suit")
    space_follower = person("Sam Espace")
    answerer = person("Bruno Répond")
    question = services.question_ask(user=asker, space=space, title="Charte ?", body="Avez-vous une charte ?")
    follows.follow_add(user=follower, target=question)
    follows.follow_add(user=space_follower, target=space)
    Notification.objects.all().delete()
    answer = services.answer_post(question=question, user=answerer, body="Oui, je vous l'envoie.")
    told = set(Notification.objects.values_list("recipient_id", flat=True))
    assert told == {asker.pk, follower.pk}  # not the space's followers, not the answerer
    assert Notification.objects.filter(recipient=asker).get().url == answer.get_absolute_url()
    assert follows.is_following(answerer, question)
    Notification.objects.all().delete()
    services.answer_post(question=question, user=follower, body="Merci, moi aussi !")
    assert set(Notification.objects.values_list("recipient_id", flat=True)) == {asker.pk, answerer.pk}


def test_accepted_answer_notifies_its_author(space, asker):
    answerer = person("Bruno Répond")
    question = services.question_ask(user=asker, space=space, title="Statuts ?", body="Modèle de statuts ?")
    answer = services.answer_post(question=question, user=answerer, body="En voici un.")
    Notification.objects.all().delete()
    services.answer_accept(answer=answer, user=asker)
    note = Notification.objects.get()
    assert note.recipient == answerer and "a été retenue" in note.message and "Statuts ?" in note.message


def test_immediate_email_and_daily_digest_include_exchange_notifications(
    space, asker, django_capture_on_commit_callbacks
):
    at_once = person("Ivan Immédiat")
    digest = person("Dora Digest")
    email_mode_set(user=at_once, email_mode=EmailMode.IMMEDIATE)
    email_mode_set(user=digest, email_mode=EmailMode.DIGEST)
    for member in (at_once, digest):
        follows.follow_add(user=member, target=space)
    with django_capture_on_commit_callbacks(execute=True):
        services.question_ask(user=asker, space=space, title="Bilan annuel ?", body="Comment le présentez-vous ?")
    assert [m.to for m in mail.outbox] == [[at_once.email]]
    assert "Bilan annuel" in mail.outbox[0].body
    mail.outbox.clear()
    call_command("send_notification_digest", stdout=StringIO())
    assert [m.to for m in mail.outbox] == [[digest.email]]
    assert "Nouvelle question dans l'espace « Communication »" in mail.outbox[0].body
    mail.outbox.clear()
    call_command("send_notification_digest", stdout=StringIO())
    assert mail.outbox == []


def test_home_shows_new_questions_of_my_spaces(client, space, asker):
    member = person("Marc Membre")
    follows.follow_add(user=member, target=space)
    question = services.question_ask(user=asker, space=space, title="Élections du bureau ?", body="Comment ?")
    QuestionFactory(title="Dans un autre espace")
    client.force_login(member)
    page = client.get(reverse("my_space")).content.decode()
    assert "Nouvelles questions dans mes espaces" in page and question.title in page
    assert "Dans un autre espace" not in page
