"""A member's profile page with what it keeps (members.views' territory, exchange.messaging's facts of two members,
exchange.mentions' handle, showcase.panels' council page): it reads as a fresh rendering, follows each change on
the next request, tells each viewer their own messaging state, and makes few queries."""

import re

import pytest
from django.core.cache import cache
from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from exchange import messaging
from members.models import Department
from showcase import councils
from showcase.enums import PageStatus
from tests.html import main_text, select, text_of
from tests.members.factories import CouncilFactory, ProfileFactory, UserFactory
from tests.showcase.factories import CouncilPageFactory

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def _person(first, last, *, council=None):
    user = UserFactory(first_name=first, last_name=last)
    ProfileFactory(user=user, display_name=f"{first} {last}", **({"council": council} if council else {}))
    messaging.preference_set(user=user, accepts=True)
    return user


@pytest.fixture
def council():
    return CouncilFactory(name="Conseil de développement du Pays de Rance")


@pytest.fixture
def zoe(council):
    return _person("Zoé", "Martin", council=council)


@pytest.fixture
def viewer():
    return _person("Victor", "Lecteur")


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _url(member) -> str:
    return reverse("members:detail", args=[member.pk])


def _main(response) -> str:
    assert response.status_code == 200
    html = response.content.decode()
    return TOKEN.sub("TOKEN", html[html.index("<main") : html.index("</main>")])


def _messages_panel(client, member) -> str:
    return text_of(select(client.get(_url(member)), "#block-exchange-messages")[0])


def test_the_kept_parts_read_as_fresh_ones(zoe, viewer, council):
    CouncilPageFactory(council=council)
    councils.preference_set(user=zoe, appears=True)
    client = _client(viewer)
    cache.clear()
    fresh = _main(client.get(_url(zoe)))
    assert "page publique du conseil" in fresh and "@zoe-martin" in fresh and "Écrire un message" in fresh
    assert _main(client.get(_url(zoe))) == fresh == _main(client.get(_url(zoe)))


def test_the_messages_panel_follows_each_change(zoe, viewer):
    client = _client(viewer)
    assert "Écrire un message" in _messages_panel(client, zoe)

    messaging.preference_set(user=zoe, accepts=False)
    assert "Ce membre ne reçoit pas de messages." in _messages_panel(client, zoe)
    messaging.preference_set(user=zoe, accepts=True)
    assert "Écrire un message" in _messages_panel(client, zoe)

    messaging.message_send(sender=viewer, recipient=zoe, body="Bonjour Zoé")
    assert "Reprendre la conversation" in _messages_panel(client, zoe)

    messaging.preference_set(user=viewer, accepts=False)
    assert "Activer mes messages privés" in _messages_panel(client, zoe)
    messaging.preference_set(user=viewer, accepts=True)

    messaging.block_create(blocker=zoe, blocked=viewer)
    panel = _messages_panel(client, zoe)
    assert "Ce membre ne reçoit pas de messages." in panel and "Relire votre conversation" in panel
    messaging.block_remove(blocker=zoe, blocked_id=viewer.pk)
    assert "Reprendre la conversation" in _messages_panel(client, zoe)


def test_each_viewer_reads_their_own_messaging_state(zoe, viewer):
    other = _person("Olga", "Autre")
    assert "Écrire un message" in _messages_panel(_client(other), zoe)  # kept for Olga and Zoé
    messaging.block_create(blocker=viewer, blocked=zoe)
    assert "Vous avez bloqué ce membre" in _messages_panel(_client(viewer), zoe)
    assert "Écrire un message" in _messages_panel(_client(other), zoe)


def test_the_council_page_link_follows_each_change(zoe, viewer, council):
    client = _client(viewer)
    assert "page publique du conseil" not in main_text(client.get(_url(zoe)))  # no page yet
    page = CouncilPageFactory(council=council)
    assert "page publique du conseil" not in main_text(client.get(_url(zoe)))  # Zoé did not choose to appear
    councils.preference_set(user=zoe, appears=True)
    assert "page publique du conseil" in main_text(client.get(_url(zoe)))
    council.name = "Conseil de développement de la Rance"
    council.save()
    assert "Conseil de développement de la Rance" in text_of(
        select(client.get(_url(zoe)), "#block-showcase-council")[0]
    )
    page.status = PageStatus.DRAFT
    page.save()
    assert "page publique du conseil" not in main_text(client.get(_url(zoe)))


def test_the_territory_and_the_handle_follow_each_change(zoe, viewer, council):
    client = _client(viewer)
    council.departments.set(Department.objects.filter(code="35"))
    assert "Ille-et-Vilaine" in main_text(client.get(_url(zoe)))
    council.departments.set(Department.objects.filter(code="22"))
    page = main_text(client.get(_url(zoe)))
    assert "Côtes-d'Armor" in page and "Ille-et-Vilaine" not in page

    assert "@zoe-martin" in page
    zoe.profile.display_name = "Zoé Durand"
    zoe.profile.save()
    assert "@zoe-durand" in main_text(client.get(_url(zoe)))


def _queries(client, url) -> int:
    reset_queries()  # a request clears the log: counted from an empty one
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_profile_page_reads_little_once_kept(zoe, viewer, council):
    CouncilPageFactory(council=council)
    councils.preference_set(user=zoe, appears=True)
    client = _client(viewer)
    first = _queries(client, _url(zoe))
    kept = _queries(client, _url(zoe))
    assert kept < first and _queries(client, _url(zoe)) == kept
