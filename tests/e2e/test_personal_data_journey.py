"""A member's own data in a real browser: the archive asked for, followed live while the worker prepares
it (htmx polling in a live region), downloaded; then the account deleted after confirmation, and the
person logged out."""

import json
import re
import zipfile

import pytest
from playwright.sync_api import expect

from members.models import User
from tests.core.worker import DATABASE_TASKS, run_worker
from tests.e2e.login import log_in
from tests.e2e.navigation import open_menu
from tests.members.factories import DEFAULT_PASSWORD, ProfileFactory, UserFactory


@pytest.fixture
def member(live_server):
    user = UserFactory(email="lea.morvan@example.org", first_name="Léa", last_name="Morvan")
    ProfileFactory(user=user, display_name="Léa Morvan", employer="Communauté de communes de Lamballe")
    return user


def test_a_member_downloads_their_data_then_deletes_their_account(page, live_server, check_page, member, settings):
    # As in production: the request only queues the archive; the worker prepares it.
    settings.TASKS = DATABASE_TASKS
    log_in(page, live_server, member.email)
    open_menu(page, "Mon espace").get_by_role("link", name="Mon profil").click()
    page.get_by_role("main").get_by_role("link", name="Mes données personnelles").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes données personnelles")
    check_page(page, "donnees-01-page")

    page.get_by_role("button", name="Préparer mon archive").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Archive de mes données")
    progress = page.get_by_role("status").filter(has=page.locator("#export-progress"))
    expect(progress).to_contain_text("Étape 1 sur 3 : En file d'attente")
    expect(page.get_by_role("link", name="Actualiser")).to_be_visible()
    check_page(page, "donnees-02-en-file")

    run_worker()

    # No reload: htmx asks again every 2 s and shows the link as soon as the archive is ready.
    download = page.get_by_role("link", name="Télécharger", exact=True)
    expect(download).to_be_visible(timeout=15_000)
    expect(progress).to_contain_text("Votre archive est prête.")
    expect(page.get_by_role("link", name="Actualiser")).to_have_count(0)
    check_page(page, "donnees-03-prete")

    with page.expect_download() as started:
        download.click()
    archive = started.value
    assert re.fullmatch(r"mes-donnees-reseau-codev-\d{4}-\d{2}-\d{2}\.zip", archive.suggested_filename)
    with zipfile.ZipFile(archive.path()) as content:
        [account] = json.loads(content.read("membres-compte.json"))
        [profile] = json.loads(content.read("membres-profil.json"))
        assert "LISEZMOI.txt" in content.namelist()
    assert account["email"] == "lea.morvan@example.org"
    assert profile["employer"] == "Communauté de communes de Lamballe"

    # Then the account is deleted, after a confirmation step.
    page.get_by_role("link", name="Revenir à mes données personnelles").click()
    page.get_by_role("link", name="Supprimer mon compte…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Supprimer mon compte")
    check_page(page, "donnees-04-confirmation")
    page.get_by_label("Votre mot de passe").fill(DEFAULT_PASSWORD)
    page.get_by_label("Je comprends que mon profil et mes données personnelles seront définitivement effacés.").check()
    page.get_by_role("button", name="Supprimer définitivement mon compte").click()

    expect(page).to_have_url(live_server.url + "/")
    expect(page.get_by_role("main")).to_contain_text("Votre compte et vos données personnelles ont été supprimés.")
    expect(page.get_by_role("banner").get_by_role("link", name="Se connecter")).to_be_visible()
    expect(page.get_by_role("banner").get_by_text("Mon espace")).to_have_count(0)
    check_page(page, "donnees-05-supprime")
    erased = User.objects.get(pk=member.pk)
    assert str(erased) == "Ancien·ne membre" and not erased.is_active

    # Logged out for good: the network's pages ask for a login again.
    page.goto(live_server.url + "/membres/mes-donnees/")
    expect(page).to_have_url(re.compile(r"/comptes/login/"))
