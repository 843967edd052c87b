"""Snapshots of the key pages: the <main> each shows and the SQL queries each runs (syrupy).

The data is the demo seed (fixed names and texts), with the clock stopped at FROZEN_NOW so that
dates, months and seniorities do not move. What still changes from one run to the next is masked:
CSRF tokens, nonces, primary keys (in URLs, element ids and option values) and version tokens.

The queries are snapshotted on PostgreSQL only: the SQL text of the two engines differs (casts,
functions), and PostgreSQL is the production database on which CI runs the whole suite. The <main>
of each page is the same on both engines.

After a deliberate change, update and read the diff of tests/__snapshots__/test_snapshots.ambr:
    .venv/bin/python -m pytest tests/test_snapshots.py --snapshot-update
    DATABASE_URL=postgres://… .venv/bin/python -m pytest tests/test_snapshots.py --snapshot-update
"""

import re
from datetime import UTC, datetime
from io import StringIO
from xml.etree.ElementTree import Element

import pytest
import sqlparse
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fiches.models import COMMON_FICHE_SLUG
from members.models import User
from tests.html import select_one

FROZEN_NOW = datetime(2026, 6, 15, 8, 30, tzinfo=UTC)
TECHNICIAN = "technicienne@demo.codev-reseau.fr"
CURATOR = "equipe@demo.codev-reseau.fr"
PEER = "adrien.bouvarel@demo.codev-reseau.fr"

# name: (who is logged in, how to build the URL from the demo's objects)
PAGES = {
    "home": (None, lambda demo: reverse("home")),
    "referentiel": (None, lambda demo: reverse("referentiel:home")),
    "competence": (None, lambda demo: reverse("referentiel:competence", args=["v1.0", "C-ANI-01"])),
    "fiche": (None, lambda demo: reverse("fiches:detail", args=[COMMON_FICHE_SLUG])),
    "directory": (TECHNICIAN, lambda demo: reverse("members:directory")),
    "profile": (TECHNICIAN, lambda demo: reverse("members:detail", args=[demo["peer"]])),
    "dashboard": (CURATOR, lambda demo: reverse("dashboard:network")),
}

VOID_TAGS = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"})
URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "hx-get", "hx-post", "hx-delete", "hx-put"})
ID_ATTRIBUTES = frozenset(
    {"id", "for", "name", "headers", "list", "aria-labelledby", "aria-describedby", "aria-controls", "hx-target"}
)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo seed, made once for the module at FROZEN_NOW, rolled back after its last test."""
    with pytest.MonkeyPatch.context() as patch, django_db_blocker.unblock():
        # Django reads the time through timezone.now (auto_now fields, localdate, sessions): stopping it
        # there stops it for the seed and for every page below.
        patch.setattr(timezone, "now", lambda: FROZEN_NOW)
        with transaction.atomic():
            call_command("seed_demo", stdout=StringIO())
            yield {"peer": User.objects.get(email=PEER).pk}
            transaction.set_rollback(True)


def page(demo, name) -> tuple[Client, str]:
    who, url = PAGES[name]
    client = Client()
    if who:
        client.force_login(User.objects.get(email=who))
    return client, url(demo)


@pytest.mark.django_db
@pytest.mark.parametrize("name", PAGES)
def test_main_of_page(demo, name, snapshot):
    client, url = page(demo, name)
    response = client.get(url)
    assert response.status_code == 200
    assert main_outline(response) == snapshot


@pytest.mark.django_db
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="Requêtes SQL photographiées sur PostgreSQL seulement (leur texte diffère)",
)
@pytest.mark.parametrize("name", PAGES)
def test_queries_of_page(demo, name, snapshot):
    client, url = page(demo, name)
    with connection.execute_wrapper(recorder := QueryRecorder()):
        response = client.get(url)
    assert response.status_code == 200
    assert recorder.normalised() == snapshot


# The <main>, one element or text per line --------------------------------------------------------


def main_outline(response) -> str:
    """The page's <main> as indented lines, what changes between runs masked."""
    lines: list[str] = []
    _outline(select_one(response, "main"), 0, lines)
    return "\n".join(lines)


def _outline(element: Element, depth: int, lines: list[str]) -> None:
    indent = "  " * depth
    if isinstance(element.tag, str):  # not a comment
        attributes = "".join(f' {name}="{_masked(element, name, value)}"' for name, value in element.attrib.items())
        lines.append(f"{indent}<{element.tag}{attributes}>")
        _text(element.text, depth + 1, lines)
        for child in element:
            _outline(child, depth + 1, lines)
        if element.tag not in VOID_TAGS:
            lines.append(f"{indent}</{element.tag}>")
    _text(element.tail, depth, lines)


