"""The council pages of the vitrine in a browser: a technician presents their council and submits the page,
chooses to appear on it; the CNCD team publishes it; a visitor finds it with the technician named.

Every page of the journey is checked with axe, on a desktop and on a phone's screen (`check_page`).
"""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.login import log_in
from tests.members.factories import CouncilFactory, ProfileFactory, UserFactory

COUNCIL = "Conseil de développement du Haut-Bocage"


@pytest.fixture
def people(live_server):
    council = CouncilFactory(name=COUNCIL, departments=["85"])
    author = UserFactory(email="technicienne@example.org", first_name="Maëlle", last_name="Le Goff")
    ProfileFactory(user=author, council=council, display_name="Maëlle Le Goff", job_title="Chargée de mission")
    curator = UserFactory(curator=True, email="equipe@example.org", first_name="Inès", last_name="Carré")
    return author, curator


def test_a_council_page_goes_from_the_technician_to_the_public(new_context, live_server, check_page, people):
    author, curator = people

    # The technician opens "Ma vitrine" from the menu, presents the council and chooses to appear.
    page = new_context().new_page()
    log_in(page, live_server, author.email)
    page.get_by_text("Mon espace").click()
    page.get_by_role("link", name="Ma vitrine").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ma vitrine")
    check_page(page, "vitrine-01-ma-vitrine-sans-page")
    page.get_by_role("textbox", name=re.compile(r"^Présentation")).fill(
        "Le conseil réunit habitant·es, associations et entreprises du bocage autour du projet de territoire."
    )
    page.get_by_role("textbox", name=re.compile(r"^Territoire")).fill("26 communes, 42 000 habitant·es")
    page.get_by_role("spinbutton", name=re.compile(r"^Nombre de membres")).fill("45")
    page.get_by_role("spinbutton", name=re.compile(r"^Année de création")).fill("2016")
    page.get_by_role("combobox", name=re.compile(r"^Mode de désignation")).select_option(label="Tirage au sort")
    page.get_by_role("button", name="Créer la page (brouillon)").click()
    expect(page.get_by_text("Brouillon enregistré.")).to_be_visible()
    page.get_by_role("checkbox", name=re.compile(r"^Apparaître sur la page publique")).check()
    page.get_by_role("button", name="Enregistrer mon choix").click()
    expect(page.get_by_text("Votre nom et votre poste apparaissent")).to_be_visible()
    check_page(page, "vitrine-02-ma-vitrine-brouillon")
    page.get_by_role("link", name="Voir la page").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(COUNCIL)
    check_page(page, "vitrine-03-page-brouillon")
    page.get_by_role("button", name="Soumettre à l'équipe CNCD").click()
    expect(page.get_by_text("Page soumise : l'équipe CNCD va la vérifier.")).to_be_visible()

    # The team finds it in its queue and publishes it.
    team = new_context().new_page()
    log_in(team, live_server, curator.email)
    team.goto(live_server.url + "/vitrine/equipe/")
    expect(team.get_by_role("heading", level=1)).to_have_text("Vitrine : vérifications de l'équipe")
    check_page(team, "vitrine-04-file-de-l-equipe")
    team.get_by_role("link", name=COUNCIL).click()
    team.get_by_role("radio", name="Publier (ou confirmer la page modifiée)").check()
    check_page(team, "vitrine-05-verification")
    team.get_by_role("button", name="Enregistrer la décision").click()
    expect(team.get_by_text("Page publiée (ou confirmée)")).to_be_visible()
    team.get_by_role("link", name="Gérer la liste des thèmes").click()
    team.get_by_role("textbox", name=re.compile(r"^Nouveau thème")).fill("Mobilité")
    team.get_by_role("button", name="Ajouter le thème").click()
    expect(team.get_by_role("row", name=re.compile("Mobilité"))).to_be_visible()
    check_page(team, "vitrine-06-themes")

    # Published: the technician's correction shows at once and goes to the team's queue for a second look.
    page.goto(live_server.url + "/vitrine/ma-vitrine/")
    expect(page.get_by_text("Publiée", exact=True)).to_be_visible()
    page.get_by_role("link", name="Modifier la page").click()
    expect(page.get_by_text("Cette page est publiée : vos modifications seront visibles")).to_be_visible()
    check_page(page, "vitrine-07-modifier-la-page")
    page.get_by_role("textbox", name=re.compile(r"^Territoire")).fill("27 communes, 43 000 habitant·es")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(page.get_by_text("Modifications publiées.")).to_be_visible()
    team.goto(live_server.url + "/vitrine/equipe/")
    expect(team.get_by_role("region", name=re.compile("modifiées depuis la dernière vérification"))).to_contain_text(
        COUNCIL
    )

    # A visitor goes from the vitrine's home to the list, filters, and opens the page.
    visitor = new_context().new_page()
    visitor.goto(live_server.url + "/")
    visitor.get_by_role("navigation", name="Navigation principale").get_by_role("link", name="Vitrine").click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text("La vitrine des conseils de développement")
    check_page(visitor, "vitrine-08-accueil")
    visitor.get_by_role("link", name="Les conseils", exact=True).click()
    visitor.get_by_role("combobox", name="Région").select_option(label="Pays de la Loire")
    visitor.get_by_role("button", name="Filtrer").click()
    expect(visitor.get_by_role("link", name=COUNCIL)).to_be_visible()
    check_page(visitor, "vitrine-09-liste-des-conseils")
    visitor.get_by_role("link", name=COUNCIL).click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text(COUNCIL)
    technicians = visitor.get_by_role("region", name="Technicien·nes du conseil")
    expect(technicians).to_contain_text("Maëlle Le Goff")
    expect(technicians).to_contain_text("Chargée de mission")
    expect(visitor.get_by_text("Tirage au sort")).to_be_visible()
    expect(visitor.get_by_text("27 communes, 43 000 habitant·es")).to_be_visible()
    check_page(visitor, "vitrine-10-page-publique")


# Twelve links for the team: the team's menu sits in the account bar, so the main menu keeps one line.
def test_the_main_menu_with_the_vitrine_still_fits_on_one_line_at_1280_px(new_context, live_server, people):
    _author, curator = people
    page = new_context().new_page()
    log_in(page, live_server, curator.email)
    page.goto(live_server.url + "/vitrine/")
    menu = page.get_by_role("navigation", name="Navigation principale")
    expect(menu.get_by_role("link", name="Vitrine")).to_have_attribute("aria-current", "page")
    items = menu.locator("#main-nav-list > ul > li").all()
    tops = {round(item.bounding_box()["y"]) for item in items}
    assert len(tops) == 1, f"le menu principal tient sur {len(tops)} lignes à 1280 px"
