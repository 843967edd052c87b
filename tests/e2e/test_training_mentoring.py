"""Peer mentoring and the newcomers' path in a browser: a member offers help, another finds them and asks, the
first accepts, the second then sees the e-mail address; a newcomer checks a step off; the team adds a step.

Every page of the journeys is checked with axe, on a desktop and on a phone's screen (`check_page`).
"""

import pytest
from playwright.sync_api import expect

from competences.models import SelfAssessment
from tests.e2e.login import log_in
from tests.members.factories import ProfileFactory, UserFactory
from tests.referentiel.factories import build_version, small_data
from training.models import WelcomeStep

CODE = "C-1-01"


@pytest.fixture
def people(live_server):
    version = build_version(small_data("v1.0"))
    mentor = UserFactory(email="marie.mentor@example.org", first_name="Marie", last_name="Mentor")
    newcomer = UserFactory(email="nina.nouvelle@example.org", first_name="Nina", last_name="Nouvelle")
    for person in (mentor, newcomer):
        ProfileFactory(user=person, display_name=f"{person.first_name} {person.last_name}")
    SelfAssessment.objects.create(user=mentor, code=CODE, level=4, version=version)
    curator = UserFactory(curator=True, email="equipe@example.org", first_name="Inès", last_name="Carré")
    WelcomeStep.objects.create(title="Lire la fiche de poste commune", link="/fiches/", order=10)
    WelcomeStep.objects.create(title="Faire mon auto-évaluation", link="/referentiel/mon-auto-evaluation/", order=20)
    return {"mentor": mentor, "newcomer": newcomer, "curator": curator}


def test_a_member_offers_help_another_asks_and_sees_the_address_once_accepted(
    new_context, live_server, check_page, people
):
    mentor, newcomer = people["mentor"], people["newcomer"]
    mentor_page = new_context().new_page()
    log_in(mentor_page, live_server, mentor.email)
    mentor_page.goto(live_server.url + "/parcours/accompagnement/proposer/")
    expect(mentor_page.get_by_role("heading", level=1)).to_have_text("Proposer mon aide à des pairs")
    check_page(mentor_page, "accompagnement-01-proposer")
    # Proposed from her self-assessment (level 4 ≥ the proficient level 3).
    mentor_page.get_by_role("checkbox", name=f"{CODE} · Compétence 1.1").check()
    mentor_page.get_by_role("button", name="Enregistrer mes propositions").click()
    expect(mentor_page.get_by_text("Vos propositions d'accompagnement sont enregistrées.")).to_be_visible()
    expect(mentor_page.get_by_role("checkbox", name=f"{CODE} · Compétence 1.1")).to_be_checked()

    page = new_context().new_page()
    log_in(page, live_server, newcomer.email)
    page.goto(live_server.url + "/parcours/accompagnement/")
    check_page(page, "accompagnement-02-trouver")
    page.get_by_label("Compétence", exact=True).select_option(CODE)
    page.get_by_role("button", name="Voir les pairs").click()
    expect(page.get_by_role("link", name="Marie Mentor")).to_be_visible()
    expect(page.get_by_text("Propose son aide")).to_be_visible()
    assert mentor.email not in page.content()
    page.get_by_text("Demander un accompagnement").click()
    check_page(page, "accompagnement-03-pairs")
    page.get_by_label("Votre message").fill("Bonjour, j'anime ma première plénière en mars : auriez-vous une heure ?")
    page.get_by_role("button", name="Envoyer la demande à Marie Mentor").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Demande d'accompagnement")
    expect(page.get_by_text("En attente de réponse")).to_be_visible()
    assert mentor.email not in page.content()
    check_page(page, "accompagnement-04-demande-envoyee")

    mentor_page.goto(live_server.url + "/parcours/accompagnement/demandes/")
    check_page(mentor_page, "accompagnement-05-mes-demandes")
    mentor_page.get_by_role("link", name="Nina Nouvelle").click()
    assert newcomer.email not in mentor_page.content()
    check_page(mentor_page, "accompagnement-06-demande-recue")
    mentor_page.get_by_label("Votre réponse (facultative)").fill("Avec plaisir, écrivez-moi.")
    mentor_page.get_by_role("button", name="Accepter").click()
    expect(mentor_page.get_by_role("link", name=newcomer.email)).to_be_visible()
    check_page(mentor_page, "accompagnement-07-acceptee-mentor")

    page.reload()
    expect(page.get_by_text("Acceptée", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name=mentor.email)).to_have_attribute("href", f"mailto:{mentor.email}")
    expect(page.get_by_text("Avec plaisir, écrivez-moi.")).to_be_visible()
    check_page(page, "accompagnement-08-acceptee-demandeuse")


def test_a_newcomer_checks_a_step_and_the_team_adds_one(new_context, live_server, check_page, people):
    page = new_context().new_page()
    log_in(page, live_server, people["newcomer"].email)
    page.goto(live_server.url + "/parcours/premiers-pas/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon parcours d'arrivée")
    check_page(page, "arrivee-01-parcours")
    page.get_by_role("button", name="C'est fait : Lire la fiche de poste commune").click()
    expect(page.get_by_role("progressbar")).to_have_attribute("value", "1")
    expect(page.get_by_role("button", name="Décocher l'étape « Lire la fiche de poste commune »")).to_be_visible()
    check_page(page, "arrivee-02-etape-cochee")

    team = new_context().new_page()
    log_in(team, live_server, people["curator"].email)
    team.goto(live_server.url + "/parcours/premiers-pas/etapes/")
    check_page(team, "arrivee-03-etapes-equipe")
    team.get_by_role("link", name="Ajouter une étape").click()
    check_page(team, "arrivee-04-nouvelle-etape")
    team.get_by_label("Étape").fill("Trouver un·e pair")
    team.get_by_label("Lien").fill("/parcours/accompagnement/")
    team.get_by_role("button", name="Enregistrer").click()
    expect(team.get_by_role("row", name="Trouver un·e pair")).to_be_visible()
    team.get_by_role("button", name="Monter « Trouver un·e pair »").click()
    rows = team.locator("tbody th")
    expect(rows.nth(1)).to_contain_text("Trouver un·e pair")
