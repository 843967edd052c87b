"""The dashboard printed as the network's report: asked for on the dashboard, prepared in the background,
followed on a status page, downloaded by the curator who asked for it only."""

import io
import re
from datetime import timedelta
from unittest import mock

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from pypdf import PdfReader

from core import pdf as renderer
from core.enums import PdfExportStatus
from core.models import PdfExport
from core.pdf import PdfError
from dashboard.report import NETWORK_REPORT
from members.models import Region
from tests.core.worker import DATABASE_TASKS, reload_reference_data, run_worker
from tests.dashboard.conftest import build_network
from tests.html import page_text, select, text_of
from tests.members.factories import UserFactory

REQUEST_URL = reverse("dashboard:network_report")
DASHBOARD_URL = reverse("dashboard:network")


def status_url(export) -> str:
    return reverse("dashboard:network_report_status", args=[export.pk])


def download_url(export) -> str:
    return reverse("dashboard:network_report_download", args=[export.pk])


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@pytest.fixture
def ask_for_report(curator_client, django_capture_on_commit_callbacks):
    """POST the request as the dashboard's button does; the task runs inline once the request commits."""

    def ask(query: str = "", client=curator_client):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(REQUEST_URL + (f"?{query}" if query else ""))
        assert response.status_code == 302
        export = PdfExport.objects.latest("created_at")
        assert response.url == status_url(export)
        return export

    return ask


def _download(client, export) -> bytes:
    response = client.get(download_url(export))
    content = b"".join(response.streaming_content) if response.streaming else response.content
    response.close()
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert {"private", "no-store"} <= {part.strip() for part in response["Cache-Control"].split(",")}
    return content


