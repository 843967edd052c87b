"""The dashboard's tables as CSV or XLSX, written from the same withheld cells as the page."""

import csv
import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from core.figures.tables import STATISTIC_WITHHELD_NOTE, WITHDRAWN_NOTE
from core.spreadsheets import neutralise
from dashboard.tables import Dashboard
from members.enums import TerritoryKind

FORBIDDEN_IN_SHEET_NAMES = str.maketrans(dict.fromkeys(":\\/?*[]", " "))


def _filter_lines(dashboard: Dashboard) -> list[list[str]]:
    filters = dashboard.filters
    return [
        [_("Chiffres du réseau des technicien·nes CoDev")],
        [_("Extrait le"), timezone.localtime().strftime("%d/%m/%Y %H:%M")],
        [_("Région"), filters.region.name if filters.region else _("Toutes")],
        [_("Type de territoire"), _kind_label(filters.kind)],
        [_("Les effectifs de moins de 5 membres ne sont pas diffusés (« moins de 5 »).")],
        [
            _(
                "« masqué » (secret secondaire) : un effectif d'au moins 5 membres qui permettrait de retrouver un "
                "effectif de moins de 5 par soustraction, avec les totaux, les autres tableaux ou une autre sélection."
            )
        ],
        [str(WITHDRAWN_NOTE)],
        [str(STATISTIC_WITHHELD_NOTE)],
    ]


def _kind_label(kind: str) -> str:
    return str(TerritoryKind(kind).label) if kind else _("Tous")


def dashboard_csv(dashboard: Dashboard) -> str:
    """Every table one after the other, separated by a blank line (semicolons, for French spreadsheets)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerows(_filter_lines(dashboard))
    for table in dashboard.tables():
        writer.writerow([])
        writer.writerow([neutralise(table.title)])
        writer.writerow([neutralise(column) for column in table.columns])
        for row in table.rows:
            writer.writerow([neutralise(row.label), *(_csv_value(cell.export_value()) for cell in row.cells)])
        if table.note:
            writer.writerow([neutralise(table.note)])
    return buffer.getvalue()


def dashboard_xlsx(dashboard: Dashboard) -> bytes:
    """A workbook: a first sheet describing the extract, then one sheet per table."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Présentation")[:31]
    for line in _filter_lines(dashboard):
        sheet.append(line)
    sheet["A1"].font = Font(bold=True)
    sheet.column_dimensions["A"].width = 40
    for table in dashboard.tables():
        sheet = workbook.create_sheet(title=_sheet_name(str(table.title), workbook.sheetnames))
        sheet.append([table.title])
        sheet["A1"].font = Font(bold=True)
        sheet.append(table.columns)
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append([row.label, *(cell.export_value() for cell in row.cells)])
        if table.note:
            sheet.append([])
            sheet.append([table.note])
        sheet.column_dimensions["A"].width = 50
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _sheet_name(title: str, taken: list[str]) -> str:
    """A sheet name Excel accepts: 31 characters at most, none of : \\ / ? * [ ], not yet used."""
    name = " ".join(title.translate(FORBIDDEN_IN_SHEET_NAMES).split())[:31]
    number = 2
    while name in taken:
        suffix = f" {number}"
        name = name[: 31 - len(suffix)] + suffix
        number += 1
    return name


def _csv_value(value):
    # French spreadsheets read "2,6" as a number and "2.6" as text or a date.
    return str(value).replace(".", ",") if isinstance(value, float) else value
