"""Answering a survey in a browser: a member reads the notice, answers a part, leaves, finds the draft again,
fails the split's total and sees every answer kept, fixes it, reviews and sends; a conditional question
appears live with JavaScript; without JavaScript the page still works.

Every page of the journeys is checked with axe, on a desktop and on a phone's screen (`check_page`).
"""

import re

import pytest
from playwright.sync_api import expect

from surveys.enums import ParticipationStatus
from surveys.models import Participation, Response
from tests.e2e.login import log_in
from tests.members.factories import ProfileFactory, UserFactory
from tests.surveys.factories import make_campaign


@pytest.fixture
def survey(live_server):
    member = UserFactory(email="lea.fontaine@example.org", first_name="Léa", last_name="Fontaine")
    ProfileFactory(user=member, display_name="Léa Fontaine")
    campaign = make_campaign(title="Enquête sur les pratiques 2026")
    return {"member": member, "campaign": campaign}


def test_a_member_answers_leaves_comes_back_fixes_the_split_and_sends(new_context, live_server, check_page, survey):
    member, campaign = survey["member"], survey["campaign"]
    page = new_context().new_page()
    log_in(page, live_server, member.email)

    page.goto(live_server.url + "/enquetes/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Enquêtes du réseau")
    expect(page.get_by_text("Pas encore commencée")).to_be_visible()
    check_page(page, "enquetes-repondre-01-accueil")
    page.get_by_role("link", name=campaign.title, exact=True).click()
    expect(page.get_by_role("heading", name="Vos réponses sont anonymes")).to_be_visible()
    expect(page.get_by_text("une réponse anonyme ne peut plus être modifiée")).to_be_visible()
    check_page(page, "enquetes-repondre-02-notice")
    page.get_by_role("link", name="J'ai lu, commencer").click()

    # Part 1: the conditional question appears only once "Oui" is chosen (JavaScript).
    expect(page.get_by_role("heading", level=1)).to_have_text("Votre poste")
    expect(page.locator("#progression")).to_have_text("Partie 1 sur 2")
    expect(page.get_by_role("progressbar")).to_have_attribute("value", "1")
    usages = page.get_by_role("group", name="Pour quels usages ?")
    expect(usages).to_be_hidden()
    check_page(page, "enquetes-repondre-03-partie-1")
    page.get_by_role("radio", name="Oui").check()
    expect(usages).to_be_visible()
    page.get_by_role("checkbox", name="Synthèses").check()
    page.get_by_role("radio", name="Non").check()
    expect(usages).to_be_hidden()
    page.get_by_role("radio", name="Oui").check()
    page.get_by_role("spinbutton", name="Animer").fill("50")
    page.get_by_role("spinbutton", name="Accompagner").fill("30")
    page.get_by_role("spinbutton", name="Valoriser").fill("10")
    expect(page.locator("[data-split-total]")).to_have_text("90")
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    expect(page.get_by_text("Brouillon enregistré")).to_be_visible()

    # Leave, come back: the draft is there.
    page.goto(live_server.url + "/enquetes/")
    expect(page.get_by_text("Brouillon enregistré, pas encore envoyé")).to_be_visible()
    page.get_by_role("link", name=re.compile("^Reprendre")).click()
    page.get_by_role("link", name="Reprendre mon brouillon").click()
    expect(page.get_by_role("radio", name="Oui")).to_be_checked()
    expect(page.get_by_role("checkbox", name="Synthèses")).to_be_checked()
    expect(page.get_by_role("spinbutton", name="Valoriser")).to_have_value("10")

    # Moving on with a total of 90: refused, every answer kept.
    page.get_by_role("button", name="Suivant").click()
    expect(page.get_by_role("alert")).to_contain_text("leur total est 90")
    expect(page.get_by_role("spinbutton", name="Animer")).to_have_value("50")
    expect(page.get_by_role("spinbutton", name="Accompagner")).to_have_value("30")
    expect(page.get_by_role("checkbox", name="Synthèses")).to_be_checked()
    check_page(page, "enquetes-repondre-04-erreur-total")
    page.get_by_role("spinbutton", name="Valoriser").fill("20")
    expect(page.locator("[data-split-total]")).to_have_text("100")
    page.get_by_role("button", name="Suivant").click()

    # Part 2, then the review.
    expect(page.get_by_role("heading", level=1)).to_have_text("Vos pratiques")
    check_page(page, "enquetes-repondre-05-partie-2")
    page.get_by_role("radio", name=re.compile("^4")).check()
    page.get_by_role("textbox", name="Combien de séances par an ?").fill("12,5")
    page.get_by_role("textbox", name="Votre outil préféré ?").fill("Un tableur partagé")
    page.get_by_role("button", name="Suivant : relire mes réponses").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Relire mes réponses")
    expect(page.get_by_text("Animer : 50 %")).to_be_visible()
    expect(page.get_by_text("Un tableur partagé")).to_be_visible()
    check_page(page, "enquetes-repondre-06-relecture")
    page.get_by_role("button", name="Envoyer").click()
    expect(page.get_by_text("Merci ! Votre réponse anonyme est envoyée.")).to_be_visible()
    expect(page.get_by_text("Réponse anonyme envoyée", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Reprendre mon brouillon")).to_have_count(0)
    check_page(page, "enquetes-repondre-07-envoyee")

    response = Response.objects.get(campaign=campaign)
    assert response.respondent_id is None and response.answers["seances"] == "12.5"
    participation = Participation.objects.get(campaign=campaign, user=member)
    assert participation.status == ParticipationStatus.SUBMITTED and participation.draft == {}


def test_without_javascript_the_form_still_works(new_context, live_server, check_page, survey):
    member, campaign = survey["member"], survey["campaign"]
    page = new_context(java_script_enabled=False).new_page()
    log_in(page, live_server, member.email)
    page.goto(live_server.url + f"/enquetes/{campaign.pk}/repondre/partie-1/")
    # Every question is shown, the conditional one with its condition written out.
    expect(page.get_by_text("Seulement si vous avez répondu « Oui »")).to_be_visible()
    page.get_by_role("radio", name="Non").check()
    page.get_by_role("checkbox", name="Courriers").check()  # answered, though its condition is not met
    page.get_by_role("spinbutton", name="Animer").fill("100")
    page.get_by_role("button", name="Suivant").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vos pratiques")
    assert Participation.objects.get(campaign=campaign, user=member).draft == {"ia": "non", "temps": {"animer": 100}}


def test_an_attributed_answer_is_sent_then_changed_before_the_close(new_context, live_server, check_page, survey):
    member = survey["member"]
    campaign = make_campaign(title="Enquête nominative 2026", anonymous=False)
    page = new_context().new_page()
    log_in(page, live_server, member.email)
    page.goto(live_server.url + f"/enquetes/{campaign.pk}/repondre/")
    expect(page.get_by_role("heading", name="Vos réponses sont nominatives")).to_be_visible()
    check_page(page, "enquetes-repondre-08-notice-nominative")
    page.get_by_role("link", name="J'ai lu, commencer").click()
    page.get_by_role("radio", name="Non").check()
    page.get_by_role("spinbutton", name="Animer").fill("100")
    page.get_by_role("button", name="Suivant").click()
    page.get_by_role("textbox", name="Votre outil préféré ?").fill("Un carnet")
    page.get_by_role("button", name="Suivant : relire mes réponses").click()
    page.get_by_role("button", name="Envoyer").click()
    expect(page.get_by_text("Vous pouvez la modifier jusqu'au")).to_be_visible()

    page.goto(live_server.url + "/enquetes/")
    expect(page.get_by_text("Réponse modifiable jusqu'au")).to_be_visible()
    page.get_by_role("link", name=re.compile("^Voir ou modifier ma réponse")).click()
    page.get_by_role("link", name="Modifier ma réponse").click()
    expect(page.get_by_role("radio", name="Non")).to_be_checked()
    page.get_by_role("button", name="Suivant").click()
    expect(page.get_by_role("textbox", name="Votre outil préféré ?")).to_have_value("Un carnet")
    page.get_by_role("textbox", name="Votre outil préféré ?").fill("Un wiki")
    page.get_by_role("button", name="Suivant : relire mes réponses").click()
    check_page(page, "enquetes-repondre-09-relecture-modification")
    page.get_by_role("button", name="Envoyer la réponse modifiée").click()
    expect(page.get_by_text("Vous pouvez la modifier jusqu'au")).to_be_visible()
    response = Response.objects.get(campaign=campaign)
    assert response.respondent == member and response.answers["outil"] == "Un wiki"
