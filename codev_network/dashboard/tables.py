"""The tables every figure of the dashboard is made of, and the small-numbers rule applied to them.

A count between 1 and 4 describes so few members that they could be recognised: it is shown as
"moins de 5". When a distribution adds up to a total that is shown, one hidden cell could be
worked out by subtraction, so the next smallest cell is masked as well. Averages and medians
computed over fewer than 5 members are never shown. Every output (page, chart, CSV, XLSX) reads
these tables, so the rule is applied once, here.
"""

from dataclasses import dataclass, field
from enum import StrEnum
from html import escape

from django.utils.formats import localize
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

MIN_GROUP_SIZE = 5


class CellState(StrEnum):
    SHOWN = "shown"
    SMALL = "small"  # fewer than MIN_GROUP_SIZE members
    MASKED = "masked"  # hidden so that a small cell cannot be worked out by subtraction


SMALL_LABEL = _("moins de 5")
MASKED_LABEL = _("masqué")


@dataclass(frozen=True)
class Cell:
    """One figure: a number, or the reason it is withheld."""

    value: int | float | None
    state: CellState = CellState.SHOWN

    @property
    def shown(self) -> bool:
        return self.state == CellState.SHOWN and self.value is not None

    @property
    def withheld_label(self) -> str:
        return str(SMALL_LABEL if self.state == CellState.SMALL else MASKED_LABEL)

    def export_value(self):
        """The number, or the French reason it is withheld (CSV and XLSX)."""
        if self.state != CellState.SHOWN:
            return self.withheld_label
        return "" if self.value is None else self.value


@dataclass
class Row:
    label: str
    cells: list[Cell]
    code: str = ""


@dataclass
class Table:
    """A titled table: what a chart draws, what the page shows beside it and what the exports write."""

    key: str
    title: str
    columns: list[str]
    rows: list[Row] = field(default_factory=list)
    note: str = ""

    @property
    def has_figures(self) -> bool:
        return any(cell.shown and cell.value for row in self.rows for cell in row.cells)

    @property
    def body_html(self) -> SafeString:
        """The `<tr>` rows of the page's data table (a template loop is too slow for hundreds of rows)."""
        rows, cells_html = [], {}  # hundreds of rows share a few dozen figures: format each once
        for row in self.rows:
            cells = []
            for cell in row.cells:
                key = (type(cell.value), cell.value, cell.state)
                if key not in cells_html:
                    cells_html[key] = f'<td class="text-end">{cell_html(cell)}</td>'
                cells.append(cells_html[key])
            rows.append(f'<tr><th scope="row">{escape(str(row.label))}</th>{"".join(cells)}</tr>')
        return mark_safe("\n".join(rows))  # noqa: S308 - labels and figures escaped


def cell_html(cell: Cell) -> str:
    """A figure as the page shows it: the localised number, "—", or the reason it is withheld."""
    if cell.shown:
        return escape(str(localize(cell.value)))
    if cell.state == CellState.SHOWN:
        return "—"
    return f'<span class="dashboard-withheld">{escape(str(cell.withheld_label))}</span>'


def count_cell(count: int) -> Cell:
    """A count of members, withheld when it is between 1 and 4."""
    if 0 < count < MIN_GROUP_SIZE:
        return Cell(None, CellState.SMALL)
    return Cell(count)


def statistic_cell(value: float | None, *, group_size: int, digits: int = 1) -> Cell:
    """An average or median over `group_size` members, withheld below the threshold."""
    if group_size < MIN_GROUP_SIZE:
        return Cell(None, CellState.SMALL)
    if value is None:
        return Cell(None)
    return Cell(round(value) if digits == 0 else round(value, digits))


def distribution_cells(counts: list[int]) -> list[Cell]:
    """Counts that add up to a shown total: small ones withheld, plus one more if only one is."""
    cells = [count_cell(count) for count in counts]
    small = [index for index, cell in enumerate(cells) if cell.state == CellState.SMALL]
    if len(small) == 1:
        candidates = [index for index, count in enumerate(counts) if count and cells[index].state == CellState.SHOWN]
        if candidates:
            smallest = min(candidates, key=lambda index: counts[index])
            cells[smallest] = Cell(None, CellState.MASKED)
    return cells


def small_cells(size: int) -> list[Cell]:
    """A row of cells all withheld, zeros included, for a group of fewer than 5 members."""
    return [Cell(None, CellState.SMALL) for _ in range(size)]
