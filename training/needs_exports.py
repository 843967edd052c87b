"""The training needs' tables as CSV or XLSX, written from the same withheld cells as the page."""

from django.utils import timezone
from django.utils.translation import gettext as _

from core.figures.exports import tables_csv, tables_xlsx
from core.figures.tables import STATISTIC_WITHHELD_NOTE, WITHDRAWN_NOTE
from core.spreadsheets import neutralise
from members.enums import Category
from training.needs import Needs


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
    return tables_csv(_neutralised_header(needs), needs.tables())


def needs_xlsx(needs: Needs) -> bytes:
    """A workbook: a first sheet describing the extract, then one sheet per table."""
    return tables_xlsx(_neutralised_header(needs), needs.tables())


def _neutralised_header(needs: Needs) -> list[list[str]]:
    return [[neutralise(str(value)) for value in line] for line in _header_lines(needs)]
