"""Back and forward through pages that htmx updated: the browser shows whole pages, never a bare fragment.

htmx restores a page from its own history cache (sessionStorage) when it can. Here that cache is
turned off, so that each restore asks the server (`HX-Request` + `HX-History-Restore-Request`):
the request that used to get the results fragment alone, which then replaced the whole body.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.login import log_in
from tests.e2e.waiting import wait_until
from tests.members.factories import CouncilFactory, ProfileFactory, UserFactory
from tests.referentiel.factories import build_version

SITE = "Réseau des technicien·nes CoDev"
# How htmx writes the query "Compétence 1" into the address it pushes.
COMPETENCE_QUERY = "q=Comp%C3%A9tence%201"

# Runs in each document before its DOMContentLoaded handlers: htmx (a deferred script) is loaded by
# then and has not yet read its configuration.
_NO_HISTORY_CACHE = """
document.addEventListener("DOMContentLoaded", () => {
  if (window.htmx) { window.htmx.config.historyCacheSize = 0; }
});
"""

# htmx fires htmx:historyRestore once the restored page is in place; cacheMiss when the server sent it.
_WATCH_RESTORE = """
window.__e2eRestore = null;
document.addEventListener("htmx:historyRestore", (event) => {
  window.__e2eRestore = event.detail.cacheMiss ? "server" : "cache";
}, { once: true });
"""


def _is_restore(request) -> bool:
    return request.headers.get("hx-history-restore-request") == "true"


@pytest.fixture
def people(live_server):
    brittany = CouncilFactory(name="Conseil de développement du Pays de Brocéliande", departments=["35"])
    alps = CouncilFactory(name="Conseil de développement des Hautes-Alpes du Sud", departments=["05"])
    ProfileFactory(display_name="Bérénice Quéméner", council=brittany)
    ProfileFactory(display_name="Yann Le Gall", council=brittany)
    ProfileFactory(display_name="Gaspard Vallauri", council=alps)
    return UserFactory(email="historique@example.org")


def test_back_and_forward_through_htmx_pages_show_whole_pages(page, live_server, check_page, people):
    build_version(label="v1.0")
    page.context.add_init_script(_NO_HISTORY_CACHE)
    log_in(page, live_server, people.email)

    def expect_whole_page(title: str, heading: str, name: str):
        """The site's layout around the page (not a fragment in place of the body), checked with axe."""
        expect(page).to_have_title(f"{title} · {SITE}")
        banner = page.get_by_role("banner")
        expect(banner).to_have_count(1)
        expect(banner.get_by_role("navigation", name="Navigation principale")).to_be_visible()
        expect(page.get_by_role("main")).to_have_count(1)
        expect(page.get_by_role("main").get_by_role("heading", level=1)).to_have_text(heading)
        expect(page.get_by_role("contentinfo")).to_have_count(1)
        check_page(page, name)

    def search_page(query: str, name: str):
        expect_whole_page("Rechercher dans le référentiel", "Rechercher dans le référentiel v1.0", name)
        expect(page.get_by_label("Code, intitulé ou mot de la description")).to_have_value(query)
        results = page.get_by_text(re.compile(r"résultats? pour «"))
        if query:
            expect(results).to_have_text(re.compile(rf"\d+ résultats? pour « {re.escape(query)} »"))
        else:
            expect(results).to_have_count(0)

    def directory_page(query: str, found: str, name: str):
        expect_whole_page("Annuaire des technicien·nes", "Annuaire des technicien·nes", name)
        expect(page.get_by_label("Rechercher")).to_have_value(query)
        expect(page.get_by_role("heading", level=2, name=re.compile("trouvé"))).to_have_text(found)

    def restored_by_htmx(move, url_part: str):
        """Go back or forward within the document: htmx asks the server for the page (its cache is off)."""
        # Wait for htmx to have swapped the answer in, or the checks would pass on the page left behind.
        page.evaluate(_WATCH_RESTORE)
        with page.expect_request(_is_restore) as restore:
            move()
        wait_until(page, "() => window.__e2eRestore === 'server'")
        assert url_part in restore.value.url
        assert url_part in page.url

    # The référentiel search: each query pushes its address into the history.
    page.goto(live_server.url + "/referentiel/rechercher/")
    search_page("", "historique-01-recherche")
    search = page.get_by_label("Code, intitulé ou mot de la description")
    search.fill("Compétence 1")
    expect(page).to_have_url(re.compile(re.escape(COMPETENCE_QUERY) + "$"))
    search_page("Compétence 1", "historique-02-recherche-competence")
    search.fill("M2.A1")
    expect(page).to_have_url(re.compile(r"q=M2\.A1"))
    search_page("M2.A1", "historique-03-recherche-activite")

    restored_by_htmx(page.go_back, COMPETENCE_QUERY)
    search_page("Compétence 1", "historique-04-retour-recherche-competence")
    restored_by_htmx(page.go_back, "/referentiel/rechercher/")
    search_page("", "historique-05-retour-recherche")
    restored_by_htmx(page.go_forward, COMPETENCE_QUERY)
    search_page("Compétence 1", "historique-06-avance-recherche-competence")
    restored_by_htmx(page.go_forward, "q=M2.A1")
    search_page("M2.A1", "historique-07-avance-recherche-activite")

    # The members directory, filtered twice.
    page.get_by_role("banner").get_by_role("link", name="Annuaire").click()
    directory_page("", "3 technicien·nes trouvé·es", "historique-08-annuaire")
    page.get_by_label("Rechercher").fill("Brocéliande")
    expect(page).to_have_url(re.compile(r"q=Broc%C3%A9liande"))
    directory_page("Brocéliande", "2 technicien·nes trouvé·es", "historique-09-annuaire-conseil")
    page.get_by_label("Rechercher").fill("Gaspard")
    expect(page).to_have_url(re.compile(r"q=Gaspard"))
    directory_page("Gaspard", "1 technicien·ne trouvé·e", "historique-10-annuaire-nom")

    restored_by_htmx(page.go_back, "q=Broc%C3%A9liande")
    directory_page("Brocéliande", "2 technicien·nes trouvé·es", "historique-11-retour-annuaire-conseil")
    restored_by_htmx(page.go_back, "/membres/annuaire/")
    directory_page("", "3 technicien·nes trouvé·es", "historique-12-retour-annuaire")

    # Back into the search, a document the browser loads again, then forward through the directory.
    page.go_back()
    expect(page).to_have_url(re.compile(r"q=M2\.A1"))
    search_page("M2.A1", "historique-13-retour-recherche-activite")
    page.go_forward()
    expect(page).to_have_url(re.compile(r"/membres/annuaire/$"))
    directory_page("", "3 technicien·nes trouvé·es", "historique-14-avance-annuaire")
    page.go_forward()
    expect(page).to_have_url(re.compile(r"q=Broc%C3%A9liande"))
    directory_page("Brocéliande", "2 technicien·nes trouvé·es", "historique-15-avance-annuaire-conseil")
    page.go_forward()
    expect(page).to_have_url(re.compile(r"q=Gaspard"))
    directory_page("Gaspard", "1 technicien·ne trouvé·e", "historique-16-avance-annuaire-nom")
