"""Two-factor authentication in a browser: a curator without it is made to set it up, then logs in with it."""

import re

from playwright.sync_api import expect

from tests.e2e.login import log_in, submit_login_form
from tests.e2e.navigation import open_menu
from tests.members.factories import DEFAULT_PASSWORD, UserFactory, totp_code_for_secret

REQUIRED = "La double authentification est obligatoire pour votre compte."


def test_a_curator_sets_up_two_factor_authentication_before_reaching_the_team_pages(page, live_server, check_page):
    curator = UserFactory(curator=True, totp=False, email="nouvelle.equipe@example.org")
    heading = page.get_by_role("heading", level=1)

    # The password is accepted, but the team's pages wait for the second factor: the site says why.
    page.goto(live_server.url + "/comptes/login/")
    submit_login_form(page, curator.email)
    expect(page).to_have_url(live_server.url + "/comptes/2fa/")
    expect(heading).to_have_text("Double authentification")
    expect(page.get_by_role("main")).to_contain_text(REQUIRED)
    check_page(page, "2fa-01-obligatoire")
    page.goto(live_server.url + "/chiffres/reseau/")
    expect(page).to_have_url(live_server.url + "/comptes/2fa/")

    # Activation: the password once more (allauth's re-authentication), then the QR code and the key.
    page.get_by_role("link", name="Activer la double authentification").click()
    expect(heading).to_have_text("Confirmer l'accès")
    expect(page.get_by_role("main")).to_contain_text(REQUIRED)
    check_page(page, "2fa-02-confirmer-acces")
    page.get_by_label("Mot de passe").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Confirmer").click()
    expect(heading).to_have_text("Activer la double authentification")
    expect(page.get_by_role("img", name="QR code à scanner avec votre application d’authentification")).to_be_visible()
    check_page(page, "2fa-03-activation")

    # The person types what their app shows for the key on the page; a wrong code is refused.
    secret = page.locator("#totp-secret").inner_text().strip()
    code = page.get_by_label("Code à 6 chiffres")
    code.fill("000000" if totp_code_for_secret(secret) != "000000" else "111111")
    page.get_by_role("button", name="Activer").click()
    expect(page.get_by_text("Code incorrect.")).to_be_visible()
    check_page(page, "2fa-04-code-incorrect")
    code.fill(totp_code_for_secret(secret))
    page.get_by_role("button", name="Activer").click()

    # Recovery codes, to keep somewhere safe.
    expect(heading).to_have_text("Codes de récupération")
    codes = page.get_by_role("list", name="Codes de récupération non utilisés").get_by_role("listitem")
    expect(codes).to_have_count(10)
    expect(codes.first).to_have_text(re.compile(r"^\d{8}$"))
    check_page(page, "2fa-05-codes-de-recuperation")
    page.get_by_role("link", name="J'ai mis mes codes de côté : continuer").click()

    # The team's pages are open now.
    expect(page).to_have_url(live_server.url + "/mon-espace/")
    open_menu(page, "Équipe CNCD").get_by_role("link", name="Chiffres du réseau").click()
    expect(heading).to_have_text("Chiffres du réseau")
    check_page(page, "2fa-06-chiffres-du-reseau")
    open_menu(page, "Mon espace").get_by_role("link", name="Double authentification").click()
    expect(page.get_by_role("main")).to_contain_text("Active depuis le")
    expect(page.get_by_role("main")).to_contain_text("Il vous reste 10 codes sur 10.")
    check_page(page, "2fa-07-double-authentification-active")

    # Next time: password, then the code of the app.
    open_menu(page, "Mon espace").get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_role("banner").get_by_role("link", name="Se connecter")).to_be_visible()
    log_in(page, live_server, curator.email, check_page=check_page, name="2fa-08-connexion-code")
    expect(page).to_have_url(live_server.url + "/mon-espace/")
    expect(page.get_by_role("main")).not_to_contain_text(REQUIRED)
