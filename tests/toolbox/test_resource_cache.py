"""A resource's page kept rendered per viewer's state (toolbox.resource_cache): the kept page is the fresh one,
each change shows on the next request, and a rendering made for one visitor's state never reaches another."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members.enums import Credit
from tests.html import main_text
from tests.members.factories import ProfileFactory, UserFactory
from tests.referentiel.factories import build_version, small_data
from tests.toolbox.factories import make_resource
from toolbox import services
from toolbox.models import Resource, ResourceComment

pytestmark = pytest.mark.django_db

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def main_of(response) -> str:
    text = response.content.decode()
    main = text[text.index("<main") : text.index("</main>")]
    return CSRF_INPUT.sub('name="csrfmiddlewaretoken" value=""', main)


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def resource(curator):
    build_version(small_data("v1.0"))
    owner = UserFactory()
    ProfileFactory(user=owner, display_name="Aïcha Benali", credit=Credit.FULL_NAME)
    return make_resource(owner, links=[("competence", "C-1-01", "")], published_by=curator, public=True)


def url_of(resource) -> str:
    return reverse("toolbox:detail", kwargs={"pk": resource.pk})


def test_the_kept_page_is_the_fresh_one_with_the_visitors_own_token(member, resource):
    client = client_for(member)
    with CaptureQueriesContext(connection) as first:
        computed = client.get(url_of(resource))
    with CaptureQueriesContext(connection) as second:
        kept = client.get(url_of(resource))
    assert computed.status_code == kept.status_code == 200
    assert main_of(kept) == main_of(computed)
    assert "Aïcha Benali" in main_text(kept) and "C-1-01" in main_text(kept)
    assert len(second) < len(first) - 5
    content = kept.content.decode()
    assert CSRF_INPUT.findall(content) and "<csrf-token/>" not in content
    cache.clear()
    assert main_of(client.get(url_of(resource))) == main_of(kept)


def test_the_editors_and_the_teams_tools_never_reach_a_member(member, curator, resource):
    owner = resource.owner
    assert "Modifier" in main_text(client_for(owner).get(url_of(resource)))
    assert "Modérer" not in main_text(client_for(owner).get(url_of(resource)))
    services.comment_add(resource_id=resource.pk, author=member, body="Très utile en réunion.")
    assert "Modérer" in main_text(client_for(curator).get(url_of(resource)))
    for user in (UserFactory(), None):
        text = main_text(client_for(user).get(url_of(resource)))
        assert "Modérer" not in text and "Supprimer" not in text
        assert "Très utile en réunion." in text
    # The author of a comment has no button to report their own; another member has.
    assert "Signaler ce message" not in main_text(client_for(member).get(url_of(resource)))
    assert "Signaler ce message" in main_text(client_for(UserFactory()).get(url_of(resource)))


def test_marks_uses_follows_and_comments_show_on_the_next_request(member, other_member, curator, resource):
    client, other = client_for(member), client_for(other_member)
    assert "Je la trouve utile" in main_text(client.get(url_of(resource)))
    services.useful_toggle(resource_id=resource.pk, user=member)
    assert "Utile ✓ (retirer)" in main_text(client.get(url_of(resource)))
    other_text = main_text(other.get(url_of(resource)))
    assert "Je la trouve utile" in other_text and "1 membre la trouve utile" in other_text
    services.use_record(resource_id=resource.pk, user=member, feedback="Testée avec le conseil.")
    assert "Retirer mon utilisation" in main_text(client.get(url_of(resource)))
    other_text = main_text(other.get(url_of(resource)))
    assert "Testée avec le conseil." in other_text and "Retirer mon utilisation" not in other_text
    services.follow_toggle(user=other_member, kind=resource.kind)
    assert "Ne plus suivre" in main_text(other.get(url_of(resource)))
    assert "Ne plus suivre" not in main_text(client.get(url_of(resource)))
    comment = services.comment_add(resource_id=resource.pk, author=other_member, body="Merci pour le partage.")
    assert "Merci pour le partage." in main_text(client.get(url_of(resource)))
    services.comment_report(comment_id=comment.pk, reporter=member, reason="Hors sujet")
    assert "Modérer (1 signalement)" in main_text(client_for(curator).get(url_of(resource)))
    services.comment_reports_dismiss(comment_id=comment.pk, actor=curator, reason="Rien à redire")
    assert "Modérer (1 signalement)" not in main_text(client_for(curator).get(url_of(resource)))
    services.comment_hide(comment_id=comment.pk, actor=curator, reason="Hors sujet")
    assert "Merci pour le partage." not in main_text(client.get(url_of(resource)))
    assert ResourceComment.objects.get(pk=comment.pk).hidden_at is not None


def test_an_edit_and_a_rename_show_on_the_next_request(member, resource):
    client = client_for(member)
    client.get(url_of(resource))
    resource.title = "Un nouveau titre"
    resource.save()
    assert "Un nouveau titre" in main_text(client.get(url_of(resource)))
    profile = resource.owner.profile
    profile.display_name = "Aïcha B."
    profile.save()
    assert "Aïcha B." in main_text(client.get(url_of(resource)))


def test_the_kept_page_reads_a_constant_number_of_queries(member, resource):
    client = client_for(member)

    def kept_queries() -> int:
        client.get(url_of(resource))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url_of(resource)).status_code == 200
        return len(queries)

    one = kept_queries()
    for index in range(5):
        author = UserFactory()
        services.comment_add(resource_id=resource.pk, author=author, body=f"Commentaire {index}")
        services.use_record(resource_id=resource.pk, user=author, feedback=f"Retour {index}")
    services.useful_toggle(resource_id=resource.pk, user=member)
    assert kept_queries() == one


def test_an_update_that_sends_no_signal_on_the_resource_shows_on_the_next_request(member, resource):
    client = client_for(member)
    client.get(url_of(resource))
    Resource.objects.filter(pk=resource.pk).update(title="World café", useful_count=7)
    text = main_text(client.get(url_of(resource)))
    assert "World café" in text and "7 membres la trouvent utile" in text
