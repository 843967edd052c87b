"""The legal pages and the error pages in a real browser: reachable from the footer, accessible, CSP-clean."""

import pytest
from playwright.sync_api import expect

LEGAL_PAGES = [
    ("Mentions légales", "Mentions légales"),
    ("Politique de confidentialité", "Politique de confidentialité"),
    ("Accessibilité : non conforme", "Déclaration d'accessibilité"),
]


def test_a_visitor_reads_the_three_legal_pages_from_the_footer(page, live_server, check_page):
    for link, title in LEGAL_PAGES:
        page.goto(live_server.url + "/")
        page.get_by_role("contentinfo").get_by_role("link", name=link).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(title)
        check_page(page, f"page-{title}")


def _expect_only_the_error_status_in_the_console(browser_problems, status):
    # Chromium logs every document answered with an error status; that one is expected here.
    assert browser_problems.console_errors
    assert all(f"status of {status}" in error for error in browser_problems.console_errors)
    browser_problems.console_errors.clear()


def test_the_404_page_is_accessible(page, live_server, check_page, browser_problems):
    response = page.goto(live_server.url + "/cette-page-n-existe-pas/")

    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page introuvable")
    _expect_only_the_error_status_in_the_console(browser_problems, 404)
    check_page(page, "erreur-404")


def test_a_form_sent_without_the_security_cookie_shows_the_french_csrf_page(
    page, context, live_server, check_page, browser_problems
):
    page.goto(live_server.url + "/mentions-legales/")
    context.clear_cookies()  # as if the browser had dropped or blocked the site's cookies

    page.get_by_role("button", name="English").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("La vérification de sécurité a échoué")
    expect(page.get_by_text("Votre navigateur n'a pas renvoyé le cookie de sécurité")).to_be_visible()
    _expect_only_the_error_status_in_the_console(browser_problems, 403)
    check_page(page, "erreur-csrf")
    page.get_by_role("link", name="Revenir à la page précédente").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mentions légales")


@pytest.mark.urls("tests.core.test_pages")
def test_the_403_and_500_pages_are_accessible(page, live_server, check_page, browser_problems):
    response = page.goto(live_server.url + "/test/interdit/")

    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("Accès refusé")
    _expect_only_the_error_status_in_the_console(browser_problems, 403)
    check_page(page, "erreur-403")

    response = page.goto(live_server.url + "/test/panne/")

    assert response.status == 500
    expect(page.get_by_role("heading", level=1)).to_have_text("Une erreur est survenue")
    _expect_only_the_error_status_in_the_console(browser_problems, 500)
    check_page(page, "erreur-500")
