"""The dashboard's tables as CSV or XLSX, written from the same withheld cells as the page."""

from django.utils import timezone
from django.utils.translation import gettext as _

from core.figures.exports import tables_csv, tables_xlsx
from core.figures.tables import STATISTIC_WITHHELD_NOTE, WITHDRAWN_NOTE
from dashboard.tables import Dashboard
from members.enums import TerritoryKind


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
    return tables_csv(_filter_lines(dashboard), dashboard.tables())


def dashboard_xlsx(dashboard: Dashboard) -> bytes:
    """A workbook: a first sheet describing the extract, then one sheet per table."""
    return tables_xlsx(_filter_lines(dashboard), dashboard.tables())
