from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from core.enums import Role


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
        return _redirect(request, reverse(settings.APPROVAL_PENDING_URL))


class StaffMFARequiredMiddleware:
    """CNCD team and administrator accounts reach the site only from a session that passed the second factor.

    These accounts approve members and publish for the network: a stolen password alone must not be
    enough, whatever the route that checked it (the site's login, a session opened by the Django
    admin's own login form in the past, a script). Two cases, for an account holding the curator or
    administrator role (or Django's staff flag):

    - **No authenticator app yet**: they may only use allauth's account and two-factor pages
      (activation, re-authentication, logout…), the legal pages, the language switch and the health
      check; every other page, the Django admin and public pages included, sends them to the
      two-factor page, which explains why and leads to the activation (allauth asks for the password
      again first). Sets `request.mfa_setup_required` for the templates that explain it.
    - **An app, but this session did not pass it** (allauth records the methods that authenticated the
      session: `get_authentication_records`, an entry with `"method": "mfa"` after the code step): only
      allauth's "confirm with your code" page (`mfa_reauthenticate`, which records that entry), logout
      and the pages above stay open; everything else goes to that page, with `next`. Sets
      `request.mfa_step_required`. The password alone opens nothing, not even the account pages: an
      email change or turning the app off would otherwise be one password away.
    """

    OPEN_VIEWS = {"set_language", "health", "legal_notice", "privacy", "accessibility"}
    SECOND_FACTOR_VIEWS = {"mfa_reauthenticate", "account_logout"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        request.mfa_setup_required = request.mfa_step_required = False
        user = request.user
        if not (settings.STAFF_MFA_REQUIRED and _is_staff(user)):
            return None
        view_name = request.resolver_match.view_name if request.resolver_match else ""
        if not is_mfa_enabled(user, [Authenticator.Type.TOTP]):
            request.mfa_setup_required = True
            if view_func.__module__.startswith("allauth.") or view_name in self.OPEN_VIEWS:
                return None
            return _redirect(request, reverse("mfa_index"))
        if session_passed_second_factor(request, user):
            return None
        request.mfa_step_required = True
        if view_name in self.OPEN_VIEWS or view_name in self.SECOND_FACTOR_VIEWS:
            return None
        return _redirect(request, f"{reverse('mfa_reauthenticate')}?{urlencode({'next': request.get_full_path()})}")


def _is_staff(user) -> bool:
    return user.is_authenticated and (user.has_role(Role.CURATOR) or user.is_staff or user.is_superuser)


def session_passed_second_factor(request, user) -> bool:
    """True when this session was authenticated with a second factor (at login, or confirmed since)."""
    return any(record.get("method") == "mfa" for record in get_authentication_records(request, user))


def _redirect(request, target):
    """A redirection that htmx follows as a full page load."""
    response = redirect(target)
    if getattr(request, "htmx", False):
        response["HX-Redirect"] = target
    return response


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


class PermissionsPolicyMiddleware:
    """Send `Permissions-Policy` on every response: the site uses no camera, microphone, location, payment…

    Placed before WhiteNoise so that static files carry it too. The value is PERMISSIONS_POLICY.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = settings.PERMISSIONS_POLICY
        if policy:
            response.headers.setdefault(
                "Permissions-Policy", ", ".join(f"{feature}=({' '.join(allow)})" for feature, allow in policy.items())
            )
        return response


class RequestSizeLimitMiddleware:
    """Refuse a request whose body is larger than REQUEST_MAX_BYTES before anything reads it.

    Django's own limits (DATA_UPLOAD_MAX_MEMORY_SIZE…) leave uploaded files out; this one counts the
    whole body, files included, from its Content-Length. The answer is the French 413 page
    (core.views.request_too_large), the same one handler400 gives for Django's limits.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = settings.REQUEST_MAX_BYTES
        # A few paths take larger files (REQUEST_MAX_BYTES_BY_PREFIX, set in the settings: core names no app).
        for prefix, larger in getattr(settings, "REQUEST_MAX_BYTES_BY_PREFIX", {}).items():
            if request.path_info.startswith(prefix):
                limit = max(limit, larger)
        if length > limit:
            from core.views import request_too_large

            return request_too_large(request)
        return self.get_response(request)
