"""A campaign's results as CSV or XLSX: the same withheld cells as the page, never a free-text answer."""

import csv
import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from core.figures.tables import STATISTIC_WITHHELD_NOTE, WITHDRAWN_NOTE
from core.spreadsheets import neutralise
from surveys.results import CampaignResults

FORBIDDEN_IN_SHEET_NAMES = str.maketrans(dict.fromkeys(":\\/?*[]", " "))
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def results_rule_lines() -> list[str]:
    return [
        _("Secret statistique : un effectif de 1 à 4 personnes n'est jamais diffusé (« moins de 5 »)."),
        _(
            "« masqué » (secret secondaire) : un effectif d'au moins 5 personnes qui permettrait de retrouver un "
            "effectif de moins de 5 par soustraction, avec les totaux, les autres questions ou un autre groupe."
        ),
        str(WITHDRAWN_NOTE),
        str(STATISTIC_WITHHELD_NOTE),
    ]


def _header(results: CampaignResults) -> list[list]:
    return [
        [neutralise(_("Résultats de l'enquête « %(title)s »") % {"title": results.campaign.title})],
        [_("Extrait le"), timezone.localtime().strftime("%d/%m/%Y %H:%M")],
        [_("Groupe"), neutralise(results.label)],
        [_("Personnes ayant répondu"), results.respondents.export_value()],
        *([line] for line in results_rule_lines()),
        [_("Les réponses libres (textes) ne figurent pas dans cet export : seul leur nombre est donné.")],
    ]


def _question_lines(question, *, for_csv: bool) -> list[list]:
    value_of = _csv_value if for_csv else _same
    lines = [
        [neutralise(question.question.text)],
        [_("Personnes ayant répondu à la question"), question.answered.export_value()],
    ]
    for table in question.tables():
        lines.append([neutralise(table.title)])
        lines.append([neutralise(column) for column in table.columns])
        for row in table.rows:
            lines.append([neutralise(row.label), *(value_of(cell.export_value()) for cell in row.cells)])
        if table.note:
            lines.append([neutralise(table.note)])
    return lines


def results_filename(results: CampaignResults, extension: str) -> str:
    stamp = timezone.localdate().isoformat()
    return f"resultats-enquete-{results.campaign.pk}-{results.slug}-{stamp}.{extension}"


def results_csv(results: CampaignResults) -> str:
    """Every question one after the other, separated by a blank line (semicolons, for French spreadsheets)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerows(_header(results))
    for question in results.questions:
        writer.writerow([])
        writer.writerows(_question_lines(question, for_csv=True))
    return buffer.getvalue()


def results_xlsx(results: CampaignResults) -> bytes:
    """A workbook: a first sheet describing the extract, then one sheet per question."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Présentation")[:31]
    for line in _header(results):
        sheet.append(line)
    sheet["A1"].font = Font(bold=True)
    sheet.column_dimensions["A"].width = 50
    for number, question in enumerate(results.questions, start=1):
        name = _sheet_name(f"{number} {question.question.code}", workbook.sheetnames)
        sheet = workbook.create_sheet(title=name)
        for line in _question_lines(question, for_csv=False):
            sheet.append(line)
        sheet["A1"].font = Font(bold=True)
        sheet.column_dimensions["A"].width = 50
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _sheet_name(title: str, taken: list[str]) -> str:
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


def _same(value):
    return value
