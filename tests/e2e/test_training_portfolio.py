"""The portfolio and the network's training needs in a browser: a member composes their portfolio, waits
for the PDF and downloads it; a curator opens the training needs and filters them.

Every page of the journeys is checked with axe, on a desktop and on a phone's screen (`check_page`).
"""

import pytest
from playwright.sync_api import expect

from fiches import services as fiche_services
from fiches.enums import SectionKind
from fiches.models import COMMON_FICHE_SLUG, Fiche
from referentiel.services import self_assessment_save
from tests.core.worker import DATABASE_TASKS, run_worker
from tests.e2e.login import log_in
from tests.members.factories import CouncilFactory, ProfileFactory, UserFactory
from tests.referentiel.factories import build_version, small_data
from tests.training.factories import make_training
from tests.training.test_needs import rated
from training.models import TrainingCompletion


@pytest.fixture
def world(live_server):
    version = build_version(small_data("v1.0"))
    fiche = Fiche.objects.create(slug=COMMON_FICHE_SLUG, title="Fiche de poste commune")
    fiche_services.section_create(
        fiche=fiche,
        key="competences",
        title="Compétences",
        kind=SectionKind.COMPETENCES,
        body="C-1-01 : niveau 3 — Compétence 1.1\nC-1-02 : niveau 2 — Compétence 1.2",
        order=1,
    )
    member = UserFactory(email="lea.fontaine@example.org", first_name="Léa", last_name="Fontaine")
    ProfileFactory(user=member, display_name="Léa Fontaine", job_title="Chargée de mission participation")
    self_assessment_save(user=member, version=version, ratings={"C-1-01": (1, False, "Trois ateliers citoyens animés")})
    training = make_training(title="Conduire une concertation", codes=("C-1-01",))
    TrainingCompletion.objects.create(training=training, user=member, completed_on="2026-03-12")
    brittany, lyon = CouncilFactory(departments=["35"]), CouncilFactory(departments=["69"])
    for _index in range(7):
        rated(ProfileFactory(council=brittany, category="A"), version, C_1_01=1, C_1_02=3)
    for _index in range(6):
        rated(ProfileFactory(council=lyon, category="B"), version, C_1_01=3, C_1_02=1)
    return {"member": member}


def test_a_member_composes_a_portfolio_and_downloads_the_pdf(new_context, live_server, check_page, world, settings):
    page = new_context().new_page()
    log_in(page, live_server, world["member"].email)
    page.goto(live_server.url + "/parcours/portfolio/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon portfolio pour l'entretien annuel")
    preview = page.locator("#portfolio-preview")
    expect(preview).to_contain_text("Conduire une concertation")
    check_page(page, "portfolio")

    # Untick the trainings: the preview follows without a reload (htmx).
    page.get_by_label("Les formations suivies").uncheck()
    expect(preview).not_to_contain_text("Conduire une concertation")
    expect(preview).to_contain_text("Trois ateliers citoyens animés")
    page.get_by_label("Introduction (facultative)").fill("Mon année au conseil de développement.")
    page.get_by_role("button", name="Actualiser l'aperçu").click()
    expect(preview).to_contain_text("Mon année au conseil de développement.")

    # As in production: the request only queues the PDF; the worker prepares it.
    settings.TASKS = DATABASE_TASKS
    page.get_by_role("button", name="Préparer le PDF").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon portfolio (PDF)")
    progress = page.get_by_role("status").filter(has=page.locator("#export-progress"))
    expect(progress).to_contain_text("Étape 1 sur 3")
    check_page(page, "portfolio-en-file")
    run_worker()
    download = page.get_by_role("link", name="Télécharger mon portfolio (PDF)")
    expect(download).to_be_visible(timeout=15_000)
    check_page(page, "portfolio-pret")
    with page.expect_download() as started:
        download.click()
    pdf = started.value
    assert pdf.suggested_filename.startswith("portfolio-")
    with open(pdf.path(), "rb") as stored:
        assert stored.read(5) == b"%PDF-"


def test_a_curator_reads_the_training_needs_and_filters_them(new_context, live_server, check_page, world):
    page = new_context().new_page()
    log_in(page, live_server, UserFactory(curator=True).email)
    page.goto(live_server.url + "/parcours/equipe/besoins/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Besoins de formation du réseau")
    ranking = page.get_by_role("table", name="Compétences le plus souvent en deçà du niveau attendu")
    expect(ranking).to_contain_text("C-1-01")
    check_page(page, "besoins")

    # A category with fewer than 5 members shows no figure (htmx swaps the results on change).
    page.get_by_label("Catégorie de poste", exact=True).select_option("C")
    expect(page.locator("#needs-results")).to_contain_text("Moins de 5 membres correspondent à ces filtres")
    page.get_by_label("Catégorie de poste", exact=True).select_option("A")
    expect(page.get_by_role("table", name="Compétences le plus souvent en deçà du niveau attendu")).to_be_visible()
    expect(page).to_have_url(live_server.url + "/parcours/equipe/besoins/?region=&category=A")
    check_page(page, "besoins-filtres")
