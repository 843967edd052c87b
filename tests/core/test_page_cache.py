"""Public pages kept whole for visitors who are not logged in (core/page_cache.py)."""

import re

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core import page_cache, table_writes
from tests.html import content_text
from tests.members.factories import UserFactory
from tests.toolbox.factories import make_resource
from toolbox.models import Resource

pytestmark = pytest.mark.django_db

NONCE = re.compile(r'nonce="([^"]+)"')
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(autouse=True)
def _kept(settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 300


@pytest.fixture
def people():
    return UserFactory(), UserFactory(curator=True)


def _without_nonce_and_token(response):
    return TOKEN.sub("", NONCE.sub("", response.content.decode()))


def _visit(client, url):
    """The response, and whether it was the kept page."""
    response = client.get(url)
    return response, getattr(response, "_public_page_served", False)


def test_the_second_visitor_gets_the_kept_page_with_their_own_nonce_and_token(people):
    owner, curator = people
    make_resource(owner, published_by=curator, public=True, title="Débat mouvant")
    url = reverse("toolbox:catalogue")
    first, first_kept = _visit(Client(), url)
    visitor = Client(enforce_csrf_checks=True)
    with CaptureQueriesContext(connection) as queries:
        second, second_kept = _visit(visitor, url)
    assert first.status_code == second.status_code == 200
    assert second_kept and not first_kept
    assert not [query for query in queries.captured_queries if "toolbox_" in query["sql"]]
    assert "Débat mouvant" in content_text(second)
    html = second.content.decode()
    assert "<csrf-token/>" not in html and "csp-nonce" not in html
    nonces = set(NONCE.findall(html))
    assert len(nonces) == 1
    nonce = nonces.pop()
    assert nonce not in first.content.decode()
    assert f"'nonce-{nonce}'" in second["Content-Security-Policy"]
    assert _without_nonce_and_token(first) == _without_nonce_and_token(second)
    # The token in the kept page's forms is this visitor's: the language switch is accepted.
    token = TOKEN.search(html).group(1)
    switched = visitor.post(reverse("set_language"), {"language": "en", "next": url, "csrfmiddlewaretoken": token})
    assert switched.status_code == 302


def test_any_change_in_the_database_shows_on_the_next_visit(people):
    owner, curator = people
    resource = make_resource(owner, published_by=curator, public=True, title="Débat mouvant")
    url = reverse("toolbox:detail", args=[resource.pk])
    assert "Débat mouvant" in content_text(Client().get(url))
    assert "Débat mouvant" in content_text(Client().get(url))
    # Even an UPDATE that no model signal announces.
    Resource.objects.filter(pk=resource.pk).update(title="World café")
    page = content_text(Client().get(url))
    assert "World café" in page and "Débat mouvant" not in page


def test_a_write_that_no_public_page_shows_keeps_the_pages(people):
    url = reverse("toolbox:catalogue")
    Client().get(url)
    session = SessionStore()
    session["visited"] = True
    session.save()  # a session written
    assert _visit(Client(), url)[1]


def test_each_language_has_its_own_page():
    url = reverse("referentiel:home")
    french = Client().get(url)
    english = Client(headers={"accept-language": "en"})
    english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert english.get(url)["Content-Language"] == "en"
    assert Client().get(url)["Content-Language"] == french["Content-Language"] == "fr"


def test_logged_in_people_never_get_nor_leave_a_kept_page(people, client):
    member = people[0]
    url = reverse("toolbox:catalogue")
    client.force_login(member)
    logged_in = content_text(client.get(url))
    assert "Mon espace" in logged_in
    visitor, kept = _visit(Client(), url)
    assert "Mon espace" not in content_text(visitor) and not kept  # nothing was kept by the member's visit
    again = content_text(client.get(url))
    assert "Mon espace" in again


def test_visitors_with_a_session_a_message_or_htmx_get_a_fresh_page():
    url = reverse("toolbox:catalogue")
    Client().get(url)
    with_session = Client()
    with_session.cookies[settings.SESSION_COOKIE_NAME] = "abc"
    assert _visit(Client(), url)[1]
    assert not _visit(with_session, url)[1]
    with_message = Client()
    with_message.cookies["messages"] = "x"
    assert not _visit(with_message, url)[1]
    assert not _visit(Client(headers={"hx-request": "true"}), url)[1]


def test_pages_not_listed_are_never_kept(monkeypatch):
    kept = []
    monkeypatch.setattr(page_cache.generations, "store", lambda *args, **kwargs: kept.append(args))
    Client().get(reverse("account_login"))  # the login page keeps its own state in the session
    assert kept == []
    Client().get(reverse("referentiel:home"))
    assert len(kept) == 1


def test_an_error_page_of_a_listed_view_carries_a_real_token():
    response = Client().get(reverse("toolbox:detail", args=[999999]))
    assert response.status_code == 404
    html = response.content.decode()
    assert "<csrf-token/>" not in html and "csp-nonce" not in html
    assert not _visit(Client(), reverse("toolbox:detail", args=[999999]))[1]


def test_turned_off_nothing_is_kept(settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    url = reverse("referentiel:home")
    _visit(Client(), url)
    assert not _visit(Client(), url)[1]


def test_the_write_watcher_never_takes_the_last_place_of_a_wrapper_block():
    """A pooled connection opened inside `with connection.execute_wrapper(w)` leaves w last, for the block to pop it."""

    class Connection:
        def __init__(self):
            self.execute_wrappers = []

    def block_wrapper(execute, sql, params, many, context):
        return execute(sql, params, many, context)

    opened = Connection()
    opened.execute_wrappers.append(block_wrapper)
    table_writes._on_connection(None, opened)
    table_writes._on_connection(None, opened)
    assert opened.execute_wrappers == [table_writes._wrapper, block_wrapper]
