"""Two-factor authentication: required of the CNCD team and administrators, open to every member."""

import re

import pytest
from allauth.mfa.adapter import get_adapter
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils.http import urlencode

from core.models import AuditEntry
from members import demo
from members.models import User
from tests.conftest import force_login_password_only
from tests.members.factories import (
    DEFAULT_PASSWORD,
    UserFactory,
    recovery_codes,
    totp_code,
    totp_code_for_secret,
    totp_secret,
)

pytestmark = pytest.mark.django_db

LOGIN = reverse("account_login")
AUTHENTICATE = reverse("mfa_authenticate")
SETUP = reverse("mfa_index")
ACTIVATE = reverse("mfa_activate_totp")
REAUTHENTICATE = reverse("account_reauthenticate")
RECOVERY_CODES = reverse("mfa_view_recovery_codes")
TEAM_PAGES = [reverse("dashboard:network"), reverse("members:pending_accounts"), reverse("dashboard:key_figures"), "/"]
REQUIRED = "La double authentification est obligatoire pour votre compte."
WRONG_CODE = "Code incorrect."


def log_in_with_password(client, user, **extra):
    return client.post(LOGIN, {"login": user.email, "password": DEFAULT_PASSWORD}, **extra)


def log_in(client, user, code):
    """Password, then the second factor; returns the last response, redirects followed."""
    first = log_in_with_password(client, user)
    assert first.status_code == 302 and first["Location"] == AUTHENTICATE
    return client.post(AUTHENTICATE, {"code": code}, follow=True)


def logged_in_user_id(client):
    return client.session.get("_auth_user_id")


def a_wrong_code(user):
    accepted = {totp_code(user, step=step) for step in (-1, 0, 1)}
    return next(code for code in (f"{n:06d}" for n in range(1000)) if code not in accepted)


# --- Enforcement ------------------------------------------------------------------------------------


@pytest.mark.parametrize("trait", ["curator", "admin"])
def test_staff_without_an_authenticator_app_are_sent_to_set_one_up_from_every_page(client, trait):
    user = UserFactory(totp=False, **{trait: True})
    client.force_login(user)
    pages = [*TEAM_PAGES, "/admin/", "/admin/members/user/", reverse("members:directory")]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == SETUP, url


def test_the_pages_needed_to_set_it_up_stay_open(client):
    client.force_login(UserFactory(curator=True, totp=False))
    for url in [SETUP, reverse("account_email"), REAUTHENTICATE, "/sante/"]:
        assert client.get(url).status_code == 200, url
    for url in [reverse("legal_notice"), reverse("privacy"), reverse("accessibility")]:
        assert client.get(url).status_code == 200, url
    assert client.get(ACTIVATE)["Location"] == f"{REAUTHENTICATE}?next=%2Fcomptes%2F2fa%2Ftotp%2Factivate%2F"
    # The language switch and logging out work too.
    assert client.post(reverse("set_language"), {"language": "en", "next": "/sante/"})["Location"] == "/sante/"
    client.post(reverse("account_logout"))
    assert logged_in_user_id(client) is None


def test_htmx_requests_are_redirected_with_a_full_page_load(client):
    client.force_login(UserFactory(curator=True, totp=False))
    response = client.get(reverse("members:pending_accounts"), headers={"HX-Request": "true"})
    assert response.status_code == 302
    assert response["HX-Redirect"] == SETUP


