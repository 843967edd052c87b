"""Sign-up mistakes: French errors, and what was typed is kept."""

import html

import pytest
from django.urls import reverse

from members.models import User
from tests.members.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def _sign_up(client, *, email, password1="Une-phrase-de-passe-42", password2=None):
    data = {"email": email, "password1": password1, "password2": password2 or password1}
    return client.post(reverse("account_signup"), data, follow=True)


def _text(response):
    return html.unescape(response.content.decode())


def test_a_too_short_password_is_refused_in_french_and_the_email_is_kept(client, mailoutbox):
    response = _sign_up(client, email="camille.martin@example.org", password1="soleil")

    assert response.status_code == 200
    assert response.redirect_chain == []
    text = _text(response)
    assert "Ce mot de passe est trop court. Il doit contenir au minimum 10 caractères." in text
    assert 'value="camille.martin@example.org"' in text
    assert 'aria-invalid="true"' in text or "is-invalid" in text
    assert not User.objects.filter(email="camille.martin@example.org").exists()
    assert mailoutbox == []


def test_a_common_password_is_refused_in_french(client):
    response = _sign_up(client, email="camille.martin@example.org", password1="azertyuiop")

    assert "Ce mot de passe est trop courant." in _text(response)
    assert not User.objects.filter(email="camille.martin@example.org").exists()


def test_two_different_passwords_are_refused_in_french_and_the_email_is_kept(client):
    response = _sign_up(
        client, email="camille.martin@example.org", password1="Une-phrase-de-passe-42", password2="Une-autre-phrase-43"
    )

    text = _text(response)
    assert "Vous devez saisir deux fois le même mot de passe." in text
    assert 'value="camille.martin@example.org"' in text
    assert not User.objects.filter(email="camille.martin@example.org").exists()


def test_an_invalid_email_is_refused_in_french_and_kept_for_correction(client):
    response = _sign_up(client, email="camille.martin-at-example.org")

    text = _text(response)
    assert "Saisissez une adresse de courriel valide." in text
    assert 'value="camille.martin-at-example.org"' in text
    assert User.objects.count() == 0


def test_an_email_already_in_use_is_refused_in_french_and_kept(client, mailoutbox):
    existing = UserFactory(email="deja.inscrite@example.org")

    response = _sign_up(client, email="deja.inscrite@example.org")

    assert response.redirect_chain == []
    text = _text(response)
    assert "Un compte existe déjà avec cette adresse e-mail" in text
    assert 'value="deja.inscrite@example.org"' in text
    assert User.objects.filter(email__iexact="deja.inscrite@example.org").count() == 1
    existing.refresh_from_db()
    assert existing.check_password(DEFAULT_PASSWORD)
    assert mailoutbox == []


def test_the_same_email_in_capitals_is_still_the_same_account(client, mailoutbox):
    UserFactory(email="deja.inscrite@example.org")

    response = _sign_up(client, email="Deja.Inscrite@Example.org")

    assert "Un compte existe déjà avec cette adresse e-mail" in _text(response)
    assert User.objects.filter(email__iexact="deja.inscrite@example.org").count() == 1


def test_password_reset_still_reveals_nothing_about_unknown_addresses(client, mailoutbox):
    response = client.post(reverse("account_reset_password"), {"email": "inconnue@example.org"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("account_reset_password_done")
