"""The référentiel's curation in a browser: a draft, a new competence, a move, the diff, publication."""

import re

from playwright.sync_api import expect

from competences.models import FrameworkVersion
from referentiel import services
from tests.e2e.login import log_in
from tests.members.factories import UserFactory
from tests.referentiel.factories import build_version


def _codes_in(page, domain_code):
    """The codes of the competences listed under a domain of the draft, in their order."""
    return page.locator(f"#item-{domain_code} li .ref-code").all_inner_texts()


def test_a_curator_prepares_and_publishes_a_new_version(page, live_server, check_page, new_context):
    build_version(label="v1.0")
    curator = UserFactory(curator=True, email="curatrice@example.org")
    log_in(page, live_server, curator.email)

    # The management page, from the référentiel's own navigation.
    page.get_by_role("banner").get_by_role("link", name="Référentiel").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("version v1.0")
    check_page(page, "referentiel-00-accueil")
    page.get_by_role("link", name="Gérer le référentiel").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Gérer le référentiel")
    expect(page.get_by_role("row", name=re.compile("v1.0"))).to_contain_text("Publiée")
    check_page(page, "referentiel-01-gestion")

    # A draft starts as a copy of the published version.
    page.get_by_label("Libellé de la nouvelle version").fill("v1.1")
    page.get_by_role("button", name="Créer le brouillon").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Brouillon v1.1")
    expect(page.get_by_text("Brouillon v1.1 créé à partir de la version en vigueur.")).to_be_visible()
    expect(page.locator("#item-C-1-03")).to_contain_text("Compétence 1.3")
    check_page(page, "referentiel-02-brouillon")

    # A new competence: the form first refuses an incomplete one, keeping what was typed.
    page.get_by_role("link", name="Ajouter une compétence à D-1").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ajouter une compétence")
    expect(page.locator("#id_domain option:checked")).to_have_text("D-1 Domaine 1")
    check_page(page, "referentiel-03-competence-formulaire")
    page.get_by_label("Description", exact=True).fill("Tenir un budget et rendre compte des dépenses du conseil.")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Ce champ est obligatoire.").first).to_be_visible()
    expect(page.get_by_label("Description", exact=True)).to_have_value(
        "Tenir un budget et rendre compte des dépenses du conseil."
    )
    check_page(page, "referentiel-04-competence-erreur")
    page.get_by_role("textbox", name="Code*", exact=True).fill("C-1-04")
    page.get_by_role("textbox", name="Intitulé*", exact=True).fill("Gérer le budget du conseil")
    page.get_by_label("Niveau 3 (Maîtrise) pour cette compétence").fill(
        "Construit le budget annuel avec la présidence."
    )
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("« C-1-04 Gérer le budget du conseil » est enregistré dans le brouillon.")).to_be_visible()
    assert _codes_in(page, "D-1") == ["C-1-01", "C-1-02", "C-1-03", "C-1-04"]

    # Reordering: htmx swaps the list in place (no page load) and the moved item's button keeps the focus.
    page.evaluate("window.__samePage = true")
    page.get_by_role("button", name="Monter C-1-04").click()
    expect(page.locator("#item-D-1 li").nth(2)).to_contain_text("C-1-04")
    assert _codes_in(page, "D-1") == ["C-1-01", "C-1-02", "C-1-04", "C-1-03"]
    assert page.evaluate("window.__samePage") is True
    expect(page.get_by_role("button", name="Monter C-1-04")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#item-D-1 li").nth(1)).to_contain_text("C-1-04")
    expect(page.get_by_role("button", name="Monter C-1-04")).to_be_focused()
    page.get_by_role("button", name="Descendre C-1-04").click()
    expect(page.locator("#item-D-1 li").nth(2)).to_contain_text("C-1-04")
    expect(page.get_by_role("button", name="Descendre C-1-04")).to_be_focused()
    assert page.evaluate("window.__samePage") is True
    check_page(page, "referentiel-05-brouillon-reordonne")
    page.reload()
    assert _codes_in(page, "D-1") == ["C-1-01", "C-1-02", "C-1-04", "C-1-03"]

    # Publication: the diff against the version in force shows the new competence.
    page.get_by_role("link", name="Relire les changements et publier").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Publier la version v1.1")
    expect(page.get_by_role("heading", name="Changements par rapport à la version en vigueur (v1.0)")).to_be_visible()
    added = page.locator(".ref-diff-added").filter(has_text="C-1-04")
    expect(added).to_contain_text("Ajout")
    expect(added).to_contain_text("Gérer le budget du conseil")
    check_page(page, "referentiel-06-publication")
    page.get_by_role("textbox", name=re.compile(r"^Résumé des changements")).fill(
        "Ajout de la compétence budgétaire C-1-04."
    )
    page.get_by_role("checkbox", name=re.compile(r"^Je comprends")).check()
    page.get_by_role("button", name="Publier définitivement").click()

    # The public pages show the new version and its competence.
    expect(page.get_by_text("La version v1.1 est publiée.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("version v1.1")
    check_page(page, "referentiel-07-version-publiee")
    page.get_by_role("link", name="Par compétence").click()
    # One line per competence (code, title linking to its page): its levels are on that page.
    expect(page.locator("li.ref-competence").filter(has_text="C-1-04")).to_contain_text("Gérer le budget du conseil")
    check_page(page, "referentiel-08-par-competence")
    page.get_by_role("link", name="Gérer le budget du conseil").click()
    expect(page.get_by_text("Construit le budget annuel avec la présidence.")).to_be_visible()
    check_page(page, "referentiel-09-competence")

    # The changelog and the diff between the two versions.
    page.goto(live_server.url + "/referentiel/versions/")
    expect(page.get_by_text("Ajout de la compétence budgétaire C-1-04.")).to_be_visible()
    check_page(page, "referentiel-10-historique")
    page.get_by_role("link", name="Voir les changements depuis la v1.0").click()
    expect(page.get_by_role("heading", name="De v1.0 à v1.1")).to_be_visible()
    expect(page.locator(".ref-diff-added").filter(has_text="C-1-04")).to_contain_text("Gérer le budget du conseil")
    check_page(page, "referentiel-11-comparaison")

    # A later draft stays out of sight of an anonymous visitor, who reads v1.1.
    services.draft_create_from(source=FrameworkVersion.objects.current(), label="v1.2", actor=curator)
    anonymous = new_context().new_page()
    anonymous.goto(live_server.url + "/referentiel/")
    expect(anonymous.get_by_role("heading", level=1)).to_contain_text("version v1.1")
    expect(anonymous.get_by_role("link", name="Gérer le référentiel")).to_have_count(0)
    anonymous.get_by_text("Autres versions").click()
    expect(anonymous.locator("details")).not_to_contain_text("v1.2")
    check_page(anonymous, "referentiel-12-public")
    anonymous.get_by_role("link", name="Par compétence").click()
    expect(anonymous.get_by_role("link", name="Gérer le budget du conseil")).to_be_visible()
    check_page(anonymous, "referentiel-13-public-par-competence")
    assert anonymous.request.get(live_server.url + "/referentiel/v1.2/").status == 404
    assert anonymous.request.get(live_server.url + "/referentiel/comparer/?de=v1.1&a=v1.2").ok
    anonymous.goto(live_server.url + "/referentiel/comparer/?de=v1.1&a=v1.2")
    expect(anonymous.get_by_text("Choisissez deux versions existantes du référentiel.")).to_be_visible()
    check_page(anonymous, "referentiel-14-public-comparaison-brouillon")