def _text(text: str | None, depth: int, lines: list[str]) -> None:
    text = " ".join((text or "").split())
    if text:
        lines.append("  " * depth + text)


def _masked(element: Element, name: str, value: str) -> str:
    if name == "nonce":
        return "[nonce]"
    if name == "value" and element.get("name") == "csrfmiddlewaretoken":
        return "[csrf]"
    value = re.sub(r'("X-CSRFToken"\s*:\s*")[^"]*', r"\1[csrf]", value)
    # A hidden "next" field holds an address, masked like a link.
    next_field = name == "value" and element.get("name") == "next" and value.startswith("/")
    if name in URL_ATTRIBUTES or next_field:
        value = re.sub(r"(?<=/)\d+(?=/|$|\?|#)", "[pk]", value)  # /membres/31/
        value = re.sub(r"([?&]v=)[^&#]+", r"\1[version]", value)
        value = re.sub(r"([?&][\w-]+=)\d+\b", r"\1[pk]", value)
        value = re.sub(r"(#[a-z_-]+-)\d+$", r"\1[pk]", value)  # #commentaire-12
    if name in ID_ATTRIBUTES:
        value = re.sub(r"(?<=[a-z]-)\d+\b", "[pk]", value)  # entree-31, not C-ANI-01
    if name == "value" and value.isdigit() and (element.tag == "option" or element.get("type") == "hidden"):
        return "[pk]"
    return value


# The SQL queries ------------------------------------------------------------------------------------


class QueryRecorder:
    """A database execute wrapper that keeps the SQL text of each query, its values left apart."""

    def __init__(self):
        self.queries: list[str] = []

    def __call__(self, execute, sql, params, many, context):
        self.queries.append(sql)
        return execute(sql, params, many, context)

    def normalised(self) -> dict:
        # The cache's own table is not the page's data (and Redis, when configured, runs no SQL).
        queries = [_normalised_sql(sql) for sql in self.queries if "codev_network_cache" not in sql]
        return {"count": len(queries), "queries": queries}


def _normalised_sql(sql: str) -> str:
    sql = re.sub(r'(SAVEPOINT\s+)"?\w+"?', r"\1[savepoint]", sql)
    sql = re.sub(r"'(?:[^']|'')*'", "%s", sql)  # literal strings
    sql = re.sub(r"(?<![\w.\"])\d+(?:\.\d+)?\b", "%s", sql)  # literal numbers, not U0 or T2
    sql = re.sub(r"\(%s(?:, %s)*\)", "(%s, …)", sql)  # IN lists, whose length follows the data
    return sqlparse.format(sql, reindent=True, keyword_case="upper")


def test_what_changes_between_runs_is_masked_and_nothing_else():
    def masked(tag, **attributes):
        element = Element(tag, attributes)
        return {name: _masked(element, name, value) for name, value in attributes.items()}

    assert masked("a", href="/membres/31/?page=2#commentaire-7") == {
        "href": "/membres/[pk]/?page=[pk]#commentaire-[pk]"
    }
    assert masked("a", href="/referentiel/v1.0/competences/C-ANI-01/") == {
        "href": "/referentiel/v1.0/competences/C-ANI-01/"
    }
    assert masked("li", id="entree-31") == {"id": "entree-[pk]"}
    assert masked("li", id="competence-C-ANI-01") == {"id": "competence-C-ANI-01"}
    assert masked("input", type="hidden", name="csrfmiddlewaretoken", value="a1b2") == {
        "type": "hidden",
        "name": "csrfmiddlewaretoken",
        "value": "[csrf]",
    }
    assert masked("option", value="17") == {"value": "[pk]"}
    assert masked("option", value="C-ANI-01") == {"value": "C-ANI-01"}
    assert masked("script", nonce="xyz") == {"nonce": "[nonce]"}
    assert (
        _normalised_sql('SELECT "t"."id" FROM "t" U0 WHERE "t"."id" IN (%s, %s) AND "t"."code" = \'M1\' LIMIT 21')
        == 'SELECT "t"."id"\nFROM "t" U0\nWHERE "t"."id" IN (%s, …)\n  AND "t"."code" = %s\nLIMIT %s'
    )
    assert _normalised_sql('SAVEPOINT "s1234_x5"') == "SAVEPOINT [savepoint]"
