"""core.htmx: a page answers an htmx swap with its fragment, anything else (history restores too) with the page."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django.utils.cache import has_vary_header
from django_htmx.middleware import HtmxMiddleware

from core.enums import PdfExportStatus
from core.htmx import render_page, vary_on_htmx, wants_fragment
from core.models import PdfExport
from dashboard.report import NETWORK_REPORT
from members.enums import TerritoryKind
from tests.dashboard.conftest import build_network
from tests.members.factories import ProfileFactory, UserFactory
from tests.referentiel.factories import build_version

NORMAL = {}
SWAP = {"HX-Request": "true"}
# What htmx 2 sends when the page is not in its history cache (historyRestoreAsHxRequest, on by default).
RESTORE = {"HX-Request": "true", "HX-History-Restore-Request": "true"}
# The same with historyRestoreAsHxRequest switched off.
RESTORE_WITHOUT_HX_REQUEST = {"HX-History-Restore-Request": "true"}

PAGE = (
    "<html><main>{% partialdef part inline %}"
    "<p>{{ word }}</p>{% if htmx_fragment %}<p hx-swap-oob='true'>oob</p>{% endif %}"
    "{% endpartialdef %}</main></html>"
)


def htmx_request(headers: dict):
    """A GET request as it reaches a view, through django-htmx's middleware."""
    request = RequestFactory().get("/", headers=headers)
    HtmxMiddleware(lambda request: HttpResponse())(request)
    return request


@pytest.fixture
def page_template(settings):
    settings.TEMPLATES = [
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "OPTIONS": {"loaders": [("django.template.loaders.locmem.Loader", {"page.html": PAGE})]},
        }
    ]


# --- Direct calls ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("headers", "expected"),
    [(NORMAL, False), (SWAP, True), (RESTORE, False), (RESTORE_WITHOUT_HX_REQUEST, False)],
    ids=["normal", "swap", "restore", "restore-without-hx-request"],
)
def test_only_an_htmx_swap_wants_a_fragment(headers, expected):
    assert wants_fragment(htmx_request(headers)) is expected


def test_a_request_that_skipped_the_htmx_middleware_wants_the_page():
    assert wants_fragment(RequestFactory().get("/", headers=SWAP)) is False


def test_vary_on_htmx_adds_hx_request_once_and_keeps_what_was_there():
    response = HttpResponse()
    response["Vary"] = "Cookie"

    assert vary_on_htmx(vary_on_htmx(response)) is response
    assert response["Vary"] == "Cookie, HX-Request"


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (NORMAL, "<html><main><p>mot</p></main></html>"),
        (SWAP, "<p>mot</p><p hx-swap-oob='true'>oob</p>"),
        (RESTORE, "<html><main><p>mot</p></main></html>"),
    ],
    ids=["normal", "swap", "restore"],
)
def test_render_page_renders_the_page_or_its_fragment(page_template, headers, expected):
    context = {"word": "mot"}

    response = render_page(htmx_request(headers), "page.html", context, fragment="part", status=202)

    assert response.content.decode() == expected
    assert response.status_code == 202
    assert has_vary_header(response, "HX-Request")
    assert context == {"word": "mot"}  # the caller's dictionary is left as it was


# --- Through the project's pages ------------------------------------------------------------------


def directory(client):
    ProfileFactory(display_name="Alice Bréhat")
    client.force_login(UserFactory())
    return reverse("members:directory") + "?q=Alice", '<section id="directory-results"'


def referentiel_search(client):
    build_version()
    return reverse("referentiel:search") + "?q=M2.A1", "<p><strong>1 résultat"


def audit_log(client):
    client.force_login(UserFactory(admin=True))
    return reverse("audit_list") + "?actor=technicien", '<section id="audit-results"'


def network_statistics(client):
    build_network()
    client.force_login(UserFactory(curator=True))
    return reverse("dashboard:network") + f"?kind={TerritoryKind.METROPOLE}", '<div id="dashboard-results"'


def network_report_status(client):
    curator = UserFactory(curator=True)
    client.force_login(curator)
    export = PdfExport.objects.create(
        requested_by=curator, kind=NETWORK_REPORT, language="fr", status=PdfExportStatus.DONE
    )
    url = reverse("dashboard:network_report_status", args=[export.pk])
    return url + "?etat=running", '<div id="export-progress"'


HTMX_PAGES = [directory, referentiel_search, audit_log, network_statistics, network_report_status]


@pytest.mark.django_db
@pytest.mark.parametrize("open_page", HTMX_PAGES, ids=lambda open_page: open_page.__name__)
def test_each_htmx_page_sends_its_fragment_to_a_swap_only(client, open_page):
    url, fragment_start = open_page(client)
    responses = {
        name: client.get(url, headers=headers)
        for name, headers in [
            ("normal", NORMAL),
            ("swap", SWAP),
            ("restore", RESTORE),
            ("restore-without-hx-request", RESTORE_WITHOUT_HX_REQUEST),
        ]
    }

    for name, response in responses.items():
        assert response.status_code == 200, name
        assert has_vary_header(response, "HX-Request"), name
        content = response.content.decode()
        if name == "swap":
            assert fragment_start in content
            assert "<html" not in content and "<header" not in content and "<main" not in content
        else:
            assert content.lstrip().startswith("<!DOCTYPE html>"), name
            assert '<header class="site-header' in content and '<main id="contenu"' in content, name
            assert fragment_start in content, name
            # Out-of-band elements only make sense in a swap: a restored page has none.
            assert "hx-swap-oob" not in content, name
