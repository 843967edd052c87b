"""The network dashboard in a real browser: accessible, CSP-clean, filters working with and without htmx."""

import pytest
from playwright.sync_api import expect

from members.models import Region
from tests.dashboard.conftest import build_network
from tests.e2e.login import log_in
from tests.members.factories import UserFactory


@pytest.fixture
def network(live_server):
    return build_network()


def _log_in_as_curator(page, live_server):
    log_in(page, live_server, UserFactory(curator=True).email)


def test_a_curator_reads_and_filters_the_network_figures(page, live_server, check_page, network):
    _log_in_as_curator(page, live_server)
    page.goto(live_server.url + "/chiffres/reseau/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Chiffres du réseau")
    expect(page.get_by_role("img", name="Carte des régions : membres par région")).to_be_visible()
    expect(page.get_by_role("table", name="Membres par région")).to_contain_text("moins de 5")
    check_page(page, "chiffres-reseau")

    # Choosing a region refreshes the figures in place (htmx) and keeps the address shareable.
    page.get_by_label("Région", exact=True).select_option(label="Occitanie")
    expect(page.get_by_role("status")).to_contain_text("Moins de 5 membres correspondent à ces filtres")
    occitania = Region.objects.get(name="Occitanie")
    assert f"region={occitania.code}" in page.url
    expect(page.get_by_role("heading", name="Le poste")).to_have_count(0)
    check_page(page, "chiffres-reseau-filtre")


def test_the_key_figures_page_is_public_and_accessible(page, live_server, check_page, network):
    page.goto(live_server.url + "/chiffres/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Chiffres clés du réseau")
    expect(page.get_by_text("Technicien·nes inscrit·es")).to_be_visible()
    check_page(page, "chiffres-cles")
