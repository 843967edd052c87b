"""The catalogue's rendered facets and results are cached, and forgotten by every change a card shows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.html import content_text
from tests.members.factories import UserFactory
from tests.toolbox.factories import make_resource
from toolbox import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return UserFactory(), UserFactory(curator=True)


def test_a_second_visit_reads_the_cache_not_the_catalogue(client, people):
    owner, curator = people
    make_resource(owner, published_by=curator, public=True, title="Débat mouvant")
    url = reverse("toolbox:catalogue") + "?nature=methode"
    with CaptureQueriesContext(connection) as first:
        assert "Débat mouvant" in content_text(client.get(url))
    with CaptureQueriesContext(connection) as second:
        assert "Débat mouvant" in content_text(client.get(url))
    read_catalogue = [q["sql"] for q in second.captured_queries if "toolbox_resource" in q["sql"]]
    assert not read_catalogue and len(second) < len(first)


def test_publishing_shows_at_once(client, people):
    owner, curator = people
    make_resource(owner, published_by=curator, public=True, title="Débat mouvant")
    url = reverse("toolbox:catalogue")
    assert "World café" not in content_text(client.get(url))
    make_resource(owner, published_by=curator, public=True, title="World café")
    assert "World café" in content_text(client.get(url))


def test_marks_and_refusals_show_at_once(client, people):
    owner, curator = people
    resource = make_resource(owner, published_by=curator, public=True, title="Débat mouvant")
    url = reverse("toolbox:catalogue")
    assert "1 membre l'a trouvée utile" not in content_text(client.get(url))
    services.useful_toggle(resource_id=resource.pk, user=UserFactory())
    assert "1 membre l'a trouvée utile" in content_text(client.get(url))
    services.resource_refuse(resource_id=resource.pk, actor=curator, reason="Hors sujet")
    assert "Débat mouvant" not in content_text(client.get(url))


def test_members_and_visitors_never_share_a_cached_page(client, people):
    owner, curator = people
    make_resource(owner, published_by=curator, title="Pour les membres")
    url = reverse("toolbox:catalogue")
    client.force_login(UserFactory())
    assert "Pour les membres" in content_text(client.get(url))
    client.logout()
    assert "Pour les membres" not in content_text(client.get(url))
