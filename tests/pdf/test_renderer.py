"""The one PDF renderer: local resources only, bounded input, French typography, one render per document."""

import threading
import time
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import connection

from core import pdf as renderer
from core.pdf import PdfBusy, PdfError, check_limits, french_typography, html_to_pdf, render_pdf

STATIC = Path(django_settings.BASE_DIR) / "static"
TEMPLATE = "pdf/base_document.html"
FAKE_PDF = b"%PDF-1.7\n% fausse mise en page\n%%EOF\n"
# A 1×1 transparent PNG.
PIXEL = (
    "data:image/png;base64,"
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


def _context(title="Document d'essai"):
    # Every field the base document prints, as the real documents give them (referentiel/pdf.py).
    doc = {
        "title": title,
        "kicker": "Essai",
        "author": "Réseau",
        "description": "Un document d'essai",
        "keywords": "essai",
        "version_display": "v1",
        "running_version": "Version 1",
        "date": None,
    }
    return {"doc": doc, "toc": []}


# Local resources only ----------------------------------------------------------------------------------


@pytest.fixture
def fetcher():
    return renderer._fetcher()


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/x.png",
        "https://example.org/x.png",
        "ftp://example.org/x.png",
        "file:///etc/passwd",
        (STATIC / ".." / "manage.py").as_uri(),
        "file:///static/../../etc/passwd",
        "file://example.org" + (STATIC / "img" / "logo.svg").as_posix(),
    ],
)
def test_fetcher_refuses_anything_but_local_static_files(fetcher, url):
    with pytest.raises(ValueError, match=r"Ressource refusée|disallowed protocol"):
        fetcher.fetch(url)


@pytest.mark.parametrize(
    "url",
    [
        (STATIC / "css" / "pdf.css").as_uri(),
        (STATIC / "fonts" / "source-sans-3" / "SourceSans3-Regular.ttf").as_uri(),
        "file:///static/img/logo.svg",  # a {% static %} URL resolved against the document's base
        PIXEL,
    ],
)
def test_fetcher_serves_static_files_and_data_uris(fetcher, url):
    response = fetcher.fetch(url)

    assert len(response.read()) > 10
    response.close()


def test_remote_resources_in_html_are_refused_and_never_fetched(trap_server, caplog, read_pdf):
    base, hits = trap_server
    html = (
        '<html lang="fr"><head><title>Essai</title>'
        f'<link rel="stylesheet" href="{base}/style.css"></head><body>'
        f'<p>Avant</p><img src="{base}/image.png" alt="distante"><img src="http://127.0.0.1:9/x.png" alt="port 9">'
        f'<img src="{PIXEL}" alt="locale"><p>Après</p></body></html>'
    )

    pdf = read_pdf(html_to_pdf(html))

    assert "Avant" in pdf.text and "Après" in pdf.text
    assert hits == []
    refused = [record.getMessage() for record in caplog.records if "ressource refusée" in record.getMessage()]
    assert any(f"{base}/style.css" in message for message in refused)
    assert any(f"{base}/image.png" in message for message in refused)
    assert any("http://127.0.0.1:9/x.png" in message for message in refused)
    assert not any(PIXEL[:30] in message for message in refused)


# Bounded input ------------------------------------------------------------------------------------------


def test_limits_let_a_normal_document_through():
    check_limits("<ul>" + "<li>point</li>" * 500 + "</ul>" + "<table>" + "<tr><td>a</td></tr>" * 200 + "</table>")


@pytest.mark.parametrize(
    ("html", "message"),
    [
        ("<p>" + "x" * (renderer.MAX_HTML_CHARS + 1) + "</p>", "trop long"),
        ("<ul><li>" * (renderer.MAX_DEPTH + 1), "imbriqués"),
        ("<table>" + "<tr><td>1</td><td>2</td></tr>" * (renderer.MAX_TABLE_CELLS // 2 + 1) + "</table>", "tableaux"),
    ],
)
def test_limits_refuse_oversized_input_in_french(html, message):
    started = time.perf_counter()
    with pytest.raises(PdfError, match=message):
        check_limits(html)
    assert time.perf_counter() - started < 1


# French typography --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("<p>Le conseil : un lieu !</p>", "<p>Le conseil\u00a0: un lieu\u202f!</p>"),
        ("<p>Vraiment ? Oui; non!</p>", "<p>Vraiment\u202f? Oui\u202f; non\u202f!</p>"),
        ("<p>page?q=1 et x:y</p>", "<p>page?q=1 et x:y</p>"),
        ("<p>« avis »</p>", "<p>«\u00a0avis\u00a0»</p>"),
        ("<p><strong>gras</strong> ?</p>", "<p><strong>gras</strong>\u202f?</p>"),
        ('<a href="https://x.fr/?a=1;b">https://x.fr/?a=1</a>', '<a href="https://x.fr/?a=1;b">https://x.fr/?a=1</a>'),
        ("<code>a : b ; c ?</code>", "<code>a : b ; c ?</code>"),
        ("<p>R&amp;D ; 10:30</p>", "<p>R&amp;D\u202f; 10:30</p>"),
        ("<p>fin</p><p>? suite</p>", "<p>fin</p><p>? suite</p>"),
    ],
)
def test_french_typography(html, expected):
    assert french_typography(html) == expected


