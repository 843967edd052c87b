"""The one PDF renderer: a Django template → HTML → WeasyPrint, for every document the site exports.

- Only local resources: the URL fetcher serves static files (the stylesheet, the fonts, the logo)
  and data: URIs, and refuses everything else, so no text a user writes can make the server fetch
  a URL.
- Bounded work: the HTML is measured before WeasyPrint sees it (size, nesting depth, table cells);
  a document too large fails at once with a French message instead of holding a worker.
- Rendered once: a document with a `cache_key` (a published version) is stored through Django's
  default storage under `pdf-cache/`; a per-key lock held in the shared cache makes simultaneous
  requests for the same missing file wait for one render instead of starting their own.
- Described once: each app describes a document as a `PdfDocument` (template, context, file name,
  cache key and version); the download view (`pdf_response`) and the background tasks
  (`pdf_prerender` when a version is published, the PDF exports of `core.pdf_exports`)
  render that same description, so they share one stored file.
"""

import atexit
import hashlib
import io
import logging
import re
import shutil
import ssl
import threading
import time
import uuid
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache as memoize
from html.parser import HTMLParser
from importlib.resources import files
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.http import content_disposition_header
from django.utils.translation import get_language
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)
# WeasyPrint reports every layout step at INFO: keep the server's log readable.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

# The author of every document the site prints (a proper name, not translated).
NETWORK_NAME = "Coordination nationale des conseils de développement"
STYLESHEET = "css/pdf.css"
CACHE_DIR = "pdf-cache"
# WeasyPrint variants: tagged and accessible by default; archival (and still tagged) on request.
VARIANTS = {"ua": "pdf/ua-1", "a": "pdf/a-3b"}

# Limits checked on the HTML before layout. A real fiche is about 30 000 characters and a few
# dozen table cells; at the limits a render takes about 4 s of CPU (300 000 characters, ~70 pages)
# or 3 s (2 000 table cells, the slowest thing WeasyPrint lays out), measured on this machine.
MAX_HTML_CHARS = 300_000
MAX_DEPTH = 40
MAX_TABLE_CELLS = 2_000

# How long one render may keep the lock, and how long another request waits for it.
LOCK_TIMEOUT = 120
WAIT_TIMEOUT = 30
POLL_INTERVAL = 0.05


class PdfError(Exception):
    """The PDF cannot be produced; the message is for the user, in French."""

    status = 422


class PdfBusy(PdfError):
    """Another request is still rendering the same document."""

    status = 503


# Local resources only ----------------------------------------------------------------------------


def _static_roots() -> list[Path]:
    roots = [Path(directory) for directory in settings.STATICFILES_DIRS]
    if settings.STATIC_ROOT:
        roots.append(Path(settings.STATIC_ROOT))
    return [root.resolve() for root in roots]


def _static_file(url: str) -> Path | None:
    """The local file behind a file: URL inside a static folder, or a /static/… path; None otherwise."""
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        return None
    path = unquote(parts.path)
    static_url = urlsplit(settings.STATIC_URL).path
    if path.startswith(static_url):
        # A {% static %} URL resolved against the file: base URL of the document.
        relative = path.removeprefix(static_url)
        found = finders.find(relative) if ".." not in relative.split("/") else None
        candidates = [Path(found)] if found else [Path(settings.STATIC_ROOT or "/nonexistent") / relative]
    else:
        candidates = [Path(path)]
    for candidate in candidates:
        resolved = candidate.resolve()
        if resolved.is_file() and any(resolved.is_relative_to(root) for root in _static_roots()):
            return resolved
    return None


@memoize
def _fetcher_class():
    from weasyprint import URLFetcher
    from weasyprint.urls import URLFetcherResponse

    class LocalOnlyURLFetcher(URLFetcher):
        """Serves static files and data: URIs; refuses every other URL (nothing leaves the server)."""

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            path = _static_file(url)
            if path is None:
                logger.warning("PDF : ressource refusée (seuls les fichiers statiques sont lus) : %s", url[:200])
                raise ValueError(f"Ressource refusée : {url[:200]}")
            return URLFetcherResponse(path.as_uri(), path.read_bytes(), {})

    return LocalOnlyURLFetcher


# Bounded input -------------------------------------------------------------------------------------

