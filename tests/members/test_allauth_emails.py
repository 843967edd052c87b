"""allauth's emails read right (issue 20, item 4): French, the person's name, HTML and text, links on SITE_URL."""

import re
import subprocess
from html import unescape
from pathlib import Path

import allauth
import pytest
from allauth.account.adapter import get_adapter
from allauth.core.context import request_context
from django.conf import settings
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from tests.html import page_text, select, select_one, text_of
from tests.members.factories import ProfileFactory, UserFactory

pytestmark = pytest.mark.django_db

SITE = "https://codev.example.org"
ALLAUTH_TEMPLATES = Path(allauth.__file__).parent / "templates"
PROJECT_TEMPLATES = Path(settings.BASE_DIR) / "templates"
# allauth emails the site never sends: security keys (WebAuthn) are not among MFA_SUPPORTED_TYPES.
NOT_SENT = {"mfa/email/webauthn_added", "mfa/email/webauthn_removed"}
URL = re.compile(r"https?://[^\s\"'<>]+")
ENGLISH = ("Hello", "Thank you", "You are receiving", "Please", "c'est ")

# Every email allauth may send here: its French subject and what the message must say.
EMAILS = {
    "account/email/email_confirmation_signup": ("Confirmez votre adresse e-mail", "Merci de votre inscription"),
    "account/email/email_confirmation": ("Confirmez votre adresse e-mail", "est bien la vôtre"),
    "account/email/password_reset_key": ("Réinitialisation de votre mot de passe", "nouveau mot de passe"),
    "account/email/password_reset_code": ("Votre code de réinitialisation du mot de passe", "123-456"),
    "account/email/login_code": ("Votre code de connexion", "123-456"),
    "account/email/unknown_account": ("Aucun compte à cette adresse", "aucun compte n'utilise cette adresse"),
    "account/email/account_already_exists": ("Vous avez déjà un compte", "qui a déjà un compte"),
    "account/email/email_changed": ("Adresse e-mail modifiée", "ancienne@example.org est remplacée par"),
    "account/email/email_confirm": ("Adresse e-mail confirmée", "est confirmée"),
    "account/email/email_deleted": ("Adresse e-mail retirée", "retiree@example.org a été retirée"),
    "account/email/password_changed": ("Mot de passe modifié", "a été modifié"),
    "account/email/password_reset": ("Mot de passe réinitialisé", "a été réinitialisé"),
    "account/email/password_set": ("Mot de passe défini", "a été défini"),
    "mfa/email/totp_activated": ("Double authentification activée", "est activée"),
    "mfa/email/totp_deactivated": ("Double authentification désactivée", "a été désactivée"),
    "mfa/email/recovery_codes_generated": ("Nouveaux codes de secours", "les anciens ne fonctionnent plus"),
}
NOTIFICATIONS = {
    "account/email/email_changed",
    "account/email/email_confirm",
    "account/email/email_deleted",
    "account/email/password_changed",
    "account/email/password_reset",
    "account/email/password_set",
    "mfa/email/totp_activated",
    "mfa/email/totp_deactivated",
    "mfa/email/recovery_codes_generated",
}


@pytest.fixture(autouse=True)
def site_url(settings):
    # Not the address the test client uses ("testserver"): every link must come from the setting.
    settings.SITE_URL = SITE
    settings.ACCOUNT_EMAIL_NOTIFICATIONS = True


def _html(message) -> str:
    [html] = [content for content, mimetype in message.alternatives if mimetype == "text/html"]
    return html


def _assert_reads_right(message, *, name: str | None):
    """French, greeting by name, text and HTML parts, every link on SITE_URL."""
    html = _html(message)
    greeting = f"Bonjour {name}," if name else "Bonjour,"
    assert message.body.startswith(greeting), message.body
    assert f"<p>{greeting}</p>" in html
    assert '<html lang="fr">' in html
    for text in (message.subject, message.body, html):
        assert "testserver" not in text
        assert not any(word in text for word in ENGLISH), text
    links = URL.findall(message.body) + URL.findall(html)
    assert links
    assert all(link.startswith(SITE + "/") for link in links), links
    assert "<" not in message.body  # the text part is text
    return links


# --- Through the pages, as a person would --------------------------------------------------------------


def _sign_up(client, email, **names):
    data = {"first_name": "Camille", "last_name": "Martin", "email": email}
    data.update(names, password1="Une-phrase-de-passe-42", password2="Une-phrase-de-passe-42")
    return client.post(reverse("account_signup"), data, follow=True)


