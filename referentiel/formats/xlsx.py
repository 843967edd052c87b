"""The project's XLSX: its own table (referentiel.formats.common.COLUMNS) in the first sheet, cells as text."""

import io
from datetime import datetime

from django.utils.translation import gettext as _

from core.spreadsheets import SpreadsheetRefused, neutralise, xlsx_rows
from referentiel.formats.common import (
    COLUMNS,
    MAX_COLUMNS,
    MAX_ROWS,
    ImportResult,
    finish,
    framework_from_project_rows,
    project_rows,
)
from referentiel.framework import FrameworkData, Problem


def read_project_xlsx(raw: bytes) -> ImportResult:
    """The project's columns in the first sheet; the archive is checked for size and ratio before it is read.

    A formula cell is refused (it holds no text, only what a spreadsheet would compute); text that merely starts
    like a formula (`-10 %`, `=`, `@équipe`) is read as it is.
    """
    try:
        sheet = xlsx_rows(raw, max_rows=MAX_ROWS, max_columns=MAX_COLUMNS)
    except SpreadsheetRefused as refused:
        return ImportResult(FrameworkData(), [Problem(str(refused))])
    problems: list[Problem] = []
    rows = []
    for number, cells in enumerate(sheet, start=1):
        values = []
        for column, cell in enumerate(cells):
            if cell.formula:
                problems.append(
                    Problem(
                        _("la cellule contient une formule : elle est refusée."),
                        number,
                        COLUMNS[column] if column < len(COLUMNS) else "",
                    )
                )
                values.append("")
            else:
                values.append("" if cell.value is None else str(cell.value))
        rows.append((number, values))
    data = framework_from_project_rows(rows, problems)
    return finish(data, problems)


def export_xlsx(data: FrameworkData, *, changed_at: datetime | None = None) -> bytes:
    """The project's columns in a spreadsheet, every cell stored as text (no date in it); a cell that looks like a
    formula also gets a leading apostrophe, taken off on import, for spreadsheets that re-evaluate text cells."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "referentiel"
    for index, row in enumerate(project_rows(data), start=1):
        values = [neutralise(cell) for cell in row]
        sheet.append(values)
        # By position: `sheet[sheet.max_row]` rescans every cell on each row (quadratic, 1.5 s for 500 rows).
        for column in range(1, len(values) + 1):
            sheet.cell(row=index, column=column).data_type = "s"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
