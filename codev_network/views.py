from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.middleware.csrf import REASON_NO_CSRF_COOKIE
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache

from codev_network.permissions import public


@public
def home(request):
    return render(request, "pages/home.html")


@public
def legal_notice(request):
    return render(request, "pages/legal_notice.html")


@public
def privacy(request):
    return render(request, "pages/privacy.html")


@public
def accessibility(request):
    return render(request, "pages/accessibility.html")


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


_FLOOR_BODY = (
    "<!DOCTYPE html><html lang='fr'><head><meta charset='utf-8'><title>Plancher</title></head><body><main>"
    + "<p>Page statique de référence pour mesurer le coût minimal d'une requête.</p>" * 80
    + "</main></body></html>"
)


@public
def benchmark_floor(request):
    """Static HTML of a typical page's size: the benchmark's baseline for the cost of a request."""
    return HttpResponse(_FLOOR_BODY)


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: explain in French, inside the site layout, why a form was refused."""
    back_url = request.headers.get("referer", "")
    if not url_has_allowed_host_and_scheme(back_url, {request.get_host()}, require_https=request.is_secure()):
        back_url = ""
    context = {"cookies_missing": reason == REASON_NO_CSRF_COOKIE, "back_url": back_url}
    return render(request, "403_csrf.html", context, status=403)
