"""The entraide's search (a GET without a form) cuts what it is sent before any work: a 1 MB query, tag or space
answers quickly, with the query cut to the full-text limit, and the page does not send the megabyte back in its
links. (The forms of the entraide are posted 1 MB each by tests/core/test_input_limits.py.)"""

import time

import pytest
from django.urls import reverse

from core.fulltext import MAX_QUERY_LENGTH
from tests.exchange.factories import QuestionFactory
from tests.members.factories import ProfileFactory, UserFactory

pytestmark = pytest.mark.django_db

ONE_MB = "x" * (1024 * 1024)


@pytest.mark.parametrize("name", ["q", "etiquette", "espace"])
def test_1_mb_in_a_search_parameter_is_cut_before_any_work(client, name):
    user = UserFactory()
    ProfileFactory(user=user)
    QuestionFactory(author=user)
    client.force_login(user)
    started = time.perf_counter()
    response = client.get(reverse("exchange:search"), {"q": "autosaisine", name: ONE_MB})
    assert time.perf_counter() - started < 5
    assert response.status_code == 200
    assert len(response.context["query"]) <= MAX_QUERY_LENGTH
    assert len(response.context["filters"]) < 1000
    # The page may repeat its own address once (the language switch), never the megabyte in each of its links.
    assert len(response.content) < 2 * len(ONE_MB)
