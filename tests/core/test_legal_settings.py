"""The legal notice and the accessibility statement name the publisher, the host and a real contact (settings
LEGAL_NOTICE, read from CODEV_* variables); a value left empty is shown as missing, never invented."""

import pytest
from django.urls import reverse

from tests.html import main_text

pytestmark = pytest.mark.django_db

FILLED = {
    "publisher_name": "Coordination nationale des conseils de développement (CNCD)",
    "publisher_address": "12 rue des Conseils, 75011 Paris",
    "publication_director": "Camille Martin, présidente",
    "contact_email": "contact@cncd.example.org",
    "host_name": "Hébergeur Durable SAS",
    "host_address": "3 quai de l'Hébergement, 59000 Lille",
    "host_phone": "03 20 00 00 00",
}


def test_the_legal_notice_names_the_publisher_the_host_and_the_contact(client, settings):
    settings.LEGAL_NOTICE = FILLED

    response = client.get(reverse("legal_notice"))
    shown = main_text(response)

    for value in FILLED.values():
        assert value in shown
    assert 'href="mailto:contact@cncd.example.org"' in response.content.decode()
    assert "non renseigné" not in shown


def test_the_accessibility_statement_gives_the_contact_to_report_a_problem(client, settings):
    settings.LEGAL_NOTICE = FILLED

    response = client.get(reverse("accessibility"))
    shown = main_text(response)

    assert "par courriel : contact@cncd.example.org" in shown
    assert "12 rue des Conseils, 75011 Paris" in shown
    assert 'href="mailto:contact@cncd.example.org"' in response.content.decode()


def test_a_value_left_empty_is_shown_as_missing(client, settings):
    settings.LEGAL_NOTICE = {**FILLED, "host_name": "", "contact_email": ""}

    legal = main_text(client.get(reverse("legal_notice")))
    accessibility = main_text(client.get(reverse("accessibility")))

    assert "Hébergeur non renseigné" in legal
    assert "Contact non renseigné" in legal
    assert "par courriel : non renseigné" in accessibility
