from django.conf import settings
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.core.exceptions import PermissionDenied, RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.db import connection
from django.http import JsonResponse
from django.middleware.csrf import REASON_NO_CSRF_COOKIE
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views import defaults
from django.views.decorators.cache import never_cache

from core.permissions import public
from core.personal_data import personal_data_kinds


@public
def home(request):
    return render(request, "pages/home.html")


@public
def legal_notice(request):
    return render(request, "pages/legal_notice.html", {"legal": settings.LEGAL_NOTICE})


@public
def privacy(request):
    # "Les données que nous gardons" lists the declarations themselves: the policy follows the code.
    return render(request, "pages/privacy.html", {"personal_data_kinds": personal_data_kinds()})


@public
def accessibility(request):
    return render(request, "pages/accessibility.html", {"legal": settings.LEGAL_NOTICE})


@public
@never_cache
def health(request):
    """For load balancers: 200 when the database answers, 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any database failure means "not healthy"
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: explain in French, inside the site layout, why a form was refused."""
    back_url = request.headers.get("referer", "")
    if not url_has_allowed_host_and_scheme(back_url, {request.get_host()}, require_https=request.is_secure()):
        back_url = ""
    context = {"cookies_missing": reason == REASON_NO_CSRF_COOKIE, "back_url": back_url}
    return render(request, "403_csrf.html", context, status=403)


@public
@never_cache
def admin_login(request, extra_context=None):
    """The Django admin's login page (`admin.site.login`), replaced by a redirection to the site's login.

    Django's own form checks the password alone: no second factor, no rate limit. Every login goes
    through allauth instead (password, second factor, its limits), then back to the admin page that
    was asked for (`next`). A staff account already logged in goes straight there (the staff 2FA
    middleware has checked its session first); another logged-in account is refused.
    """
    next_url = request.GET.get(REDIRECT_FIELD_NAME, "")
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, require_https=request.is_secure()):
        next_url = reverse("admin:index")
    if request.user.is_authenticated:
        if request.user.is_active and request.user.is_staff:
            return redirect(next_url)
        raise PermissionDenied
    return redirect(f"{reverse('account_login')}?{urlencode({REDIRECT_FIELD_NAME: next_url})}")


TOO_LARGE = (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent)


def request_too_large(request):
    """413, in French and in the site's layout: what was sent is over the site's size limits."""
    back_url = request.headers.get("referer", "")
    if not url_has_allowed_host_and_scheme(back_url, {request.get_host()}, require_https=request.is_secure()):
        back_url = ""
    context = {"max_megabytes": settings.REQUEST_MAX_BYTES // (1024 * 1024), "back_url": back_url}
    return render(request, "413.html", context, status=413)


def bad_request(request, exception=None):
    """handler400: Django's size limits (fields, files, memory) get the 413 page; anything else its 400."""
    if isinstance(exception, TOO_LARGE):
        return request_too_large(request)
    return defaults.bad_request(request, exception)
