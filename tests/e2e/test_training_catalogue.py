"""The catalogue of trainings in a browser: the CNCD team adds and publishes a training, a member finds it by
competence and marks it followed, a visitor reads the catalogue.

Every page of the journey is checked with axe, on a desktop and on a phone's screen (`check_page`).
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.login import log_in
from tests.members.factories import UserFactory
from tests.referentiel.factories import build_version
from tests.training.factories import make_training

TITLE = "Animer une concertation citoyenne"


@pytest.fixture
def people(live_server):
    build_version(label="v1.0")  # competences C-1-01 "Compétence 1.1"…, missions M1, M2
    member = UserFactory(email="technicienne@example.org", first_name="Léa", last_name="Fontaine")
    curator = UserFactory(curator=True, email="equipe@example.org", first_name="Inès", last_name="Carré")
    make_training(title="Rédiger un avis avec les membres", codes=("C-2-02",), provider="CNCD", provider_kind="cncd")
    return member, curator


def test_a_training_goes_from_the_team_to_a_member_who_followed_it(new_context, live_server, check_page, people):
    member, curator = people
    start = timezone.localdate() + timedelta(days=40)

    # The CNCD team adds a training, with its competences, then a session, then publishes it.
    team = new_context().new_page()
    log_in(team, live_server, curator.email)
    team.goto(live_server.url + "/parcours/")
    expect(team.get_by_role("heading", level=1)).to_have_text("Parcours : se former et progresser")
    check_page(team, "formations-01-parcours-equipe")
    team.get_by_role("link", name="Catalogue des formations").first.click()
    expect(team.get_by_role("heading", level=1)).to_have_text("Catalogue des formations")
    check_page(team, "formations-02-catalogue-equipe")
    team.get_by_role("link", name="Ajouter une formation").click()
    team.get_by_role("textbox", name=re.compile(r"^Intitulé")).fill(TITLE)
    team.get_by_role("textbox", name=re.compile(r"^En bref")).fill("Trois jours pour concevoir et animer.")
    team.get_by_role("textbox", name=re.compile(r"^Organisme")).fill("CNFPT – INSET de Dunkerque")
    team.get_by_role("radio", name="Hybride").check()
    team.get_by_role("spinbutton", name=re.compile(r"^Durée")).fill("21")
    team.get_by_role("checkbox", name=re.compile(r"^C-1-01")).check()
    check_page(team, "formations-03-formulaire")
    team.get_by_role("button", name="Enregistrer").click()
    expect(team.get_by_role("heading", level=1)).to_have_text(f"Sessions de « {TITLE} »")
    team.get_by_role("textbox", name=re.compile(r"^Début")).fill(start.isoformat())
    team.get_by_role("textbox", name=re.compile(r"^Fin")).fill((start - timedelta(days=1)).isoformat())
    team.get_by_role("textbox", name=re.compile(r"^Lieu")).fill("Dunkerque")
    team.get_by_role("combobox", name=re.compile(r"^Région")).select_option(label="Hauts-de-France")
    team.get_by_role("button", name="Ajouter la session").click()
    expect(team.get_by_text("La fin ne peut pas précéder le début de la session.")).to_be_visible()
    expect(team.get_by_role("textbox", name=re.compile(r"^Lieu"))).to_have_value("Dunkerque")
    team.get_by_role("textbox", name=re.compile(r"^Fin")).fill((start + timedelta(days=2)).isoformat())
    team.get_by_role("button", name="Ajouter la session").click()
    expect(team.get_by_text("La session est ajoutée.")).to_be_visible()
    check_page(team, "formations-04-sessions")
    team.get_by_role("button", name="Publier").click()
    expect(team.get_by_text("La formation est publiée")).to_be_visible()
    expect(team.get_by_role("heading", level=1)).to_have_text(TITLE)
    check_page(team, "formations-05-formation-equipe")

    # A member finds it by the competence filter and marks it followed, with a review.
    page = new_context().new_page()
    log_in(page, live_server, member.email)
    page.goto(live_server.url + "/parcours/formations/")
    expect(page.get_by_role("heading", name="2 formations trouvées")).to_be_visible()
    expect(page.get_by_role("link", name="Ajouter une formation")).to_have_count(0)
    # Choosing a value updates the results (htmx); without JavaScript, the "Filtrer" button does.
    page.get_by_role("combobox", name="Compétence développée").select_option("C-1-01")
    expect(page.get_by_role("heading", name="1 formation trouvée")).to_be_visible()
    expect(page.get_by_role("link", name="Rédiger un avis avec les membres")).to_have_count(0)
    check_page(page, "formations-06-catalogue-filtre")
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_text("Compétence 1.1")).to_be_visible()
    expect(page.get_by_text("Dunkerque").first).to_be_visible()
    check_page(page, "formations-07-formation-membre")
    page.get_by_role("textbox", name=re.compile(r"^Suivie le")).fill(timezone.localdate().isoformat())
    page.get_by_role("textbox", name=re.compile(r"^Votre avis")).fill("Concret et bien animé.")
    page.get_by_role("button", name="Je l'ai suivie").click()
    expect(page.get_by_text("La formation est notée comme suivie.")).to_be_visible()
    expect(page.get_by_text("Vous avez indiqué l'avoir suivie")).to_be_visible()
    expect(page.get_by_text("Concret et bien animé.")).to_be_visible()
    expect(page.locator("#completion-count")).to_have_text("1")
    check_page(page, "formations-08-suivie")
    page.get_by_role("link", name="Modifier la date ou mon avis").click()
    expect(page.get_by_role("textbox", name=re.compile(r"^Votre avis"))).to_have_value("Concret et bien animé.")
    check_page(page, "formations-09-modifier-suivie")

    # A visitor reads the catalogue and the training, without the members' reviews.
    visitor = new_context().new_page()
    visitor.goto(live_server.url + "/parcours/formations/")
    search = visitor.get_by_role("searchbox", name="Rechercher une formation")
    search.fill("concertation")
    search.press("Enter")
    expect(visitor.get_by_role("heading", name="1 formation trouvée")).to_be_visible()
    check_page(visitor, "formations-10-catalogue-public")
    visitor.get_by_role("link", name=TITLE).click()
    expect(visitor.get_by_text("Concret et bien animé.")).to_have_count(0)
    check_page(visitor, "formations-11-formation-publique")

    # The team's import page and its preview.
    team.goto(live_server.url + "/parcours/formations/importer/")
    expect(team.get_by_role("heading", level=1)).to_have_text("Importer des formations")
    check_page(team, "formations-12-import")
    team.get_by_label("Fichier CSV ou XLSX").set_input_files(
        files=[
            {
                "name": "formations.csv",
                "mimeType": "text/csv",
                "buffer": (
                    "titre;organisme;en_bref;format;competences\n"
                    f"{TITLE};CNFPT – INSET de Dunkerque;Nouvelle présentation.;hybride;C-1-01\n"
                    "Facilitation graphique;Scopic;Dessiner en réunion.;sur place;C-9-99\n"
                ).encode(),
            }
        ]
    )
    team.get_by_role("button", name="Vérifier le fichier").click()
    expect(team.get_by_text("1 ligne a une erreur")).to_be_visible()
    expect(team.get_by_text("code inconnu dans le référentiel v1.0 : C-9-99")).to_be_visible()
    check_page(team, "formations-13-import-apercu")
