"""Changing what protects an account asks who is there first (issue 12, item 11).

A session left open on a shared computer, or stolen, must not be enough to take the account over:
changing the email address (the way to reset the password) or turning two-factor authentication
off asks for the password (or the app's code) again, within the last five minutes
(ACCOUNT_REAUTHENTICATION_REQUIRED, MFA_REAUTHENTICATION_REQUIRED; allauth's re-authentication).
"""

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.urls import reverse

from tests.members.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db

EMAIL = reverse("account_email")
REAUTHENTICATE = reverse("account_reauthenticate")
DEACTIVATE = reverse("mfa_deactivate_totp")
NEW_ADDRESS = "nouvelle.adresse@example.org"


def test_adding_or_changing_the_email_address_asks_for_the_password_again(member_client, member):
    response = member_client.post(EMAIL, {"action_add": "", "email": NEW_ADDRESS})

    assert response.status_code == 302 and response["Location"].startswith(REAUTHENTICATE)
    assert not EmailAddress.objects.filter(email=NEW_ADDRESS).exists()

    # A wrong password changes nothing; the right one resumes the change.
    refused = member_client.post(response["Location"], {"password": "pas-le-bon-mot-de-passe"})
    assert refused.status_code == 200
    assert not EmailAddress.objects.filter(email=NEW_ADDRESS).exists()
    member_client.post(response["Location"], {"password": DEFAULT_PASSWORD})
    member_client.post(EMAIL, {"action_add": "", "email": NEW_ADDRESS})
    assert EmailAddress.objects.filter(user=member, email=NEW_ADDRESS, verified=False).exists()


def test_removing_an_address_asks_for_the_password_again(member_client, member):
    other = EmailAddress.objects.create(user=member, email="autre.adresse@example.org", verified=True)

    response = member_client.post(EMAIL, {"action_remove": "", "email": other.email})

    assert response["Location"].startswith(REAUTHENTICATE)
    assert EmailAddress.objects.filter(pk=other.pk).exists()


def test_turning_two_factor_authentication_off_asks_for_a_confirmation_again(client, member):
    TOTP.activate(member, "JBSWY3DPEHPK3PXP")
    client.force_login(member)

    assert client.get(DEACTIVATE)["Location"].startswith(REAUTHENTICATE)
    response = client.post(DEACTIVATE)

    assert response["Location"].startswith(REAUTHENTICATE)
    assert Authenticator.objects.filter(user=member, type=Authenticator.Type.TOTP).exists()
