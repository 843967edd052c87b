"""The works library in a browser: a technician adds an opinion of their council with its PDF and its follow-up
and publishes it; a visitor finds it by search and filters, reads it, downloads the PDF and sees it in the feed.

Every page of the journey is checked with axe, on a desktop and on a phone's screen (`check_page`).
"""

import re

import pytest
from playwright.sync_api import expect

from showcase.models import Work
from tests.e2e.login import log_in
from tests.members.factories import CouncilFactory, ProfileFactory, UserFactory
from tests.showcase.factories import CouncilPageFactory, ThemeFactory
from tests.showcase.works_helpers import MINIMAL_PDF

COUNCIL = "Conseil de développement du Val-de-Sèvre"
TITLE = "Avis sur les navettes rurales du Val-de-Sèvre"


@pytest.fixture
def technician(live_server):
    council = CouncilFactory(name=COUNCIL, departments=["79"])
    CouncilPageFactory(council=council, slug="val-de-sevre", region=None)
    ThemeFactory(name="Mobilité", slug="mobilite")
    ThemeFactory(name="Logement", slug="logement")
    author = UserFactory(email="technicien@example.org", first_name="Yanis", last_name="Morel")
    ProfileFactory(user=author, council=council, display_name="Yanis Morel")
    return author


def test_a_work_goes_from_the_technician_to_the_public(new_context, live_server, check_page, technician):
    page = new_context().new_page()
    log_in(page, live_server, technician.email)
    page.goto(live_server.url + "/vitrine/travaux/")
    check_page(page, "travaux-01-bibliotheque-vide")
    page.get_by_role("link", name="Ajouter un travail").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ajouter un travail du conseil")
    check_page(page, "travaux-02-ajouter")
    page.get_by_role("combobox", name=re.compile(r"^Nature")).select_option(label="Avis")
    page.get_by_role("textbox", name=re.compile(r"^Titre")).fill(TITLE)
    page.locator("#id_issued_on").fill("2025-04-02")
    page.get_by_role("textbox", name=re.compile(r"^Résumé")).fill(
        "Le conseil propose des navettes à la demande entre les bourgs et la gare, le samedi compris."
    )
    page.get_by_role("checkbox", name="Mobilité").check()
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_text("Brouillon : ce travail n'est visible")).to_be_visible()
    check_page(page, "travaux-03-brouillon")

    # Its PDF, its follow-up, then published.
    page.get_by_label("Ajouter le document PDF").set_input_files(
        files=[{"name": "avis-navettes.pdf", "mimeType": "application/pdf", "buffer": MINIMAL_PDF}]
    )
    page.get_by_role("button", name="Envoyer le document").click()
    expect(page.get_by_text("Le document est ajouté.")).to_be_visible()
    page.get_by_role("link", name="Mettre à jour les suites données").click()
    check_page(page, "travaux-04-suites")
    page.get_by_role("combobox", name=re.compile(r"^Réponse de la collectivité")).select_option(
        label="La collectivité a répondu"
    )
    page.get_by_role("textbox", name=re.compile(r"^Réponse de")).fill("Le conseil communautaire")
    page.locator("#id_followup_on").fill("2025-05-20")
    page.get_by_role("combobox", name=re.compile(r"^Prise en compte")).select_option(label="Pris en compte en partie")
    page.get_by_role("textbox", name=re.compile(r"^Note sur les suites")).fill("Deux navettes sur trois retenues.")
    page.get_by_role("button", name="Enregistrer les suites données").click()
    expect(page.get_by_text("Les suites données sont enregistrées.")).to_be_visible()
    page.get_by_role("button", name="Publier dans la vitrine").click()
    expect(page.get_by_text("Le travail est publié dans la vitrine.")).to_be_visible()
    check_page(page, "travaux-05-publie")
    work = Work.objects.get(title=TITLE)

    # A visitor searches, filters, reads, downloads and finds it in the feed.
    visitor = new_context().new_page()
    visitor.goto(live_server.url + "/vitrine/travaux/")
    visitor.get_by_role("searchbox", name="Rechercher un travail").fill("navettes")
    visitor.get_by_role("button", name="Rechercher").click()
    expect(visitor.get_by_role("heading", name="1 travail trouvé")).to_be_visible()
    visitor.get_by_role("combobox", name="Thème").select_option(value="mobilite")
    visitor.get_by_role("button", name="Filtrer").click()
    expect(visitor.get_by_role("link", name=TITLE)).to_be_visible()
    visitor.mouse.move(0, 0)  # the pointer off the button it clicked (its hover colours are not the page's)
    check_page(visitor, "travaux-06-recherche")
    visitor.get_by_role("link", name=TITLE).click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(visitor.get_by_text("Pris en compte en partie")).to_be_visible()
    expect(visitor.get_by_role("heading", name="Citer ce travail")).to_be_visible()
    check_page(visitor, "travaux-07-travail")
    with visitor.expect_download() as download:
        visitor.get_by_role("link", name=re.compile(r"^Télécharger le document")).click()
    assert download.value.suggested_filename == "avis-navettes.pdf"
    work.refresh_from_db()
    assert work.downloads == 1
    response = visitor.request.get(live_server.url + "/vitrine/travaux/flux.atom")
    assert response.ok and TITLE in response.text() and "<category" in response.text()