def test_a_curator_logs_in_activates_the_app_sees_recovery_codes_and_reaches_the_team_pages(
    client, django_capture_on_commit_callbacks
):
    curator = UserFactory(curator=True, totp=False)

    # The password alone lets them in, onto the two-factor page, which says why.
    response = log_in_with_password(client, curator, follow=True)
    assert response.redirect_chain[-1][0] == SETUP
    page = response.content.decode()
    assert REQUIRED in page
    assert "valider les inscriptions et publier au nom du réseau" in page
    assert f'href="{ACTIVATE}"' in page
    for url in TEAM_PAGES:
        assert client.get(url)["Location"] == SETUP

    # allauth asks for the password again before a change to the account's security.
    response = client.get(ACTIVATE, follow=True)
    reauthenticate_url = response.redirect_chain[-1][0]
    assert reauthenticate_url.startswith(REAUTHENTICATE) and REQUIRED in response.content.decode()
    response = client.post(reauthenticate_url, {"password": DEFAULT_PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == ACTIVATE
    page = response.content.decode()
    assert REQUIRED in page
    secret = re.search(r'<code class="fs-5" id="totp-secret">([A-Z2-7]+)</code>', page).group(1)
    assert 'src="data:image/svg+xml;base64,' in page

    # A wrong code is refused in French; the right one activates the app.
    wrong = next(code for code in ("000000", "111111") if code != totp_code_for_secret(secret))
    refused = client.post(ACTIVATE, {"code": wrong})
    assert refused.status_code == 200 and WRONG_CODE in refused.content.decode()
    assert not Authenticator.objects.filter(user=curator).exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(ACTIVATE, {"code": totp_code_for_secret(secret)}, follow=True)
    assert response.redirect_chain[-1][0] == RECOVERY_CODES
    assert totp_secret(curator) == secret
    page = response.content.decode()
    codes = recovery_codes(curator)
    assert len(codes) == 10 and all(code in page for code in codes)
    assert REQUIRED not in page
    # A change to a team account's security is in the audit log.
    assert AuditEntry.objects.filter(actor=curator, action="members.mfa.added", target_id=str(curator.pk)).exists()

    for url in TEAM_PAGES:
        assert client.get(url).status_code == 200, url


def test_members_are_never_forced_but_may_activate_it(client, member):
    client.force_login(member)
    assert client.get(reverse("members:directory")).status_code == 200
    index = client.get(SETUP).content.decode()
    assert "Non activée." in index and REQUIRED not in index
    # Activation asks for the password again after a forced login (allauth's re-authentication).
    assert client.get(ACTIVATE)["Location"].startswith(REAUTHENTICATE)
    client.post(REAUTHENTICATE, {"password": DEFAULT_PASSWORD})
    page = client.get(ACTIVATE).content.decode()
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', page).group(1)
    client.post(ACTIVATE, {"code": totp_code_for_secret(secret)})
    assert Authenticator.objects.filter(user=member, type=Authenticator.Type.TOTP).exists()


def test_the_requirement_can_be_switched_off(client, settings):
    settings.STAFF_MFA_REQUIRED = False
    client.force_login(UserFactory(curator=True, totp=False))
    assert client.get(reverse("dashboard:network")).status_code == 200
    assert REQUIRED not in client.get(SETUP).content.decode()


def test_staff_created_by_the_factories_have_an_app_unless_asked_not_to():
    assert Authenticator.objects.filter(user=UserFactory(curator=True)).count() == 2  # app and recovery codes
    assert not Authenticator.objects.filter(user=UserFactory(curator=True, totp=False)).exists()
    assert not Authenticator.objects.filter(user=UserFactory()).exists()


# --- Sessions opened with the password alone (issue 12, item 1) ---------------------------------------

CONFIRM = reverse("mfa_reauthenticate")
ADMIN_LOGIN = "/admin/login/"
STAFF_PAGES = [
    "/admin/",
    "/admin/members/user/",
    "/journal/",
    reverse("dashboard:network"),
    reverse("members:pending_accounts"),
    reverse("fiches:moderation"),
    reverse("members:directory"),
    "/",
]
# Account pages too: an email change or turning the app off must not be one password away.
ACCOUNT_PAGES = [
    reverse("account_email"),
    reverse("account_change_password"),
    reverse("account_reauthenticate"),
    SETUP,
    reverse("mfa_deactivate_totp"),
    RECOVERY_CODES,
    ADMIN_LOGIN,
]
STEP_REQUIRED = "Cette session n'a pas encore passé la double authentification."


def confirm_url(next_url):
    return f"{CONFIRM}?{urlencode({'next': next_url})}"


def test_the_django_admin_login_sends_to_the_site_login_keeping_next(client):
    response = client.get(ADMIN_LOGIN, {"next": "/admin/members/user/"})
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next=%2Fadmin%2Fmembers%2Fuser%2F"

    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0] == f"{LOGIN}?next=%2Fadmin%2F"
    assert 'name="login"' in response.content.decode()
    # Only a path of this site is kept.
    assert client.get(ADMIN_LOGIN, {"next": "https://attaquant.example/"})["Location"] == f"{LOGIN}?next=%2Fadmin%2F"


@pytest.mark.parametrize("trait", ["admin", "curator"])
def test_a_password_posted_to_the_admin_login_opens_no_session(client, trait):
    user = UserFactory(**{trait: True})
    response = client.post(ADMIN_LOGIN, {"username": user.email, "password": DEFAULT_PASSWORD, "next": "/admin/"})

    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    assert logged_in_user_id(client) is None
    for url in STAFF_PAGES[:-2]:
        location = client.get(url)["Location"]
        assert location.startswith((LOGIN, ADMIN_LOGIN)), url


def test_six_wrong_passwords_then_the_right_one_at_the_admin_login_do_not_log_in(client, administrator):
    for _ in range(6):
        client.post(ADMIN_LOGIN, {"username": administrator.email, "password": "pas-le-bon-mot-de-passe"})
    response = client.post(ADMIN_LOGIN, {"username": administrator.email, "password": DEFAULT_PASSWORD})
    assert response["Location"].startswith(LOGIN)
    assert logged_in_user_id(client) is None
    assert client.get("/admin/")["Location"].startswith(ADMIN_LOGIN)

    # The site's login, where the admin's now leads, counts the failures: the right password is refused.
    for _ in range(6):
        client.post(LOGIN, {"login": administrator.email, "password": "pas-le-bon-mot-de-passe"})
    refused = log_in_with_password(client, administrator)
    assert refused.status_code == 200 and "Trop de tentatives de connexion échouées" in refused.content.decode()
    assert logged_in_user_id(client) is None


@pytest.mark.parametrize("trait", ["admin", "curator"])
def test_a_password_only_session_reaches_no_page_beyond_the_second_factor(client, trait):
    user = UserFactory(**{trait: True})
    force_login_password_only(client, user)

    for url in STAFF_PAGES + ACCOUNT_PAGES:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == confirm_url(url), url
    htmx = client.get(reverse("members:pending_accounts"), headers={"HX-Request": "true"})
    assert htmx["HX-Redirect"] == confirm_url(reverse("members:pending_accounts"))
    # Nothing is changed by a POST either.
    response = client.post(reverse("mfa_deactivate_totp"))
    assert response["Location"] == confirm_url(reverse("mfa_deactivate_totp"))
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    # The password again is not the second factor.
    response = client.post(reverse("account_reauthenticate"), {"password": DEFAULT_PASSWORD})
    assert response["Location"].startswith(CONFIRM)

    # The code page says why and offers no way round it; the legal pages and logging out stay open.
    page = client.get(confirm_url("/journal/")).content.decode()
    assert STEP_REQUIRED in page and f'href="{REAUTHENTICATE}' not in page
    for url in [reverse("legal_notice"), reverse("privacy"), "/sante/"]:
        assert client.get(url).status_code == 200, url

    # The app's code opens the session, and back to the page that was asked for.
    response = client.post(CONFIRM, {"code": totp_code(user), "next": "/journal/"})
    assert response["Location"] == "/journal/"
    assert client.get(reverse("dashboard:network")).status_code == 200
    assert client.get("/journal/").status_code == (200 if trait == "admin" else 403)
    assert client.get("/admin/").status_code == (200 if trait == "admin" else 302)


def test_a_wrong_code_leaves_the_session_at_the_second_factor_step(client, curator):
    force_login_password_only(client, curator)
    response = client.post(CONFIRM, {"code": a_wrong_code(curator), "next": "/"})
    assert response.status_code == 200 and WRONG_CODE in response.content.decode()
    assert client.get(reverse("dashboard:network"))["Location"] == confirm_url(reverse("dashboard:network"))


def test_a_password_only_session_logs_out(client, administrator):
    force_login_password_only(client, administrator)
    assert client.get(reverse("account_logout")).status_code == 200
    client.post(reverse("account_logout"))
    assert logged_in_user_id(client) is None


def test_members_sessions_are_not_asked_for_a_second_factor(client, member):
    force_login_password_only(client, member)
    assert client.get(reverse("members:directory")).status_code == 200
    # A member who turned the app on logs in with it; a forced password-only session is not stopped
    # (the rule protects the accounts that approve and publish).
    TOTP.activate(member, "JBSWY3DPEHPK3PXP")
    assert client.get(reverse("members:directory")).status_code == 200


def test_a_full_login_through_the_site_opens_the_admin(client, administrator):
    response = client.get("/admin/", follow=True)
    login_url = response.redirect_chain[-1][0]
    response = client.post(login_url, {"login": administrator.email, "password": DEFAULT_PASSWORD})
    assert response["Location"] == AUTHENTICATE
    response = client.post(AUTHENTICATE, {"code": totp_code(administrator)})
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    assert client.get("/journal/").status_code == 200


def test_a_logged_in_member_is_refused_by_the_admin_login(client, member):
    client.force_login(member)
    assert client.get(ADMIN_LOGIN).status_code == 403


# --- Logging in ---------------------------------------------------------------------------------------


def test_staff_log_in_with_their_password_then_a_code(client, curator):
    response = log_in_with_password(client, curator)
    assert response["Location"] == AUTHENTICATE
    assert logged_in_user_id(client) is None
    page = client.get(AUTHENTICATE).content.decode()
    assert "<h1" in page and "Double authentification" in page
    assert re.search(r'<input[^>]*name="code"[^>]*autofocus', page)
    assert 'autocomplete="one-time-code"' in page

    response = client.post(AUTHENTICATE, {"code": totp_code(curator)})
    assert response.status_code == 302 and response["Location"] == "/mon-espace/"
    assert logged_in_user_id(client) == str(curator.pk)
    assert client.get(reverse("dashboard:network")).status_code == 200


def test_a_wrong_code_is_refused_in_french(client, curator):
    log_in_with_password(client, curator)
    response = client.post(AUTHENTICATE, {"code": a_wrong_code(curator)})
    assert response.status_code == 200
    assert WRONG_CODE in response.content.decode()
    assert logged_in_user_id(client) is None


def test_a_code_cannot_be_used_twice(client, curator):
    code = totp_code(curator)
    log_in(client, curator, code)
    assert logged_in_user_id(client) == str(curator.pk)
    client.post(reverse("account_logout"))

    response = log_in(client, curator, code)
    assert WRONG_CODE in response.content.decode()
    assert logged_in_user_id(client) is None
    # The next code of the app is accepted (one period of tolerance).
    client.post(AUTHENTICATE, {"code": totp_code(curator, step=1)})
    assert logged_in_user_id(client) == str(curator.pk)


def test_a_recovery_code_works_once(client, curator):
    code = recovery_codes(curator)[0]
    log_in(client, curator, code)
    assert logged_in_user_id(client) == str(curator.pk)
    assert code not in recovery_codes(curator) and len(recovery_codes(curator)) == 9
    client.post(reverse("account_logout"))

    response = log_in(client, curator, code)
    assert WRONG_CODE in response.content.decode()
    assert logged_in_user_id(client) is None


def test_members_without_an_app_log_in_with_their_password_only(client, member):
    response = log_in_with_password(client, member)
    assert response.status_code == 302 and response["Location"] == "/mon-espace/"
    assert logged_in_user_id(client) == str(member.pk)


def test_an_administrator_resets_the_app_of_a_curator_who_lost_their_phone(client, curator, administrator):
    """docs/members.md: the Django admin deletes the curator's authenticators; they set up a new one."""
    client.force_login(administrator)
    for authenticator in Authenticator.objects.filter(user=curator):
        url = reverse("admin:mfa_authenticator_delete", args=[authenticator.pk])
        assert client.post(url, {"post": "yes"}).status_code == 302
    assert not Authenticator.objects.filter(user=curator).exists()
    client.post(reverse("account_logout"))

    response = log_in_with_password(client, curator, follow=True)
    assert response.redirect_chain[-1][0] == SETUP
    assert logged_in_user_id(client) == str(curator.pk)


# --- Managing it ----------------------------------------------------------------------------------------


def test_every_two_factor_page_speaks_french_in_the_site_layout_under_the_strict_csp(client, curator):
    client.force_login(curator)
    # Changing the app or the codes needs a fresh confirmation: here with the app's code.
    page = client.get(reverse("mfa_reauthenticate")).content.decode()
    assert '<h1 class="h2 mb-3">Confirmer l\'accès</h1>' in page and re.search(r"<input[^>]*autofocus", page)
    assert client.post(reverse("mfa_reauthenticate"), {"code": totp_code(curator)}).status_code == 302
    pages = {
        SETUP: "Double authentification",
        RECOVERY_CODES: "Codes de récupération",
        reverse("mfa_generate_recovery_codes"): "Générer de nouveaux codes de récupération",
        reverse("mfa_deactivate_totp"): "Désactiver la double authentification",
    }
    for url, title in pages.items():
        response = client.get(url)
        html = response.content.decode()
        assert response.status_code == 200, url
        assert f'<h1 class="h2 mb-3">{title}</h1>' in html and f"<title>{title} · " in html, url
        nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
        assert all(f'nonce="{nonce}"' in tag for tag in re.findall(r"<script\b[^>]*>", html)), url
        assert ' style="' not in html and "<style" not in html, url

    download = client.get(reverse("mfa_download_recovery_codes"))
    assert download["Content-Type"].startswith("text/plain")
    text = download.content.decode()
    assert f"Codes de récupération du Réseau des technicien·nes CoDev pour {curator.email}" in text
    assert all(code in text for code in recovery_codes(curator))


def test_new_recovery_codes_replace_the_old_ones(client, curator):
    old = recovery_codes(curator)
    client.force_login(curator)
    client.post(reverse("mfa_reauthenticate"), {"code": totp_code(curator)})
    response = client.post(reverse("mfa_generate_recovery_codes"), follow=True)
    assert response.redirect_chain[-1][0] == RECOVERY_CODES
    new = recovery_codes(curator)
    assert len(new) == 10 and not set(old) & set(new)
    assert all(code in response.content.decode() for code in new)


def test_a_curator_who_deactivates_the_app_must_activate_it_again(client, curator, django_capture_on_commit_callbacks):
    client.force_login(curator)
    client.post(reverse("mfa_reauthenticate"), {"code": totp_code(curator)})
    page = client.get(reverse("mfa_deactivate_totp")).content.decode()
    assert "il faudra activer de nouveau la double authentification" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("mfa_deactivate_totp"), follow=True)
    assert response.redirect_chain[-1][0] == SETUP
    assert not Authenticator.objects.filter(user=curator).exists()
    assert REQUIRED in response.content.decode()
    assert client.get(reverse("dashboard:network"))["Location"] == SETUP
    assert AuditEntry.objects.filter(actor=curator, action="members.mfa.removed").exists()


