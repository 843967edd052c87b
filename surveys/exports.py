"""A campaign's results as CSV or XLSX: the same withheld cells as the page, never a free-text answer."""

from django.utils import timezone
from django.utils.translation import gettext as _

from core.figures.exports import figures_csv, figures_xlsx, table_lines
from core.figures.tables import STATISTIC_WITHHELD_NOTE, WITHDRAWN_NOTE
from core.spreadsheets import neutralise
from surveys.results import CampaignResults


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
    lines = [
        [neutralise(question.question.text)],
        [_("Personnes ayant répondu à la question"), question.answered.export_value()],
    ]
    for table in question.tables():
        lines.extend(table_lines(table, for_csv=for_csv))
    return lines


def results_filename(results: CampaignResults, extension: str) -> str:
    stamp = timezone.localdate().isoformat()
    return f"resultats-enquete-{results.campaign.pk}-{results.slug}-{stamp}.{extension}"


def results_csv(results: CampaignResults) -> str:
    """Every question one after the other, separated by a blank line (semicolons, for French spreadsheets)."""
    return figures_csv(_header(results), (_question_lines(question, for_csv=True) for question in results.questions))


def results_xlsx(results: CampaignResults) -> bytes:
    """A workbook: a first sheet describing the extract, then one sheet per question."""
    sheets = (
        (f"{number} {question.question.code}", _question_lines(question, for_csv=False))
        for number, question in enumerate(results.questions, start=1)
    )
    return figures_xlsx(_header(results), sheets)
