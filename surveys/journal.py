"""How the surveys' audit entries read in the CNCD team's journal and the audit log (core.audit_sentences).

Each area of the app keeps its own function below; `register()` joins them. An anonymous campaign's
answers are never audited with their author (nothing may link an answer to a person).
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.audit_sentences import TeamArea, audit_sentence_register, reason_of, team_area_register  # noqa: F401

# The team's actions on questionnaires, campaigns and results (prefixes of action names).
TEAM_ACTIONS = (
    "surveys.questionnaire.",
    "surveys.campaign.",
    "surveys.results.",
)


def _data(entry, key: str) -> str:
    return str((entry.data or {}).get(key) or "").strip()


def _authoring_sentences() -> dict:
    """Questionnaires (written, copied) and campaigns (opened, closed, invitations and reminders sent)."""

    def questionnaire(text):
        return lambda e, who: str(text) % {"who": who, "target": e.target_repr}

    def part(text):
        return lambda e, who: str(text) % {"who": who, "target": e.target_repr, "section": _data(e, "section")}

    def question(text):
        return lambda e, who: str(text) % {"who": who, "target": e.target_repr, "code": _data(e, "code")}

    def number(e) -> int:
        return int((e.data or {}).get("count") or 0)

    return {
        "surveys.questionnaire.created": questionnaire(gettext_lazy("%(who)s a créé le questionnaire « %(target)s »")),
        "surveys.questionnaire.edited": questionnaire(
            gettext_lazy("%(who)s a modifié le questionnaire « %(target)s »")
        ),
        "surveys.questionnaire.deleted": questionnaire(
            gettext_lazy("%(who)s a supprimé le questionnaire « %(target)s »")
        ),
        "surveys.questionnaire.copied": lambda e, who: (
            _("%(who)s a copié « %(source)s » pour préparer « %(target)s »")
            % {"who": who, "source": _data(e, "title"), "target": e.target_repr}
        ),
        "surveys.questionnaire.section_added": part(
            gettext_lazy("%(who)s a ajouté la partie « %(section)s » au questionnaire « %(target)s »")
        ),
        "surveys.questionnaire.section_edited": part(
            gettext_lazy("%(who)s a modifié la partie « %(section)s » du questionnaire « %(target)s »")
        ),
        "surveys.questionnaire.section_deleted": part(
            gettext_lazy("%(who)s a supprimé la partie « %(section)s » du questionnaire « %(target)s »")
        ),
        "surveys.questionnaire.question_added": question(
            gettext_lazy("%(who)s a ajouté la question « %(code)s » au questionnaire « %(target)s »")
        ),
        "surveys.questionnaire.question_edited": question(
            gettext_lazy("%(who)s a modifié la question « %(code)s » du questionnaire « %(target)s »")
        ),
        "surveys.questionnaire.question_deleted": question(
            gettext_lazy("%(who)s a supprimé la question « %(code)s » du questionnaire « %(target)s »")
        ),
        "surveys.questionnaire.reordered": questionnaire(
            gettext_lazy("%(who)s a changé l'ordre du questionnaire « %(target)s »")
        ),
        "surveys.campaign.created": questionnaire(gettext_lazy("%(who)s a préparé la campagne « %(target)s »")),
        "surveys.campaign.edited": questionnaire(gettext_lazy("%(who)s a modifié la campagne « %(target)s »")),
        "surveys.campaign.opened": lambda e, who: (
            (
                _("%(who)s a programmé la campagne « %(target)s »")
                if (e.data or {}).get("scheduled")
                else _("%(who)s a ouvert la campagne « %(target)s »")
            )
            % {"who": who, "target": e.target_repr}
        ),
        "surveys.campaign.closed": lambda e, who: (
            (
                _("%(who)s a clos la campagne « %(target)s » avant sa date")
                if (e.data or {}).get("early")
                else _("%(who)s a clos la campagne « %(target)s »")
            )
            % {"who": who, "target": e.target_repr}
        ),
        "surveys.campaign.reopened": questionnaire(gettext_lazy("%(who)s a rouvert la campagne « %(target)s »")),
        "surveys.campaign.deleted": questionnaire(gettext_lazy("%(who)s a supprimé la campagne « %(target)s »")),
        "surveys.campaign.invitations_sent": lambda e, who: (
            ngettext(
                "Invitation à la campagne « %(target)s » envoyée à %(count)s membre",
                "Invitations à la campagne « %(target)s » envoyées à %(count)s membres",
                number(e),
            )
            % {"count": number(e), "target": e.target_repr}
        ),
        "surveys.campaign.reminders_sent": lambda e, who: (
            ngettext(
                "Rappel de la campagne « %(target)s » envoyé à %(count)s membre",
                "Rappels de la campagne « %(target)s » envoyés à %(count)s membres",
                number(e),
            )
            % {"count": number(e), "target": e.target_repr}
        ),
    }


def _answering_sentences() -> dict:
    """Answers: only attributed ones may be audited with their author."""

    def sent(entry, who):
        if (entry.data or {}).get("anonymous"):
            return _("Une réponse anonyme a été envoyée à la campagne « %(target)s »") % {"target": entry.target_repr}
        return _("%(who)s a envoyé sa réponse à la campagne « %(target)s »") % {"who": who, "target": entry.target_repr}

    return {
        "surveys.answers.sent": sent,
        "surveys.answers.updated": lambda entry, who: (
            _("%(who)s a modifié sa réponse à la campagne « %(target)s »") % {"who": who, "target": entry.target_repr}
        ),
    }


def _results_sentences() -> dict:
    """Results published (or their public page rewritten) and withdrawn."""
    return {
        "surveys.results.published": lambda e, who: (
            (
                _("%(who)s a publié les résultats de la campagne « %(target)s »")
                if (e.data or {}).get("first", True)
                else _("%(who)s a modifié la synthèse publique des résultats de la campagne « %(target)s »")
            )
            % {"who": who, "target": e.target_repr}
        ),
        "surveys.results.unpublished": lambda e, who: (
            _("%(who)s a retiré la page publique des résultats de la campagne « %(target)s »")
            % {"who": who, "target": e.target_repr}
        ),
    }


def register() -> None:
    team_area_register(TeamArea("surveys", gettext_lazy("Enquêtes"), TEAM_ACTIONS))
    sentences = {**_authoring_sentences(), **_answering_sentences(), **_results_sentences()}
    for action, sentence in sentences.items():
        audit_sentence_register(action, sentence)
