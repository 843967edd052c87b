"""The network's figures of the vitrine as CSV or XLSX: exactly the page's tables, with the same withheld cells."""

from django.utils.translation import gettext as _

from core.figures.exports import tables_csv, tables_xlsx
from core.figures.tables import STATISTIC_WITHHELD_NOTE, WITHDRAWN_NOTE
from core.spreadsheets import neutralise
from showcase.figures import Figures, extract_stamp


def _header_lines() -> list[list[str]]:
    lines = [
        [_("Vitrine des conseils de développement : chiffres du réseau")],
        [_("Extrait le"), extract_stamp()],
        [_("Source : les travaux publiés des conseils dont la page est publiée dans la vitrine.")],
        [_("Les effectifs de 1 à 4 travaux ne sont pas diffusés (« moins de 5 »).")],
        [
            _(
                "« masqué » (secret secondaire) : un effectif d'au moins 5 travaux qui permettrait de retrouver un "
                "effectif de moins de 5 par soustraction, avec les totaux ou les autres tableaux."
            )
        ],
        [str(WITHDRAWN_NOTE)],
        [str(STATISTIC_WITHHELD_NOTE)],
    ]
    return [[neutralise(str(value)) for value in line] for line in lines]


def figures_csv(figures: Figures) -> str:
    """Every table of the page one after the other, separated by a blank line (semicolons)."""
    return tables_csv(_header_lines(), figures.tables())


def figures_xlsx(figures: Figures) -> bytes:
    """A workbook: a first sheet describing the extract, then one sheet per table of the page."""
    return tables_xlsx(_header_lines(), figures.tables())
