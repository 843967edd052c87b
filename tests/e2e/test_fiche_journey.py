"""The common fiche de poste in a browser: a suggestion from proposal to publication, and an edit conflict."""

import re

import pytest
from playwright.sync_api import expect

from fiches import services
from fiches.models import Section
from tests.e2e.login import log_in
from tests.fiches.factories import fiche_with_sections
from tests.members.factories import UserFactory

ORIGINAL = "Texte de la section 0 : animer les séances du conseil en soirée."


def _logged_in_page(new_context, live_server, user):
    page = new_context().new_page()
    log_in(page, live_server, user.email)
    return page


@pytest.fixture
def fiche(live_server):
    """The common fiche with two sections, published once as v1.0."""
    fiche = fiche_with_sections(2)
    services.version_publish(fiche_id=fiche.pk, label="v1.0", summary="Première version.", actor=UserFactory())
    return fiche


def test_a_suggestion_goes_from_proposal_to_the_published_fiche(new_context, live_server, check_page, fiche):
    author = UserFactory(email="autrice@example.org", first_name="Maëlle", last_name="Le Goff")
    supporter = UserFactory(email="soutien@example.org", first_name="Tristan", last_name="Abadie")
    curator = UserFactory(curator=True, email="equipe@example.org", first_name="Inès", last_name="Carré")

    # A member proposes a change: the diff appears while they type, without a page load.
    page = _logged_in_page(new_context, live_server, author)
    page.get_by_role("banner").get_by_role("link", name="Fiche de poste").click()
    expect(page.get_by_text("Version de travail")).to_be_visible()
    check_page(page, "fiche-01-version-de-travail")
    page.get_by_role("link", name="Proposer une modification — Section 0").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Proposer une modification de « Section 0 »")
    body = page.get_by_role("textbox", name=re.compile(r"^Texte proposé pour « Section 0 »"))
    expect(body).to_have_value(ORIGINAL)
    page.evaluate("window.__samePage = true")
    # Screen readers announce changes inside a live region that was already there, not a replaced one.
    page.evaluate("document.querySelector('#apercu').closest('[aria-live]').dataset.e2eBefore = 'oui'")
    body.press("ControlOrMeta+End")
    body.press_sequentially(" Et rédiger les comptes rendus.", delay=15)
    preview = page.locator("#apercu")
    expect(preview.locator(".fiche-diff ins")).to_contain_text("Et rédiger les comptes rendus.")
    assert page.evaluate("window.__samePage") is True
    assert page.evaluate("document.querySelector('#apercu').closest('[aria-live]')?.dataset.e2eBefore") == "oui"
    check_page(page, "fiche-02-proposition-apercu")
    page.get_by_role("textbox", name=re.compile(r"^Pourquoi proposez-vous")).fill(
        "Les comptes rendus font partie du poste."
    )
    page.get_by_role("button", name="Envoyer la proposition").click()
    expect(page.get_by_text("Merci ! Votre proposition est enregistrée et ouverte à la discussion.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("sur « Section 0 »")
    check_page(page, "fiche-03-proposition")
    suggestion_url = page.url

    # Another member supports it and joins the discussion.
    peer = _logged_in_page(new_context, live_server, supporter)
    peer.goto(suggestion_url)
    expect(peer.get_by_text("Les comptes rendus font partie du poste.")).to_be_visible()
    peer.get_by_role("button", name="Soutenir cette proposition").click()
    expect(peer.get_by_text("Votre soutien est enregistré.")).to_be_visible()
    expect(peer.get_by_text("1 soutien", exact=True)).to_be_visible()
    peer.get_by_role("textbox", name=re.compile(r"^Votre message")).fill(
        "D'accord, surtout pour les séances plénières."
    )
    peer.get_by_role("button", name="Publier le message").click()
    expect(peer.get_by_text("Votre message est publié.")).to_be_visible()
    # Contributors are credited by their initials unless they chose otherwise (Profile.credit).
    expect(peer.get_by_role("article", name="Message de T. A.")).to_contain_text("séances plénières")
    check_page(peer, "fiche-04-soutien-et-message")

    # The curator accepts it; the section's history shows the change, inline then side by side.
    team = _logged_in_page(new_context, live_server, curator)
    team.goto(suggestion_url)
    expect(team.get_by_role("article", name="Message de T. A.")).to_be_visible()
    check_page(team, "fiche-05-proposition-equipe")
    team.get_by_role("button", name="Accepter : en faire le texte de la section").click()
    expect(team.get_by_text("La proposition est acceptée : elle devient le texte de la section.")).to_be_visible()
    expect(team.get_by_text("Cette proposition est devenue la révision 2 de la section.")).to_be_visible()
    check_page(team, "fiche-06-proposition-acceptee")
    team.get_by_role("navigation", name="Fil d’Ariane").get_by_role("link", name="Section 0").click()
    expect(team.get_by_role("heading", name="Propositions traitées")).to_be_visible()
    check_page(team, "fiche-07-section")
    team.get_by_role("link", name="Historique", exact=True).click()
    expect(team.get_by_role("row", name=re.compile(r"^2 en vigueur"))).to_contain_text("M. L. G.")
    check_page(team, "fiche-08-historique")
    team.get_by_role("button", name="Comparer les révisions choisies").click()
    expect(team.get_by_role("heading", level=1)).to_have_text("Comparer les révisions de « Section 0 »")
    expect(team.locator(".fiche-diff ins")).to_have_text(re.compile(r"Et rédiger les comptes rendus\."))
    check_page(team, "fiche-09-comparaison-dans-le-texte")
    team.get_by_label("Affichage").select_option(label="Côte à côte")
    team.get_by_role("button", name="Comparer", exact=True).click()
    expect(team).to_have_url(re.compile(r"mode=cote"))
    expect(team.get_by_role("heading", name="Révision 1", exact=True)).to_be_visible()
    expect(team.get_by_role("heading", name="Révision 2", exact=True)).to_be_visible()
    expect(team.locator(".col-md-6").last.locator("ins")).to_contain_text("rédiger les comptes rendus")
    check_page(team, "fiche-10-comparaison-cote-a-cote")

    # The curator publishes a version; an anonymous visitor reads the new text.
    team.get_by_role("navigation", name="Fil d’Ariane").get_by_role("link", name=fiche.title).click()
    expect(team.get_by_role("region", name="Section 0")).to_contain_text("Et rédiger les comptes rendus.")
    check_page(team, "fiche-11-version-de-travail-equipe")
    team.get_by_role("link", name="Publier une version").click()
    check_page(team, "fiche-12-publier")
    team.get_by_role("textbox", name=re.compile(r"^Libellé de la version")).fill("v1.1")
    team.get_by_role("textbox", name=re.compile(r"^Ce qui change")).fill("Les comptes rendus entrent dans le poste.")
    team.get_by_role("button", name="Publier", exact=True).click()
    expect(team.get_by_text("La version v1.1 est publiée.")).to_be_visible()
    check_page(team, "fiche-13-version-publiee")

    visitor = new_context().new_page()
    visitor.goto(live_server.url + "/fiches/")
    expect(visitor.get_by_text("Version v1.1, publiée le")).to_be_visible()
    expect(visitor.get_by_text("Les comptes rendus entrent dans le poste.")).to_be_visible()
    expect(visitor.get_by_role("region", name="Section 0")).to_contain_text(
        "animer les séances du conseil en soirée. Et rédiger les comptes rendus."
    )
    expect(visitor.get_by_text("Version de travail")).to_have_count(0)
    check_page(visitor, "fiche-14-fiche-publique")


def test_two_curators_edit_the_same_section_and_merge(new_context, live_server, check_page, fiche):
    section = Section.objects.get(fiche=fiche, key="section-1")
    edit_url = f"{live_server.url}/fiches/{fiche.slug}/sections/{section.pk}/modifier/"
    first = _logged_in_page(new_context, live_server, UserFactory(curator=True, first_name="Inès", last_name="Carré"))
    second = _logged_in_page(new_context, live_server, UserFactory(curator=True, first_name="Yann", last_name="Morvan"))

    # Both open the form on revision 1.
    for page in (first, second):
        page.goto(edit_url)
        expect(page.get_by_role("heading", level=1)).to_have_text("Modifier « Section 1 »")
    check_page(first, "fiche-conflit-01-formulaire")
    first_body = "Texte de la section 1 : animer les séances du conseil en soirée et le week-end."
    first.get_by_role("textbox", name=re.compile(r"^Texte de « Section 1 »")).fill(first_body)
    first.get_by_role("textbox", name=re.compile(r"^Résumé de la modification")).fill("Ajoute le week-end")
    first.get_by_role("button", name="Enregistrer").click()
    expect(first.get_by_text("La section « Section 1 » est enregistrée.")).to_be_visible()

    # The second save hits the conflict: their text is kept, beside the current one and the diff.
    second_body = "Texte de la section 1 : animer les séances plénières du conseil en soirée."
    editor = second.get_by_role("textbox", name=re.compile(r"^Texte de « Section 1 »"))
    editor.fill(second_body)
    second.get_by_role("button", name="Enregistrer").click()
    expect(second.get_by_role("alert")).to_contain_text("Conflit de modification")
    expect(second.get_by_role("alert")).to_contain_text("La révision 2 a été enregistrée par Inès Carré")
    expect(editor).to_have_value(second_body)
    conflict = second.get_by_role("region", name="Différences entre le texte actuel et le vôtre")
    expect(conflict.get_by_role("heading", name="Texte actuel (enregistré entre-temps)")).to_be_visible()
    expect(conflict.get_by_role("heading", name="Votre texte")).to_be_visible()
    expect(conflict.locator(".fiche-diff ins")).to_contain_text("plénières")
    conflict.get_by_text("Texte actuel brut, pour le copier").click()
    expect(conflict.locator("pre")).to_have_text(first_body)
    check_page(second, "fiche-conflit-02-conflit")

    # They merge both changes and save on top of revision 2.
    merged = "Texte de la section 1 : animer les séances plénières du conseil en soirée et le week-end."
    editor.fill(merged)
    second.get_by_role("button", name="Enregistrer").click()
    expect(second.get_by_text("La section « Section 1 » est enregistrée.")).to_be_visible()
    expect(second.locator(".fiche-body")).to_have_text(merged)
    # Members read him as he chose to be credited: by default, his initials.
    expect(second.get_by_text(re.compile(r"Révision 3 du .*, par Y\. M\."))).to_be_visible()
    check_page(second, "fiche-conflit-03-fusion")
