"""The Atom feed of new works."""

import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from showcase import works
from tests.showcase.factories import ThemeFactory
from tests.showcase.works_helpers import published_work

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def test_feed_lists_published_works_with_their_themes(client):
    theme = ThemeFactory(name="Budget", slug="budget")
    work = published_work(themes=[theme], title="Avis sur le budget participatif")
    draft = published_work(title="Avis encore en brouillon")
    works.work_unpublish(user=draft.created_by, work_id=draft.pk)
    response = client.get(reverse("showcase:works_feed"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)  # noqa: S314  (our own feed)
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == 1
    entry = entries[0]
    assert "Avis sur le budget participatif" in entry.find(f"{ATOM}title").text
    assert entry.find(f"{ATOM}link").get("href").endswith(work.get_absolute_url())
    assert entry.find(f"{ATOM}author/{ATOM}name").text == work.page.council.name
    assert [category.get("term") for category in entry.findall(f"{ATOM}category")] == ["Budget"]
    assert entry.find(f"{ATOM}summary").text.startswith("Le conseil recommande")


def test_feed_query_count_is_constant(client, django_assert_max_num_queries):
    published_work()
    with django_assert_max_num_queries(10) as few:
        client.get(reverse("showcase:works_feed"))
    for index in range(5):
        published_work(title=f"Avis {index}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("showcase:works_feed"))
