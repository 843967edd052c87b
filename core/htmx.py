"""One way to answer htmx: the page's fragment for an htmx request, the full page otherwise.

htmx 2 also sends `HX-Request` when it restores a page from history after a cache miss
(`HX-History-Restore-Request: true`): that request needs the whole page, never a fragment. Every
response says `Vary: HX-Request`, so that a browser or a proxy never serves a cached fragment as a
page (or the reverse).
"""

from django.shortcuts import render
from django.utils.cache import patch_vary_headers


def wants_fragment(request) -> bool:
    """True for an htmx request that swaps part of a page (not a history restore)."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request


def vary_on_htmx(response):
    """Mark `response` as depending on `HX-Request` (returns it, for chaining)."""
    patch_vary_headers(response, ("HX-Request",))
    return response


def render_page(request, template_name: str, context: dict | None = None, *, fragment: str, **kwargs):
    """Render `template_name`, or only its partial `fragment` when htmx swaps part of the page."""
    partial = wants_fragment(request)
    name = f"{template_name}#{fragment}" if partial else template_name
    # `htmx_fragment` lets the partial add what only a swap needs (out-of-band elements), and the
    # template decide as the view did rather than on `request.htmx`, which a history restore also sets.
    context = {**(context or {}), "htmx_fragment": partial}
    return vary_on_htmx(render(request, name, context, **kwargs))
