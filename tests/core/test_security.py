"""Security headers, cookies, CSRF and login rate limits, with the production settings that matter.

The tests apply production's security settings through the `settings` fixture (PRODUCTION_LIKE),
and one test checks that these values are the ones production.py really sets.
"""

import importlib.util
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests.members.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
LOGIN_URL = "/comptes/login/"
TOO_MANY_ATTEMPTS = "Trop de tentatives de connexion échouées"
WRONG_CREDENTIALS = "L’adresse e-mail ou le mot de passe sont incorrects."

PRODUCTION_LIKE = {
    "DEBUG": False,
    "SECURE_SSL_REDIRECT": True,
    "SECURE_REDIRECT_EXEMPT": [r"^sante/$"],
    "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
    "SECURE_HSTS_SECONDS": 31536000,
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
    "SECURE_HSTS_PRELOAD": True,
    "SESSION_COOKIE_SECURE": True,
    "CSRF_COOKIE_SECURE": True,
    "SESSION_COOKIE_NAME": "__Host-sessionid",
    "CSRF_COOKIE_NAME": "__Host-csrftoken",
    "LANGUAGE_COOKIE_SECURE": True,
    "ALLAUTH_TRUSTED_PROXY_COUNT": 1,
}


@pytest.fixture
def production_like(settings):
    for name, value in PRODUCTION_LIKE.items():
        setattr(settings, name, tuple(value) if name == "SECURE_PROXY_SSL_HEADER" else value)
    return settings