def test_the_sign_up_email_greets_by_name_and_links_to_the_site(client, mailoutbox):
    _sign_up(client, "camille.martin@example.org", first_name="Camille", last_name="Martin")

    [message] = mailoutbox
    assert message.subject == "[Réseau CoDev] Confirmez votre adresse e-mail"
    links = _assert_reads_right(message, name="Camille Martin")
    assert "Merci de votre inscription" in message.body
    assert "l'équipe de la CNCD vérifie votre inscription" in message.body
    [confirm] = {link for link in links if "/comptes/confirm-email/" in link}
    # The link works once back on the site.
    assert client.get(confirm.removeprefix(SITE)).status_code == 200


def test_someone_signing_up_with_a_taken_address_warns_its_owner_by_name(client, mailoutbox):
    owner = UserFactory(email="deja@example.org")
    ProfileFactory(user=owner, display_name="Dominique Déjà-là")

    _sign_up(client, "deja@example.org", first_name="Intrus", last_name="Quelconque")

    [message] = mailoutbox
    assert message.subject == "[Réseau CoDev] Vous avez déjà un compte"
    links = _assert_reads_right(message, name="Dominique Déjà-là")
    assert SITE + reverse("account_reset_password") in links
    assert "Intrus" not in message.body


def test_the_password_reset_email_links_to_the_site(client, mailoutbox):
    UserFactory(email="oubli@example.org", first_name="Alix", last_name="Oubli")

    client.post(reverse("account_reset_password"), {"email": "oubli@example.org"})

    [message] = mailoutbox
    assert message.subject == "[Réseau CoDev] Réinitialisation de votre mot de passe"
    links = _assert_reads_right(message, name="Alix Oubli")
    [reset] = {link for link in links if "/comptes/password/reset/key/" in link}
    assert client.get(reset.removeprefix(SITE), follow=True).status_code == 200


def test_a_reset_for_an_unknown_address_says_hello_without_a_name(client, mailoutbox):
    client.post(reverse("account_reset_password"), {"email": "inconnue@example.org"})

    [message] = mailoutbox
    assert message.subject == "[Réseau CoDev] Aucun compte à cette adresse"
    links = _assert_reads_right(message, name=None)
    assert SITE + reverse("account_signup") in links


def test_changing_the_password_sends_a_french_notice(client, mailoutbox):
    user = UserFactory(first_name="Sacha", last_name="Sûr")
    client.force_login(user)

    response = client.post(
        reverse("account_change_password"),
        {
            "oldpassword": "motdepasse-solide-42",
            "password1": "Un-nouveau-secret-77",
            "password2": "Un-nouveau-secret-77",
        },
    )

    assert response.status_code == 302
    [message] = mailoutbox
    assert message.subject == "[Réseau CoDev] Mot de passe modifié"
    _assert_reads_right(message, name="Sacha Sûr")
    assert "Le mot de passe de votre compte a été modifié." in message.body


# --- Every template, rendered by the adapter ----------------------------------------------------------


def _context(prefix: str, user) -> dict:
    """What allauth passes to each email, its links built from the request's host as allauth does."""
    host = "http://testserver"
    return {
        "account/email/email_confirmation_signup": {"user": user, "activate_url": f"{host}/comptes/confirm-email/k/"},
        "account/email/email_confirmation": {"user": user, "activate_url": f"{host}/comptes/confirm-email/k/"},
        "account/email/password_reset_key": {
            "user": user,
            "password_reset_url": f"{host}/comptes/password/reset/key/1-k/",
        },
        "account/email/password_reset_code": {"user": user, "code": "123-456"},
        "account/email/login_code": {"user": user, "code": "123-456"},
        "account/email/unknown_account": {"signup_url": f"{host}/comptes/signup/"},
        "account/email/account_already_exists": {
            "signup_url": f"{host}/comptes/signup/",
            "password_reset_url": f"{host}/comptes/password/reset/",
        },
        "account/email/email_changed": {"from_email": "ancienne@example.org", "to_email": user.email},
        "account/email/email_deleted": {"deleted_email": "retiree@example.org"},
    }.get(prefix, {})


