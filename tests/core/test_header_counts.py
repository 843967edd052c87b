"""The header's counters kept per member (core.header_counts): a page with nothing new counts nothing again, and a
new notification or message, or one read, shows at the very next request."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from exchange import messaging
from exchange.models import Conversation
from fiches.models import Notification
from fiches.notifications import notify
from tests.html import select_one, text_of
from tests.members.factories import ProfileFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _kept(settings):
    settings.HEADER_COUNTS_SECONDS = 600


PAGE = reverse("members:my_data")  # any member page: the header is the same everywhere
COUNTING = ("fiches_notification", "exchange_conversationmember")


def _person(first):
    user = UserFactory(first_name=first, last_name="Test")
    ProfileFactory(user=user, display_name=f"{first} Test")
    messaging.preference_set(user=user, accepts=True)
    return user


@pytest.fixture
def alice():
    return _person("Alice")


@pytest.fixture
def bruno():
    return _person("Bruno")


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def header(client) -> str:
    response = client.get(PAGE)
    assert response.status_code == 200
    return text_of(select_one(response, "header"))


def counting_queries(client) -> list[str]:
    with CaptureQueriesContext(connection) as context:
        assert client.get(PAGE).status_code == 200
    return [query["sql"] for query in context.captured_queries if any(table in query["sql"] for table in COUNTING)]


def test_a_page_with_nothing_new_counts_nothing_again(alice):
    client = _client(alice)
    assert counting_queries(client)  # the first page counts (and keeps the counts)
    assert counting_queries(client) == []
    assert counting_queries(client) == []


def test_a_new_notification_shows_at_the_next_request_and_reading_it_clears_it(alice, bruno):
    client = _client(alice)
    assert "non lue" not in header(client)
    notify(user_ids={alice.pk}, actor=bruno, message="Nouveau commentaire", url="/fiches/")
    assert "1 non lue" in header(client)
    notify(user_ids={alice.pk}, actor=bruno, message="Autre commentaire", url="/fiches/")
    assert "2 non lues" in header(client)
    first = Notification.objects.filter(recipient=alice).order_by("pk").first()
    client.post(reverse("fiches:notification_open", args=[first.pk]))
    assert "1 non lue" in header(client)
    client.post(reverse("fiches:notifications_read_all"))
    assert "non lue" not in header(client)
    assert counting_queries(client) == []


def test_a_new_message_shows_at_the_next_request_and_opening_it_clears_it(alice, bruno):
    client = _client(bruno)
    assert "conversation non lue" not in header(client)
    messaging.message_send(sender=alice, recipient=bruno, body="Bonjour")
    assert "1 conversation non lue" in header(client)
    # The sender has read their own message.
    assert "conversation non lue" not in header(_client(alice))
    client.get(Conversation.objects.get().get_absolute_url())
    assert "conversation non lue" not in header(client)
    # Archived, then brought back by a new message.
    messaging.message_send(sender=alice, recipient=bruno, body="Encore")
    assert "1 conversation non lue" in header(client)
    membership = Conversation.objects.get().members.get(user=bruno)
    messaging.conversation_archive(membership=membership, archived=True)
    assert "conversation non lue" not in header(client)


def test_each_member_reads_their_own_counts_only(alice, bruno):
    alice_client, bruno_client = _client(alice), _client(bruno)
    assert "non lue" not in header(alice_client) and "non lue" not in header(bruno_client)
    notify(user_ids={alice.pk}, actor=None, message="Pour Alice", url="/fiches/")
    assert "1 non lue" in header(alice_client)
    assert "non lue" not in header(bruno_client)
