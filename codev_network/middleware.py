import time

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.db import connection
from django.shortcuts import redirect
from django.urls import reverse

from members.enums import Role


class ApprovalRequiredMiddleware:
    """Keep accounts that the CNCD team has not approved away from the network's pages."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not getattr(view_func, "login_required", True) or not user.is_authenticated:
            return None
        if user.is_approved or not getattr(view_func, "approval_required", True):
            return None
        # Account management (email, password, logout) must stay usable while pending.
        if view_func.__module__.startswith("allauth."):
            return None
        return _redirect(request, reverse("members:pending"))


class StaffMFARequiredMiddleware:
    """Send CNCD team and administrator accounts without an authenticator app to set one up.

    These accounts approve members and publish for the network: a stolen password alone must not be
    enough. Until they activate two-factor authentication they may only use allauth's account and
    two-factor pages (activation, re-authentication, logout…), the legal pages, the language switch
    and the health check; every other page, the Django admin and public pages included, sends them
    to the two-factor page, which explains why and leads to the activation (allauth asks for the
    password again first). Sets `request.mfa_setup_required` for the templates that explain it.
    """

    OPEN_VIEWS = {"set_language", "health", "legal_notice", "privacy", "accessibility"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        request.mfa_setup_required = settings.STAFF_MFA_REQUIRED and _staff_without_totp(request.user)
        if not request.mfa_setup_required:
            return None
        if view_func.__module__.startswith("allauth.") or request.resolver_match.view_name in self.OPEN_VIEWS:
            return None
        return _redirect(request, reverse("mfa_index"))


def _staff_without_totp(user) -> bool:
    if not (user.is_authenticated and user.has_role(Role.CURATOR)):
        return False
    return not is_mfa_enabled(user, [Authenticator.Type.TOTP])


def _redirect(request, target):
    """A redirection that htmx follows as a full page load."""
    response = redirect(target)
    if getattr(request, "htmx", False):
        response["HX-Redirect"] = target
    return response


class ServerTimingMiddleware:
    """For the benchmark: report server time and SQL query count in response headers."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.enabled = settings.BENCHMARK_INSTRUMENTATION

    def __call__(self, request):
        if not self.enabled:
            return self.get_response(request)
        counter = _QueryCounter()
        start = time.perf_counter()
        with connection.execute_wrapper(counter):
            response = self.get_response(request)
        elapsed_ms = (time.perf_counter() - start) * 1000
        response["Server-Timing"] = f"app;dur={elapsed_ms:.2f}"
        response["X-Query-Count"] = str(counter.count)
        return response


class _QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


class FrenchFirstMiddleware:
    """French unless the visitor chose another language with the switcher.

    Placed before LocaleMiddleware: it hides the browser's Accept-Language so that the
    interface is French by default, as the network's users expect, while the language
    cookie set by the switcher still applies.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
