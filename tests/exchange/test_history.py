"""Edits with history (PostRevision, diffs by core.diff) and optimistic concurrency (lock_version)."""

import pytest
from django.urls import reverse

from exchange import services
from exchange.models import PostRevision
from tests.exchange.factories import SpaceFactory
from tests.html import content_text
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def member():
    return UserFactory()


@pytest.fixture
def question(member):
    return services.question_ask(user=member, space=SpaceFactory(), title="Titre initial", body="Corps initial")


def test_edit_keeps_a_revision_and_shows_the_diff(client, member, question):
    client.force_login(member)
    url = reverse("exchange:question_edit", args=[question.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"title": "Titre corrigé", "body": "Corps modifié", "lock_version": question.lock_version}
    )
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.title == "Titre corrigé" and question.revision_count == 1 and question.edited_at
    revision = PostRevision.objects.get(question=question)
    assert revision.title == "Titre initial" and revision.body == "Corps initial"
    history = client.get(reverse("exchange:question_history", args=[question.pk]))
    html = history.content.decode()
    assert "<del>" in html and "<ins>" in html and "initial" in html and "corrigé" in html


def test_two_simultaneous_edits_one_conflict_text_kept(client, member, question):
    client.force_login(member)
    url = reverse("exchange:question_edit", args=[question.pk])
    version = question.lock_version
    client.post(url, {"title": "Première", "body": "Premier enregistrement", "lock_version": version})
    response = client.post(url, {"title": "Seconde", "body": "Mon texte à ne pas perdre", "lock_version": version})
    assert response.status_code == 409
    page = content_text(response)
    assert "Conflit de modification" in page and "Mon texte à ne pas perdre" in page
    question.refresh_from_db()
    assert question.body == "Premier enregistrement"


def test_answer_edit_history_and_conflict(client, member, question):
    helper = UserFactory()
    answer = services.answer_post(question=question, user=helper, body="Avant")
    client.force_login(helper)
    url = reverse("exchange:answer_edit", args=[answer.pk])
    client.post(url, {"body": "Après", "lock_version": answer.lock_version})
    answer.refresh_from_db()
    assert answer.body == "Après" and answer.revision_count == 1
    question.refresh_from_db()
    assert "apres" in question.search_text
    conflict = client.post(url, {"body": "Encore", "lock_version": 0})
    assert conflict.status_code == 409 and "Encore" in content_text(conflict)
    history = client.get(reverse("exchange:answer_history", args=[answer.pk]))
    assert history.status_code == 200 and "<ins>" in history.content.decode()
    client.force_login(member)
    assert client.get(url).status_code == 403  # not the answer's author


def test_mentions_and_notifications_are_called(member, monkeypatch):
    from exchange import mentions, notifications

    calls = []
    monkeypatch.setattr(mentions, "mentions_apply", lambda post, actor: calls.append(("mention", post)))
    monkeypatch.setattr(notifications, "question_posted", lambda question, actor: calls.append(("asked", question)))
    monkeypatch.setattr(notifications, "answer_posted", lambda answer, actor: calls.append(("answered", answer)))
    monkeypatch.setattr(notifications, "answer_accepted", lambda answer, actor: calls.append(("accepted", answer)))
    question = services.question_ask(user=member, space=SpaceFactory(), title="t", body="b")
    answer = services.answer_post(question=question, user=UserFactory(), body="r")
    services.answer_accept(answer=answer, user=member)
    assert [kind for kind, _post in calls] == ["mention", "asked", "mention", "answered", "accepted"]
