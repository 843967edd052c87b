"""The suggestion preview does bounded work for bounded input (issue 12, item 3).

It once word-diffed the raw POST body, whatever its length: 1 MB held a worker for 76 s. Now the
text goes through the form's checks first (a refused text is never compared), and each member gets
`PREVIEWS_PER_MINUTE` previews a minute, after which the answer is a 429 with a French message.
"""

import json
import re
import time

import pytest
from django.urls import reverse

from core import limits
from fiches.models import Suggestion
from fiches.services import MAX_BODY_LENGTH
from tests.html import page_text, select, select_one
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
LIMIT_MESSAGE = "Trop d'aperçus demandés en une minute"


@pytest.fixture
def preview_url(fiche, section):
    return reverse("fiches:suggestion_preview", args=[fiche.slug, section.pk])


@pytest.fixture
def create_url(fiche, section):
    return reverse("fiches:suggestion_create", args=[fiche.slug, section.pk])


def test_a_text_over_the_limit_is_refused_by_the_htmx_preview_without_a_diff(member_client, preview_url):
    response = member_client.post(preview_url, {"body": "mot " * (MAX_BODY_LENGTH // 4 + 1)}, headers=HTMX)
    text = page_text(response)
    assert response.status_code == 200
    assert (
        "Pas d'aperçu : Assurez-vous que cette valeur comporte au plus 20000 caractères (actuellement 20004)." in text
    )
    assert not select(response, "ins, del")


def test_a_text_at_the_limit_is_previewed(member_client, preview_url):
    body = ("animer " * MAX_BODY_LENGTH)[:MAX_BODY_LENGTH]
    response = member_client.post(preview_url, {"body": body}, headers=HTMX)
    assert response.status_code == 200
    assert select(response, "ins")


def test_the_preview_button_refuses_a_text_over_the_limit_and_keeps_it(member_client, create_url):
    body = "mot " * (MAX_BODY_LENGTH // 4 + 1)
    response = member_client.post(create_url, {"body": body, "rationale": "Plus précis.", "preview": "1"})
    text = page_text(response)
    assert response.status_code == 200
    assert "Pas d'aperçu : Assurez-vous que cette valeur comporte au plus 20000 caractères" in text
    assert not select(response, "ins")
    assert body.strip() in text  # what the member typed is still in the form
    assert not Suggestion.objects.exists()


def test_previews_are_limited_per_member_and_per_minute(member_client, preview_url, monkeypatch, client):
    now = [time.time()]  # the clock stops: every preview below falls in the same minute
    monkeypatch.setattr(limits.time, "time", lambda: now[0])
    for _ in range(limits.PREVIEWS_PER_MINUTE):
        response = member_client.post(preview_url, {"body": "Texte nouveau"}, headers=HTMX)
        assert response.status_code == 200
        assert select(response, "ins")

    refused = member_client.post(preview_url, {"body": "Texte nouveau"}, headers=HTMX)
    text = page_text(refused)
    assert refused.status_code == 429
    assert f"Pas d'aperçu : {LIMIT_MESSAGE} : patientez un instant avant de recommencer." in text
    assert not select(refused, "ins, del")

    # Another member has previews of their own.
    client.force_login(UserFactory())
    assert client.post(preview_url, {"body": "Texte nouveau"}, headers=HTMX).status_code == 200

    # The next minute, previews are back.
    now[0] += 60
    assert member_client.post(preview_url, {"body": "Texte nouveau"}, headers=HTMX).status_code == 200


def test_the_preview_button_counts_too_and_keeps_the_form(member_client, create_url, settings):
    settings.PREVIEWS_PER_MINUTE = 2
    data = {"body": "Texte nouveau, gardé.", "rationale": "Ma raison, gardée.", "preview": "1"}
    for _ in range(2):
        assert member_client.post(create_url, data).status_code == 200
    response = member_client.post(create_url, data)
    text = page_text(response)
    assert response.status_code == 429
    assert LIMIT_MESSAGE in text
    assert "Texte nouveau, gardé." in text and "Ma raison, gardée." in text
    # Sending the suggestion itself is not a preview: it goes through.
    del data["preview"]
    assert member_client.post(create_url, data).status_code == 302
    assert Suggestion.objects.get().body == "Texte nouveau, gardé."


def test_htmx_swaps_the_429_message_into_the_preview(member_client, create_url):
    """htmx leaves 4xx answers unswapped by default: the layout's config makes an exception for 429."""
    config = select_one(member_client.get(create_url), 'meta[name="htmx-config"]').get("content")
    rules = json.loads(config)["responseHandling"]
    first_match = next(rule for rule in rules if re.fullmatch(rule["code"], "429"))
    assert first_match["swap"] is True and first_match["error"] is False
    assert next(rule for rule in rules if re.fullmatch(rule["code"], "500"))["swap"] is False
