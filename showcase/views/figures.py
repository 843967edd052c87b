"""Views of the figures area (map, network figures, exports): public, from public data only."""

from dataclasses import dataclass

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from core.figures.charts import TILE_POSITIONS, Chart, MapUnits, bar_chart, histogram, tile_map
from core.figures.exports import XLSX_TYPE
from core.figures.tables import STATISTIC_WITHHELD_NOTE, Row, Table
from core.permissions import public
from showcase.exports import figures_csv, figures_xlsx
from showcase.figures import ALL, CACHE_SECONDS, Figures, MapData, cached_map_data, figures_generation, network_figures

# The map's two measures, by the value of ?mesure= (the councils by default).
COUNCILS, WORKS = "conseils", "travaux"


def _units(measure: str) -> MapUnits:
    if measure == WORKS:
        return MapUnits(
            none=_("aucun travail publié"),
            small="",
            exact=_("%(count)s travaux"),
            range=_("%(low)s à %(high)s travaux"),
            masked="",
            withdrawn="",
        )
    return MapUnits(
        none=_("aucun conseil"),
        small="",
        exact=_("%(count)s conseils"),
        range=_("%(low)s à %(high)s conseils"),
        masked="",
        withdrawn="",
    )


@public
def council_map(request):
    """France's regions with the councils that have a published page (or their works), the table beside it and
    every council listed by region below.

    The page's body is a template fragment cached under the figures' generation: the map's data (a thousand
    councils) is only read, and the chart only drawn, when that fragment is missing."""
    measure = WORKS if request.GET.get("mesure") == WORKS else COUNCILS
    context = {
        "map": SimpleLazyObject(lambda: _map(measure)),
        "measure": measure,
        "measures": [(COUNCILS, _("Conseils")), (WORKS, _("Travaux publiés"))],
        "cache_key": figures_generation(),
        "cache_seconds": CACHE_SECONDS,
    }
    return render(request, "showcase/figures/map.html", context)


@dataclass
class _Map:
    data: MapData
    table: Table
    chart: Chart
    links: dict


def _map(measure: str) -> _Map:
    data = cached_map_data()
    table = data.works if measure == WORKS else data.councils
    councils_url = reverse("showcase:councils")
    # The councils' list filtered by region (showcase.councils.public_pages: ?region=<INSEE code>).
    links = {row.code: f"{councils_url}?region={row.code}" for row in table.rows if row.code in TILE_POSITIONS}
    title = (
        _("Carte des régions : travaux publiés par région")
        if measure == WORKS
        else _("Carte des régions : conseils ayant une page publiée, par région")
    )
    # The tiles are a picture (role="img"): links inside it would be controls nested in an image (axe). The table
    # beside the map carries the links to each region's councils.
    chart = tile_map(table, chart_id="chart-showcase-map", title=title, units=_units(measure))
    return _Map(data, table, chart, links)


@public
def network_figures_page(request):
    """Works per theme and year, follow-ups by region, uptake: charts and tables under the small-numbers rule.

    Cached like the map: the figures are only read, and the charts drawn, when the page's fragment is missing."""
    context = {
        "page": SimpleLazyObject(_figures),
        "statistic_note": STATISTIC_WITHHELD_NOTE,
        "cache_key": figures_generation(),
        "cache_seconds": CACHE_SECONDS,
    }
    return render(request, "showcase/figures/figures.html", context)


@dataclass
class _Figures:
    figures: Figures
    charts: dict


def _figures() -> _Figures:
    figures = network_figures()
    charts = {}
    if not figures.empty:
        charts = {
            "years": histogram(figures.years, skip_codes=(ALL,)),
            "themes": bar_chart(_theme_totals(figures)),
            "followups": bar_chart(_shares(figures)),
            "uptake": bar_chart(figures.uptake),
        }
    return _Figures(figures, charts)


def _theme_totals(figures):
    return Table(
        key="themes-total",
        title=_("Travaux publiés par thème (toutes années)"),
        columns=[_("Thème"), _("Travaux publiés")],
        rows=[Row(row.label, [row.cells[-1]], code=row.code) for row in figures.themes.rows],
    )


def _shares(figures):
    return Table(
        key="suites-part",
        title=_("Part des travaux ayant reçu une réponse de la collectivité (%), par région"),
        columns=[_("Région"), _("Part ayant reçu une réponse (%)")],
        rows=[Row(row.label, [row.cells[-1]], code=row.code) for row in figures.followups.rows],
    )


@public
def figures_export(request, file_format):
    """Exactly the tables the figures page shows, as CSV or XLSX."""
    figures = network_figures()
    stamp = timezone.localdate().isoformat()
    if file_format == "xlsx":
        response = HttpResponse(figures_xlsx(figures), content_type=XLSX_TYPE)
    else:
        # A byte-order mark so that spreadsheet software reads the accents as UTF-8.
        response = HttpResponse("\ufeff" + figures_csv(figures), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="vitrine-chiffres-{stamp}.{file_format}"'
    return response
