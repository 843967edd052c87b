"""How the toolbox's audit entries read in the CNCD team's journal and the audit log (core.audit_sentences)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.audit_sentences import TeamArea, audit_sentence_register, reason_of, team_area_register

# The team's decisions on resources and its moderation of comments. What members do to their own
# resources (drafting, editing, submitting, files, deleting a draft) stays in the administrators' log.
TEAM_ACTIONS = (
    "toolbox.resource.published",
    "toolbox.resource.public_approved",
    "toolbox.resource.changes_requested",
    "toolbox.resource.refused",
    "toolbox.comment.",
)


def _file_name(entry) -> str:
    name = str((entry.data or {}).get("name") or "").strip()
    return f" « {name} »" if name else ""


def register() -> None:
    team_area_register(TeamArea("toolbox", gettext_lazy("Boîte à outils"), TEAM_ACTIONS))
    sentences = {
        "toolbox.resource.created": lambda e, who: (
            _("%(who)s a commencé la ressource « %(target)s »") % {"who": who, "target": e.target_repr}
        ),
        "toolbox.resource.edited": lambda e, who: (
            _("%(who)s a modifié la ressource « %(target)s »") % {"who": who, "target": e.target_repr}
        ),
        "toolbox.resource.submitted": lambda e, who: (
            _("%(who)s a soumis la ressource « %(target)s » à l'équipe CNCD") % {"who": who, "target": e.target_repr}
        ),
        "toolbox.resource.published": lambda e, who: (
            (
                _("%(who)s a publié la ressource « %(target)s », ouverte au public")
                if (e.data or {}).get("public")
                else _("%(who)s a publié la ressource « %(target)s » pour les membres")
            )
            % {"who": who, "target": e.target_repr}
        ),
        "toolbox.resource.public_approved": lambda e, who: (
            _("%(who)s a ouvert au public la ressource « %(target)s »") % {"who": who, "target": e.target_repr}
        ),
        "toolbox.resource.changes_requested": lambda e, who: (
            _("%(who)s a demandé des modifications à la ressource « %(target)s »%(reason)s")
            % {"who": who, "target": e.target_repr, "reason": reason_of(e)}
        ),
        "toolbox.resource.refused": lambda e, who: (
            _("%(who)s a refusé la ressource « %(target)s »%(reason)s")
            % {"who": who, "target": e.target_repr, "reason": reason_of(e)}
        ),
        "toolbox.resource.deleted": lambda e, who: (
            _("%(who)s a supprimé la ressource « %(target)s »") % {"who": who, "target": e.target_repr}
        ),
        "toolbox.file.added": lambda e, who: (
            _("%(who)s a ajouté le fichier%(name)s à la ressource « %(target)s »")
            % {"who": who, "name": _file_name(e), "target": e.target_repr}
        ),
        "toolbox.file.removed": lambda e, who: (
            _("%(who)s a retiré le fichier%(name)s de la ressource « %(target)s »")
            % {"who": who, "name": _file_name(e), "target": e.target_repr}
        ),
        "toolbox.comment.hidden": lambda e, who: (
            _("%(who)s a masqué le %(target)s de la boîte à outils%(reason)s")
            % {"who": who, "target": e.target_repr.lower(), "reason": reason_of(e)}
        ),
        "toolbox.comment.restored": lambda e, who: (
            _("%(who)s a rétabli le %(target)s de la boîte à outils%(reason)s")
            % {"who": who, "target": e.target_repr.lower(), "reason": reason_of(e)}
        ),
        "toolbox.comment.reports_dismissed": lambda e, who: (
            _("%(who)s a classé sans suite les signalements du %(target)s de la boîte à outils%(reason)s")
            % {"who": who, "target": e.target_repr.lower(), "reason": reason_of(e)}
        ),
    }
    for action, sentence in sentences.items():
        audit_sentence_register(action, sentence)
