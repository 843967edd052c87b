"""Hostile text for every field people type into, and the checker that finds anything it made executable.

Shared by the fiche tests (tests/fiches/test_sanitisation.py), the site-wide corpus
(tests/core/test_xss_corpus.py) and the browser check (tests/e2e/test_xss_browser.py).
Payloads that would run call `alert(…)` or set `window.__xss`: the browser test watches both.
"""

import re
from collections import Counter
from html.parser import HTMLParser

PAYLOADS = [
    # Script tags and event handlers.
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    "<svg onload=alert(3)>",
    '<a href="javascript:alert(4)">lien</a>',
    # Markdown links and images (fiche sections are Markdown).
    "[clic](javascript:alert(5))",
    "[clic](JaVaScRiPt:alert(6))",
    "[clic](  javascript:alert(7))",
    "[clic](&#106;avascript:alert(8))",
    "![image distante](https://evil.example/x.png)",
    '<iframe src="https://evil.example"></iframe>',
    # htmx attributes: markup written by a member must never drive requests.
    '<div hx-get="/admin/" hx-trigger="load">htmx</div>',
    '<button data-hx-post="/fiches/" hx-target="body">bouton</button>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">data</a>',
    "[x](data:text/html,<script>alert(9)</script>)",
    "<body onload=alert(10)>",
    "<input autofocus onfocus=alert(11)>",
    "<details open ontoggle=alert(12)>",
    "<style>body{display:none}</style>",
    "<link rel=stylesheet href=https://evil.example/x.css>",
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    '<object data="https://evil.example/x.swf"></object>',
    '<embed src="https://evil.example/x">',
    '<form action="https://evil.example"><input type=submit></form>',
    # Breaking out of an attribute or an element.
    '"><script>alert(13)</script>',
    "'><img src=x onerror=alert(14)>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(15)>",
    '<a href="https://ok.example" onclick="alert(16)">ok</a>',
    '<p style="background:url(javascript:alert(17))">style</p>',
    '<base href="https://evil.example/">',
    "[x](vbscript:msgbox(18))",
    "<scr<script>ipt>alert(19)</scr</script>ipt>",
    '<a href="https://example.org" hx-get="/x">hx</a>',
    "<template><script>alert(20)</script></template>",
    '<noscript><p title="</noscript><img src=x onerror=alert(21)>">',
    '[x](https://evil.example "titre\\" onmouseover=\\"alert(22)")',
    '<img src="https://evil.example/track.gif">',
    '<a href="  java\tscript:alert(23)">tab</a>',
    '<svg><a xlink:href="javascript:alert(24)"><text>x</text></a></svg>',
    "<a href='//evil.example/'>protocole relatif</a>",
    "[relatif](//evil.example/x)",
    "<IMG SRC=JaVaScRiPt:alert(25)>",
    "<<script>script>alert(26)//<</script>/script>",
    # More htmx: inline handlers, boosting, out-of-band swaps.
    '<div hx-on:click="window.__xss=true">hx-on</div>',
    '<div hx-on="click: alert(27)">hx-on ancien</div>',
    '<a hx-boost="true" hx-post="/membres/mes-donnees/supprimer/">boost</a>',
    '<div hx-swap-oob="true" id="main">remplacé</div>',
    # Template injection: shown as written, never evaluated.
    "{{ request.user.password }}{% debug %}",
    "{% load static %}{% now 'Y' %}{{ 7|add:35 }}",
    "${alert(28)}{{constructor.constructor('alert(29)')()}}",
    # CSS: expression(), url() to another host.
    '<div style="width: expression(alert(30))">css</div>',
    '<span style="background-image: url(https://evil.example/css.png)">css</span>',
    # Bare URLs, for URL fields (a council's website).
    "javascript:alert(31)",
    "data:text/html,<script>window.__xss=true</script>",
    # Encoded variants.
    "&lt;script&gt;alert(32)&lt;/script&gt;",
    "%3Cscript%3Ealert(33)%3C%2Fscript%3E",
    "\\u003cscript\\u003ealert(34)\\u003c/script\\u003e",
    "&#60;img src=x onerror=alert(35)&#62;",
    '<a href="&#x6A;avascript&#x3A;alert(36)">entités</a>',
    # Nested and unclosed tags, closing the elements that hold user text.
    "<img src=x onerror=alert(37)//",
    "<svg/onload=window.__xss=true>",
    "</textarea><script>alert(38)</script>",
    "</title><script>alert(39)</script>",
    "<svg><script>alert(40)</script></svg>",
    "<x onclick=alert(41)>clic</x>",
    '<img src="/static/img/logo.svg" onload="window.__xss=true">',
]

