"""The entraide's demo content of the network and messages areas (exchange/demo.py): private conversations between
demo members who accept messages (one unread by the demo technician), her follows, a mention in a demo answer;
nothing new on a second run."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from exchange.enums import SpaceKind
from exchange.models import Conversation, ConversationMember, ExchangeFollow, Mention, Message, MessagingPreference
from fiches.models import Notification
from members.models import User
from tests.html import main_text, page_text, select

pytestmark = pytest.mark.django_db


def _counts():
    return tuple(
        model.objects.count()
        for model in (Conversation, ConversationMember, Message, MessagingPreference, ExchangeFollow, Mention)
    )


def test_demo_conversations_follows_and_a_mention_idempotent(client):
    call_command("seed_demo", stdout=StringIO())
    lea = User.objects.get(email="technicienne@demo.codev-reseau.fr")
    client.force_login(lea)

    # Two conversations with members who accept messages; one waits for her.
    assert ConversationMember.objects.filter(user=lea).count() == 2
    for membership in ConversationMember.objects.filter(conversation__members__user=lea):
        assert MessagingPreference.objects.get(user=membership.user).accepts_messages
    inbox = client.get(reverse("exchange:conversations"))
    assert inbox.status_code == 200
    assert "Mon espace (Léa Fontaine) 1 conversation non lue" in page_text(inbox)  # the header badge

    # She follows her region's space and a référentiel code.
    follows = ExchangeFollow.objects.filter(user=lea)
    assert follows.filter(space__kind=SpaceKind.REGION).count() == 1
    assert follows.filter(code="C-INS-06").exists()
    page = main_text(client.get(reverse("exchange:follows")))
    assert follows.get(space__isnull=False).space.name in page and "C-INS-06" in page

    # A demo answer mentions a member: its Mention row, the link, the member's notification.
    mention = Mention.objects.select_related("answer__question").get()
    question_page = client.get(mention.answer.question.get_absolute_url())
    profile_url = reverse("members:detail", args=[mention.user_id])
    assert profile_url in [link.get("href") for link in select(question_page, "main a")]
    assert Notification.objects.filter(recipient=mention.user, url=mention.answer.get_absolute_url()).exists()

    before = _counts()
    from exchange import demo

    demo.seed()
    assert _counts() == before
    # Reading the conversation marks it read.
    unread = Conversation.objects.filter(members__user=lea).order_by("-last_message_at").first()
    assert client.get(unread.get_absolute_url()).status_code == 200
    assert "conversation non lue" not in page_text(client.get(reverse("exchange:conversations")))
