"""From sign-up to the network: a technician creates an account, waits, is approved, logs in and out."""

import re

from django.urls import reverse
from playwright.sync_api import expect

from members.enums import AccountStatus
from members.models import User
from tests.e2e.login import pass_second_factor, submit_login_form
from tests.e2e.navigation import open_menu
from tests.members.factories import DEFAULT_PASSWORD, UserFactory

EMAIL = "nouvelle.technicienne@example.org"
PASSWORD = "conseil-de-developpement-2026"


def _link_in(message, path_fragment):
    match = re.search(rf"https?://\S+{re.escape(path_fragment)}\S*", message.body)
    assert match, f"aucun lien {path_fragment} dans l'e-mail :\n{message.body}"
    return match.group(0)


def _log_in(page, check_page, *, email, password, name):
    page.get_by_role("banner").get_by_role("link", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Connexion")
    check_page(page, name)
    submit_login_form(page, email, password)
    pass_second_factor(page, email, check_page=check_page, name=f"{name}-double-authentification")


def test_a_technician_signs_up_waits_for_approval_then_joins_the_network(
    page, new_context, live_server, mailoutbox, check_page, settings
):
    settings.SITE_URL = live_server.url  # links in emails point to the site's configured address
    # Home page, anonymous.
    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Définir ensemble le métier")
    check_page(page, "01-accueil")

    # Sign up.
    page.get_by_role("banner").get_by_role("link", name="Créer un compte").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Création de compte")
    check_page(page, "02-inscription")
    page.get_by_label("Prénom*", exact=True).fill("Nadia")
    page.get_by_label("Nom*", exact=True).fill("Technicienne")
    page.get_by_label("Courriel").fill(EMAIL)
    page.get_by_label("Mot de passe*", exact=True).fill(PASSWORD)
    page.get_by_label("Mot de passe (confirmation)*", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Créer mon compte").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Vérifiez votre adresse e-mail")
    check_page(page, "03-verification-envoyee")
    assert [message.to for message in mailoutbox] == [[EMAIL]]
    confirmation_url = _link_in(mailoutbox[0], "/comptes/confirm-email/")

    # Confirm the address from the link in the email: the account now waits for the CNCD team.
    page.goto(confirmation_url)
    check_page(page, "04-confirmation")
    page.get_by_role("button", name="Confirmer").click()
    expect(page).to_have_url(live_server.url + "/membres/en-attente/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Votre compte est en attente de validation")
    expect(page.get_by_role("main")).to_contain_text(EMAIL)
    check_page(page, "05-en-attente")
    assert User.objects.get(email=EMAIL).status == AccountStatus.PENDING

    # While pending, the network's pages send the person back to the waiting page.
    for closed_path in [reverse("members:directory"), "/admin/", "/admin/members/user/"]:
        page.goto(live_server.url + closed_path)
        expect(page).to_have_url(live_server.url + "/membres/en-attente/")
    page.goto(live_server.url + "/")
    expect(page.get_by_role("main")).to_contain_text("Votre compte est en attente de validation par l'équipe CNCD")
    check_page(page, "06-accueil-en-attente")

    # A pending account can still log out.
    open_menu(page, "Mon espace").get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_role("banner").get_by_role("link", name="Se connecter")).to_be_visible()
    check_page(page, "07-deconnecte")

    # An administrator approves the account from the Django admin, in their own browser.
    administrator = UserFactory(admin=True, email="administratrice@example.org")
    admin_page = new_context().new_page()
    admin_page.goto(live_server.url + "/")
    _log_in(admin_page, check_page, email=administrator.email, password=DEFAULT_PASSWORD, name="08-connexion-admin")
    expect(admin_page).to_have_url(live_server.url + "/mon-espace/")
    check_page(admin_page, "09-accueil-admin")
    open_menu(admin_page, "Équipe CNCD").get_by_role("link", name="Administration technique").click()
    expect(admin_page.get_by_role("heading", level=1)).to_have_text("Site d’administration")
    check_page(admin_page, "10-admin-accueil")
    admin_page.get_by_role("link", name="Utilisateur·rices", exact=True).click()
    expect(admin_page.get_by_role("heading", level=1)).to_contain_text("utilisateur·rice")
    check_page(admin_page, "11-admin-utilisateurs")
    admin_page.get_by_role("row").filter(has_text=EMAIL).get_by_role("checkbox").check()
    admin_page.get_by_role("combobox", name="Action").select_option(label="Valider les comptes sélectionnés")
    admin_page.get_by_role("button", name="Exécuter").click()
    expect(admin_page.get_by_text("1 compte validé.")).to_be_visible()
    check_page(admin_page, "12-admin-compte-valide")
    assert User.objects.get(email=EMAIL).status == AccountStatus.APPROVED
    assert mailoutbox[-1].to == [EMAIL]
    assert "Votre compte est validé" in mailoutbox[-1].subject

    # The new member logs in and reaches the network, without the waiting banner.
    _log_in(page, check_page, email=EMAIL, password=PASSWORD, name="13-connexion-membre")
    expect(page).to_have_url(live_server.url + "/mon-espace/")
    expect(page.get_by_role("banner").get_by_role("link", name="Annuaire")).to_be_visible()
    expect(page.get_by_role("main")).not_to_contain_text("en attente de validation")
    check_page(page, "14-accueil-membre")

    # And logs out.
    open_menu(page, "Mon espace").get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_role("banner").get_by_role("link", name="Se connecter")).to_be_visible()
    expect(page.get_by_role("banner").get_by_text("Mon espace")).to_have_count(0)
    check_page(page, "15-deconnexion")
