"""Server-rendered SVG charts: this module computes the geometry, templates draw it.

Charts use presentation attributes only (fill, x, y, width…), which the strict CSP allows and a
PDF renderer understands. Each chart carries a title and a text description, every shape shows
its number as text (colour is never the only carrier) and the page puts the data table beside it.
"""

import math
from dataclasses import dataclass, field
from html import escape as escape_text

from django.utils.formats import number_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from core.figures.disclosure import MIN_GROUP_SIZE
from core.figures.tables import STATISTIC_WITHHELD_LABEL, Cell, CellState, Table

# Sequential blues built on the site's primary colour; text switches to white on the two darkest.
SHADES = ["#e3edf6", "#b7d0e8", "#7fa9d1", "#3f77ae", "#1c4f7c"]
DARK_SHADES = {3, 4}
EMPTY_FILL = "#f4f7fa"
MASKED_FILL = "#d5dae0"  # masked or not published: grey, apart from the blues of the counts
TEXT_DARK = "#1f2933"
TEXT_MUTED = "#4a5560"
BAR_FILL = "#1c4f7c"
# The printed report's font (static/css/pdf.css), as a presentation attribute: the page's stylesheet
# overrides it with the site's font, and the PDF renderer finds the font it embeds instead of a fallback.
CHART_FONT = "'Source Sans 3', sans-serif"


# What a withheld cell reads where a chart has little room (the long form is the table's).
SHORT_WITHHELD = {CellState.SMALL: "< 5", CellState.MASKED: "×", CellState.WITHDRAWN: "—"}


def cell_text(cell: Cell, *, short: bool = False) -> str:
    if cell.state != CellState.SHOWN:
        return SHORT_WITHHELD[cell.state] if short and not cell.statistic else cell.withheld_label
    if cell.value is None:
        return "—"
    return number_format(cell.value, use_l10n=True)


def describe(table: Table, column: int = 0) -> str:
    """A sentence listing every row's figure: the chart's text alternative."""
    parts = [f"{row.label} : {_spoken(row.cells[column])}" for row in table.rows]
    return "; ".join(parts) + "."


def _spoken(cell: Cell) -> str:
    """A figure as a text alternative reads it: a withheld average says why rather than "—"."""
    return str(STATISTIC_WITHHELD_LABEL) if cell.withheld_statistic else cell_text(cell)


@dataclass
class Chart:
    id: str
    title: str
    desc: str
    width: int
    height: int
    items: list[dict] = field(default_factory=list)
    extras: dict = field(default_factory=dict)
    # The finished markup, for charts with too many shapes to draw in a template loop (the heatmap).
    svg: SafeString = field(default_factory=lambda: mark_safe(""))
    font: str = CHART_FONT


def bar_chart(table: Table, *, column: int = 0, label_codes: bool = False) -> Chart:
    """Horizontal bars, one per row, the label (or the row's code) above each bar and the figure after it."""
    width, label_height, bar_height, gap, value_room = 560, 18, 16, 10, 90
    values = [row.cells[column].value if row.cells[column].shown else 0 for row in table.rows]
    largest = max(values, default=0) or 1
    chart = Chart(
        f"chart-{table.key}",
        table.title if column == 0 else f"{table.title} — {table.columns[column + 1]}",
        describe(table, column),
        width,
        len(table.rows) * (label_height + bar_height + gap) + gap,
    )
    y = gap
    for row, value in zip(table.rows, values, strict=True):
        cell = row.cells[column]
        bar_width = round((width - value_room) * value / largest) if cell.shown else 0
        chart.items.append(
            {
                "label": row.code if label_codes else row.label,
                "label_y": y + 13,
                "bar_y": y + label_height,
                "bar_width": bar_width,
                "bar_height": bar_height,
                "value_x": bar_width + 6,
                "value_y": y + label_height + 13,
                "text": cell_text(cell),
                "withheld": not cell.shown,
            }
        )
        y += label_height + bar_height + gap
    return chart


