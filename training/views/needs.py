"""The network's training needs, for the CNCD team: page with charts and tables, CSV and XLSX exports."""

from django.http import HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from core.figures.charts import bar_chart
from core.figures.exports import XLSX_TYPE
from core.figures.tables import STATISTIC_WITHHELD_NOTE
from core.htmx import render_page
from core.permissions import curator_required
from training.needs import training_needs
from training.needs_exports import needs_csv, needs_xlsx
from training.needs_forms import NeedsFilterForm


@curator_required
@never_cache
def needs(request):
    form = NeedsFilterForm(request.GET or None)
    result = training_needs(form.filters())
    chart = bar_chart(result.chart_table) if result.chart_table is not None and result.chart_table.rows else None
    context = {
        "form": form,
        "needs": result,
        "chart": chart,
        "query": request.GET.urlencode(),
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
