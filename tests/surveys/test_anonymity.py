"""Anonymity: after members send anonymous answers through the pages, nothing in the database links a response
to a person.

The test reads EVERY table of the database (all models of all apps, and any table without a model: the
cache, the task results…), decoding the session and cache values, and looks for each response's key and
for each member's own answer texts outside the response table. It also checks the response rows themselves
(no respondent, no time), the participations (draft empty, no pointer to a response), the audit entries of
sending (no response, no author) and the log lines written meanwhile. A self-check plants a link and
proves the inspection finds it, so that the test can fail.
"""

import base64
import contextlib
import json
import logging
import pickle
import re
import uuid
from datetime import date, datetime

import pytest
from django.apps import apps
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.serializers import JSONSerializer
from django.core import signing
from django.db import connection, models
from django.test import Client
from django.urls import reverse

from core.models import AuditEntry
from surveys.enums import ParticipationStatus
from surveys.models import Participation, Response
from tests.members.factories import ProfileFactory
from tests.surveys.factories import make_campaign

pytestmark = pytest.mark.django_db

MEMBERS = 4
SESSION_SALT = "django.contrib.sessions.SessionStore"


def _decoded(value) -> list[str]:
    """The texts a stored value holds, decoding what Django stores encoded (sessions, the database cache)."""
    if value is None:
        return []
    if isinstance(value, memoryview):
        value = value.tobytes()
    if isinstance(value, (dict, list)):  # a JSON column read by psycopg
        return list(_leaves(value))
    texts = [value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)]
    raw = texts[0]
    # A JSON column stored as text (SQLite escapes non-ASCII letters: "R\u00e9ponse").
    if raw[:1] in ("{", "[", '"'):
        with contextlib.suppress(ValueError):
            texts.extend(_leaves(json.loads(raw)))
    # A session: signed, compressed JSON (read without the warnings SessionStore.decode writes).
    with contextlib.suppress(signing.BadSignature, ValueError):
        texts.append(repr(signing.loads(raw, salt=SESSION_SALT, serializer=JSONSerializer)))
    # The database cache: base64 of a pickle.
    if re.fullmatch(r"[A-Za-z0-9+/=\s]{8,}", raw):
        with contextlib.suppress(Exception):
            texts.append(repr(pickle.loads(base64.b64decode(raw))))  # noqa: S301 — our own test database
    return texts


