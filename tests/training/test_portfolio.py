"""The portfolio for the annual review: compose with a preview, JSON download, PDF in the background."""

import io
import json
from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from core.enums import PdfExportStatus
from core.models import PdfExport
from fiches import services as fiche_services
from fiches.enums import SectionKind
from fiches.models import COMMON_FICHE_SLUG, Fiche
from missions.models import Mission, MissionDeclaration
from referentiel.services import self_assessment_save
from tests.members.factories import ProfileFactory
from tests.referentiel.factories import build_version, small_data
from tests.training.factories import make_plan, make_training
from training.enums import ActionKind, PortfolioPart
from training.models import PlanAction, PlanPriority, TrainingCompletion
from training.portfolio import PORTFOLIO_EXPORT, PortfolioChoice, portfolio_content, portfolio_document

pytestmark = pytest.mark.django_db

URL = reverse("training:portfolio")
JSON_URL = reverse("training:portfolio_json")
PDF_URL = reverse("training:portfolio_pdf")
EVERYTHING = list(PortfolioPart.values)


@pytest.fixture
def version(db):
    return build_version(small_data("v1.0"))


@pytest.fixture
def fiche(db):
    fiche = Fiche.objects.create(slug=COMMON_FICHE_SLUG, title="Fiche de poste commune")
    fiche_services.section_create(
        fiche=fiche,
        key="competences",
        title="Compétences",
        kind=SectionKind.COMPETENCES,
        body="C-1-01 : niveau 3 — Compétence 1.1\nC-1-02 : niveau 2 — Compétence 1.2",
        order=1,
    )
    return fiche


@pytest.fixture
def records(member, version, fiche):
    """The member's post, ratings with evidence, a mission, a training followed and a plan."""
    ProfileFactory(
        user=member,
        display_name="Camille Lefebvre",
        job_title="Chargée de mission participation citoyenne",
        employer="Communauté urbaine de Dunkerque",
        category="A",
    )
    self_assessment_save(
        user=member,
        version=version,
        ratings={
            "C-1-01": (1, False, "Animation de trois ateliers citoyens"),
            "C-1-02": (3, False, ""),
        },
    )
    mission = Mission.objects.of(version).order_by("order").first()
    if mission is not None:
        MissionDeclaration.objects.create(user=member, mission_code=mission.code, time_share=40)
    training = make_training(title="Conduire une concertation", codes=("C-1-01",))
    TrainingCompletion.objects.create(
        training=training, user=member, completed_on=date(2026, 3, 12), review="Très concrète"
    )
    plan = make_plan(member)
    PlanPriority.objects.create(plan=plan, code="C-1-01", note="Pour le prochain avis")
    PlanAction.objects.create(plan=plan, code="C-1-01", kind=ActionKind.PEER, title="Échanger avec un pair de Lille")
    return member


def post(client, url=URL, **data):
    values = {"parts": EVERYTHING, "introduction": "", "employer": "", "interviewer": ""}
    values.update(data)
    return client.post(url, values)


def test_the_page_shows_a_preview_of_the_default_choice(member_client, records):
    response = member_client.get(URL)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Chargée de mission participation citoyenne" in text
    assert "Conduire une concertation" in text
    assert "Animation de trois ateliers citoyens" in text
    # The plan stays out unless chosen.
    assert "Échanger avec un pair de Lille" not in text


def test_only_the_chosen_parts_appear(member_client, records):
    response = post(member_client, parts=[PortfolioPart.TRAININGS, PortfolioPart.PLAN], introduction="Mon année")
    text = response.content.decode()
    assert "Conduire une concertation" in text and "Échanger avec un pair de Lille" in text
    assert "Mon année" in text
    assert "Chargée de mission participation citoyenne" not in text
    assert "Animation de trois ateliers citoyens" not in text


def test_choosing_nothing_or_too_long_an_introduction_is_refused_in_french(member_client, records):
    response = post(member_client, parts=[])
    assert "Choisissez au moins une partie" in response.content.decode()
    response = post(member_client, introduction="x" * 3001, employer="Ville de Lille")
    text = response.content.decode()
    assert "ne peut pas dépasser 3000 caractères" in text
    assert "Ville de Lille" in text  # nothing typed is lost
    response = post(member_client, PDF_URL, parts=[])
    assert response.status_code == 400 and not PdfExport.objects.exists()


