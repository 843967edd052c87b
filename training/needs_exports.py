"""The training needs' tables as CSV or XLSX, written from the same withheld cells as the page."""

import csv
import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from core.figures.tables import STATISTIC_WITHHELD_NOTE, WITHDRAWN_NOTE
from core.spreadsheets import neutralise
from members.enums import Category
from training.needs import Needs

FORBIDDEN_IN_SHEET_NAMES = str.maketrans(dict.fromkeys(":\\/?*[]", " "))


def _header_lines(needs: Needs) -> list[list]:
    filters = needs.filters
    lines = [
        [_("Besoins de formation du réseau des technicien·nes CoDev")],
        [_("Extrait le"), timezone.localtime().strftime("%d/%m/%Y %H:%M")],
        [_("Région"), filters.region.name if filters.region else _("Toutes")],
        [_("Catégorie de poste"), str(Category(filters.category).label) if filters.category else _("Toutes")],
        [_("Membres qui se sont évalués"), needs.members.export_value()],
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
    if not needs.large_enough:
        lines.append([_("Moins de 5 membres correspondent à cette sélection : aucun chiffre n'est diffusé.")])
    return lines


def needs_csv(needs: Needs) -> str:
    """Every table one after the other, separated by a blank line (semicolons, for French spreadsheets)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerows([[neutralise(str(value)) for value in line] for line in _header_lines(needs)])
    for table in needs.tables():
        writer.writerow([])
        writer.writerow([neutralise(table.title)])
        writer.writerow([neutralise(column) for column in table.columns])
        for row in table.rows:
            writer.writerow([neutralise(row.label), *(cell.export_value() for cell in row.cells)])
        if table.note:
            writer.writerow([neutralise(table.note)])
    return buffer.getvalue()


def needs_xlsx(needs: Needs) -> bytes:
    """A workbook: a first sheet describing the extract, then one sheet per table."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Présentation")[:31]
    for line in _header_lines(needs):
        sheet.append([neutralise(str(value)) for value in line])
    sheet["A1"].font = Font(bold=True)
    sheet.column_dimensions["A"].width = 40
    for table in needs.tables():
        sheet = workbook.create_sheet(title=_sheet_name(str(table.title), workbook.sheetnames))
        sheet.append([table.title])
        sheet["A1"].font = Font(bold=True)
        sheet.append(table.columns)
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append([neutralise(row.label), *(cell.export_value() for cell in row.cells)])
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
