"""Reaching the right peers: suggestions on a question tagged with competences, invitations to answer (network area)."""

import pytest
from django.urls import reverse

from core.audit import AuditEntry
from core.audit_sentences import audit_sentence
from exchange import peers, services
from exchange.enums import TagKind
from exchange.models import AnswerInvitation, Block
from fiches.models import Notification
from tests.exchange.factories import SpaceFactory
from tests.members.factories import ProfileFactory, UserFactory
from training.models import MentorOffer

pytestmark = pytest.mark.django_db


def person(name, **options):
    return ProfileFactory(user=UserFactory(**options), display_name=name).user


@pytest.fixture
def asker():
    return person("Alice Demande")


@pytest.fixture
def helper():
    user = person("Hugo Aide")
    MentorOffer.objects.create(user=user, code="C-1-01")
    return user


@pytest.fixture
def question(asker):
    return services.question_ask(
        user=asker,
        space=SpaceFactory(name="Animation", slug="animation"),
        title="Comment animer un atelier en ligne ?",
        body="Avec 40 participant·es.",
        tags=[services.TagData(kind=TagKind.COMPETENCE, code="C-1-01", title="Animer")],
    )


def test_the_question_page_suggests_only_peers_who_opted_in(client, question, helper):
    not_opted = person("Nina Discrète")
    pending = person("Paul Attente", pending=True)
    MentorOffer.objects.create(user=pending, code="C-1-01")
    viewer = person("Victor Lit")
    client.force_login(viewer)
    page = client.get(question.get_absolute_url()).content.decode()
    assert "Des pairs qui peuvent aider" in page and "Hugo Aide" in page
    assert "Propose son aide sur" in page
    assert "Nina Discrète" not in page and "Paul Attente" not in page
    assert not_opted.pk and "Inviter à répondre" not in page  # only the asker invites
    assert "Suivre C-1-01" in page  # the tag can be followed from here


def test_the_asker_invites_a_peer_once(client, question, asker, helper):
    client.force_login(asker)
    page = client.get(question.get_absolute_url()).content.decode()
    assert "Inviter à répondre" in page
    url = reverse("exchange:invite_peer", args=[question.pk, helper.pk])
    response = client.post(url, follow=True)
    assert "Invitation envoyée" in response.content.decode()
    assert "Invité·e à répondre" in response.content.decode()
    invitation = AnswerInvitation.objects.get()
    assert (invitation.question, invitation.invited, invitation.invited_by) == (question, helper, asker)
    note = Notification.objects.get(recipient=helper)
    assert note.url == question.get_absolute_url() and "Vous invite à répondre" in note.message
    entry = AuditEntry.objects.get(action="exchange.invitation.sent", actor=asker)
    assert f"a invité un pair à répondre à sa question n° {question.pk}" in audit_sentence(entry)
    response = client.post(url, follow=True)
    assert "déjà invité·e" in response.content.decode()
    assert AnswerInvitation.objects.count() == 1 and Notification.objects.filter(recipient=helper).count() == 1


def test_only_the_asker_invites_and_only_suggested_peers(client, question, asker, helper):
    other = person("Olga Autre")
    client.force_login(other)
    response = client.post(reverse("exchange:invite_peer", args=[question.pk, helper.pk]), follow=True)
    assert "Seule la personne qui a posé la question" in response.content.decode()
    client.force_login(asker)
    stranger = person("Sacha Inconnu")
    response = client.post(reverse("exchange:invite_peer", args=[question.pk, stranger.pk]), follow=True)
    assert "ne fait pas partie des pairs suggérés" in response.content.decode()
    assert not AnswerInvitation.objects.exists()


def test_a_peer_who_blocked_the_asker_is_not_suggested_to_them(question, asker, helper):
    Block.objects.create(blocker=helper, blocked=asker)
    assert peers.suggested_peers(question, viewer=asker) == []
    with pytest.raises(peers.InvitationError):
        peers.invitation_send(question=question, invited=helper, actor=asker)


def test_invited_peer_sees_it_on_the_question_and_home_until_they_answer(client, question, asker, helper):
    peers.invitation_send(question=question, invited=helper, actor=asker)
    client.force_login(helper)
    page = client.get(question.get_absolute_url()).content.decode()
    assert "Vous avez été invité·e à répondre à cette question." in page
    home = client.get(reverse("my_space")).content.decode()
    assert "Invitations à répondre dans l&#x27;entraide" in home and question.title in home
    services.answer_post(question=question, user=helper, body="Je vous propose un outil.")
    home = client.get(reverse("my_space")).content.decode()
    assert "Invitations à répondre dans l&#x27;entraide" not in home


def test_peers_column_query_count_does_not_grow_with_peers(client, question, asker, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(asker)
    MentorOffer.objects.create(user=person("Un Pair"), code="C-1-01")
    with CaptureQueriesContext(connection) as few:
        client.get(question.get_absolute_url())
    for number in range(4):
        MentorOffer.objects.create(user=person(f"Pair {number}"), code="C-1-01")
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(question.get_absolute_url()).content.decode()
    assert page.count("Inviter à répondre<") == 5


def test_personal_data_export_and_erase(question, asker, helper):
    from core.personal_data import personal_data_kinds
    from exchange import follows

    follows.follow_add(user=helper, target="C-1-01")
    peers.invitation_send(question=question, invited=helper, actor=asker)
    services.answer_post(question=question, user=asker, body="Relance : @hugo-aide ?")
    kinds = {kind.key: kind for kind in personal_data_kinds()}
    assert kinds["entraide-abonnements"].export(helper)[0]["code"] == "C-1-01"
    assert kinds["entraide-mentions"].export(helper)[0]["dans"] == "réponse"
    assert kinds["entraide-invitations"].export(helper)[0]["sens"] == "reçue"
    assert kinds["entraide-invitations"].export(asker)[0]["sens"] == "envoyée"
    for key in ("entraide-abonnements", "entraide-mentions", "entraide-invitations"):
        kinds[key].erase(helper)
        assert kinds[key].export(helper) == []
    kinds["entraide-invitations"].erase(asker)
    assert kinds["entraide-invitations"].export(asker) == []


def test_erasing_the_account_removes_follows_mentions_and_invitations(question, asker, helper):
    from core.personal_data import personal_data_erase
    from exchange import follows
    from exchange.models import ExchangeFollow, Mention

    follows.follow_add(user=helper, target=question.space)
    peers.invitation_send(question=question, invited=helper, actor=asker)
    services.answer_post(question=question, user=asker, body="Relance : @hugo-aide ?")
    personal_data_erase(helper)
    assert not ExchangeFollow.objects.filter(user=helper).exists()
    assert not Mention.objects.filter(user=helper).exists()
    assert not AnswerInvitation.objects.filter(invited=helper).exists()
    personal_data_erase(asker)
    assert not AnswerInvitation.objects.filter(invited_by=asker).exists()
