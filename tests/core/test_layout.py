import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_every_page_carries_a_strict_csp_whose_nonce_is_on_the_inline_scripts(client):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    for directive in ("object-src 'none'", "base-uri 'self'", "frame-ancestors 'none'", "style-src 'self'"):
        assert directive in csp
    nonce = re.search(r"'nonce-([^']+)'", csp).group(1)
    html = response.content.decode()
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert scripts, "the layout loads htmx and Bootstrap"
    assert all(f'nonce="{nonce}"' in tag for tag in scripts)
    assert "style=" not in html  # inline styles would be blocked by the CSP
    assert client.get("/")["Content-Security-Policy"] != csp  # a fresh nonce per response


def test_layout_has_skip_link_landmarks_language_switcher_and_legal_links(client):
    html = client.get("/").content.decode()
    assert '<html lang="fr">' in html
    assert 'href="#contenu"' in html and 'id="contenu"' in html
    assert "<header" in html and "<main" in html and "<footer" in html
    assert html.count("<h1") == 1
    for name in ("legal_notice", "privacy", "accessibility"):
        assert f'href="{reverse(name)}"' in html
    assert 'name="language" value="en"' in html
    assert "/static/vendor/bootstrap/css/bootstrap.min.css" in html
    assert "htmx" in html and "cdn" not in html.lower()


def test_security_headers(client):
    response = client.get("/")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_the_interface_is_french_even_when_the_browser_prefers_english(client):
    html = client.get("/", headers={"Accept-Language": "en-US,en;q=0.9"}).content.decode()
    assert '<html lang="fr">' in html
    assert "Se connecter" in html


def test_choosing_english_switches_the_interface(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"}, follow=True)
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Log in" in html and "Se connecter" not in html
    assert "Legal notice" in html
    signup = client.get(reverse("account_signup")).content.decode()
    assert "Sign Up" in signup or "Sign up" in signup


def test_health_endpoint_checks_the_database(client):
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_health_endpoint_reports_a_database_failure(client, monkeypatch):
    from django.db import connection

    def broken_cursor(*args, **kwargs):
        raise OSError("base injoignable")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get(reverse("health"))
    assert response.status_code == 503


def test_static_assets_are_served_by_the_project():
    from django.contrib.staticfiles import finders

    for asset in (
        "vendor/bootstrap/css/bootstrap.min.css",
        "vendor/bootstrap/js/bootstrap.bundle.min.js",
        "django_htmx/htmx-2.min.js",
        "css/site.css",
        "img/logo.svg",
        "img/favicon.svg",
    ):
        assert finders.find(asset), asset
