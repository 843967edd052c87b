"""The catalogue: every published resource one may read, with search, facets and sorts.

Its facets and results are rendered once per state of the catalogue and kept in the cache
(`{% cache %}` in templates/toolbox/catalogue.html, keyed by toolbox.selectors.catalogue_generation, the
audience, the language and the query): the catalogue is read from the database only when that key misses.
"""

from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from core.htmx import render_page, wants_fragment
from core.permissions import public
from toolbox.selectors import CACHE_SECONDS, SORTS, CatalogueParams, catalogue_generation
from toolbox.selectors import catalogue as catalogue_read


@public
@require_safe
def catalogue(request):
    """Open to everyone: visitors see public resources, members every published one."""
    params = CatalogueParams.from_query(request.GET)
    result = SimpleLazyObject(lambda: catalogue_read(user=request.user, params=params))
    audience = "membres" if request.user.is_authenticated and request.user.is_approved else "public"
    fragment = wants_fragment(request)
    cache_key = ":".join(
        (str(catalogue_generation()), audience, get_language(), params.query(), str(params.page), str(fragment))
    )
    context = {
        "catalogue": result,
        "params": params,
        "page": SimpleLazyObject(lambda: result.page),
        "facets": SimpleLazyObject(lambda: result.facets),
        "sorts": list(SORTS.items()),
        "catalogue_cache": cache_key,
        "catalogue_cache_seconds": CACHE_SECONDS,
    }
    return render_page(request, "toolbox/catalogue.html", context, fragment="results")