_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Measure(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.depth = self.max_depth = self.cells = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("td", "th"):
            self.cells += 1
        if tag not in _VOID:
            self.depth += 1
            self.max_depth = max(self.max_depth, self.depth)

    def handle_endtag(self, tag):
        if tag not in _VOID:
            self.depth = max(self.depth - 1, 0)


def check_limits(html: str) -> None:
    """Refuse, with a French message, HTML too large or too deeply nested to lay out quickly."""
    if len(html) > MAX_HTML_CHARS:
        raise PdfError(
            _(
                "Ce document est trop long pour être converti en PDF (%(size)s caractères, %(max)s au plus). "
                "Raccourcissez les sections les plus longues puis réessayez."
            )
            % {"size": f"{len(html):_}".replace("_", "\u202f"), "max": f"{MAX_HTML_CHARS:_}".replace("_", "\u202f")}
        )
    measure = _Measure()
    measure.feed(html)
    measure.close()
    if measure.max_depth > MAX_DEPTH:
        raise PdfError(
            _(
                "Ce document contient des listes ou des tableaux imbriqués sur trop de niveaux "
                "pour être converti en PDF. Simplifiez leur structure puis réessayez."
            )
        )
    if measure.cells > MAX_TABLE_CELLS:
        raise PdfError(
            _(
                "Ce document contient des tableaux trop grands pour être convertis en PDF "
                "(%(cells)s cellules, %(max)s au plus). Réduisez-les puis réessayez."
            )
            % {"cells": measure.cells, "max": MAX_TABLE_CELLS}
        )


# French typography -----------------------------------------------------------------------------

NBSP, NNBSP = "\u00a0", "\u202f"
_TAG_OR_TEXT = re.compile(r"(<!--.*?-->|<[^>]*>)", re.S)
_ENTITY = re.compile(r"(&#?\w+;)")
_SKIP_TAGS = {"code", "pre", "style", "script", "title", "kbd", "samp"}
# A space (or none) between a word and ; ! ? — but not in "http://", "10:30" or "a?b=c".
_BEFORE_TALL = re.compile(r"(?<=[\w»)\]%…])[ \t\u00a0\u202f]*([;!?])(?=\s|$|[»)\].,<])")
_BEFORE_COLON = re.compile(r"(?<=[\w»)\]%…])[ \t\u00a0\u202f]*(:)(?=\s|$)")
_AFTER_OPEN_QUOTE = re.compile(r"«[ \t\u00a0\u202f]*")
_BEFORE_CLOSE_QUOTE = re.compile(r"[ \t\u00a0\u202f]*»")


_BLOCK_TAGS = {"p", "li", "td", "th", "tr", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "dt", "dd", "section"}


def _typeset_text(text: str, before: str = "") -> str:
    """`before` is the last character of the previous text in the same block ("mot</strong> !")."""
    pieces = _ENTITY.split(before + text)
    for index in range(0, len(pieces), 2):  # odd indexes are entities, kept as they are
        piece = pieces[index]
        piece = _BEFORE_TALL.sub(NNBSP + r"\1", piece)
        piece = _BEFORE_COLON.sub(NBSP + r"\1", piece)
        piece = _AFTER_OPEN_QUOTE.sub("«" + NBSP, piece)
        piece = _BEFORE_CLOSE_QUOTE.sub(NBSP + "»", piece)
        pieces[index] = piece
    return "".join(pieces)[len(before) :]


def french_typography(html: str) -> str:
    """Non-breaking spaces before ; : ! ? and inside « », in text only (never in tags, code or URLs)."""
    parts = _TAG_OR_TEXT.split(html)
    skipping: list[str] = []
    before = ""
    for index, part in enumerate(parts):
        if index % 2:  # a tag or a comment
            match = re.match(r"<(/?)([a-zA-Z0-9]+)", part)
            name = match[2].lower() if match else ""
            if name in _BLOCK_TAGS:
                before = ""
            if name in _SKIP_TAGS:
                if match[1]:
                    if skipping:
                        skipping.pop()
                elif not part.endswith("/>"):
                    skipping.append(name)
            continue
        if part and not skipping:
            parts[index] = _typeset_text(part, before)
            if part.strip():
                before = part.rstrip()[-1] if not part[-1].isspace() else " "
    return "".join(parts)


# Rendering ---------------------------------------------------------------------------------------


@memoize
def _stylesheet_path() -> Path:
    found = finders.find(STYLESHEET)
    if not found:
        raise PdfError(_("La feuille de style des PDF est introuvable."))
    return Path(found)


@memoize
def _design_digest() -> str:
    """Changes whenever the PDF templates, stylesheet or fonts change, so stored files follow."""
    digest = hashlib.sha256()
    template_dir = Path(settings.BASE_DIR) / "templates" / "pdf"
    files = [*sorted(template_dir.glob("*.html")), _stylesheet_path()]
    for path in files:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


_per_thread = threading.local()
# WeasyPrint's FontConfiguration removes its temporary folder in __del__, which fails when it runs
# during interpreter shutdown: remove the folders of those still alive, in any thread, before that.
_font_configs = weakref.WeakSet()


@atexit.register
def _remove_font_folders() -> None:
    for font_config in list(_font_configs):
        if font_config._folder:
            shutil.rmtree(font_config._folder, ignore_errors=True)
            font_config._folder = None


def _fetcher():
    # An SSL context is never used (nothing is fetched over the network), but URLFetcher builds
    # one; loading the system certificates each time would cost ~0.2 s per render.
    return _fetcher_class()(
        allowed_protocols={"file", "data"},
        allow_redirects=False,
        timeout=1,
        ssl_context=ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT),
    )


