"""The benchmark's floor page: served only when devtools is installed (development and benchmark)."""

from django.http import HttpResponse

from core.permissions import public

_FLOOR_BODY = (
    "<!DOCTYPE html><html lang='fr'><head><meta charset='utf-8'><title>Plancher</title></head><body><main>"
    + "<p>Page statique de référence pour mesurer le coût minimal d'une requête.</p>" * 80
    + "</main></body></html>"
)


@public
def benchmark_floor(request):
    """Static HTML of a typical page's size: the benchmark's baseline for the cost of a request."""
    return HttpResponse(_FLOOR_BODY)
