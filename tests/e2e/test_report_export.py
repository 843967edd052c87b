"""The network report in a real browser: asked for on the dashboard, followed live on its status page
(htmx polling, announced in a live region) while the worker prepares it, then downloaded."""

import pytest
from playwright.sync_api import expect

from tests.core.worker import DATABASE_TASKS, run_worker
from tests.dashboard.conftest import build_network
from tests.e2e.login import log_in
from tests.members.factories import UserFactory


@pytest.fixture
def network(live_server):
    return build_network()


def test_a_curator_asks_for_the_report_and_downloads_it_once_ready(page, live_server, check_page, network, settings):
    # As in production: the request only queues the report; the worker prepares it.
    settings.TASKS = DATABASE_TASKS
    log_in(page, live_server, UserFactory(curator=True).email)
    page.goto(live_server.url + "/chiffres/reseau/")
    page.get_by_role("button", name="Préparer le rapport (PDF)").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Rapport « Chiffres du réseau »")
    progress = page.get_by_role("status").filter(has=page.locator("#export-progress"))
    expect(progress).to_contain_text("Étape 1 sur 3 : En file d'attente")
    expect(page.get_by_role("link", name="Actualiser")).to_be_visible()
    check_page(page, "rapport-en-file")

    run_worker()

    # No reload: htmx asks again every 2 s and shows the link as soon as the report is ready.
    download = page.get_by_role("link", name="Télécharger le rapport (PDF)")
    expect(download).to_be_visible(timeout=15_000)
    expect(progress).to_contain_text("Le rapport est prêt.")
    expect(page.get_by_role("link", name="Actualiser")).to_have_count(0)
    check_page(page, "rapport-pret")

    with page.expect_download() as started:
        download.click()
    pdf = started.value
    assert pdf.suggested_filename.startswith("chiffres-reseau-codev-")
    with open(pdf.path(), "rb") as stored:
        assert stored.read(5) == b"%PDF-"