# One render per document ----------------------------------------------------------------------------------


@pytest.fixture
def slow_render():
    """html_to_pdf replaced by a slow fake that counts its calls."""
    calls = []

    def fake(html, *, variant="ua"):
        calls.append(variant)
        time.sleep(0.4)
        return FAKE_PDF

    with mock.patch.object(renderer, "html_to_pdf", side_effect=fake):
        yield calls


def _in_parallel(count, target):
    barrier = threading.Barrier(count)
    results, errors = [], []

    def run():
        try:
            barrier.wait()
            results.append(target())
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors
    return results


@pytest.fixture
def local_memory_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


def test_simultaneous_requests_for_one_document_render_it_once(db, local_memory_cache, slow_render):
    results = _in_parallel(6, lambda: render_pdf(TEMPLATE, _context, cache_key="essai/document-1"))

    assert slow_render == ["ua"]
    assert results == [FAKE_PDF] * 6
    assert cache.get(f"pdf-lock:{next(iter(default_storage.listdir('pdf-cache/essai')[1]))}") is None


@pytest.mark.postgres_only
def test_simultaneous_requests_share_the_database_lock(transactional_db, slow_render):
    # The default cache is the database: the lock holds across gunicorn workers, not only threads.
    # A cache shared by every worker: the database one, or Redis when REDIS_URL is set.
    assert django_settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1] in {
        "DatabaseCache",
        "ReusedClientRedisCache",
    }
    results = _in_parallel(6, lambda: render_pdf(TEMPLATE, _context, cache_key="essai/document-2"))

    assert slow_render == ["ua"]
    assert results == [FAKE_PDF] * 6


def test_drafts_are_rendered_each_time_and_never_stored(db, slow_render, settings):
    render_pdf(TEMPLATE, _context)
    render_pdf(TEMPLATE, _context)

    assert slow_render == ["ua", "ua"]
    assert not (settings.MEDIA_ROOT / "pdf-cache").exists()


def test_stored_file_is_reused_and_variants_are_kept_apart(db, slow_render, settings):
    context = mock.Mock(side_effect=_context)
    for _ in range(2):
        render_pdf(TEMPLATE, context, cache_key="essai/document-3")
        render_pdf(TEMPLATE, context, cache_key="essai/document-3", variant="a")

    assert slow_render == ["ua", "a"]
    assert context.call_count == 2  # the context is not even built on a hit
    names = sorted(path.name for path in (settings.MEDIA_ROOT / "pdf-cache" / "essai").iterdir())
    assert [name.split("-")[2:4] for name in names] == [["a", "fr"], ["ua", "fr"]]


def test_a_truncated_stored_file_is_rendered_again(db, slow_render, settings):
    render_pdf(TEMPLATE, _context, cache_key="essai/document-4")
    stored = next((settings.MEDIA_ROOT / "pdf-cache" / "essai").iterdir())
    stored.write_bytes(FAKE_PDF[:12])

    assert render_pdf(TEMPLATE, _context, cache_key="essai/document-4") == FAKE_PDF
    assert len(slow_render) == 2


def test_a_failed_render_releases_the_lock(db):
    with mock.patch.object(renderer, "html_to_pdf", side_effect=PdfError("trop long")), pytest.raises(PdfError):
        render_pdf(TEMPLATE, _context, cache_key="essai/document-5")
    with mock.patch.object(renderer, "html_to_pdf", return_value=FAKE_PDF) as render:
        assert render_pdf(TEMPLATE, _context, cache_key="essai/document-5") == FAKE_PDF
    assert render.call_count == 1


def test_waiting_for_another_render_gives_up_with_a_french_message(db, slow_render, monkeypatch):
    monkeypatch.setattr(renderer, "WAIT_TIMEOUT", 0.3)
    language = "fr"
    digest = renderer.hashlib.sha256(f"{renderer._design_digest()}:".encode()).hexdigest()[:16]
    path = f"pdf-cache/essai/document-6-ua-{language}-{digest}.pdf"
    cache.add(f"pdf-lock:{path}", "un autre processus", timeout=60)

    with pytest.raises(PdfBusy, match="en cours de préparation"):
        render_pdf(TEMPLATE, _context, cache_key="essai/document-6")
    assert slow_render == []