def _two_lines(label: str, max_chars: int = 14) -> list[str]:
    """Split a label longer than `max_chars` at the space or hyphen nearest its middle."""
    if len(label) <= max_chars:
        return [label]
    breaks = [index + 1 for index, char in enumerate(label) if char in " -"]
    if not breaks:
        return [label]
    middle = min(breaks, key=lambda index: abs(index - len(label) / 2))
    return [label[:middle].strip(), label[middle:].strip()]


def histogram(table: Table, *, skip_codes: tuple[str, ...] = (), column: int = 0, use_codes: bool = False) -> Chart:
    """Adjacent vertical bars for ordered bands (rows whose code is in `skip_codes` are left out).

    With `use_codes`, each bar is labelled with its row's code (a short form such as "nov. 2026").
    """
    rows = [row for row in table.rows if row.code not in skip_codes]
    width, plot_top, plot_height, axis_room = 560, 24, 180, 44
    bin_width = width / max(len(rows), 1)
    max_chars = max(4, int(bin_width / 8))
    values = [row.cells[column].value if row.cells[column].shown else 0 for row in rows]
    largest = max(values, default=0) or 1
    chart = Chart(
        f"chart-{table.key}",
        table.title,
        describe(Table(table.key, table.title, table.columns, rows), column),
        width,
        plot_top + plot_height + axis_room,
    )
    baseline = plot_top + plot_height
    chart.extras["baseline"] = baseline
    for index, (row, value) in enumerate(zip(rows, values, strict=True)):
        cell = row.cells[column]
        bar_height = round(plot_height * value / largest) if cell.shown else 0
        x = index * bin_width
        chart.items.append(
            {
                "x": round(x, 1),
                "y": baseline - bar_height,
                "width": round(bin_width - 1, 1),
                "height": bar_height,
                "center": round(x + bin_width / 2, 1),
                "value_y": baseline - bar_height - 6,
                "text": _fitting_text(cell, bin_width),
                "withheld": not cell.shown,
                "lines": [
                    {"text": line, "y": baseline + 18 + 14 * number}
                    for number, line in enumerate(_two_lines(row.code if use_codes else row.label, max_chars))
                ],
            }
        )
    return chart


def _fitting_text(cell: Cell, room: float) -> str:
    """A bar's figure, in its short form ("< 5", "×") when the long one would overflow the bar's width."""
    text = cell_text(cell)
    if not cell.shown and len(text) * 7.5 > room - 4:
        return cell_text(cell, short=True)
    return text


def _shade(value: float, largest: float) -> int:
    return min(len(SHADES) - 1, max(0, math.ceil(value / largest * len(SHADES)) - 1)) if largest else 0


def heatmap(table: Table, *, value_columns: int) -> Chart:
    """A grid of competences × levels; each cell shows its count, shaded by its share of the row."""
    label_width, cell_width, cell_height, header_height = 110, 84, 26, 40
    headers = table.columns[1 : 1 + value_columns]
    width = label_width + cell_width * value_columns
    chart = Chart(
        f"chart-{table.key}",
        table.title,
        _(
            "Carte de chaleur : le nombre de membres pour chaque compétence et chaque niveau figure dans le "
            "tableau qui suit."
        ),
        width,
        header_height + cell_height * len(table.rows) + 4,
    )
    chart.extras["headers"] = [
        {
            "x": label_width + cell_width * index + cell_width / 2,
            "lines": [{"text": line, "y": 16 + 14 * number} for number, line in enumerate(_two_lines(header))],
        }
        for index, header in enumerate(headers)
    ]
    texts: dict[tuple, str] = {}  # thousands of cells share a few dozen values: format each once

    def text(cell: Cell, short: bool) -> str:
        key = (type(cell.value), cell.value, cell.state, short)
        if key not in texts:
            texts[key] = cell_text(cell, short=short)
        return texts[key]

    for row_index, row in enumerate(table.rows):
        y = header_height + row_index * cell_height
        cells = row.cells[:value_columns]
        row_total = sum(cell.value for cell in cells if cell.shown) or 0
        rendered = []
        for column_index, cell in enumerate(cells):
            shade = _shade(cell.value, row_total) if cell.shown and cell.value else None
            rendered.append(
                {
                    "x": label_width + column_index * cell_width,
                    "center": label_width + column_index * cell_width + cell_width / 2,
                    "fill": EMPTY_FILL if shade is None else SHADES[shade],
                    "text_fill": "#ffffff" if shade in DARK_SHADES else TEXT_DARK,
                    "text": text(cell, True),
                    "title": f"{row.label} — {headers[column_index]} : {text(cell, False)}",
                }
            )
        chart.items.append({"label": row.code or row.label, "y": y, "text_y": y + 17, "cells": rendered})
    chart.extras.update(cell_width=cell_width - 2, cell_height=cell_height - 2, label_width=label_width)
    chart.svg = _heatmap_svg(chart)
    return chart


