"""Tables of figures as CSV or XLSX: a header describing the extract, then the tables, from the same
withheld cells as the page (the dashboard, the training needs, the survey results).

CSV: semicolons and decimal commas, for French spreadsheets; every text cell neutralised against formula
injection (core.spreadsheets.neutralise). XLSX: a first sheet "Présentation" with the header, then one
sheet per part, its first line in bold.
"""

import csv
import io
from collections.abc import Iterable

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from core.figures.tables import Table
from core.spreadsheets import neutralise

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORBIDDEN_IN_SHEET_NAMES = str.maketrans(dict.fromkeys(":\\/?*[]", " "))
# Excel's limit on a sheet's name.
SHEET_NAME_LENGTH = 31


def csv_value(value):
    """A figure as a French spreadsheet reads it: "2,6" is a number, "2.6" text or a date."""
    return str(value).replace(".", ",") if isinstance(value, float) else value


def table_lines(table: Table, *, for_csv: bool) -> list[list]:
    """A table's title, column headings, rows (each figure or the reason it is withheld) and note."""
    value_of = csv_value if for_csv else (lambda value: value)
    lines = [[neutralise(str(table.title))], [neutralise(str(column)) for column in table.columns]]
    for row in table.rows:
        lines.append([neutralise(str(row.label)), *(value_of(cell.export_value()) for cell in row.cells)])
    if table.note:
        lines.append([neutralise(str(table.note))])
    return lines


def figures_csv(header: list[list], parts: Iterable[list[list]]) -> str:
    """The header's lines, then each part's lines after a blank line."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerows(header)
    for lines in parts:
        writer.writerow([])
        writer.writerows(lines)
    return buffer.getvalue()


def figures_xlsx(header: list[list], sheets: Iterable[tuple[str, list[list]]]) -> bytes:
    """A workbook: the header on a first sheet, then one sheet per (name, lines)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Présentation")[:SHEET_NAME_LENGTH]
    for line in header:
        sheet.append(line)
    sheet["A1"].font = Font(bold=True)
    sheet.column_dimensions["A"].width = 50
    for name, lines in sheets:
        sheet = workbook.create_sheet(title=sheet_name(str(name), workbook.sheetnames))
        for line in lines:
            sheet.append(line)
        sheet["A1"].font = Font(bold=True)
        sheet.column_dimensions["A"].width = 50
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def tables_csv(header: list[list], tables: Iterable[Table]) -> str:
    return figures_csv(header, (table_lines(table, for_csv=True) for table in tables))


def tables_xlsx(header: list[list], tables: Iterable[Table]) -> bytes:
    return figures_xlsx(header, ((table.title, table_lines(table, for_csv=False)) for table in tables))


def sheet_name(title: str, taken: list[str]) -> str:
    """A sheet name Excel accepts: 31 characters at most, none of : \\ / ? * [ ], not yet used."""
    name = " ".join(title.translate(FORBIDDEN_IN_SHEET_NAMES).split())[:SHEET_NAME_LENGTH]
    number = 2
    while name in taken:
        suffix = f" {number}"
        name = name[: SHEET_NAME_LENGTH - len(suffix)] + suffix
        number += 1
    return name
