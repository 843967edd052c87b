import io
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.db import connection
from pypdf import PdfReader

from competences.enums import FrameworkStatus
from fiches import services
from fiches.enums import SectionKind
from fiches.models import COMMON_FICHE_SLUG, Fiche
from members.enums import Credit
from tests.members.factories import ProfileFactory, UserFactory
from tests.referentiel.factories import build_version, small_data


def pytest_collection_modifyitems(config, items):
    """Concurrency tests against the real database cache need PostgreSQL."""
    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="Nécessite PostgreSQL : lancez-le avec DATABASE_URL=postgres://…")
    for item in items:
        if "postgres_only" in item.keywords and "tests/pdf" in str(item.path):
            item.add_marker(skip)


# Reading PDFs --------------------------------------------------------------------------------------


class Pdf:
    """A produced PDF, read back with pypdf."""

    def __init__(self, content: bytes):
        assert content.startswith(b"%PDF-"), content[:40]
        self.content = content
        self.reader = PdfReader(io.BytesIO(content))
        self.pages = [page.extract_text() for page in self.reader.pages]
        self.text = "\n".join(self.pages)

    @property
    def catalog(self):
        return self.reader.trailer["/Root"]

    @property
    def metadata(self):
        return self.reader.metadata

    @property
    def xmp(self) -> str:
        return self.catalog["/Metadata"].get_object().get_data().decode()

    def fonts(self) -> set[str]:
        names = set()
        for page in self.reader.pages:
            for font in (page["/Resources"].get("/Font") or {}).values():
                names.add(str(font.get_object()["/BaseFont"]))
        return names

    def toc(self) -> dict[str, int]:
        """Entries of the table of contents (page 2): title → page number."""
        entries = {}
        for line in self.pages[1].splitlines():
            match = re.match(r"^(.*?)\s*\.{3,}\s*(\d+)$", line.strip())
            if match:
                entries[match[1].strip()] = int(match[2])
        return entries

    def first_page_with(self, text: str, *, after: int = 2) -> int:
        """1-based number of the first page after the TOC containing `text`."""
        for number, page in enumerate(self.pages, 1):
            if number > after and text in page:
                return number
        raise AssertionError(f"{text!r} absent du PDF")


@pytest.fixture
def read_pdf():
    return Pdf


# Data ----------------------------------------------------------------------------------------------


@pytest.fixture
def framework(db):
    """A published référentiel of 3 missions and 30 competences."""
    return build_version(small_data("v1.0", missions=3, activities=4, domains=3, competences=10))


@pytest.fixture
def draft_framework(framework):
    return build_version(small_data("v2.0"), status=FrameworkStatus.DRAFT)


@pytest.fixture
def author(db):
    """A contributor who chose to be credited by her full name (the default is initials)."""
    user = UserFactory(first_name="Aïcha", last_name="Zerrouki")
    ProfileFactory(user=user, credit=Credit.FULL_NAME)
    return user


@pytest.fixture
def common_fiche(framework, author, curator):
    """The common fiche: free text, missions and competences, published as v1.0."""
    fiche = Fiche.objects.create(
        slug=COMMON_FICHE_SLUG, title="Technicien·ne de conseil de développement", introduction="Une fiche type."
    )
    rows = [
        ("finalite", "Finalité du poste", SectionKind.TEXT, "Faire vivre le conseil : **sans se substituer** !"),
        ("missions", "Missions et activités", SectionKind.MISSIONS, "M1\nM1.A1\nM1.A2\nM2\nM2.A1"),
        ("competences", "Compétences requises", SectionKind.COMPETENCES, "C-1-01 3\nC-2-02 2"),
        ("conditions", "Conditions d'exercice", SectionKind.TEXT, "- Réunions en soirée\n- Déplacements"),
    ]
    for order, (key, title, kind, body) in enumerate(rows, 1):
        services.section_create(fiche=fiche, key=key, title=title, kind=kind, body=body, order=order, actor=author)
    services.version_publish(fiche_id=fiche.pk, label="v1.0", summary="Première version commune.", actor=curator)
    return fiche


@pytest.fixture
def published(common_fiche):
    return common_fiche.versions.get(label="v1.0")


# A web server that counts the requests it gets: nothing may ever reach it.


class _Recorder(BaseHTTPRequestHandler):
    hits: list[str]

    def do_GET(self):
        self.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def trap_server():
    hits: list[str] = []
    handler = type("Handler", (_Recorder,), {"hits": hits})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", hits
    server.shutdown()
    server.server_close()
    thread.join()
