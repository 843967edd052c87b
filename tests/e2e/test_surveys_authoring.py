"""Writing a questionnaire in a browser: the CNCD team writes a small questionnaire with a conditional
question, previews it, creates a campaign and opens it; a member gets the invitation.

Every page of the journey is checked with axe, on a desktop and on a phone's screen (`check_page`).
"""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from surveys.enums import CampaignStatus
from surveys.models import Campaign, Question
from tests.e2e.login import log_in
from tests.members.factories import UserFactory

TEAM = "/enquetes/equipe/"
TITLE = "Enquête express sur l'IA"


@pytest.fixture
def people(live_server):
    curator = UserFactory(curator=True, email="equipe@example.org", first_name="Inès", last_name="Carré")
    member = UserFactory(email="membre@example.org", first_name="Maëlle", last_name="Le Goff")
    return curator, member


def test_the_team_writes_previews_and_opens_a_questionnaire(new_context, live_server, check_page, people):
    curator, member = people
    page = new_context().new_page()
    log_in(page, live_server, curator.email)
    page.goto(live_server.url + TEAM)
    expect(page.get_by_role("heading", level=1)).to_have_text("Enquêtes : questionnaires et campagnes")
    check_page(page, "enquetes-equipe-01-accueil")

    # The questionnaire, its first part.
    page.get_by_role("link", name="Écrire un questionnaire").click()
    page.get_by_role("textbox", name=re.compile(r"^Titre")).fill(TITLE)
    page.get_by_role("textbox", name=re.compile(r"^Introduction")).fill("Cinq minutes sur vos usages de l'IA.")
    check_page(page, "enquetes-equipe-02-questionnaire")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    page.get_by_role("link", name="Ajouter une partie").click()
    page.get_by_role("textbox", name=re.compile(r"^Titre de la partie")).fill("Vos outils")
    check_page(page, "enquetes-equipe-03-partie")
    page.get_by_role("button", name="Enregistrer").click()

    # A single-choice question, then a question shown only for some of its answers.
    page.get_by_role("link", name="Ajouter une question").click()
    check_page(page, "enquetes-equipe-04-type")
    page.get_by_role("radio", name="Choix unique").check()
    page.get_by_role("button", name="Continuer").click()
    page.get_by_role("textbox", name=re.compile(r"^Question")).fill("Utilisez-vous l'IA dans votre travail ?")
    page.get_by_role("checkbox", name="Réponse obligatoire").check()
    page.get_by_role("textbox", name=re.compile(r"^Options")).fill("oui | Oui\nnon | Non")
    check_page(page, "enquetes-equipe-05-question")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("La question est ajoutée.")).to_be_visible()

    page.get_by_role("link", name="Ajouter une question").click()
    page.get_by_role("radio", name="Texte long").check()
    page.get_by_role("button", name="Continuer").click()
    page.get_by_role("textbox", name=re.compile(r"^Question")).fill("Pour quels usages ?")
    page.get_by_role("listbox", name=re.compile(r"^Afficher seulement si")).select_option(label="Oui")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("La question est ajoutée.")).to_be_visible()
    check_page(page, "enquetes-equipe-06-structure")
    follow_up = Question.objects.get(text="Pour quels usages ?")
    assert follow_up.condition_question.code == "utilisez-vous-l-ia-dans-votre"  # cut at a word
    assert follow_up.condition_values == ["oui"]

    # The preview, as a respondent reads it.
    page.get_by_role("link", name="Aperçu").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Aperçu : {TITLE}")
    expect(page.get_by_text("Posée seulement si « Utilisez-vous l'IA dans votre travail ? » = Oui")).to_be_visible()
    check_page(page, "enquetes-equipe-07-apercu")
    page.get_by_role("link", name="Retour au questionnaire").click()

    # A campaign, then its opening: one invitation to the member.
    page.get_by_role("link", name="Créer une campagne").click()
    page.get_by_role("textbox", name=re.compile(r"^Titre")).fill("IA 2026")
    now = timezone.localtime()
    page.locator("#id_opens_at").fill((now - timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M"))
    page.locator("#id_closes_at").fill((now + timedelta(days=20)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("radio", name="Oui : anonymes").check()
    page.get_by_role("textbox", name=re.compile(r"^Ce qui sera publié")).fill(
        "Les résultats agrégés, sans aucun groupe de moins de 5 personnes."
    )
    check_page(page, "enquetes-equipe-08-campagne")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("IA 2026")
    check_page(page, "enquetes-equipe-09-campagne-en-preparation")
    page.get_by_role("button", name="Ouvrir la campagne").click()
    expect(page.get_by_text("La campagne est ouverte")).to_be_visible()
    check_page(page, "enquetes-equipe-10-campagne-ouverte")
    campaign = Campaign.objects.get(title="IA 2026")
    assert campaign.status == CampaignStatus.OPEN and campaign.anonymous
    assert member.email in [address for message in mail.outbox for address in message.to]
