"""How the parcours' audit entries read in the CNCD team's journal and the audit log (core.audit_sentences).

Each area of the app keeps its own function below; `register()` joins them.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.audit_sentences import TeamArea, audit_sentence_register, reason_of, team_area_register  # noqa: F401

# The team's own actions on the parcours, shown in its journal (prefixes of action names).
TEAM_ACTIONS = (
    "training.training.",
    "training.import.",
    "training.welcome_step.",
)


def _training_edited(entry, who) -> str:
    data = entry.data or {}
    values = {"who": who, "target": entry.target_repr}
    session = data.get("session")
    if session:
        values["date"] = str(data.get("starts_on") or "")
        sentences = {
            "added": _("%(who)s a ajouté une session (%(date)s) à la formation « %(target)s »"),
            "changed": _("%(who)s a modifié la session du %(date)s de la formation « %(target)s »"),
            "deleted": _("%(who)s a supprimé la session du %(date)s de la formation « %(target)s »"),
        }
        return sentences.get(session, sentences["changed"]) % values
    return _("%(who)s a modifié la formation « %(target)s »") % values


def _import_done(entry, who) -> str:
    data = entry.data or {}
    return _("%(who)s a importé un fichier de formations : %(created)s créée(s), %(updated)s mise(s) à jour") % {
        "who": who,
        "created": data.get("created", 0),
        "updated": data.get("updated", 0),
    }


def _catalogue_sentences() -> dict:
    """Trainings, their sessions and import (members' "suivie" marks are not audited: their own notes)."""
    return {
        "training.training.created": lambda e, who: (
            _("%(who)s a ajouté la formation « %(target)s » au catalogue (brouillon)")
            % {"who": who, "target": e.target_repr}
        ),
        "training.training.edited": _training_edited,
        "training.training.published": lambda e, who: (
            _("%(who)s a publié la formation « %(target)s »") % {"who": who, "target": e.target_repr}
        ),
        "training.training.archived": lambda e, who: (
            _("%(who)s a archivé la formation « %(target)s »") % {"who": who, "target": e.target_repr}
        ),
        "training.training.deleted": lambda e, who: (
            _("%(who)s a supprimé la formation « %(target)s »") % {"who": who, "target": e.target_repr}
        ),
        "training.import.done": _import_done,
    }


def _plan_sentences() -> dict:
    """Development plans: only who may read one is audited (a member's own notes otherwise)."""

    def sharing(entry, who) -> str:
        data = entry.data or {}
        if data.get("mentors") and data.get("team"):
            return _("%(who)s a partagé son plan de développement avec ses pairs accompagnateurs et l'équipe CNCD") % {
                "who": who
            }
        if data.get("mentors"):
            return _("%(who)s a partagé son plan de développement avec ses pairs accompagnateurs") % {"who": who}
        if data.get("team"):
            return _("%(who)s a partagé son plan de développement avec l'équipe CNCD") % {"who": who}
        return _("%(who)s a cessé de partager son plan de développement") % {"who": who}

    return {"training.plan.sharing_changed": sharing}


def _mentoring_sentences() -> dict:
    """Mentor offers, requests and the newcomers' path.

    Offers and requests are members' own actions between themselves: they stay in the administrators' audit
    log, not in the team's journal (TEAM_ACTIONS keeps only "training.welcome_step.", the team's content).
    """

    def code_of(entry) -> str:
        return str((entry.data or {}).get("code") or "")

    def codes_of(entry, key) -> str:
        return ", ".join(str(code) for code in (entry.data or {}).get(key) or []) or "—"

    return {
        "training.mentoring.offers_changed": lambda e, who: (
            _("%(who)s a changé ses propositions d'accompagnement (ajoutées : %(added)s ; retirées : %(removed)s)")
            % {"who": who, "added": codes_of(e, "added"), "removed": codes_of(e, "removed")}
        ),
        "training.mentoring.offers_stopped": lambda e, who: (
            _("%(who)s ne propose plus d'accompagnement (%(removed)s)")
            % {"who": who, "removed": codes_of(e, "removed")}
        ),
        "training.mentoring.requested": lambda e, who: (
            _("%(who)s a demandé un accompagnement sur la compétence %(code)s") % {"who": who, "code": code_of(e)}
        ),
        "training.mentoring.accepted": lambda e, who: (
            _("%(who)s a accepté une demande d'accompagnement sur la compétence %(code)s")
            % {"who": who, "code": code_of(e)}
        ),
        "training.mentoring.declined": lambda e, who: (
            _("%(who)s a décliné une demande d'accompagnement sur la compétence %(code)s")
            % {"who": who, "code": code_of(e)}
        ),
        "training.mentoring.withdrawn": lambda e, who: (
            _("%(who)s a retiré sa demande d'accompagnement sur la compétence %(code)s")
            % {"who": who, "code": code_of(e)}
        ),
        "training.welcome_step.created": lambda e, who: (
            _("%(who)s a ajouté l'étape « %(target)s » au parcours d'arrivée") % {"who": who, "target": e.target_repr}
        ),
        "training.welcome_step.updated": lambda e, who: (
            _("%(who)s a modifié l'étape « %(target)s » du parcours d'arrivée") % {"who": who, "target": e.target_repr}
        ),
        "training.welcome_step.moved": lambda e, who: (
            _("%(who)s a déplacé l'étape « %(target)s » du parcours d'arrivée") % {"who": who, "target": e.target_repr}
        ),
        "training.welcome_step.deactivated": lambda e, who: (
            _("%(who)s a retiré l'étape « %(target)s » du parcours d'arrivée") % {"who": who, "target": e.target_repr}
        ),
        "training.welcome_step.activated": lambda e, who: (
            _("%(who)s a de nouveau proposé l'étape « %(target)s » du parcours d'arrivée")
            % {"who": who, "target": e.target_repr}
        ),
    }


def _portfolio_sentences() -> dict:
    """Portfolios and the team's exports of training needs."""
    return {}


def register() -> None:
    team_area_register(TeamArea("training", gettext_lazy("Parcours"), TEAM_ACTIONS))
    sentences = {**_catalogue_sentences(), **_plan_sentences(), **_mentoring_sentences(), **_portfolio_sentences()}
    for action, sentence in sentences.items():
        audit_sentence_register(action, sentence)
