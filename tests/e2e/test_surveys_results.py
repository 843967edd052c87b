"""The results of a campaign in a browser: the team reads them, filters by region, exports, asks for the
report, publishes a summary; a visitor reads the public page, never a free text.

Every page of the journeys is checked with axe, on a desktop and on a phone's screen (`check_page`).
"""

import re

import pytest
from playwright.sync_api import expect

from tests.core.worker import DATABASE_TASKS, run_worker
from tests.e2e.login import log_in
from tests.members.factories import UserFactory
from tests.surveys.results_data import STANDARD_GROUPS, closed_campaign_with

SUMMARY = "Les technicien·nes consacrent **plus de la moitié** de leur temps à l'animation."


@pytest.fixture
def campaign(live_server):
    return closed_campaign_with(STANDARD_GROUPS, title="Enquête pratiques 2025")


def test_the_team_reads_filters_exports_and_publishes(page, live_server, check_page, campaign, settings):
    settings.TASKS = DATABASE_TASKS
    log_in(page, live_server, UserFactory(curator=True).email)
    page.goto(live_server.url + f"/enquetes/equipe/campagnes/{campaign.pk}/resultats/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Résultats de « Enquête pratiques 2025 »")
    expect(page.locator("#surveys-results p.fs-5")).to_contain_text("Personnes ayant répondu : 30")
    expect(page.get_by_role("table", name="Réponses").first).to_be_visible()
    # The free texts, folded, for the team only.
    page.get_by_text("Lire les", exact=False).first.click()
    expect(page.locator(".surveys-text").first).to_be_visible()
    check_page(page, "resultats-equipe")

    # Filtering by region: htmx swaps the results in place; without a region under 5 on offer.
    select = page.get_by_label("Afficher les réponses de")
    expect(select.locator("option[value='region-94']")).to_have_count(0)
    select.select_option("region-53")
    expect(page.get_by_text("Région : Bretagne")).to_be_visible()
    expect(page).to_have_url(re.compile(r"groupe=region-53"))
    expect(page.locator(".surveys-text")).to_have_count(0)
    check_page(page, "resultats-equipe-bretagne")

    with page.expect_download() as started:
        page.get_by_role("link", name="Télécharger les chiffres (CSV)").click()
    assert "region-53" in started.value.suggested_filename

    page.get_by_role("button", name="Préparer le rapport (PDF)").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Rapport de résultats d'enquête")
    run_worker()
    download = page.get_by_role("link", name="Télécharger le rapport (PDF)")
    expect(download).to_be_visible(timeout=15_000)
    check_page(page, "resultats-rapport")
    with page.expect_download() as started:
        download.click()
    with open(started.value.path(), "rb") as stored:
        assert stored.read(5) == b"%PDF-"

    page.goto(live_server.url + f"/enquetes/equipe/campagnes/{campaign.pk}/resultats/")
    page.get_by_role("link", name="Publier les résultats").click()
    check_page(page, "resultats-publier")
    page.get_by_label("Synthèse publique").fill(SUMMARY)
    page.get_by_role("button", name="Publier les résultats").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Résultats de l'enquête « Enquête pratiques 2025 »")
    expect(page.locator(".surveys-summary strong")).to_have_text("plus de la moitié")


def test_a_visitor_reads_the_public_results(page, live_server, check_page, campaign):
    from surveys.results import results_publish

    results_publish(campaign_id=campaign.pk, actor=None, summary=SUMMARY, lock_version=None)
    page.goto(live_server.url + f"/enquetes/{campaign.pk}/resultats/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Résultats de l'enquête « Enquête pratiques 2025 »")
    expect(page.get_by_role("heading", name="Synthèse")).to_be_visible()
    expect(page.locator(".surveys-text")).to_have_count(0)
    expect(page.get_by_text("Les réponses libres ne sont pas publiées").first).to_be_visible()
    select = page.get_by_label("Afficher les réponses de")
    expect(select.locator("option[value^='categorie']")).to_have_count(0)
    check_page(page, "resultats-publics")
    select.select_option("region-11")
    expect(page.get_by_text("Région : Île-de-France")).to_be_visible()
    check_page(page, "resultats-publics-region")


def test_the_team_compares_two_years(page, live_server, check_page, campaign):
    from tests.surveys.factories import make_questionnaire

    copy = make_questionnaire(title="Pratiques 2026")
    copy.based_on = campaign.questionnaire
    copy.save()
    later = closed_campaign_with(STANDARD_GROUPS * 2, questionnaire=copy, title="Enquête pratiques 2026", seed=3)
    log_in(page, live_server, UserFactory(curator=True).email)
    page.goto(live_server.url + f"/enquetes/equipe/campagnes/{later.pk}/resultats/")
    page.get_by_role("link", name="Comparer avec une autre campagne de ce questionnaire").click()
    page.get_by_label("Comparer avec la campagne").select_option(label="Enquête pratiques 2025")
    page.get_by_role("button", name="Comparer").click()
    expect(page.get_by_role("columnheader", name="Enquête pratiques 2025 : nombre").first).to_be_visible()
    expect(page.get_by_role("img", name="Part des personnes qui ont répondu (%)").first).to_be_visible()
    check_page(page, "resultats-comparaison")
