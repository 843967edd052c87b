"""The dashboard printed as the network's report, through the project's PDF renderer."""

import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from members.models import Region

URL = reverse("dashboard:network_pdf")


def pdf_text(response) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)


def test_anonymous_visitors_are_sent_to_the_login_page(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_members_are_refused(member_client):
    assert member_client.get(URL).status_code == 403


def test_the_report_prints_the_figures_with_the_same_suppression(curator_client, network):
    response = curator_client.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="chiffres-reseau-codev-')
    reader = PdfReader(io.BytesIO(response.content))
    assert reader.metadata.title == "Chiffres du réseau"
    text = pdf_text(response)
    for heading in ("Sommaire", "Où travaillent les membres", "Le poste", "Membres par région"):
        assert heading in text
    # Occitanie has 3 members: never printed as a number.
    assert re.search(r"Occitanie\s+moins de 5", text)
    assert not re.search(r"Occitanie\s+3\b", text)
    assert "Bretagne" in text


def test_filters_apply_to_the_report(curator_client, network):
    occitania = Region.objects.get(name="Occitanie")
    text = pdf_text(curator_client.get(URL, {"region": occitania.code}))
    assert "Sélection : Occitanie" in text
    assert "Moins de 5 membres correspondent à ces filtres" in text
    assert "Le poste" not in text.split("Sommaire", 1)[1].split("À propos", 1)[0]


@pytest.mark.parametrize("kind", ["petr", "metropole"])
def test_the_report_names_the_territory_kind_chosen(curator_client, network, kind):
    text = pdf_text(curator_client.get(URL, {"kind": kind}))
    assert "Sélection :" in text