def test_json_has_the_documented_structure(member_client, records):
    response = post(member_client, JSON_URL, employer="Ville de Dunkerque", interviewer="M. Dupont")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["format"] == "codev-portfolio" and data["version"] == 1
    assert data["member"]["name"] == records.display_name
    assert (data["employer"], data["interviewer"]) == ("Ville de Dunkerque", "M. Dupont")
    assert data["parts"] == EVERYTHING
    assert data["post"]["job_title"] == "Chargée de mission participation citoyenne"
    assert data["post"]["category"] == "Catégorie A"
    levels = {row["code"]: row for row in data["levels"]["rows"]}
    assert (levels["C-1-01"]["level"], levels["C-1-01"]["expected"], levels["C-1-01"]["gap"]) == (1, 3, 2)
    assert data["evidence"] == [
        {"code": "C-1-01", "title": "Compétence 1.1", "evidence": "Animation de trois ateliers citoyens"}
    ]
    assert data["trainings"][0]["title"] == "Conduire une concertation"
    assert data["trainings"][0]["completed_on"] == "2026-03-12"
    assert data["plan"]["priorities"][0]["code"] == "C-1-01"
    assert data["plan"]["actions"][0]["title"] == "Échanger avec un pair de Lille"
    assert set(data["contributions"]) == {"suggestions", "revisions", "resources"}


def test_json_leaves_out_the_parts_not_chosen(member_client, records):
    data = json.loads(post(member_client, JSON_URL, parts=[PortfolioPart.MISSIONS]).content)
    assert data["parts"] == ["missions"]
    for key in ("post", "levels", "evidence", "trainings", "plan", "contributions"):
        assert key not in data


def test_the_pdf_is_prepared_followed_and_downloaded_by_its_owner_only(
    member_client, records, other_member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(member_client, PDF_URL, parts=[PortfolioPart.POST, PortfolioPart.LEVELS])
    export = PdfExport.objects.get()
    assert export.kind == PORTFOLIO_EXPORT and export.requested_by == records
    status_url = reverse("training:portfolio_status", args=[export.pk])
    assert response.status_code == 302 and response.url == status_url
    export.refresh_from_db()
    assert export.status == PdfExportStatus.DONE, export.error
    page = member_client.get(status_url)
    assert "Votre portfolio est prêt" in page.content.decode()
    # Another member (or the team) cannot know it exists.
    stranger = Client()
    stranger.force_login(other_member)
    assert stranger.get(status_url).status_code == 404
    assert stranger.get(reverse("training:portfolio_download", args=[export.pk])).status_code == 404
    # Last: closing the streamed file ends the request (and its database connection).
    download = member_client.get(reverse("training:portfolio_download", args=[export.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    content = b"".join(download.streaming_content)
    download.close()
    assert content.startswith(b"%PDF")
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    assert records.display_name in text
    assert "Chargée de mission participation citoyenne" in text
    assert "Conduire une concertation" not in text  # trainings were not chosen


def test_the_document_renders_synchronously_with_the_members_name(records):
    choice = PortfolioChoice(parts=tuple(EVERYTHING), introduction="Bilan de l'année", employer="Ville de Lille")
    content = portfolio_document(choice.as_params(records)).render()
    assert content.startswith(b"%PDF")
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    assert records.display_name in text and "Bilan de l'année" in text and "Ville de Lille" in text
    assert "Page 2 / " in text


def test_the_content_is_read_in_a_constant_number_of_queries(records, version):
    choice = PortfolioChoice(parts=tuple(EVERYTHING))

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            portfolio_content(user=records, choice=choice)
        return len(queries)

    first = count()
    for index in range(5):
        training = make_training(title=f"Formation {index}")
        TrainingCompletion.objects.create(training=training, user=records, completed_on=date(2026, 1, index + 1))
    assert count() == first


def test_another_member_sees_only_their_own_portfolio(client, records, other_member):
    client.force_login(other_member)
    text = client.get(URL).content.decode()
    assert "Chargée de mission participation citoyenne" not in text
    assert "Conduire une concertation" not in text


def test_anonymous_visitors_are_sent_to_log_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))


def test_a_portfolio_goes_into_its_owners_data_archive(member_client, records, django_capture_on_commit_callbacks):
    """A portfolio is about its owner: "Mes données" copies it, unlike the network's reports."""
    import zipfile

    from core.personal_data import personal_data_archive

    with django_capture_on_commit_callbacks(execute=True):
        post(member_client, PDF_URL, parts=[PortfolioPart.POST])
    assert PdfExport.objects.get().status == PdfExportStatus.DONE
    with zipfile.ZipFile(io.BytesIO(personal_data_archive(records))) as archive:
        names = [name for name in archive.namelist() if name.startswith("fichiers/documents-pdf/")]
        assert len(names) == 1 and names[0].endswith(".pdf")
        assert archive.read(names[0]).startswith(b"%PDF")
