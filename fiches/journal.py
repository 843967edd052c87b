"""How the fiches' audit entries read in the CNCD team's journal (core.audit_sentences)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.audit_sentences import TeamArea, audit_sentence_register, reason_of, team_area_register


def register() -> None:
    team_area_register(TeamArea("fiches", gettext_lazy("Fiche de poste"), ("fiches.",)))
    sentences = {
        "fiches.comment.hidden": lambda e, who: (
            _("%(who)s a masqué le %(target)s%(reason)s")
            % {"who": who, "target": e.target_repr.lower(), "reason": reason_of(e)}
        ),
        "fiches.comment.restored": lambda e, who: (
            _("%(who)s a rétabli le %(target)s%(reason)s")
            % {"who": who, "target": e.target_repr.lower(), "reason": reason_of(e)}
        ),
        "fiches.comment.reports_dismissed": lambda e, who: (
            _("%(who)s a classé sans suite les signalements du %(target)s%(reason)s")
            % {"who": who, "target": e.target_repr.lower(), "reason": reason_of(e)}
        ),
        "fiches.suggestion.accepted": lambda e, who: (
            _("%(who)s a accepté la %(target)s") % {"who": who, "target": e.target_repr.lower()}
        ),
        "fiches.suggestion.rejected": lambda e, who: (
            _("%(who)s a refusé la %(target)s%(reason)s")
            % {"who": who, "target": e.target_repr.lower(), "reason": reason_of(e)}
        ),
        "fiches.section.edited": lambda e, who: (
            _("%(who)s a modifié directement la section « %(target)s »") % {"who": who, "target": e.target_repr}
        ),
        "fiches.revision.restored": lambda e, who: (
            _("%(who)s a restauré une révision : %(target)s") % {"who": who, "target": e.target_repr}
        ),
        "fiches.version.published": lambda e, who: (
            _("%(who)s a publié une version de la fiche : %(target)s") % {"who": who, "target": e.target_repr}
        ),
    }
    for action, sentence in sentences.items():
        audit_sentence_register(action, sentence)
