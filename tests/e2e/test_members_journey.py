"""The members feature in a browser: profile, live directory search, member page, the team's queue."""

import re

from playwright.sync_api import expect

from members.enums import Visibility
from tests.e2e.login import log_in
from tests.e2e.navigation import open_menu
from tests.members.factories import CouncilFactory, ProfileFactory, UserFactory
from tests.members.images import image_bytes


def test_a_member_fills_in_their_profile_and_finds_peers(page, live_server, check_page, tmp_path):
    brittany = CouncilFactory(name="Conseil de développement du Pays de Brocéliande", departments=["35"])
    alps = CouncilFactory(name="Conseil de développement des Hautes-Alpes du Sud", departments=["05"])
    ProfileFactory(display_name="Bérénice Quéméner", council=brittany)
    ProfileFactory(display_name="Gaspard Vallauri", council=alps, identity_visibility=Visibility.PUBLIC)
    member = UserFactory(email="journey@example.org", first_name="Nina", last_name="Keraudren")
    log_in(page, live_server, member.email)

    # My profile: the form, with a photo.
    open_menu(page, "Mon espace").get_by_role("link", name="Mon profil").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon profil")
    check_page(page, "membres-01-mon-profil")
    page.get_by_label("Intitulé du poste").fill("Animatrice du conseil de développement")
    page.get_by_label("Conseil de développement").select_option(label=brittany.name)
    photo = tmp_path / "moi.jpg"
    photo.write_bytes(image_bytes())
    page.get_by_label("Photo", exact=True).set_input_files(str(photo))
    page.get_by_label("Part du temps consacrée au conseil (%)").fill("150")
    page.get_by_role("button", name="Enregistrer mon profil").click()
    expect(page.get_by_text("Indiquez un pourcentage entre 0 et 100.")).to_be_visible()
    expect(page.get_by_label("Intitulé du poste")).to_have_value("Animatrice du conseil de développement")
    check_page(page, "membres-02-profil-erreur")
    page.get_by_label("Part du temps consacrée au conseil (%)").fill("40")
    page.get_by_label("Photo", exact=True).set_input_files(str(photo))
    page.get_by_role("button", name="Enregistrer mon profil").click()
    expect(page.get_by_text("Votre profil est enregistré.")).to_be_visible()

    # Preview as the public: identity is for members by default.
    page.get_by_role("link", name="Voir mon profil comme le public").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Votre profil n'est pas visible du public")
    check_page(page, "membres-03-apercu-public")

    # The directory updates as one types, and the URL follows.
    page.get_by_role("banner").get_by_role("link", name="Annuaire").click()
    expect(page.get_by_role("heading", level=2, name=re.compile("trouvé"))).to_have_text("3 technicien·nes trouvé·es")
    check_page(page, "membres-04-annuaire")
    page.get_by_label("Rechercher").press_sequentially("Hautes-Alpes", delay=20)
    expect(page.get_by_role("heading", level=2, name=re.compile("trouvé"))).to_have_text("1 technicien·ne trouvé·e")
    expect(page).to_have_url(re.compile(r"q=Hautes-Alpes"))
    expect(page.get_by_role("status").filter(has_text="trouvé")).to_have_text("1 technicien·ne trouvé·e")
    page.get_by_label("Rechercher").fill("")
    page.get_by_label("Région").select_option(label="Bretagne")
    expect(page.get_by_role("heading", level=2, name=re.compile("trouvé"))).to_have_text("2 technicien·nes trouvé·es")
    check_page(page, "membres-05-annuaire-filtre")

    # A peer's page.
    page.get_by_role("link", name="Bérénice Quéméner").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bérénice Quéméner")
    check_page(page, "membres-06-fiche-membre")

    # Declaring a council that already exists under a near-identical name.
    page.goto(live_server.url + "/membres/conseils/nouveau/")
    page.get_by_label("Nom du conseil").fill("CoDev du pays de Broceliande")
    page.get_by_role("button", name="Déclarer ce conseil").click()
    expect(
        page.get_by_text("semble déjà exister sous le nom « Conseil de développement du Pays de Brocéliande »")
    ).to_be_visible()
    expect(page.get_by_label("Nom du conseil")).to_have_value("CoDev du pays de Broceliande")
    check_page(page, "membres-07-conseil-doublon")

    # Personal data pages.
    open_menu(page, "Mon espace").get_by_role("link", name="Mon profil").click()
    page.get_by_role("link", name="Mes données personnelles").click()
    check_page(page, "membres-08-mes-donnees")
    page.get_by_role("link", name="Supprimer mon compte…").click()
    page.get_by_role("button", name="Supprimer définitivement mon compte").click()
    expect(page.get_by_text("Cochez cette case pour confirmer la suppression.")).to_be_visible()
    check_page(page, "membres-09-suppression")


def test_the_team_approves_an_account_and_invites_people(page, live_server, check_page):
    applicant = UserFactory(pending=True, email="candidate@example.org")
    ProfileFactory(user=applicant, council=CouncilFactory(name="Conseil de développement du Val de Rance"))
    curator = UserFactory(curator=True, email="equipe@example.org")
    log_in(page, live_server, curator.email)

    open_menu(page, "Équipe CNCD").get_by_role("link", name="Validation des comptes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Validation des comptes")
    expect(page.get_by_role("row", name=re.compile("candidate@example.org"))).to_contain_text("Val de Rance")
    check_page(page, "membres-10-validation")
    page.get_by_role("button", name="Valider candidate@example.org").click()
    expect(page.get_by_text("Aucun compte n'attend de validation.")).to_be_visible()

    page.get_by_role("link", name="Inviter des technicien·nes").click()
    page.get_by_label("Adresses e-mail").fill("une@example.org\npas-une-adresse\nune@example.org")
    page.get_by_role("button", name="Envoyer les invitations").click()
    expect(page.get_by_role("heading", name="Compte rendu, ligne par ligne")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("pas-une-adresse"))).to_contain_text("Adresse invalide")
    expect(page.get_by_role("row", name=re.compile("^3 "))).to_contain_text("En double dans la liste")
    check_page(page, "membres-11-invitations")
