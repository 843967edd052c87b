"""The register of processing in a real browser: reached from the team's menu, accessible, its CSV downloadable."""

from playwright.sync_api import expect

from core.personal_data import personal_data_kinds
from tests.e2e.login import log_in
from tests.e2e.navigation import open_menu
from tests.members.factories import UserFactory


def test_a_curator_opens_the_register_from_the_team_menu_and_downloads_it(page, live_server, check_page):
    log_in(page, live_server, UserFactory(curator=True).email)

    open_menu(page, "Équipe CNCD").get_by_role("link", name="Registre des traitements").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Registre des activités de traitement")
    first = personal_data_kinds()[0]
    expect(page.get_by_role("main").get_by_role("rowheader").first).to_contain_text(str(first.label))
    check_page(page, "registre-des-traitements")
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger le registre (CSV)").click()
    assert download.value.suggested_filename.startswith("registre-des-traitements-")
