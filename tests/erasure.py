"""Deleting one's account as a member does it: through the page "Mes données personnelles"."""

from django.urls import reverse

from tests.members.factories import DEFAULT_PASSWORD


def erase_account(client) -> None:
    """Delete the logged-in member's account (password and confirmation), and check the page says so."""
    response = client.post(
        reverse("members:account_delete"), {"password": DEFAULT_PASSWORD, "confirm": "on"}, follow=True
    )
    assert "Votre compte et vos données personnelles ont été supprimés." in response.content.decode()
