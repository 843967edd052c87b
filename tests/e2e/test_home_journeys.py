"""Each role starts at their home: a member sees what needs them and goes to it; the CNCD team goes from
its summary to the to-do list, approves an account, classes a report and reads its journal."""

import re

from playwright.sync_api import expect

from fiches import services
from fiches.models import Notification
from tests.e2e.login import log_in
from tests.fiches.factories import fiche_with_sections, section_rewritten, suggestion_on
from tests.members.factories import ProfileFactory, UserFactory
from tests.referentiel.factories import build_version


def test_a_member_starts_at_their_home_and_goes_to_what_needs_them(page, live_server, check_page):
    build_version(label="v1.0")
    member = UserFactory(email="claire@example.org", first_name="Claire", last_name="Martin")
    ProfileFactory(user=member, display_name="Claire Martin")
    section = fiche_with_sections(2).sections.first()
    suggestion_on(section, author=member)
    section_rewritten(section, "Un texte réécrit depuis la proposition.")
    Notification.objects.create(recipient=member, message="Votre proposition a reçu un soutien.", url="/fiches/")

    log_in(page, live_server, member.email)
    expect(page).to_have_url(re.compile(r"/mon-espace/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Bonjour Claire Martin")
    expect(page.get_by_role("heading", name="Vos propositions à mettre à jour")).to_be_visible()
    expect(page.locator("#block-progress-self-assessment progress")).to_have_attribute("max", "6")
    check_page(page, "accueil-membre")

    page.get_by_role("link", name="Compléter mon auto-évaluation").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("auto-évaluation")
    check_page(page, "auto-evaluation")
    page.get_by_text("Mon espace").first.click()
    page.get_by_role("link", name="Mon accueil").click()
    expect(page).to_have_url(re.compile(r"/mon-espace/$"))
    page.get_by_role("link", name="Toutes mes notifications").click()
    expect(page.get_by_text("Votre proposition a reçu un soutien.")).to_be_visible()


def test_the_team_goes_from_its_home_to_the_to_do_list_and_decides(page, live_server, check_page):
    curator = UserFactory(curator=True, email="equipe@example.org", first_name="Inès", last_name="Garnier")
    ProfileFactory(user=curator, display_name="Inès Garnier")
    newcomer = UserFactory(pending=True, email="nouvelle@example.org", first_name="Léa", last_name="Roux")
    ProfileFactory(user=newcomer, display_name="Léa Roux")
    suggestion = suggestion_on(fiche_with_sections(1).sections.first())
    comment = services.comment_create(suggestion_id=suggestion.pk, author=UserFactory(), body="Un avis tranché.")
    services.comment_report(comment_id=comment.pk, reporter=UserFactory(), reason="Ton vif.")

    log_in(page, live_server, curator.email)
    expect(page).to_have_url(re.compile(r"/mon-espace/$"))
    expect(page.get_by_text("3 éléments attendent l'équipe.")).to_be_visible()
    check_page(page, "accueil-equipe")
    page.get_by_role("link", name="Voir la liste à faire").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("À faire pour l'équipe CNCD")
    expect(page.locator("#block-todo-accounts")).to_contain_text("Léa Roux")
    check_page(page, "a-faire")

    page.locator("#block-todo-accounts").get_by_role("link", name="Valider les comptes").click()
    page.get_by_role("button", name=re.compile("^Valider")).first.click()
    expect(page.get_by_text(re.compile("est validé"))).to_be_visible()

    page.goto(live_server.url + "/equipe/a-faire/")
    page.locator("#block-todo-reports").get_by_role("link", name="Ouvrir la modération").click()
    page.get_by_role("link", name="Classer sans suite").click()
    page.get_by_label("Motif").fill("Critique vive mais respectueuse.")
    check_page(page, "moderation-classer")
    page.get_by_role("button", name="Classer sans suite").click()
    expect(page.get_by_text("Aucun message signalé en attente.")).to_be_visible()

    page.goto(live_server.url + "/equipe/journal/")
    expect(page.get_by_text("Inès Garnier a validé le compte de Léa Roux")).to_be_visible()
    expect(page.get_by_text(re.compile("Inès Garnier a classé sans suite les signalements"))).to_be_visible()
    check_page(page, "journal-equipe")
