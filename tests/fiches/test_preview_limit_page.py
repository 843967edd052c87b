"""The preview limit's 429 is the form page again, in the site's layout and in the member's language."""

import pytest
from django.urls import reverse

from tests.html import select_one

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_429_of_the_preview_limit_is_a_page_of_the_site(member_client, fiche, section, language, settings):
    settings.PREVIEWS_PER_MINUTE = 0
    member_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    url = reverse("fiches:suggestion_create", args=[fiche.slug, section.pk])

    response = member_client.post(url, {"body": "Texte nouveau", "rationale": "Raison", "preview": "1"})

    assert response.status_code == 429
    assert f'<html lang="{language}">' in response.content.decode()
    assert select_one(response, "header.site-header nav.main-nav") is not None
    assert select_one(response, "main form") is not None
