import time

from django.conf import settings
from django.db import connection
from django.shortcuts import redirect
from django.urls import reverse


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
        target = reverse("members:pending")
        if getattr(request, "htmx", False):
            response = redirect(target)
            response["HX-Redirect"] = target
            return response
        return redirect(target)


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