def test_production_settings_are_the_ones_these_tests_apply():
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        f"print(json.dumps({{name: getattr(s, name) for name in {sorted(PRODUCTION_LIKE)!r}}}))"
    )
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_"))}
    environment.update(
        DJANGO_SETTINGS_MODULE="codev_network.settings.production",
        DJANGO_SECRET_KEY="k3y-" + "x7Qp9sLm2vBn8RtY4wZc6HjD1fGa5KeU0oIi" * 2,
        DJANGO_ALLOWED_HOSTS="codev.example.org",
        CODEV_SITE_URL="https://codev.example.org",
        DATABASE_URL="postgres://codev@127.0.0.1:5432/codev_network",
        EMAIL_HOST="smtp.example.org",
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == PRODUCTION_LIKE


# --- Headers ------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/", LOGIN_URL, "/page-qui-n-existe-pas/"])
def test_responses_carry_a_strict_content_security_policy(client, production_like, url):
    response = client.get(url, secure=True)
    policy = response["Content-Security-Policy"]
    directives = {}
    for item in policy.split(";"):
        name, _, value = item.strip().partition(" ")
        directives[name] = value
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    assert directives["default-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["base-uri"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["form-action"] == "'self'"
    assert re.fullmatch(r"'self' 'nonce-[\w+/=-]+'", directives["script-src"])


def test_every_inline_script_carries_the_nonce_of_its_response(client, production_like):
    response = client.get(LOGIN_URL, secure=True)
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
    scripts = re.findall(r"<script\b[^>]*>", response.text)
    assert scripts
    assert all(f'nonce="{nonce}"' in tag for tag in scripts), scripts
    assert ' style="' not in response.text
    assert "<style" not in response.text


def test_https_responses_carry_hsts_nosniff_referrer_policy_and_framing_rules(client, production_like):
    response = client.get("/", secure=True)
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_plain_http_is_redirected_to_https_except_the_health_check(client, production_like):
    response = client.get("/membres/annuaire/?q=x")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/membres/annuaire/?q=x"
    assert client.get("/sante/").status_code == 200


def test_the_load_balancer_header_marks_requests_as_https(client, production_like):
    response = client.get("/", headers={"X-Forwarded-Proto": "https"})
    assert response.status_code == 200
    assert "Strict-Transport-Security" in response


# --- Cookies ------------------------------------------------------------------------------------


def assert_host_only_secure_cookie(morsel):
    assert morsel["secure"] is True
    assert morsel["httponly"] is True
    assert morsel["samesite"] == "Lax"
    # The __Host- prefix requires Secure, Path=/ and no Domain: browsers drop the cookie otherwise.
    assert morsel["path"] == "/"
    assert morsel["domain"] == ""


def test_login_sets_secure_http_only_lax_host_prefixed_cookies(client, production_like):
    user = UserFactory(email="securite@example.org")

    page = client.get(LOGIN_URL, secure=True)
    csrf_cookie = page.cookies["__Host-csrftoken"]
    response = client.post(LOGIN_URL, {"login": user.email, "password": DEFAULT_PASSWORD}, secure=True)

    assert response.status_code == 302
    assert "csrftoken" not in page.cookies
    assert "sessionid" not in response.cookies
    assert_host_only_secure_cookie(csrf_cookie)
    assert_host_only_secure_cookie(response.cookies["__Host-sessionid"])
    assert client.session["_auth_user_id"] == str(user.pk)


# --- CSRF ---------------------------------------------------------------------------------------


def test_a_login_without_csrf_token_is_refused_in_french(production_like):
    user = UserFactory(email="csrf@example.org")
    browser = Client(enforce_csrf_checks=True)
    referer = {"Referer": "https://testserver/comptes/login/"}

    refused = browser.post(LOGIN_URL, {"login": user.email, "password": DEFAULT_PASSWORD}, secure=True, headers=referer)
    assert refused.status_code == 403
    assert "La vérification de sécurité a échoué" in refused.text
    assert "_auth_user_id" not in browser.session

    token = browser.get(LOGIN_URL, secure=True).cookies["__Host-csrftoken"].value
    accepted = browser.post(
        LOGIN_URL,
        {"login": user.email, "password": DEFAULT_PASSWORD, "csrfmiddlewaretoken": token},
        secure=True,
        headers=referer,
    )
    assert accepted.status_code == 302
    assert browser.session["_auth_user_id"] == str(user.pk)


def test_a_post_from_another_site_is_refused_even_with_a_token(production_like):
    browser = Client(enforce_csrf_checks=True)
    token = browser.get(LOGIN_URL, secure=True).cookies["__Host-csrftoken"].value
    response = browser.post(
        LOGIN_URL,
        {"login": "x@example.org", "password": "x", "csrfmiddlewaretoken": token},
        secure=True,
        headers={"Origin": "https://attaquant.example"},
    )
    assert response.status_code == 403


def _all_views(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _all_views(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.callback


def test_no_view_is_exempt_from_csrf_protection():
    views = list(_all_views(get_resolver().url_patterns))
    assert len(views) > 20
    exempt = [route for route, view in views if getattr(view, "csrf_exempt", False)]
    assert exempt == []


# --- Login rate limits --------------------------------------------------------------------------


def fail_logins(client, email: str, times: int) -> None:
    for _ in range(times):
        response = client.post(LOGIN_URL, {"login": email, "password": "pas-le-bon-mot-de-passe"})
        assert response.status_code == 200
        assert WRONG_CREDENTIALS in response.text


def test_the_sixth_login_on_an_account_within_five_minutes_is_refused_even_with_the_right_password(client):
    target, other = UserFactory(email="ciblee@example.org"), UserFactory(email="autre@example.org")
    fail_logins(client, target.email, 5)

    blocked = client.post(LOGIN_URL, {"login": target.email, "password": DEFAULT_PASSWORD})

    assert blocked.status_code == 200
    assert TOO_MANY_ATTEMPTS in blocked.text
    assert "_auth_user_id" not in client.session
    # Another account, from the same address, still logs in.
    allowed = client.post(LOGIN_URL, {"login": other.email, "password": DEFAULT_PASSWORD})
    assert allowed.status_code == 302
    assert client.session["_auth_user_id"] == str(other.pk)


def test_four_failures_do_not_block_the_right_password(client):
    user = UserFactory(email="distraite@example.org")
    fail_logins(client, user.email, 4)
    response = client.post(LOGIN_URL, {"login": user.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.parametrize(("trusted_proxies", "other_visitor_blocked"), [(1, False), (0, True)])
def test_limits_per_address_count_each_visitor_behind_the_load_balancer(
    client, settings, trusted_proxies, other_visitor_blocked
):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = trusted_proxies
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed": "3/5m/ip"}
    user = UserFactory(email="derriere-le-proxy@example.org")
    attacker = {"X-Forwarded-For": "203.0.113.7"}
    for number in range(3):
        client.post(LOGIN_URL, {"login": f"inconnu{number}@example.org", "password": "x"}, headers=attacker)
    assert (
        TOO_MANY_ATTEMPTS
        in client.post(LOGIN_URL, {"login": "encore@example.org", "password": "x"}, headers=attacker).text
    )

    visitor = Client(headers={"X-Forwarded-For": "198.51.100.20"})
    response = visitor.post(LOGIN_URL, {"login": user.email, "password": DEFAULT_PASSWORD})

    assert (TOO_MANY_ATTEMPTS in response.text) is other_visitor_blocked
    assert (response.status_code == 302) is not other_visitor_blocked


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="REDIS_URL n'est pas définie : cache Redis non testé.")
def test_with_redis_the_cache_and_the_rate_limits_live_in_redis(client):
    import redis

    assert django_settings.CACHES["default"]["BACKEND"] == "core.cache.ReusedClientRedisCache"
    cache.set("codev-test-redis", "présent", 30)
    assert cache.get("codev-test-redis") == "présent"

    user = UserFactory(email="redis@example.org")
    fail_logins(client, user.email, 5)
    blocked = client.post(LOGIN_URL, {"login": user.email, "password": DEFAULT_PASSWORD})

    assert TOO_MANY_ATTEMPTS in blocked.text
    keys = redis.Redis.from_url(os.environ["REDIS_URL"]).keys("*allauth:rl:allauth.account:login_failed*")
    assert keys


def test_failures_from_one_address_do_not_lock_the_account_out_from_another(client):
    """Issue 12, item 11: throttling by address and account together, never by account alone."""
    victim = UserFactory(email="victime@example.org")
    attacker = Client(REMOTE_ADDR="203.0.113.66")
    for _ in range(10):
        attacker.post(LOGIN_URL, {"login": victim.email, "password": "pas-le-bon-mot-de-passe"})

    # The attacker's address is stopped for that account, even with the right password...
    blocked = attacker.post(LOGIN_URL, {"login": victim.email, "password": DEFAULT_PASSWORD})
    assert TOO_MANY_ATTEMPTS in blocked.text
    assert "_auth_user_id" not in attacker.session
    # ...while the person, from their own address, logs in.
    own_browser = Client(REMOTE_ADDR="198.51.100.23")
    response = own_browser.post(LOGIN_URL, {"login": victim.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    assert own_browser.session["_auth_user_id"] == str(victim.pk)


# --- Permissions-Policy -------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/", LOGIN_URL, "/page-qui-n-existe-pas/", "/admin/", "/sante/"])
def test_every_response_carries_a_strict_permissions_policy(client, url):
    policy = client.get(url)["Permissions-Policy"]
    features = dict(item.strip().split("=", 1) for item in policy.split(","))
    for feature in ["camera", "microphone", "geolocation", "payment", "usb", "browsing-topics"]:
        assert features[feature] == "()", feature
    assert all(value == "()" for value in features.values()), policy


# --- Request size -------------------------------------------------------------------------------

TOO_LARGE = "Envoi trop volumineux"


def assert_too_large_page(response):
    assert response.status_code == 413
    assert TOO_LARGE in response.text and "rien n'a été enregistré" in response.text
    assert '<main id="contenu"' in response.text  # in the site's layout
    assert "Content-Security-Policy" in response


def test_a_body_over_the_site_limit_is_refused_before_it_is_read(client, settings):
    body = b"x" * (settings.REQUEST_MAX_BYTES + 1)
    assert_too_large_page(client.post(LOGIN_URL, body, content_type="application/octet-stream"))


def test_form_fields_over_django_s_memory_limit_get_the_same_page(client, settings):
    big = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    assert big and len(big) < settings.REQUEST_MAX_BYTES
    assert_too_large_page(client.post(LOGIN_URL, {"login": big, "password": "x"}))


def test_too_many_fields_get_the_same_page(client, settings):
    fields = {f"champ{number}": "x" for number in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}
    assert_too_large_page(client.post(LOGIN_URL, fields))


def test_a_photo_of_almost_five_megabytes_is_still_accepted(member_client, member, settings):
    """The global limit stays above the largest file a form takes (PROFILE_PHOTO_MAX_BYTES)."""
    from PIL import Image

    from tests.members.factories import CouncilFactory
    from tests.members.images import upload
    from tests.members.test_profile import URL, opened, valid_data

    buffer = io.BytesIO()
    Image.frombytes("RGB", (1200, 1200), os.urandom(1200 * 1200 * 3)).save(buffer, format="PNG", compress_level=0)
    content = buffer.getvalue()
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE < len(content) <= settings.PROFILE_PHOTO_MAX_BYTES
    response = member_client.post(
        URL, {**opened(member_client), **valid_data(CouncilFactory()), "photo": upload("moi.png", content)}
    )
    assert response.status_code == 302
    assert member.profile.photo.name.endswith(".webp")


# --- Uploaded files -----------------------------------------------------------------------------


def test_uploaded_files_are_never_served_from_media_url_even_in_debug(client, settings, member):
    """Photos go through members:photo, which checks who asks; never straight from MEDIA_URL."""
    from tests.members.factories import ProfileFactory

    photo = settings.MEDIA_ROOT / "photos" / "membre.webp"
    photo.parent.mkdir(parents=True)
    photo.write_bytes(b"RIFF-photo-de-test")
    ProfileFactory(user=member, photo="photos/membre.webp")
    settings.DEBUG = True
    # The URL configuration as a server started with DEBUG on builds it.
    spec = importlib.util.find_spec("codev_network.urls")
    urls_in_debug = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(urls_in_debug)
    settings.ROOT_URLCONF = urls_in_debug

    assert not [p for p in urls_in_debug.urlpatterns if str(p.pattern).startswith("media")]
    assert client.get("/media/photos/membre.webp").status_code == 404
    client.force_login(member)
    assert client.get("/media/photos/membre.webp").status_code == 404
    # The permission-checked view still gives it to whoever may see it.
    assert client.get(f"/membres/{member.pk}/photo/").content == b"RIFF-photo-de-test"