@pytest.mark.parametrize("prefix", sorted(EMAILS))
def test_each_allauth_email_is_french_with_the_name_html_and_text_and_site_links(prefix, mailoutbox):
    user = UserFactory(email="camille@example.org", first_name="Camille", last_name="Martin")
    ProfileFactory(user=user, display_name="Camille M.")
    subject, says = EMAILS[prefix]
    request = RequestFactory().get("/")
    request.user = user

    with request_context(request):
        adapter = get_adapter(request)
        if prefix in NOTIFICATIONS:
            adapter.send_notification_mail(prefix, user, _context(prefix, user))
        else:
            email = "inconnue@example.org" if prefix.endswith("unknown_account") else user.email
            adapter.send_mail(prefix, email, _context(prefix, user))

    [message] = mailoutbox
    assert message.subject == f"[Réseau CoDev] {subject}"
    name = None if prefix.endswith("unknown_account") else "Camille M."  # the profile's display name first
    _assert_reads_right(message, name=name)
    assert says in message.body
    assert says in unescape(_html(message))
    if prefix in NOTIFICATIONS:
        assert timezone.localtime().strftime("%Y") in message.body  # when it happened
        assert SITE + reverse("account_reset_password") in message.body  # what to do if it was not them


def test_every_email_allauth_can_send_has_the_projects_french_templates():
    """A new allauth email (or one newly enabled) must get its three templates here."""
    prefixes = {
        str(path.relative_to(ALLAUTH_TEMPLATES)).removesuffix("_subject.txt")
        for folder in ("account/email", "mfa/email")
        for path in (ALLAUTH_TEMPLATES / folder).glob("*_subject.txt")
    }
    wanted = prefixes - NOT_SENT
    assert wanted == set(EMAILS)
    missing = [
        f"{prefix}{suffix}"
        for prefix in sorted(wanted)
        for suffix in ("_subject.txt", "_message.txt", "_message.html")
        if not (PROJECT_TEMPLATES / f"{prefix}{suffix}").exists()
    ]
    assert missing == []


# --- The sign-up page and the page after it ------------------------------------------------------------


def test_the_sign_up_form_asks_for_the_name_and_links_the_legal_pages(client):
    response = client.get(reverse("account_signup"))

    names = [field.get("name") for field in select(response, "form.account-form input:not([type=hidden])")]
    assert names[:5] == ["first_name", "last_name", "email", "password1", "password2"]
    main = select_one(response, "main")
    assert "l'équipe de la CNCD valide votre compte avant que vous puissiez participer" in text_of(main)
    hrefs = [link.get("href") for link in select(main, "a")]
    assert reverse("legal_notice") in hrefs
    assert reverse("privacy") in hrefs


def test_the_name_is_required_and_kept_on_the_account(client):
    from members.models import User
    from members.services import profile_get_or_create

    refused = _sign_up(client, "sans.nom@example.org", first_name="", last_name="")
    assert refused.redirect_chain == []
    assert not User.objects.filter(email="sans.nom@example.org").exists()
    assert len(select(refused, ".is-invalid, [aria-invalid=true]")) >= 2

    _sign_up(client, "nadia@example.org", first_name="Nadia", last_name="Benali")
    user = User.objects.get(email="nadia@example.org")
    assert (user.first_name, user.last_name) == ("Nadia", "Benali")
    assert user.display_name == "Nadia Benali"
    assert profile_get_or_create(user=user).display_name == "Nadia Benali"


def test_the_check_your_mailbox_page_names_the_address_once(client):
    response = _sign_up(client, "une.fois@example.org")

    assert response.redirect_chain[-1][0] == reverse("account_email_verification_sent")
    text = page_text(response)
    assert text.count("une.fois@example.org") == 1
    assert text.count("envoy") == 1  # "E-mail de confirmation envoyé à …", said once
    assert "L'équipe de la CNCD vérifie ensuite votre inscription" in text


# --- scripts/run.sh --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({"PORT": "8123"}, "http://127.0.0.1:8123"),
        ({}, "http://127.0.0.1:8000"),
        ({"PORT": "8123", "CODEV_SITE_URL": "https://tunnel.example.org"}, "https://tunnel.example.org"),
    ],
)
def test_run_sh_gives_emails_the_port_the_site_is_served_on(environment, expected):
    """The lines of scripts/run.sh that choose the port and SITE_URL, run by bash with a given environment."""
    script = (Path(settings.BASE_DIR) / "scripts" / "run.sh").read_text()
    lines = [line for line in script.splitlines() if line.startswith(("PORT=", "export CODEV_SITE_URL="))]
    assert len(lines) == 2
    # The port is chosen before anything is served, and the server uses the same variable.
    assert script.index("export CODEV_SITE_URL=") < script.index("manage.py runserver")
    assert '"127.0.0.1:${PORT}"' in script
    result = subprocess.run(
        ["bash", "-c", "\n".join([*lines, 'echo "$CODEV_SITE_URL"'])],
        env={"PATH": "/usr/bin:/bin", **environment},
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == expected