_BAD_SCHEME = re.compile(r"^(javascript|vbscript|data):", re.IGNORECASE)
_URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "background", "poster"}
_FORBIDDEN_TAGS = {
    "iframe",
    "object",
    "embed",
    "base",
    "style",
    "svg",
    "math",
    "template",
    "frame",
    "frameset",
    "noscript",
}
_CSP_NONCE = re.compile(r"'nonce-([^']+)'")
# The site's own inline SVG: charts (self-assessment, key figures) and legend swatches. No payload
# of the corpus forges these classes; any other <svg> counts as injected.
_SITE_SVG_CLASSES = ("ref-chart", "dashboard-chart")


class _Checker(HTMLParser):
    """Collects everything on a page that could run script, load a remote resource or drive htmx."""

    def __init__(self, nonce: str | None):
        super().__init__(convert_charrefs=True)
        self.nonce = nonce
        self.problems: list[str] = []
        self.in_body = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "body":
            self.in_body = True
        if tag == "svg" and _site_svg(attributes):
            pass
        elif tag in _FORBIDDEN_TAGS or (tag in {"meta", "link"} and self.in_body):
            self.problems.append(f"<{tag}>")
        if tag == "script":
            nonce = attributes.get("nonce")
            right_nonce = nonce == self.nonce if self.nonce else bool(nonce)
            if not (right_nonce and (attributes.get("src") or "").startswith("/static/")):
                # Without the nonce's value: it changes with each response.
                self.problems.append(f"<script src={attributes.get('src')!r} nonce={bool(right_nonce)}>")
        if tag == "img" and not _same_origin_path(attributes.get("src") or ""):
            self.problems.append(f"<img {attributes}>")
        if tag == "form" and ((attributes.get("action") or "/")[:1] != "/" or _protocol_relative(attributes)):
            self.problems.append(f"<form {attributes}>")
        live_preview = "fiche-live-preview" in (attributes.get("class") or "")
        for name, value in attrs:
            value = value or ""
            if name.startswith("on") or name == "style":
                self.problems.append(f"<{tag} {name}={value!r}>")
            if (name.startswith(("hx-", "data-hx-")) and name != "hx-disable" and not live_preview) or name == "hx-on":
                self.problems.append(f"<{tag} {name}={value!r}>")
            if name in _URL_ATTRIBUTES:
                compact = re.sub(r"[\s\x00-\x1f]", "", value)
                if _BAD_SCHEME.match(compact) or compact.startswith("//"):
                    self.problems.append(f"<{tag} {name}={value!r}>")
                # Links may lead anywhere on the web; nothing may be *loaded* from another host.
                if name != "href" and compact.startswith(("http:", "https:")):
                    self.problems.append(f"<{tag} {name}={value!r}>")


def _site_svg(attributes: dict) -> bool:
    if (attributes.get("class") or "").split(" ")[0] in _SITE_SVG_CLASSES:
        return True
    return attributes.get("aria-hidden") == "true" and attributes.get("focusable") == "false"


def _same_origin_path(url: str) -> bool:
    return url.startswith("/") and not url.startswith("//")


def _protocol_relative(attributes: dict) -> bool:
    return (attributes.get("action") or "").startswith("//")


def problems(html: str, *, nonce: str | None = None) -> list[str]:
    """Everything in `html` that could run script, load from another host or drive htmx.

    With `nonce`, a script tag counts as the site's own only when it carries exactly this nonce.
    """
    checker = _Checker(nonce)
    checker.feed(html)
    return checker.problems


def response_problems(response, *, baseline: list[str] = ()) -> list[str]:
    """`problems` of a Django test response, checked against the nonce of its CSP header.

    `baseline`: the problems of the same page before any hostile text was stored (the site's own
    htmx attributes, charts…); only what goes beyond it is reported.
    """
    policy = response.headers.get("Content-Security-Policy", "")
    match = _CSP_NONCE.search(policy)
    found = Counter(problems(response.content.decode(), nonce=match[1] if match else None))
    return sorted((found - Counter(baseline)).elements())
