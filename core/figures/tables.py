"""Tables of figures about members, as a page shows them: a chart draws them, exports write them.

A count between 1 and 4 describes so few members that they could be recognised: it reads "moins de
5"; a count that would give one back is "masqué" (core/figures/disclosure.py). Averages and medians
over fewer than 5 members are never shown. Every app that publishes figures about members builds
these tables, so the rule reads the same everywhere.
"""

from dataclasses import dataclass, field
from html import escape

from django.utils.formats import localize
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy

from core.figures.disclosure import MIN_GROUP_SIZE, CellState, Publication

SMALL_LABEL = gettext_lazy("moins de 5")
MASKED_LABEL = gettext_lazy("masqué")
WITHDRAWN_LABEL = gettext_lazy("non publié")
# An average, median, share or gap whose counts are withheld is not shown either: it reads as a
# dash (with its reason for screen readers on the page), never as the count's "moins de 5".
STATISTIC_WITHHELD_TEXT = "—"
STATISTIC_WITHHELD_LABEL = gettext_lazy("non diffusé : repose sur un effectif qui n'est pas publié")
STATISTIC_WITHHELD_NOTE = gettext_lazy(
    "« — » dans une colonne de part, de moyenne, de médiane ou d'écart : chiffre non diffusé, car l'effectif sur "
    "lequel il repose n'est pas publié (moins de 5, masqué ou non publié)."
)
WITHDRAWN_NOTE = gettext_lazy(
    "« non publié » : un chiffre qu'aucun masquage ne suffisait à protéger ; il n'est pas diffusé, quelle que "
    "soit sa valeur (0 compris)."
)


@dataclass(frozen=True)
class Cell:
    """One figure: a number, or the reason it is withheld."""

    value: int | float | None
    state: CellState = CellState.SHOWN
    # An average, median, share or gap (not a count): withheld, it reads "—", not its count's reason.
    statistic: bool = False

    @property
    def shown(self) -> bool:
        return self.state == CellState.SHOWN and self.value is not None

    @property
    def withheld_statistic(self) -> bool:
        return self.statistic and self.state != CellState.SHOWN

    @property
    def html(self) -> str:
        """The figure as the page shows it (cell_html)."""
        return mark_safe(cell_html(self))  # noqa: S308 - cell_html escapes

    def as_statistic(self) -> "Cell":
        return Cell(self.value, self.state, statistic=True)

    @property
    def withheld_label(self) -> str:
        if self.statistic:
            return STATISTIC_WITHHELD_TEXT
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
                key = (type(cell.value), cell.value, cell.state, cell.statistic)
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
    if cell.statistic:
        return withheld_statistic_html()
    return f'<span class="dashboard-withheld">{escape(str(cell.withheld_label))}</span>'


def withheld_statistic_html() -> SafeString:
    """A withheld average or share: a dash, with its reason for screen readers (and as a tooltip)."""
    label = escape(str(STATISTIC_WITHHELD_LABEL))
    return mark_safe(  # noqa: S308 - escaped
        f'<span class="dashboard-withheld" title="{label}"><span aria-hidden="true">{STATISTIC_WITHHELD_TEXT}</span>'
        f'<span class="visually-hidden">{label}</span></span>'
    )


def count_cell(count: int) -> Cell:
    """A count of members, withheld when it is between 1 and 4."""
    if 0 < count < MIN_GROUP_SIZE:
        return Cell(None, CellState.SMALL)
    return Cell(count)


def statistic_cell(value: float | None, *, group_size: int, digits: int = 1) -> Cell:
    """An average or median over `group_size` members, withheld below the threshold."""
    if group_size < MIN_GROUP_SIZE:
        return Cell(None, CellState.SMALL, statistic=True)
    if value is None:
        return Cell(None, statistic=True)
    # + 0: a small negative gap rounds to 0, not to "-0".
    return Cell((round(value) if digits == 0 else round(value, digits)) + 0, statistic=True)


def distribution_cells(counts: list[int]) -> list[Cell]:
    """Counts that add up to a shown total: small ones withheld, plus whatever would give them back.

    With a single withheld count, the total minus the others would give it: the next smallest is
    masked too; and more, when "moins de 5" and "au moins 5" together would still pin it down
    (1 and 5 out of 6, say).
    """
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
