"""The tables every figure of the dashboard is made of, and the small-numbers rule applied to them.

A count between 1 and 4 describes so few members that they could be recognised: it is shown as
"moins de 5". A withheld count must not be worked out from the figures that are shown (a total
minus the other rows, the whole network minus the other regions, another filter…): the cells
that would allow it are "masqué" as well (complementary suppression, disclosure.py, applied to
every view of the dashboard at once in selectors.py). Averages and medians computed over fewer
than 5 members are never shown. Every output (page, chart, CSV, XLSX, PDF) reads these tables,
so the rule is applied once.
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
    MASKED = "masked"  # hidden so that a withheld cell cannot be worked out (secondary suppression)
    # Not published at all: the rare breakdown that no masking could protect (any value, 0 included).
    WITHDRAWN = "withdrawn"


SMALL_LABEL = _("moins de 5")
MASKED_LABEL = _("masqué")
WITHDRAWN_LABEL = _("non publié")
WITHDRAWN_NOTE = _(
    "« non publié » : un chiffre qu'aucun masquage ne suffisait à protéger ; il n'est pas diffusé, quelle que "
    "soit sa valeur (0 compris)."
)


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
        labels = {CellState.SMALL: SMALL_LABEL, CellState.WITHDRAWN: WITHDRAWN_LABEL}
        return str(labels.get(self.state, MASKED_LABEL))

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
    """Counts that add up to a shown total: small ones withheld, plus whatever would give them back.

    With a single withheld count, the total minus the others would give it: the next smallest is
    masked too; and more, when "moins de 5" and "au moins 5" together would still pin it down
    (1 and 5 out of 6, say).
    """
    from codev_network.dashboard.disclosure import Publication  # here: disclosure imports this module

    publication = Publication()
    for index, count in enumerate(counts):
        publication.cell(index, count)
    publication.cell("total", sum(counts), rank=1)
    publication.equation("total", range(len(counts)))
    publication.protect()
    return [
        Cell(count) if publication.state(index) == CellState.SHOWN else Cell(None, publication.state(index))
        for index, count in enumerate(counts)
    ]


def small_cells(size: int) -> list[Cell]:
    """A row of cells all withheld, zeros included, for a group of fewer than 5 members."""
    return [Cell(None, CellState.SMALL) for _ in range(size)]