def _escape(value) -> str:
    """What the template's autoescape writes (Django's `escape`, without its lazy-string wrapper)."""
    return escape_text(str(value))


def _number(value: float) -> str:
    """A coordinate as `{% localize off %}` writes it (a dot, no grouping)."""
    return str(value)


def _heatmap_svg(chart: Chart) -> SafeString:
    """The heatmap's markup, built here: one row per competence (hundreds) is too slow to loop over in a template.

    Every text is escaped; the markup is the one the `heatmap` partial of figures.html used to draw.
    """
    cell_width, cell_height = _number(chart.extras["cell_width"]), _number(chart.extras["cell_height"])
    parts = [
        f'<svg class="dashboard-chart" viewBox="0 0 {chart.width} {chart.height}" width="{chart.width}" '
        f'height="{chart.height}" role="img" aria-labelledby="{_escape(chart.id)}-title {_escape(chart.id)}-desc" '
        f'font-family="{_escape(chart.font)}" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{_escape(chart.id)}-title">{_escape(chart.title)}</title>',
        f'<desc id="{_escape(chart.id)}-desc">{_escape(chart.desc)}</desc>',
    ]
    for header in chart.extras["headers"]:
        x = _number(header["x"])
        parts.extend(
            f'<text x="{x}" y="{line["y"]}" font-size="11" text-anchor="middle" fill="#1f2933">'
            f"{_escape(line['text'])}</text>"
            for line in header["lines"]
        )
    for item in chart.items:
        y, text_y = item["y"], item["text_y"]
        parts.append(f'<text x="0" y="{text_y}" font-size="12" fill="#1f2933">{_escape(item["label"])}</text>')
        for cell in item["cells"]:
            parts.append(
                f'<rect x="{cell["x"]}" y="{y}" width="{cell_width}" height="{cell_height}" fill="{cell["fill"]}">'
                f"<title>{_escape(cell['title'])}</title></rect>"
                f'<text x="{_number(cell["center"])}" y="{text_y}" font-size="12" text-anchor="middle" '
                f'fill="{cell["text_fill"]}">{_escape(cell["text"])}</text>'
            )
    parts.append("</svg>")
    return mark_safe("\n".join(parts))  # noqa: S308 - every text escaped


# Tile positions (column, row) of the regions, by INSEE code: the 13 metropolitan regions placed
# roughly where they lie, the five overseas regions on a row of their own.
TILE_POSITIONS = {
    "32": (2, 0),
    "28": (1, 1),
    "11": (2, 1),
    "44": (3, 1),
    "53": (0, 2),
    "52": (1, 2),
    "24": (2, 2),
    "27": (3, 2),
    "75": (1, 3),
    "84": (2, 3),
    "76": (1, 4),
    "93": (2, 4),
    "94": (3, 4),
    "01": (0, 5),
    "02": (1, 5),
    "03": (2, 5),
    "04": (3, 5),
    "06": (4, 5),
}
OVERSEAS_ROW = 5
OVERSEAS_OFFSET = 28


@dataclass(frozen=True)
class MapUnits:
    """How a map's legend names what it counts (members by default).

    `small`: the hatched class of counts from 1 to 4 withheld; empty when the map shows every count (a count
    of public, named things, such as the councils listed under the vitrine's map).
    """

    none: str
    small: str
    exact: str  # "%(count)s membres"
    range: str  # "%(low)s à %(high)s membres"
    masked: str
    withdrawn: str


