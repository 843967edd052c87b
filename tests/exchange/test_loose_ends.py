"""Loose ends between the entraide's areas: mention help under the text fields, links to « Mes abonnements »,
the team's journal, closed spaces, private messages kept out of the Django admin."""

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from core.models import AuditEntry
from exchange import moderation, services
from exchange.models import Answer, Conversation, ConversationMember, Message, MessagingPreference
from tests.exchange.factories import SpaceFactory
from tests.html import main_text, select, select_one, text_of
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def member():
    return UserFactory()


@pytest.fixture
def curator():
    return UserFactory(curator=True)


@pytest.fixture
def space():
    return SpaceFactory(name="Cadre juridique", slug="cadre-juridique")


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _question(member, space, **extra):
    return services.question_ask(
        user=member, space=space, title="Autosaisine ?", body="Comment faites-vous ?", rate_limited=False, **extra
    )


# --- Mention help under the question's and the answer's text ---------------------------------------------


def test_the_mention_help_is_under_every_question_and_answer_text(member, space):
    question = _question(member, space)
    answer = services.answer_post(question=question, user=member, body="Par le bureau.", rate_limited=False)
    client = _client(member)
    mention_search = reverse("exchange:mention_search")
    pages = [
        reverse("exchange:ask"),
        reverse("exchange:question_edit", args=[question.pk]),
        question.get_absolute_url(),
        reverse("exchange:answer_edit", args=[answer.pk]),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        help_text = select_one(response, "#id_body_helptext")
        assert select_one(response, "textarea[name=body]").get("aria-describedby") == "id_body_helptext", url
        text = text_of(help_text)
        assert "@prenom-nom" in text and "@zoe-martin" in text, url
        assert "@nom pour" not in text, url
        assert [link.get("href") for link in select(help_text, "a")] == [mention_search], url


# --- « Mes abonnements » ----------------------------------------------------------------------------------


def test_my_follows_are_linked_from_the_spaces_page_and_my_menu(member):
    follows = reverse("exchange:follows")
    spaces = _client(member).get(reverse("exchange:spaces"))
    assert follows in [link.get("href") for link in select(spaces, "main a")]
    header = [link for link in select(spaces, "header a") if link.get("href") == follows]
    assert header and "Mes abonnements" in text_of(header[0])
    page = _client(member).get(follows)
    assert page.status_code == 200
    current = [link.get("href") for link in select(page, "header a[aria-current=page]")]
    assert current == [follows]


# --- The team's journal -----------------------------------------------------------------------------------


def test_the_team_journal_shows_the_team_s_decisions_not_the_members_posts(member, curator, space):
    question = _question(member, space)
    services.answer_post(question=question, user=UserFactory(), body="Par le bureau.", rate_limited=False)
    reporter = UserFactory()
    moderation.report_create(reporter=reporter, reason="Hors sujet", question=question)
    moderation.question_lock(question_id=question.pk, actor=curator, reason="Sujet clos")
    journal = main_text(_client(curator).get(reverse("team_journal")))
    assert "a verrouillé la question « Autosaisine ? »" in journal
    assert "a posé la question" not in journal and "a répondu" not in journal and "a signalé" not in journal
    # Members' actions still read as sentences in the audit log.
    from core.audit_sentences import audit_sentence

    asked = AuditEntry.objects.get(action="exchange.question.asked")
    assert "a posé la question « Autosaisine ? »" in audit_sentence(asked)


# --- A closed space stays readable ------------------------------------------------------------------------


def test_a_closed_space_is_readable_but_takes_no_question_nor_answer(member, space):
    question = _question(member, space)
    space.is_active = False
    space.save()
    client = _client(UserFactory())
    page = client.get(space.get_absolute_url())
    assert page.status_code == 200
    text = main_text(page)
    assert "Cet espace est fermé : on ne peut plus y poser de question" in text
    assert "Autosaisine ?" in text
    hrefs = [link.get("href") for link in select(page, "main a")]
    assert not any(href.startswith(reverse("exchange:ask")) for href in hrefs if href)
    assert not select(page, "main form[action^='/entraide/abonnements/']")
    # Its questions stay readable, without the answer form; posting is refused.
    question_page = client.get(question.get_absolute_url())
    assert question_page.status_code == 200
    assert "L'espace de cette question est fermé" in main_text(question_page)
    assert not select(question_page, "main textarea")
    client.post(reverse("exchange:answer_add", args=[question.pk]), {"body": "Une réponse"})
    assert not Answer.objects.exists()
    # And it cannot be chosen for a new question.
    ask = client.post(reverse("exchange:ask"), {"space": space.pk, "title": "Titre", "body": "Texte gardé"})
    assert ask.status_code == 200 and "Texte gardé" in ask.content.decode()
    assert question.space.questions.count() == 1


# --- Private messages are not in the Django admin ---------------------------------------------------------


def test_private_messages_are_not_in_the_django_admin():
    for model in (Conversation, ConversationMember, Message, MessagingPreference):
        assert not admin.site.is_registered(model), model
    administrator = UserFactory(admin=True)
    client = _client(administrator)
    index = client.get("/admin/")
    assert index.status_code == 200
    assert "/admin/exchange/" not in index.content.decode()
    assert client.get("/admin/exchange/message/").status_code == 404
    assert client.get("/admin/exchange/conversation/").status_code == 404
