"""Development and benchmark only: never in production's MIDDLEWARE (settings.development adds it)."""

import time

from django.db import connection


class ServerTimingMiddleware:
    """For the benchmark: report server time and SQL query count in response headers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
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