def test_a_member_s_own_two_factor_changes_are_not_audited(client, member, django_capture_on_commit_callbacks):
    client.force_login(member)
    TOTP.activate(member, "JBSWY3DPEHPK3PXP")
    client.post(reverse("mfa_reauthenticate"), {"code": totp_code(member)})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("mfa_deactivate_totp"))
    assert not Authenticator.objects.filter(user=member, type=Authenticator.Type.TOTP).exists()
    assert not AuditEntry.objects.filter(action__startswith="members.mfa.").exists()


# --- Secrets at rest ----------------------------------------------------------------------------------


def test_secrets_are_stored_encrypted_and_read_back(curator):
    secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    user = UserFactory(totp=False)
    TOTP.activate(user, secret)
    stored = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP).data["secret"]
    assert stored != secret and secret not in stored
    assert get_adapter().decrypt(stored) == secret
    # Recovery codes derive from a seed that is encrypted the same way.
    seed = Authenticator.objects.get(user=curator, type=Authenticator.Type.RECOVERY_CODES).data["seed"]
    assert len(get_adapter().decrypt(seed)) == 80 and get_adapter().decrypt(seed) not in seed


def test_a_rotated_secret_key_still_decrypts_when_the_old_one_is_a_fallback(settings):
    encrypted = get_adapter().encrypt("JBSWY3DPEHPK3PXP")
    old_key = settings.SECRET_KEY
    settings.SECRET_KEY = "une-toute-nouvelle-cle-secrete-de-test-0123456789-abcdefghijkl"
    settings.SECRET_KEY_FALLBACKS = [old_key]
    assert get_adapter().decrypt(encrypted) == "JBSWY3DPEHPK3PXP"
    assert get_adapter().encrypt("JBSWY3DPEHPK3PXP") != encrypted
    settings.SECRET_KEY_FALLBACKS = []
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY_FALLBACKS"):
        get_adapter().decrypt(encrypted)


