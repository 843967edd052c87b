"""Logging in through the site's form in a browser, the second factor included when the account has one."""

import re

from playwright.sync_api import expect

from members.models import User
from tests.members.factories import DEFAULT_PASSWORD, totp_code

LOGIN_PATH = "/comptes/login/"
SECOND_FACTOR_PATH = "/comptes/2fa/authenticate/"


def submit_login_form(page, email, password=DEFAULT_PASSWORD):
    """Fill in and send the login page's form; wait until the browser has left the login page."""
    page.get_by_label("Courriel").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Connexion").click()
    expect(page).not_to_have_url(re.compile(re.escape(LOGIN_PATH)))


def pass_second_factor(page, email, *, check_page=None, name=""):
    """When the site asks for the second factor, type the code the account's authenticator app shows."""
    if SECOND_FACTOR_PATH not in page.url:
        return
    expect(page.get_by_role("heading", level=1)).to_have_text("Double authentification")
    if check_page:
        check_page(page, name)
    page.get_by_label("Code de vérification").fill(totp_code(User.objects.get(email=email)))
    page.get_by_role("button", name="Se connecter").click()
    expect(page).not_to_have_url(re.compile(re.escape(SECOND_FACTOR_PATH)))


def log_in(page, live_server, email, *, password=DEFAULT_PASSWORD, check_page=None, name=""):
    """Open the login page and log in; `check_page` (with `name`) checks the second-factor page if shown."""
    page.goto(live_server.url + LOGIN_PATH)
    submit_login_form(page, email, password)
    pass_second_factor(page, email, check_page=check_page, name=name)
