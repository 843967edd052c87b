"""The toolbox in a browser: a member proposes a method, the CNCD team publishes it, a visitor finds it.

Every page of the journey is checked with axe, on a desktop and on a phone's screen (`check_page`).
"""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.login import log_in
from tests.members.factories import UserFactory
from tests.referentiel.factories import build_version
from tests.toolbox.factories import make_resource

CATALOGUE = "/boite-a-outils/"
TITLE = "Le débat mouvant en plénière"


@pytest.fixture
def people(live_server):
    build_version(label="v1.0")  # the référentiel the resource links to: C-1-01 "Compétence 1.1"…
    author = UserFactory(email="autrice@example.org", first_name="Maëlle", last_name="Le Goff")
    curator = UserFactory(curator=True, email="equipe@example.org", first_name="Inès", last_name="Carré")
    # Published for members only: a visitor without an account never sees it.
    make_resource(author, title="Une méthode réservée aux membres", published_by=curator)
    make_resource(author, title="Le world café", published_by=curator, public=True)
    return author, curator


def test_a_method_goes_from_proposal_to_the_public_catalogue(new_context, live_server, check_page, people):
    author, curator = people

    # A member proposes a method, links it to a competence, asks for it to be public and submits it.
    page = new_context().new_page()
    log_in(page, live_server, author.email)
    page.goto(live_server.url + CATALOGUE)
    expect(page.get_by_role("heading", level=1)).to_have_text("Boîte à outils")
    check_page(page, "boite-01-catalogue-membre")
    page.get_by_role("link", name="Proposer une ressource").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Proposer une ressource")
    check_page(page, "boite-02-choisir-la-nature")
    page.get_by_role("radio", name="Méthode d'animation").check()
    page.get_by_role("button", name="Continuer").click()
    expect(page).to_have_url(re.compile(r"nature=methode"))
    page.get_by_role("textbox", name=re.compile(r"^Titre")).fill(TITLE)
    page.get_by_role("textbox", name=re.compile(r"^En bref")).fill(
        "Une affirmation, deux côtés de la salle : chacun prend position et argumente."
    )
    page.get_by_role("textbox", name=re.compile(r"^Objectif")).fill("Faire apparaître les arguments de chacun.")
    page.get_by_role("spinbutton", name=re.compile(r"^Participants, au moins")).fill("10")
    page.get_by_role("spinbutton", name=re.compile(r"^Participants, au plus")).fill("40")
    page.get_by_role("spinbutton", name=re.compile(r"^Durée")).fill("45")
    page.get_by_role("textbox", name=re.compile(r"^Déroulé")).fill(
        "1. Lire l'affirmation.\n2. Chacun se place.\n3. Chaque camp argumente."
    )
    page.get_by_role("checkbox", name=re.compile(r"^C-1-01")).check()
    page.get_by_role("radio", name="Tout le monde (public)").check()
    check_page(page, "boite-03-formulaire-methode")
    page.get_by_role("button", name="Enregistrer et soumettre à l'équipe CNCD").click()
    expect(page.get_by_text("Ressource soumise : l'équipe CNCD va la relire.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    check_page(page, "boite-04-ressource-soumise")

    # The curator finds it in the team's queue and publishes it, public access approved.
    team = new_context().new_page()
    log_in(team, live_server, curator.email)
    team.goto(live_server.url + CATALOGUE + "equipe/")
    expect(team.get_by_role("heading", level=1)).to_have_text("Boîte à outils : décisions de l'équipe")
    check_page(team, "boite-05-file-de-l-equipe")
    team.get_by_role("link", name=TITLE).click()
    expect(team.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(team.get_by_role("radio", name="Publier")).to_be_checked()
    expect(team.get_by_role("checkbox", name="Approuver aussi l'accès public demandé")).to_be_checked()
    check_page(team, "boite-06-decision")
    team.get_by_role("button", name="Enregistrer la décision").click()
    expect(team.get_by_text("Ressource publiée ; ses auteur·rices sont prévenu·es.")).to_be_visible()
    expect(team.get_by_role("link", name=TITLE)).to_have_count(0)

    # A visitor without an account searches the public catalogue and opens the resource.
    visitor = new_context().new_page()
    visitor.goto(live_server.url + CATALOGUE)
    expect(visitor.get_by_role("link", name=TITLE)).to_be_visible()
    expect(visitor.get_by_role("heading", name="2 ressources trouvées")).to_be_visible()
    expect(visitor.get_by_role("link", name="Une méthode réservée aux membres")).to_have_count(0)
    expect(visitor.get_by_role("link", name="Proposer une ressource")).to_have_count(0)
    search = visitor.get_by_role("searchbox", name="Rechercher une ressource")
    search.fill("mouvant")
    search.press("Enter")
    expect(visitor.get_by_role("heading", name="1 ressource trouvée")).to_be_visible()
    expect(visitor.get_by_role("link", name="Le world café")).to_have_count(0)
    check_page(visitor, "boite-07-recherche-publique")
    visitor.get_by_role("link", name=TITLE).click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(visitor.get_by_text("Faire apparaître les arguments de chacun.")).to_be_visible()
    check_page(visitor, "boite-08-ressource-publique")
