"""Every error page, reached through HTTP as a visitor would, is in the site's layout and in the visitor's language.

How each is served: 404 and 403 by Django's handlers (templates/404.html, 403.html), the CSRF failure by
CSRF_FAILURE_VIEW, 413 by core.middleware.RequestSizeLimitMiddleware, 429 by allauth's rate limits (its
handler renders templates/429.html) and by the preview limit (the form page again, status 429), 500 by
Django's handler without a context (templates/500.html reads only the active language).
"""

import pytest
from django.conf import settings
from django.urls import reverse

from tests.core.test_pages import error_urls
from tests.html import main_text, select_one, text_of
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def in_layout(response, *, language: str) -> str:
    """The page's <main> text, after checking the site's layout around it and the page's language."""
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert select_one(response, "header.site-header nav.main-nav") is not None
    assert select_one(response, "footer") is not None
    return main_text(response)


def test_the_404_page_speaks_the_visitors_language(client):
    french = client.get("/cette-page-n-existe-pas/")
    assert french.status_code == 404
    assert "Page introuvable" in in_layout(french, language="fr")

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/cette-page-n-existe-pas/")
    assert response.status_code == 404
    assert "Page not found" in in_layout(response, language="en")
    assert "Log in" in text_of(select_one(response, "header"))


@error_urls
def test_the_403_page_speaks_the_visitors_language(english):
    response = english.get("/test/interdit/")
    assert response.status_code == 403
    assert "Access denied" in in_layout(response, language="en")


def test_the_413_page_of_the_size_limit_speaks_the_visitors_language(english, settings):
    settings.REQUEST_MAX_BYTES = 1024
    response = english.post(reverse("account_login"), {"login": "x" * 2000, "password": "y"})
    assert response.status_code == 413
    assert "Upload too large" in in_layout(response, language="en")


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_429_of_the_login_rate_limit_is_the_sites_page(client, settings, language):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login": "1/m/ip"}
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    user = UserFactory()
    data = {"login": user.email, "password": "pas-le-bon-mot-de-passe"}

    assert client.post(reverse("account_login"), data).status_code == 200  # refused, form again
    response = client.post(reverse("account_login"), data)

    assert response.status_code == 429
    shown = in_layout(response, language=language)
    assert ("Trop de demandes" if language == "fr" else "Too many requests") in shown


@error_urls
def test_the_500_page_follows_the_language_without_a_context(client, english):
    client.raise_request_exception = False
    response = english.get("/test/panne/")
    assert response.status_code == 500
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "{%" not in html and "<script" not in html

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    response = client.get("/test/panne/")
    assert '<html lang="fr">' in response.content.decode()
    assert "Une erreur est survenue" in response.content.decode()