def _stylesheet():
    """The parsed stylesheet and its fonts, loaded once per thread and reused by every render."""
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    path = _stylesheet_path()
    key = (str(path), path.stat().st_mtime_ns)
    if getattr(_per_thread, "key", None) != key:
        font_config = FontConfiguration()
        _font_configs.add(font_config)
        _per_thread.stylesheet = CSS(filename=str(path), url_fetcher=_fetcher(), font_config=font_config)
        _per_thread.font_config = font_config
        _per_thread.key = key
    return _per_thread.stylesheet, _per_thread.font_config


@memoize
def _srgb_profile() -> bytes:
    return (files("weasyprint.pdf") / "sRGB2014.icc").read_bytes()


def _archival_options(variant: str) -> dict:
    """PDF/A needs an sRGB output intent: give WeasyPrint the profile from memory (its own loading
    leaves the file open, a ResourceWarning on every render)."""
    if variant != "a":
        return {}
    from weasyprint.css import ColorProfile

    profile = ColorProfile(io.BytesIO(_srgb_profile()), "sRGB2014.icc", "relative-colorimetric", (["r"], ["g"], ["b"]))
    return {"output_intent": "codev-srgb", "color_profiles": {"codev-srgb": profile}}


def html_to_pdf(html: str, *, variant: str = "ua") -> bytes:
    """Lay out `html` with the PDF stylesheet; only local static files and data: URIs are read."""
    from weasyprint import HTML

    check_limits(html)
    if (get_language() or "fr").startswith("fr"):
        html = french_typography(html)
    stylesheet, font_config = _stylesheet()
    base_url = _stylesheet_path().parent.as_uri() + "/"
    document = HTML(string=html, base_url=base_url, url_fetcher=_fetcher())
    return document.write_pdf(
        stylesheets=[stylesheet],
        font_config=font_config,
        **_archival_options(variant),
        pdf_variant=VARIANTS[variant],
        pdf_tags=True,
        custom_metadata=False,
        optimize_images=False,
    )


def _complete(content: bytes | None) -> bool:
    return bool(content) and b"%%EOF" in content[-1024:]


def _read(path: str) -> bytes | None:
    try:
        with default_storage.open(path, "rb") as stored:
            return stored.read()
    except OSError:
        return None


def _store(path: str, content: bytes) -> None:
    if default_storage.exists(path):
        default_storage.delete(path)
    default_storage.save(path, ContentFile(content))
    _prune(path)


def _prune(path: str) -> None:
    """Remove files stored for the same document by an older design or a wording change."""
    directory, name = path.rsplit("/", 1)
    prefix = name.rsplit("-", 1)[0] + "-"
    for other in _stored_names(directory):
        if other != name and other.startswith(prefix):
            default_storage.delete(f"{directory}/{other}")


def _stored_names(directory: str) -> list[str]:
    """The files stored in `directory`; none when the storage cannot list it (missing folder, no listing).

    Pruning is housekeeping: a storage that cannot list keeps the older files, and the fingerprint in
    each file name still means an outdated file is never served.
    """
    try:
        _subdirs, files = default_storage.listdir(directory)
    except (OSError, NotImplementedError):
        return []
    return files


