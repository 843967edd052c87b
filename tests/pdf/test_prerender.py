"""Published documents are rendered in the background as soon as they are published, in every language,
under the very name the download view looks for: the first download is served from storage."""

from unittest import mock

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from core import pdf as renderer
from fiches import services as fiche_services
from fiches.models import COMMON_FICHE_SLUG
from referentiel import services as competence_services
from tests.core.worker import DATABASE_TASKS, run_worker
from tests.fiches.factories import fiche_with_sections

FICHE_URL = reverse("fiches:version_pdf", args=[COMMON_FICHE_SLUG, "v1.0"])
LANGUAGES = sorted(code for code, _name in django_settings.LANGUAGES)


@pytest.fixture
def database_tasks(settings, transactional_db):
    settings.TASKS = DATABASE_TASKS


def _stored(settings, folder: str) -> dict[str, bytes]:
    """Stored PDFs of `folder` by language (their names end in -<variant>-<language>-<fingerprint>.pdf)."""
    directory = settings.MEDIA_ROOT / "pdf-cache" / folder
    if not directory.exists():
        return {}
    return {path.name.split("-")[-2]: path.read_bytes() for path in directory.iterdir()}


def _download(client, url, language):
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    return response.content


def _publish_fiche(curator):
    fiche = fiche_with_sections(2)
    return fiche_services.version_publish(fiche_id=fiche.pk, label="v1.0", summary="Première.", actor=curator)


def _publish_framework(draft, curator):
    return competence_services.framework_publish(draft=draft, summary="Nouvelle échelle.", actor=curator)


def test_publishing_a_fiche_version_stores_its_pdf_in_every_language(
    client, curator, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _publish_fiche(curator)

    stored = _stored(settings, "fiches")
    assert sorted(stored) == LANGUAGES
    assert all(content.startswith(b"%PDF-") for content in stored.values())
    with mock.patch.object(renderer, "html_to_pdf") as render:
        downloads = {language: _download(client, FICHE_URL, language) for language in LANGUAGES}

    render.assert_not_called()
    assert downloads == stored
    assert downloads["fr"] != downloads["en"]


def test_publishing_a_referentiel_version_stores_its_pdf_in_every_language(
    client, curator, draft_framework, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _publish_framework(draft_framework, curator)

    stored = _stored(settings, "referentiel")
    assert sorted(stored) == LANGUAGES
    url = reverse("referentiel:version_pdf", args=[draft_framework.label])
    with mock.patch.object(renderer, "html_to_pdf") as render:
        downloads = {language: _download(client, url, language) for language in LANGUAGES}

    render.assert_not_called()
    assert downloads == stored


def test_the_rendering_waits_in_the_queue_until_the_worker_runs_it(database_tasks, curator, settings):
    version = _publish_fiche(curator)

    task = DBTaskResult.objects.get(task_path="fiches.tasks.version_pdf_prerender")
    assert (task.status, task.args_kwargs) == ("READY", {"args": [version.pk], "kwargs": {}})
    assert _stored(settings, "fiches") == {}

    run_worker()

    task.refresh_from_db()
    assert (task.status, task.return_value) == ("SUCCESSFUL", [code for code, _name in settings.LANGUAGES])
    assert sorted(_stored(settings, "fiches")) == LANGUAGES


def test_a_download_before_the_worker_renders_at_once_and_the_worker_reuses_it(database_tasks, client, curator):
    _publish_fiche(curator)

    with mock.patch.object(renderer, "html_to_pdf", wraps=renderer.html_to_pdf) as render:
        french = _download(client, FICHE_URL, "fr")
        assert render.call_count == 1
        run_worker()

    assert render.call_count == 2  # the worker rendered English only: French was already stored
    assert _download(client, FICHE_URL, "fr") == french


def test_a_stored_referentiel_is_printed_again_once_archived(client, curator, framework, draft_framework, read_pdf):
    url = reverse("referentiel:version_pdf", args=[framework.label])
    assert "publiée" in read_pdf(_download(client, url, "fr")).text

    _publish_framework(draft_framework, curator)  # v1.0 is archived

    text = read_pdf(_download(client, url, "fr")).text
    assert "archivée" in text
    assert "publiée" not in text
