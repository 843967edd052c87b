"""Public pages kept whole for visitors who are not logged in.

Every visitor who is not logged in sees a public page the same way: same address, same language, same
content. Such a page is rendered once and kept, then served again to the next visitors with their own
CSRF token and CSP nonce put back in (the kept rendering carries placeholders in their place), until:

- anything in the database changes that a page could show: every INSERT, UPDATE or DELETE on a table
  (whatever wrote it: a model's save, a QuerySet's update, bulk_create or raw SQL) bumps the generation
  "public-pages" (core.table_writes), except on the tables that no public page shows and that change while
  people browse (sessions, the cache, the task queue, notifications, private messages, audit, sign-in
  records: NOT_SHOWN_TO_VISITORS);
- or PUBLIC_PAGE_CACHE_SECONDS have passed (what changes with the clock alone: "upcoming" meetings, "n days
  ago").

Only what is the same for everyone is kept: a GET of a page in PUBLIC_PAGE_CACHE_VIEWS (URL names or
"namespace:*") by a visitor who is not logged in, with no session and no pending message, not an htmx
request, answered 200 in HTML with no cookie but the CSRF one. Anything else is rendered as usual.
PUBLIC_PAGE_CACHE_SECONDS = 0 turns it off (the test settings do; tests/core/test_page_cache.py turns it on).
"""

import hashlib

from django.conf import settings
from django.http import HttpResponse
from django.middleware.csp import get_nonce
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from core import generations, table_writes

GENERATION = "public-pages"
CSRF_PLACEHOLDER = generations.CSRF_PLACEHOLDER
NONCE_PLACEHOLDER = mark_safe("<csp-nonce/>")
KEPT_HEADERS = ("Content-Type", "Content-Language", "Vary", "Cache-Control", "X-Robots-Tag", "Link")

# Tables whose rows no public page shows, written while people browse: a write there leaves kept pages be.
NOT_SHOWN_TO_VISITORS = (
    "django_session",
    "codev_network_cache",
    "django_tasks_database_",
    "django_admin_log",
    "fiches_notification",
    "exchange_message",
    "exchange_conversation",
    "exchange_block",
    "codev_network_auditentry",
    "core_personaldataexport",
    "account_",
    "mfa_",
    "socialaccount_",
    "usersessions_",
)
_RENDERING = generations.PUBLIC_PAGE_RENDERING


def enabled() -> bool:
    return getattr(settings, "PUBLIC_PAGE_CACHE_SECONDS", 0) > 0


# What is kept -------------------------------------------------------------------------------------------------


def _view_allowed(request) -> bool:
    match = getattr(request, "resolver_match", None)
    if match is None or not match.view_name:
        return False
    allowed = settings.PUBLIC_PAGE_CACHE_VIEWS
    namespace = match.view_name.rpartition(":")[0]
    return match.view_name in allowed or (namespace and f"{namespace}:*" in allowed)


def _request_keepable(request) -> bool:
    if request.method not in ("GET", "HEAD") or not enabled():
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES or "messages" in request.COOKIES:
        return False  # a session (a form's state, a message) may change what the page shows
    if request.headers.get("HX-Request"):
        return False
    user = getattr(request, "user", None)
    return user is not None and not user.is_authenticated and _view_allowed(request)


def _key(request) -> str:
    digest = hashlib.sha256(f"{get_language()}|{request.get_full_path()}".encode()).hexdigest()
    return f"public-page:{digest}"


def _response_keepable(response) -> bool:
    if response.status_code != 200 or response.streaming:
        return False
    if not response.get("Content-Type", "").startswith("text/html"):
        return False
    return set(response.cookies) <= {settings.CSRF_COOKIE_NAME}


def _for_visitor(request, html: str) -> str:
    return generations.with_csrf_token(request, html.replace(NONCE_PLACEHOLDER, str(get_nonce(request))))


def placeholders(request) -> dict:
    """Context processor: while a public page is rendered to be kept, its CSRF token and CSP nonce are
    placeholders (put back for each visitor when it is served)."""
    if getattr(request, _RENDERING, False):
        return {"csrf_token": CSRF_PLACEHOLDER, "csp_nonce": NONCE_PLACEHOLDER}
    return {}


class PublicPageCacheMiddleware:
    """Serve the kept rendering of a public page to a visitor who is not logged in, or keep it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        kept = getattr(request, "_public_page_kept", None)
        if kept is None or getattr(response, "_public_page_served", False):
            return response
        key, stamp = kept
        setattr(request, _RENDERING, False)
        if response.streaming or not response.get("Content-Type", "").startswith("text/"):
            return response
        html = response.content.decode(response.charset)
        if not _response_keepable(response):
            response.content = _for_visitor(request, html)  # an error page, a redirect: rendered for this visitor
            return response
        headers = {name: response[name] for name in KEPT_HEADERS if name in response}
        generations.store(key, stamp, (generations.packed(html), headers), settings.PUBLIC_PAGE_CACHE_SECONDS)
        response.content = _for_visitor(request, html)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not _request_keepable(request):
            return None
        key = _key(request)
        stamp, entry = generations.cached(key, [GENERATION])
        if entry is not None:
            body, headers = entry
            response = HttpResponse(_for_visitor(request, generations.unpacked(body)))
            for name, value in headers.items():
                response[name] = value
            response._public_page_served = True
            return response
        request._public_page_kept = (key, stamp)
        setattr(request, _RENDERING, True)
        return None


# What changes kept pages --------------------------------------------------------------------------------------


def _shown_to_visitors(table: str) -> bool:
    return enabled() and not table.startswith(NOT_SHOWN_TO_VISITORS)


def connect() -> None:
    """Bump the kept pages' generation at every write to a table they may show (CoreConfig.ready)."""
    table_writes.watch(GENERATION, _shown_to_visitors)
