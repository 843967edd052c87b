"""The toolbox in use, in a browser: a member marks a published method useful, says they used it and
comments; its author edits it, attaches a PDF (typed by its content, with a first-page preview) and reads
the history's differences. Every page is checked with axe, on a desktop and on a phone (`check_page`).
"""

import re

import pytest
from playwright.sync_api import expect
from weasyprint import HTML

from tests.e2e.login import log_in
from tests.members.factories import UserFactory
from tests.referentiel.factories import build_version
from tests.toolbox.factories import make_resource

TITLE = "Le porteur de parole"


@pytest.fixture
def resource(live_server):
    build_version(label="v1.0")
    author = UserFactory(email="autrice@example.org", first_name="Maëlle", last_name="Le Goff")
    curator = UserFactory(curator=True, email="equipe@example.org", first_name="Inès", last_name="Carré")
    UserFactory(email="pair@example.org", first_name="Yanis", last_name="Benali")
    return make_resource(
        author,
        title=TITLE,
        summary="Une question écrite en grand sur un panneau, dans la rue : les passant·es répondent.",
        links=[("competence", "C-1-01", "Compétence 1.1")],
        published_by=curator,
    )


def test_a_member_marks_uses_and_comments_a_resource(new_context, live_server, check_page, resource):
    page = new_context().new_page()
    log_in(page, live_server, "pair@example.org")
    page.goto(live_server.url + f"/boite-a-outils/{resource.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    check_page(page, "boite-usage-01-ressource")

    page.get_by_role("button", name="Je la trouve utile").click()
    expect(page.get_by_role("button", name="Utile ✓ (retirer)")).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_text("1 membre la trouve utile.")).to_be_visible()

    page.get_by_role("textbox", name=re.compile(r"^Votre retour en une ligne")).fill(
        "Sur le marché du samedi : 60 réponses en deux heures."
    )
    page.get_by_role("button", name="Je l'ai utilisée", exact=True).click()
    expect(page.get_by_text("Sur le marché du samedi : 60 réponses en deux heures.")).to_be_visible()

    page.get_by_role("textbox", name="Votre commentaire").fill("Prévoir un second panneau pour les réponses.")
    page.get_by_role("button", name="Publier le commentaire").click()
    expect(page.get_by_text("Prévoir un second panneau pour les réponses.")).to_be_visible()
    check_page(page, "boite-usage-02-apres-retours")


def test_the_author_edits_attaches_a_pdf_and_reads_the_history(
    new_context, live_server, check_page, resource, tmp_path
):
    page = new_context().new_page()
    log_in(page, live_server, "autrice@example.org")
    page.goto(live_server.url + f"/boite-a-outils/{resource.pk}/")
    page.get_by_role("link", name="Modifier", exact=True).click()
    summary = page.get_by_role("textbox", name=re.compile(r"^En bref"))
    summary.fill("Une question écrite en grand sur un panneau, sur le marché : les passant·es répondent au feutre.")
    page.get_by_role("textbox", name=re.compile(r"^Résumé de la modification")).fill("Le lieu précisé")
    check_page(page, "boite-usage-03-modifier")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)

    # A PDF named like a text file: the type comes from the content, and a preview of its first page appears.
    pdf = tmp_path / "panneau.txt"
    pdf.write_bytes(HTML(string="<h1>Panneau</h1><p>Que changeriez-vous dans votre quartier ?</p>").write_pdf())
    page.get_by_label("Ajouter un fichier").set_input_files(str(pdf))
    page.get_by_role("button", name="Ajouter le fichier").click()
    expect(page.get_by_role("link", name="panneau.pdf")).to_be_visible()
    expect(page.get_by_role("img", name="Aperçu de la première page de panneau.pdf")).to_be_visible()
    check_page(page, "boite-usage-04-fichier")

    page.get_by_role("link", name=re.compile(r"^Historique")).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Historique")
    expect(page.locator("ins").filter(has_text="marché")).to_have_count(1)
    expect(page.get_by_role("cell", name="Le lieu précisé")).to_be_visible()
    check_page(page, "boite-usage-05-historique")