# Who may ask, see and download ----------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_the_login_page(client, db):
    response = client.post(REQUEST_URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert not PdfExport.objects.exists()


def test_members_are_refused(member_client):
    assert member_client.post(REQUEST_URL).status_code == 403
    assert not PdfExport.objects.exists()


def test_asking_is_a_post_only(curator_client):
    assert curator_client.get(REQUEST_URL).status_code == 405
    assert not PdfExport.objects.exists()


def test_only_the_curator_who_asked_sees_the_status_and_the_file(ask_for_report, client, network):
    export = ask_for_report()

    for other in (UserFactory(curator=True), UserFactory(admin=True)):
        client.force_login(other)
        assert client.get(status_url(export)).status_code == 404
        assert client.get(download_url(export)).status_code == 404
    client.force_login(UserFactory())
    assert client.get(status_url(export)).status_code == 403


def test_an_unknown_export_is_not_found(curator_client):
    missing = "00000000-0000-4000-8000-000000000000"
    assert curator_client.get(reverse("dashboard:network_report_status", args=[missing])).status_code == 404


# The whole journey, tasks run inline ----------------------------------------------------------


def test_the_dashboard_asks_for_the_report_with_its_filters(curator_client, network):
    occitania = Region.objects.get(name="Occitanie")

    content = curator_client.get(DASHBOARD_URL, {"region": occitania.code}).content.decode()

    form = re.search(rf'<form method="post" action="{REQUEST_URL}([^"]*)">.*?</form>', content, re.S)
    assert form and form[1] == f"?region={occitania.code}"
    assert "csrfmiddlewaretoken" in form[0]
    assert "Préparer le rapport (PDF)" in form[0]


def test_the_report_is_prepared_then_downloaded(ask_for_report, curator, curator_client, network, settings):
    export = ask_for_report()

    export.refresh_from_db()
    assert (export.status, export.requested_by, export.kind, export.language) == (
        PdfExportStatus.DONE,
        curator,
        NETWORK_REPORT,
        "fr",
    )
    assert export.file_name == f"pdf-exports/{export.pk}.pdf"
    assert default_storage.exists(export.file_name)
    page = curator_client.get(status_url(export)).content.decode()
    assert "Le rapport est prêt." in page
    assert f'href="{download_url(export)}"' in page
    assert "hx-trigger" not in page  # nothing left to poll
    assert "Actualiser" not in page

    response = curator_client.get(download_url(export))
    content = b"".join(response.streaming_content)
    response.close()
    assert content.startswith(b"%PDF-")
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Disposition"].startswith('attachment; filename="chiffres-reseau-codev-')
    assert PdfReader(io.BytesIO(content)).metadata.title == "Chiffres du réseau"
    text = pdf_text(content)
    for heading in ("Sommaire", "Où travaillent les membres", "Le poste", "Membres par région"):
        assert heading in text
    # Occitanie has 3 members: never printed as a number.
    assert re.search(r"Occitanie\s+moins de 5", text)
    assert not re.search(r"Occitanie\s+3\b", text)
    assert "Bretagne" in text


def test_filters_apply_to_the_report(ask_for_report, curator_client, network):
    occitania = Region.objects.get(name="Occitanie")
    export = ask_for_report(f"region={occitania.code}")

    assert export.params == {"region": occitania.code}
    text = pdf_text(_download(curator_client, export))
    assert "Sélection : Occitanie" in text
    assert "Moins de 5 membres correspondent à ces filtres" in text
    assert "Le poste" not in text.split("Sommaire", 1)[1].split("À propos", 1)[0]


@pytest.mark.parametrize("kind", ["petr", "metropole"])
def test_the_report_names_the_territory_kind_chosen(ask_for_report, curator_client, network, kind):
    export = ask_for_report(f"kind={kind}&region=inconnue")

    assert export.params == {"kind": kind}  # an invalid filter is ignored, as on the dashboard
    assert "Sélection :" in pdf_text(_download(curator_client, export))


def test_the_report_is_prepared_in_the_language_of_the_page(ask_for_report, curator_client, network, settings):
    curator_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    export = ask_for_report()

    assert export.language == "en"
    assert "Network figures" in pdf_text(_download(curator_client, export))


def test_a_report_that_cannot_be_laid_out_shows_why_in_french(ask_for_report, curator_client, network):
    with mock.patch.object(
        renderer, "html_to_pdf", side_effect=PdfError("Ce document est trop long pour être converti en PDF.")
    ):
        export = ask_for_report()

    export.refresh_from_db()
    assert export.status == PdfExportStatus.FAILED
    page = page_text(curator_client.get(status_url(export)))
    assert "Le rapport n'a pas pu être préparé." in page
    assert "Ce document est trop long pour être converti en PDF." in page
    assert "Télécharger le rapport" not in page
    # Nothing to download: back to the status page.
    assert curator_client.get(download_url(export)).url == status_url(export)


def test_an_unexpected_error_is_recorded_with_a_french_message(ask_for_report, curator_client, network, caplog):
    with mock.patch.object(renderer, "html_to_pdf", side_effect=RuntimeError("Pango a planté")):
        export = ask_for_report()

    export.refresh_from_db()
    assert export.status == PdfExportStatus.FAILED
    assert "Pango" not in export.error
    assert "erreur technique" in curator_client.get(status_url(export)).content.decode()
    assert "Export PDF" in caplog.text and "Pango a planté" in caplog.text


# The status page and its htmx partial --------------------------------------------------------------


def _export(user, status=PdfExportStatus.QUEUED, **fields) -> PdfExport:
    return PdfExport.objects.create(requested_by=user, kind=NETWORK_REPORT, language="fr", status=status, **fields)


def test_a_queued_report_page_polls_and_can_be_refreshed_without_javascript(curator_client, curator):
    export = _export(curator)

    response = curator_client.get(status_url(export))

    page = page_text(response)
    assert "Étape 1 sur 3" in page and "En file d'attente" in page
    assert select(response, '[role="status"]')
    assert select(response, f'[hx-get="{status_url(export)}?etat=queued"][hx-trigger="every 2s"][hx-swap="outerHTML"]')
    assert [text_of(link) for link in select(response, f'a[href="{status_url(export)}"]')] == ["Actualiser"]
    assert not select(response, "meta[http-equiv]")
    assert "Télécharger le rapport" not in page
    assert curator_client.get(download_url(export)).url == status_url(export)


def test_htmx_gets_nothing_while_the_stage_is_unchanged(curator_client, curator):
    export = _export(curator, PdfExportStatus.RUNNING)

    unchanged = curator_client.get(status_url(export), {"etat": "running"}, headers={"HX-Request": "true"})
    changed = curator_client.get(status_url(export), {"etat": "queued"}, headers={"HX-Request": "true"})

    assert unchanged.status_code == 204
    assert "HX-Request" in unchanged["Vary"]
    assert changed.status_code == 200
    fragment = changed.content.decode()
    assert fragment.lstrip().startswith('<div id="export-progress"')
    assert "<html" not in fragment
    assert "Étape 2 sur 3" in fragment and "En cours de préparation" in fragment
    assert 'hx-get="' + status_url(export) + '?etat=running"' in fragment


def test_a_history_restore_gets_the_whole_page_even_when_the_stage_is_unchanged(curator_client, curator):
    export = _export(curator, PdfExportStatus.RUNNING)
    headers = {"HX-Request": "true", "HX-History-Restore-Request": "true"}

    response = curator_client.get(status_url(export), {"etat": "running"}, headers=headers)

    assert response.status_code == 200
    assert "<html" in response.content.decode()
    assert "HX-Request" in response["Vary"]


def test_htmx_stops_polling_and_removes_the_refresh_link_when_ready(curator_client, curator):
    export = _export(curator, PdfExportStatus.DONE, file_name="pdf-exports/x.pdf", download_name="rapport.pdf")

    fragment = curator_client.get(status_url(export), {"etat": "running"}, headers={"HX-Request": "true"})

    content = fragment.content.decode()
    assert "hx-trigger" not in content
    assert f'href="{download_url(export)}"' in content
    assert '<p id="export-refresh" hx-swap-oob="true" hidden></p>' in content


# With the database backend: nothing happens until the worker runs --------------------------------------


@pytest.fixture
def database_tasks(settings, transactional_db):
    settings.TASKS = DATABASE_TASKS
    reload_reference_data()


def test_the_report_waits_for_the_worker(database_tasks, client):
    build_network()
    curator = UserFactory(curator=True)
    client.force_login(curator)

    response = client.post(REQUEST_URL, follow=True)

    export = PdfExport.objects.get()
    assert export.status == PdfExportStatus.QUEUED
    assert "en file d'attente" in page_text(response).lower()
    task = DBTaskResult.objects.get(task_path="core.pdf_exports.pdf_export_render")
    assert task.args_kwargs == {"args": [str(export.pk)], "kwargs": {}}

    run_worker()

    export.refresh_from_db()
    assert export.status == PdfExportStatus.DONE
    assert export.started_at <= export.finished_at
    fragment = client.get(status_url(export), {"etat": "queued"}, headers={"HX-Request": "true"}).content.decode()
    assert "Le rapport est prêt." in fragment
    assert _download(client, export).startswith(b"%PDF-")
    task.refresh_from_db()
    assert (task.status, task.return_value) == ("SUCCESSFUL", "done")


def test_a_report_task_run_twice_renders_once(database_tasks, client):
    curator = UserFactory(curator=True)
    export = _export(curator, PdfExportStatus.RUNNING)
    from core.pdf_exports import pdf_export_render

    assert pdf_export_render.call(str(export.pk)) == "absent"
    export.refresh_from_db()
    assert export.status == PdfExportStatus.RUNNING


# Cleaning up -------------------------------------------------------------------------------------------


def _stored_export(user, *, hours_ago: float) -> PdfExport:
    export = _export(user, PdfExportStatus.DONE, download_name="rapport.pdf")
    export.file_name = default_storage.save(f"pdf-exports/{export.pk}.pdf", ContentFile(b"%PDF-1.7\n%%EOF\n"))
    export.save(update_fields=["file_name"])
    PdfExport.objects.filter(pk=export.pk).update(created_at=timezone.now() - timedelta(hours=hours_ago))
    return export


def test_the_cleanup_command_removes_exports_older_than_a_day(curator):
    old, recent = _stored_export(curator, hours_ago=25), _stored_export(curator, hours_ago=23)
    failed = _export(curator, PdfExportStatus.FAILED, error="Trop long.")
    PdfExport.objects.filter(pk=failed.pk).update(created_at=timezone.now() - timedelta(days=3))
    output = io.StringIO()

    call_command("prune_pdf_exports", stdout=output)

    assert list(PdfExport.objects.all()) == [recent]
    assert not default_storage.exists(old.file_name)
    assert default_storage.exists(recent.file_name)
    assert "2 export(s) PDF de plus de 24 heure(s) supprimé(s)." in output.getvalue()


def test_the_cleanup_command_takes_another_age(curator):
    _stored_export(curator, hours_ago=2)

    call_command("prune_pdf_exports", "--hours", "1", stdout=io.StringIO())

    assert not PdfExport.objects.exists()


def test_each_new_request_cleans_up_old_exports(ask_for_report, curator, network):
    old = _stored_export(curator, hours_ago=30)

    export = ask_for_report()

    assert list(PdfExport.objects.all()) == [export]
    assert not default_storage.exists(old.file_name)


def _embedded_fonts(reader: PdfReader) -> set[str]:
    """The base names of every font the pages use, their subsets' prefixes removed."""
    fonts = set()
    for page in reader.pages:
        resources = page.get("/Resources") or {}
        for font in (resources.get("/Font") or {}).values():
            fonts.add(str(font.get_object()["/BaseFont"]).lstrip("/").split("+", 1)[-1])
    return fonts


def test_the_report_uses_its_own_font_even_in_its_charts(ask_for_report, curator_client, network):
    """The SVG charts name the font the PDF stylesheet embeds: no fallback font (DejaVu…) creeps in."""
    content = _download(curator_client, ask_for_report())
    fonts = _embedded_fonts(PdfReader(io.BytesIO(content)))
    assert fonts and all(name.startswith("Source-Sans-3") for name in fonts), fonts


def test_no_page_of_the_report_ends_with_a_heading(ask_for_report, curator_client, network):
    """A section's heading and its introduction go to the next page with the chart they announce."""
    content = _download(curator_client, ask_for_report())
    reader = PdfReader(io.BytesIO(content))
    headings = {"Où travaillent les membres", "Membres par région", "Le poste", "Missions déclarées"}
    headings |= {"Auto-évaluation au regard du référentiel", "Besoins de formation", "Participation à la fiche commune"}
    for number, page in enumerate(reader.pages[2:], 3):
        lines = [line.strip() for line in page.extract_text().splitlines() if line.strip()]
        # The last lines before the running footer ("Coordination nationale… Page n / N").
        body = [line for line in lines if not line.startswith("Coordination nationale") and "Page " not in line]
        assert body and body[-1] not in headings, (number, body[-3:])
