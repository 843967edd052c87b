"""The référentiel as a PDF: a version by mission, with its competences and its scale."""

from unittest import mock

import pytest
from django.urls import reverse

from core import pdf as renderer

pytestmark = pytest.mark.django_db


def _url(label):
    return reverse("referentiel:version_pdf", args=[label])


def test_published_referentiel_pdf_for_everyone(client, framework, read_pdf):
    response = client.get(_url("v1.0"))

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="referentiel-competences-codev-v1.0.pdf"'
    pdf = read_pdf(response.content)
    assert "Référentiel des missions et" in pdf.pages[0]
    assert "3 missions, 30 compétences, échelle en 4 niveaux" in pdf.pages[0]
    assert pdf.metadata["/Title"] == "Référentiel des missions et compétences — v1.0"
    assert pdf.metadata["/Author"] == "Coordination nationale des conseils de développement"
    assert pdf.catalog["/Lang"] == "fr"
    # Scale, then missions with their activities and competences, then competences by domain.
    text = pdf.text
    positions = [
        text.index("Échelle de maîtrise", text.index("Sommaire") + 200),
        text.index("M1 Mission 1", text.index("Sommaire") + 200),
        text.index("M1.A1 Réaliser l'activité 1.1"),
        text.index("Compétences par domaine", text.index("M3 Mission 3", text.index("Sommaire") + 200)),
        text.index("C-3-10 Compétence 3.10"),
    ]
    assert positions == sorted(positions)
    assert "Notions" in text and "Expertise" in text
    assert "Applique la chose 1.1" in text  # a level descriptor specific to a competence
    toc = pdf.toc()
    assert "M2 — Mission 2" in toc and "D-3 — Domaine 3" in toc
    assert pdf.first_page_with("D-3 Domaine 3") == toc["D-3 — Domaine 3"]
    assert all("+Source-Sans-3" in name for name in pdf.fonts())
    assert "PROJET" not in text


def test_published_referentiel_is_stored_once(client, framework):
    with mock.patch.object(renderer, "html_to_pdf", wraps=renderer.html_to_pdf) as render:
        first = client.get(_url("v1.0"))
        second = client.get(_url("v1.0"))
        archival = client.get(_url("v1.0") + "?format=pdfa")

    assert first.content == second.content
    assert archival.content != first.content
    assert render.call_count == 2  # once per variant


def test_draft_referentiel_only_for_the_cncd_team_marked_projet(
    client, member_client, curator, draft_framework, read_pdf
):
    assert client.__class__().get(_url("v2.0")).status_code == 404
    assert member_client.get(_url("v2.0")).status_code == 404

    client.force_login(curator)
    with mock.patch.object(renderer, "html_to_pdf", wraps=renderer.html_to_pdf) as render:
        response = client.get(_url("v2.0"))
        client.get(_url("v2.0"))

    assert render.call_count == 2  # never stored
    assert response["Content-Disposition"] == 'attachment; filename="referentiel-competences-codev-v2.0-projet.pdf"'
    pdf = read_pdf(response.content)
    assert all("PROJET" in page for page in pdf.pages)


def test_download_link_on_the_referentiel_page(client, framework):
    page = client.get(reverse("referentiel:version", args=["v1.0"]))

    assert _url("v1.0").encode() in page.content