# --- Demo ---------------------------------------------------------------------------------------------


def test_demo_staff_accounts_have_the_documented_app_secret_idempotently(client, settings):
    demo.seed()
    demo.seed()
    staff = User.objects.filter(email__in=["admin@demo.codev-reseau.fr", "equipe@demo.codev-reseau.fr"])
    assert staff.count() == 2
    for user in staff:
        assert Authenticator.objects.filter(user=user).count() == 2
        assert totp_secret(user) == demo.DEMO_TOTP_SECRET
    member = User.objects.get(email="technicienne@demo.codev-reseau.fr")
    assert not Authenticator.objects.filter(user=member).exists()

    # Seeded under another SECRET_KEY, the secret is put back readable.
    settings.SECRET_KEY = "une-autre-cle-secrete-de-demonstration-0123456789-abcdefghijkl"
    demo.seed()
    assert all(totp_secret(user) == demo.DEMO_TOTP_SECRET for user in staff)

    equipe = staff.get(email="equipe@demo.codev-reseau.fr")
    client.post(LOGIN, {"login": equipe.email, "password": demo.DEMO_PASSWORD})
    client.post(AUTHENTICATE, {"code": totp_code_for_secret(demo.DEMO_TOTP_SECRET)})
    assert logged_in_user_id(client) == str(equipe.pk)


def test_the_demo_code_is_accepted_only_in_debug(client, curator, settings):
    settings.MFA_TOTP_INSECURE_BYPASS_CODE = "123456"
    settings.DEBUG = True
    assert "saisissez le code de démonstration 123456" in demo.demo_second_factor_hint()
    log_in(client, curator, "123456")
    assert logged_in_user_id(client) == str(curator.pk)

    settings.DEBUG = False
    hint = demo.demo_second_factor_hint()
    assert "123456" not in hint and demo.DEMO_TOTP_SECRET in hint