def _leaves(value):
    """Every key and string of a JSON value, as they were typed."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from _leaves(item)
    elif isinstance(value, list):
        for item in value:
            yield from _leaves(item)
    else:
        yield str(value)


def database_texts(*, skip_tables=()) -> dict[str, list[str]]:
    """{table: [each row as text]} for every table of the database (models or not)."""
    found = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            if table in skip_tables:
                continue
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 — table names only
            rows = []
            for row in cursor.fetchall():
                texts = []
                for value in row:
                    texts.extend(_decoded(value))
                rows.append(" | ".join(texts))
            found[table] = rows
    return found


def links(secrets: dict[str, set[str]]) -> list[str]:
    """Where, outside the response table, any secret of a response (its key, its answer texts) is stored.

    `secrets`: {label: {texts}}. Returns "table: label" for each place found.
    """
    places = []
    for table, rows in database_texts(skip_tables={Response._meta.db_table}).items():
        for row in rows:
            for label, texts in secrets.items():
                if any(text and text in row for text in texts):
                    places.append(f"{table}: {label}")
    return sorted(set(places))


def _send(client, campaign, member_index: int) -> str:
    """Answer every page as member n, with answer texts only this member writes; return their long text."""
    long_text = f"Réponse libre numéro {member_index} : {uuid.uuid4().hex}"
    pages = [
        {"q-ia": "oui", "q-ia-usages": ["synthese"], "q-temps-animer": "60", "q-temps-accompagner": "40"},
        {
            "q-satisfaction": str(1 + member_index % 5),
            "q-seances": str(10 + member_index),
            "q-outil": f"Outil secret {member_index}-{uuid.uuid4().hex[:8]}",
            "q-remarques": long_text,
        },
    ]
    url = reverse("surveys:answer_section", kwargs={"pk": campaign.pk, "number": 1})
    assert client.post(url, {**pages[0], "action": "save"}).status_code == 302  # a draft first
    assert client.post(url, {**pages[0], "action": "next"}).status_code == 302
    url = reverse("surveys:answer_section", kwargs={"pk": campaign.pk, "number": 2})
    assert client.post(url, {**pages[1], "action": "review"}).status_code == 302
    review = reverse("surveys:answer_review", kwargs={"pk": campaign.pk})
    assert client.get(review).status_code == 200
    response = client.post(review)
    assert response.status_code == 302
    client.get(response["Location"])  # the message of thanks is read (and leaves the session)
    client.post(review)  # a second click
    return long_text


@pytest.fixture
def sent(caplog):
    """Members who sent anonymous answers through the pages, their long texts, and the logs written meanwhile."""
    campaign = make_campaign()
    caplog.set_level(logging.INFO)
    members = []
    for index in range(MEMBERS):
        user = ProfileFactory().user
        member_client = Client()  # each member keeps their session open: the sessions are inspected too
        member_client.force_login(user)
        members.append((user, _send(member_client, campaign, index)))
    return campaign, members, caplog.records


def _secrets() -> dict[str, set[str]]:
    secrets = {}
    for response in Response.objects.all():
        texts = {str(response.pk), response.pk.hex}
        for code in ("outil", "remarques"):
            texts.add(response.answers[code])
        secrets[f"réponse {response.pk}"] = texts
    return secrets


def test_nothing_links_an_anonymous_response_to_its_author(sent):
    campaign, members, records = sent
    responses = list(Response.objects.filter(campaign=campaign))
    assert len(responses) == MEMBERS
    # The response rows: no respondent, no time, nothing of a date or an account.
    user_fields = [
        field.name
        for field in Response._meta.concrete_fields
        if isinstance(field, models.ForeignKey) and field.related_model is apps.get_model("members", "User")
    ]
    assert user_fields == ["respondent"]
    for response in responses:
        assert isinstance(response.pk, uuid.UUID) and response.pk.version == 4
        assert response.respondent_id is None
        for field in Response._meta.concrete_fields:
            value = getattr(response, field.attname)
            assert not isinstance(value, (datetime, date)), field.name
    # The participations: "has answered", no draft, nothing pointing to a response.
    assert not [
        field
        for field in Participation._meta.get_fields()
        if getattr(field, "related_model", None) is Response or isinstance(field, models.UUIDField)
    ]
    for user, _text in members:
        participation = Participation.objects.get(campaign=campaign, user=user)
        assert participation.status == ParticipationStatus.SUBMITTED
        assert participation.draft == {}
    # The audit entries of sending: the campaign, no author, no response.
    entries = AuditEntry.objects.filter(action__startswith="surveys.answers")
    assert entries.count() == MEMBERS
    for entry in entries:
        assert entry.actor_id is None
        assert entry.target_type == "surveys.campaign" and entry.target_id == str(campaign.pk)
    # Every table of the database: no response's key nor its own texts anywhere but in the response table.
    assert links(_secrets()) == []
    # And no log line written while answering names a response or its texts.
    secrets = set().union(*_secrets().values())
    for record in records:
        line = record.getMessage()
        assert not any(secret in line for secret in secrets), line


def test_the_inspection_finds_a_planted_link(sent):
    """The inspection can fail: a link planted in a participation, the audit log or a session is found."""
    campaign, members, _records = sent
    response = Response.objects.filter(campaign=campaign).first()
    user, _text = members[0]
    Participation.objects.filter(campaign=campaign, user=user).update(draft={"response": str(response.pk)})
    assert links(_secrets()) == [f"surveys_participation: réponse {response.pk}"]
    Participation.objects.filter(campaign=campaign, user=user).update(draft={})
    AuditEntry.objects.create(action="surveys.answers.sent", actor=user, data={"texte": response.answers["remarques"]})
    assert links(_secrets()) == [f"{AuditEntry._meta.db_table}: réponse {response.pk}"]
    AuditEntry.objects.filter(actor=user).delete()
    session = SessionStore()
    session["dernier-envoi"] = response.pk.hex
    session.create()
    found = links(_secrets())
    assert found == [f"{SessionStore.get_model_class()._meta.db_table}: réponse {response.pk}"]


def test_the_inspection_reads_every_table():
    """Every model's table is read (tables of all apps, and tables without a model)."""
    tables = set(database_texts())
    for model in apps.get_models(include_auto_created=True):
        if model._meta.managed and not model._meta.proxy:
            assert model._meta.db_table in tables, model._meta.label
