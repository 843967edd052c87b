"""The network's training needs, for the CNCD team: page with charts and tables, CSV and XLSX exports."""

import hashlib

from django.core.cache import cache
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache

from core.figures.charts import bar_chart
from core.figures.exports import XLSX_TYPE
from core.figures.tables import STATISTIC_WITHHELD_NOTE
from core.htmx import render_page
from core.permissions import curator_required
from training import generations
from training.needs import CACHE_SECONDS, EDITION_KEY, training_needs
from training.needs_exports import needs_csv, needs_xlsx
from training.needs_forms import NeedsFilterForm


def _rendered(request) -> tuple[str, str]:
    """The filters and the results as HTML: rendered once per snapshot of the figures (training.needs keeps
    them CACHE_SECONDS), per state of the catalogue (the count of trainings per competence) and per query."""
    query = request.GET.urlencode()
    digest = hashlib.sha256(query.encode()).hexdigest()[:32]
    key = f"training:needs:page:v2:{get_language()}:{digest}"
    stamp, parts = generations.cached(key, [generations.CATALOGUE], cache_keys=[EDITION_KEY], facts=(query,))
    if parts is not None:
        return tuple(generations.unpacked(part) for part in parts)
    form = NeedsFilterForm(request.GET or None)
    result = training_needs(form.filters())
    chart = bar_chart(result.chart_table) if result.chart_table is not None and result.chart_table.rows else None
    context = {"form": form, "needs": result, "chart": chart, "query": query}
    parts = (
        render_to_string("training/needs/_filters.html", context),
        render_to_string("training/needs/_results.html", context),
    )
    edition = stamp[1] if stamp is not None else None
    if result.edition and edition == result.edition:
        generations.store(key, stamp, tuple(generations.packed(part) for part in parts), CACHE_SECONDS)
    elif result.edition and stamp is not None and edition is None:
        # The figures are kept but their edition went missing (evicted): kept again, for the next reading.
        cache.add(EDITION_KEY, result.edition, CACHE_SECONDS)
    return parts


@curator_required
@never_cache
def needs(request):
    filters, results = _rendered(request)
    context = {
        "filters": mark_safe(filters),  # noqa: S308 - rendered by our templates
        "results": mark_safe(results),  # noqa: S308 - rendered by our templates
        "statistic_note": STATISTIC_WITHHELD_NOTE,
    }
    return render_page(request, "training/needs/needs.html", context, fragment="results")


@curator_required
@never_cache
def needs_export(request, file_format):
    """Exactly the tables the page shows for the same filters, as CSV or XLSX."""
    result = training_needs(NeedsFilterForm(request.GET or None).filters())
    stamp = timezone.localdate().isoformat()
    if file_format == "xlsx":
        response = HttpResponse(needs_xlsx(result), content_type=XLSX_TYPE)
    else:
        # A byte-order mark so that spreadsheet software reads the accents as UTF-8.
        response = HttpResponse("\ufeff" + needs_csv(result), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="besoins-formation-{stamp}.{file_format}"'
    return response