def pdf_cache_discard(cache_key: str) -> int:
    """Delete every stored file of the document `cache_key` (all variants and languages); returns how many."""
    # For what must not wait for the next download to be replaced: a name erased at the person's request.
    directory, name = f"{CACHE_DIR}/{cache_key}".rsplit("/", 1)
    stored = re.compile(rf"{re.escape(name)}-(?:{'|'.join(VARIANTS)})-[a-z]+-[0-9a-f]+\.pdf")
    discarded = [other for other in _stored_names(directory) if stored.fullmatch(other)]
    for other in discarded:
        default_storage.delete(f"{directory}/{other}")
    return len(discarded)


def render_pdf(
    template_name: str,
    context: dict | Callable[[], dict],
    *,
    cache_key: str | None = None,
    cache_version: str = "",
    variant: str = "ua",
) -> bytes:
    """Render `template_name` to PDF bytes, stored once under `cache_key` when one is given.

    `context` may be a callable, called only when the document has to be rendered. `cache_key`
    names an immutable document (e.g. "fiches/fiche-commune-v1.0-3"); drafts pass None.
    `cache_version` sums up whatever may still change around it (names shown, a title).
    """
    if variant not in VARIANTS:
        variant = "ua"

    def build() -> bytes:
        values = context() if callable(context) else context
        html = render_to_string(template_name, values)
        return html_to_pdf(html, variant=variant)

    if cache_key is None:
        return build()
    language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    fingerprint = hashlib.sha256(f"{_design_digest()}:{cache_version}".encode()).hexdigest()[:16]
    path = f"{CACHE_DIR}/{cache_key}-{variant}-{language}-{fingerprint}.pdf"
    content = _read(path)
    if _complete(content):
        return content
    lock_key = f"pdf-lock:{path}"
    token = uuid.uuid4().hex
    deadline = time.monotonic() + WAIT_TIMEOUT
    while True:
        if cache.add(lock_key, token, timeout=LOCK_TIMEOUT):
            try:
                content = _read(path)  # finished by another worker between our checks
                if not _complete(content):
                    content = build()
                    _store(path, content)
                return content
            finally:
                if cache.get(lock_key) == token:
                    cache.delete(lock_key)
        # Someone else is rendering this very file: wait for it rather than render it again.
        while cache.get(lock_key) is not None and time.monotonic() < deadline:
            time.sleep(POLL_INTERVAL)
        content = _read(path)
        if _complete(content):
            return content
        if time.monotonic() >= deadline:
            raise PdfBusy(_("Ce document est en cours de préparation. Réessayez dans quelques secondes."))


@dataclass(frozen=True, kw_only=True)
class PdfDocument:
    """One document the site prints, as both the download view and the background tasks render it.

    `context` is called only when the document has to be rendered. `cache_key` names an immutable
    document (e.g. "fiches/fiche-commune-v1.0-3"), stored once rendered; None (drafts, private or
    one-off documents) renders it each time. `cache_version` sums up whatever may still change
    around it (names shown, a title, a status). Build it in the language it is rendered in: the
    file name, the context and the version may all be translated.
    """

    template_name: str
    context: Callable[[], dict]
    filename: str
    cache_key: str | None = None
    cache_version: str = ""

    def render(self, *, variant: str = "ua") -> bytes:
        """The PDF bytes, from the stored file when there is one."""
        return render_pdf(
            self.template_name,
            self.context,
            cache_key=self.cache_key,
            cache_version=self.cache_version,
            variant=variant,
        )


def pdf_prerender(build: Callable[[], PdfDocument]) -> list[str]:
    """Render and store a stored document in every language of the site, so that no download waits.

    `build` is called once per language, inside it, so that the cache key and version are exactly
    those the download view computes. Returns the languages rendered (none for an unstored document).
    """
    rendered = []
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            document = build()
            if document.cache_key is None:
                return []
            document.render()
        rendered.append(language)
    return rendered


def pdf_response(request, document: PdfDocument) -> HttpResponse:
    """`document` as a download; `?format=pdfa` asks for the archival variant."""
    variant = "a" if request.GET.get("format") == "pdfa" else "ua"
    filename = document.filename
    if variant == "a":
        filename = filename.removesuffix(".pdf") + "-pdfa.pdf"
    try:
        content = document.render(variant=variant)
    except PdfError as error:
        response = render(request, "core/pdf_error.html", {"message": str(error)}, status=error.status)
        if isinstance(error, PdfBusy):
            response["Retry-After"] = "5"
        return response
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Content-Length"] = str(len(content))
    # Drafts and personal fiches must not linger in a shared browser cache.
    response["Cache-Control"] = "private, max-age=300" if document.cache_key else "private, no-store"
    return response