def member_units() -> MapUnits:
    return MapUnits(
        none=_("aucun membre"),
        small=_("1 à 4 membres (« moins de 5 », hachuré)"),
        exact=_("%(count)s membres"),
        range=_("%(low)s à %(high)s membres"),
        masked=_("masqué : au moins 5 membres, caché pour protéger un petit effectif"),
        withdrawn=_("non publié : chiffre retiré, quelle que soit sa valeur"),
    )


def tile_map(
    table: Table,
    *,
    chart_id: str = "chart-regions-map",
    title: str = "",
    units: MapUnits | None = None,
) -> Chart:
    """France's regions as a tile-grid cartogram, each tile shaded by its count and showing it."""
    tile_width, tile_height, gap, top = 124, 78, 6, 4
    units = units or member_units()
    rows = [row for row in table.rows if row.code in TILE_POSITIONS]
    values = [row.cells[0].value for row in rows if row.cells[0].shown and row.cells[0].value]
    largest = max(values, default=0)
    states: set[CellState] = set()
    chart = Chart(
        chart_id,
        title or _("Carte des régions : membres par région"),
        describe(Table(table.key, table.title, table.columns, rows)),
        5 * (tile_width + gap),
        (OVERSEAS_ROW + 1) * (tile_height + gap) + top + OVERSEAS_OFFSET,
    )
    for row in rows:
        column, line = TILE_POSITIONS[row.code]
        x = column * (tile_width + gap)
        y = top + line * (tile_height + gap) + (OVERSEAS_OFFSET if line == OVERSEAS_ROW else 0)
        cell = row.cells[0]
        shade = _shade(cell.value, largest) if cell.shown and cell.value else None
        fill = EMPTY_FILL if shade is None else SHADES[shade]
        if cell.state == CellState.SMALL:
            fill = "url(#tile-hatch)"
        elif cell.state in (CellState.MASKED, CellState.WITHDRAWN):
            fill = MASKED_FILL
        states.add(cell.state)
        text_fill = "#ffffff" if shade in DARK_SHADES else TEXT_DARK
        chart.items.append(
            {
                "x": x,
                "y": y,
                "fill": fill,
                "text_fill": text_fill,
                "center": x + tile_width / 2,
                "lines": [
                    {"text": text, "y": y + 22 + 16 * number} for number, text in enumerate(_two_lines(row.label))
                ],
                "value_y": y + tile_height - 10,
                "text": cell_text(cell),
                "title": f"{row.label} : {cell_text(cell)}",
            }
        )
    chart.extras.update(
        tile_width=tile_width,
        tile_height=tile_height,
        overseas_y=top + OVERSEAS_ROW * (tile_height + gap) + OVERSEAS_OFFSET - 8,
        legend=_legend(largest, states, units),
    )
    return chart


def _legend(
    largest: int, states: set[CellState] | frozenset = frozenset(), units: MapUnits | None = None
) -> list[dict]:
    """One swatch per class of the map, each with the range of members it stands for.

    The shades are read as ranges ("5 à 9 membres"); the hatched class is the withheld counts of 1
    to 4, and the grey class, when a tile has it, the counts masked so that none of those can be
    worked out (at least 5) or not published. A map of every count (no `units.small`) has no hatched
    class and its shades start at 1.
    """
    units = units or member_units()
    legend = [{"fill": EMPTY_FILL, "text": units.none}]
    if units.small:
        legend.append({"fill": "url(#tile-hatch)", "hatched": True, "text": units.small})
    least = MIN_GROUP_SIZE if units.small else 1
    previous = 0
    for index, fill in enumerate(SHADES):
        upper = math.floor(largest * (index + 1) / len(SHADES))
        if upper <= previous:
            continue
        low, previous = max(previous + 1, least), upper
        if upper < least:
            continue
        text = units.exact % {"count": upper} if low == upper else units.range % {"low": low, "high": upper}
        legend.append({"fill": fill, "text": text})
    if CellState.MASKED in states:
        legend.append({"fill": MASKED_FILL, "text": units.masked})
    if CellState.WITHDRAWN in states:
        legend.append({"fill": MASKED_FILL, "text": units.withdrawn})
    return legend
