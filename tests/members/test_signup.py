"""Sign-up mistakes: French errors, and what was typed is kept."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from members.models import User
from tests.html import content_text, page_text, select, select_one, text_of
from tests.members.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def _sign_up(client, *, email, password1="Une-phrase-de-passe-42", password2=None):
    data = {
        "first_name": "Camille",
        "last_name": "Martin",
        "email": email,
        "password1": password1,
        "password2": password2 or password1,
    }
    return client.post(reverse("account_signup"), data, follow=True)


def test_a_too_short_password_is_refused_in_french_and_the_email_is_kept(client, mailoutbox):
    response = _sign_up(client, email="camille.martin@example.org", password1="soleil")

    assert response.status_code == 200
    assert response.redirect_chain == []
    assert "Ce mot de passe est trop court. Il doit contenir au minimum 10 caractères." in page_text(response)
    assert _typed_email(response) == "camille.martin@example.org"
    assert select(response, '[aria-invalid="true"], .is-invalid')
    assert not User.objects.filter(email="camille.martin@example.org").exists()
    assert mailoutbox == []


def test_a_common_password_is_refused_in_french(client):
    response = _sign_up(client, email="camille.martin@example.org", password1="azertyuiop")

    assert "Ce mot de passe est trop courant." in page_text(response)
    assert not User.objects.filter(email="camille.martin@example.org").exists()


def test_two_different_passwords_are_refused_in_french_and_the_email_is_kept(client):
    response = _sign_up(
        client, email="camille.martin@example.org", password1="Une-phrase-de-passe-42", password2="Une-autre-phrase-43"
    )

    assert "Vous devez saisir deux fois le même mot de passe." in page_text(response)
    assert _typed_email(response) == "camille.martin@example.org"
    assert not User.objects.filter(email="camille.martin@example.org").exists()


def test_an_invalid_email_is_refused_in_french_and_kept_for_correction(client):
    response = _sign_up(client, email="camille.martin-at-example.org")

    assert "Saisissez une adresse de courriel valide." in page_text(response)
    assert _typed_email(response) == "camille.martin-at-example.org"
    assert User.objects.count() == 0


def _typed_email(response) -> str:
    """What the sign-up form's email field holds, as shown again after a refusal."""
    return select_one(response, 'input[name="email"]').get("value")


def _page_without(response, email):
    """The page's main content, the address typed blanked out (it is echoed back)."""
    main = re.search(r"<main\b.*</main>", content_text(response), re.DOTALL).group(0)
    return re.sub(re.escape(email), "ADRESSE", main, flags=re.IGNORECASE)


@pytest.mark.parametrize("typed", ["deja.inscrite@example.org", "Deja.Inscrite@Example.org"])
def test_signing_up_with_an_address_that_has_an_account_looks_like_any_sign_up(typed, mailoutbox):
    """Issue 12, item 9: the sign-up form must not tell whether an address has an account."""
    existing = UserFactory(email="deja.inscrite@example.org")
    new = _sign_up(Client(), email="nouvelle.personne@example.org")
    mailoutbox.clear()

    known = _sign_up(Client(), email=typed)

    # The same redirections and the same page as for a new address...
    assert [url for url, _status in known.redirect_chain] == [url for url, _status in new.redirect_chain]
    assert known.redirect_chain[-1][0] == reverse("account_email_verification_sent")
    assert _page_without(known, typed) == _page_without(new, "nouvelle.personne@example.org")
    assert "Un compte existe déjà" not in page_text(known)
    # ...no second account, the first one untouched...
    assert User.objects.filter(email__iexact="deja.inscrite@example.org").count() == 1
    existing.refresh_from_db()
    assert existing.check_password(DEFAULT_PASSWORD)
    # ...and its owner is told, in French, that someone tried, with the way back in (no confirmation link).
    [message] = mailoutbox
    assert message.to == ["deja.inscrite@example.org"]
    assert message.subject == "[Réseau CoDev] Vous avez déjà un compte"
    assert "a essayé de créer un compte du Réseau CoDev avec votre adresse" in message.body
    assert "/comptes/password/reset/" in message.body
    assert "/comptes/confirm-email/" not in message.body


def test_sign_ups_are_limited_per_email_address_whatever_the_network_address(mailoutbox):
    """The rule the sign-up form states: per network address (allauth) and per email address."""
    for number in range(3):
        response = _sign_up(Client(REMOTE_ADDR=f"192.0.2.{number + 1}"), email="cible@example.org")
        assert response.redirect_chain[-1][0] == reverse("account_email_verification_sent")

    refused = _sign_up(Client(REMOTE_ADDR="198.51.100.9"), email="Cible@Example.org")

    assert refused.redirect_chain == []
    message = "Trop d'inscriptions avec cette adresse e-mail en peu de temps. Réessayez dans une heure."
    assert message in page_text(refused)
    assert _typed_email(refused) == "Cible@Example.org"
    assert User.objects.filter(email__iexact="cible@example.org").count() == 1
    # Another address is not affected.
    other = _sign_up(Client(REMOTE_ADDR="198.51.100.9"), email="quelqu.un@example.org")
    assert other.redirect_chain[-1][0] == reverse("account_email_verification_sent")


def test_password_reset_still_reveals_nothing_about_unknown_addresses(client, mailoutbox):
    response = client.post(reverse("account_reset_password"), {"email": "inconnue@example.org"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("account_reset_password_done")


def test_too_many_sign_ups_from_one_network_address_get_a_french_page(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "signup": "1/m/ip"}
    _sign_up(client, email="premiere@example.org")

    response = client.post(reverse("account_signup"), {"email": "seconde@example.org"})

    assert response.status_code == 429
    assert "Trop de demandes" in text_of(select_one(response, "main#contenu"))  # the site's own layout
    assert not User.objects.filter(email="seconde@example.org").exists()
