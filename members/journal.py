"""How accounts, councils and invitations read in the CNCD team's journal (core.audit_sentences)."""

from django.db.models import prefetch_related_objects
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.audit_sentences import (
    TeamArea,
    actor_names_loader_register,
    audit_sentence_register,
    reason_of,
    team_area_register,
)


def load_names(users: list) -> None:
    """The profiles that User.display_name reads, for a list of accounts, in one query."""
    prefetch_related_objects(users, "profile")


def register() -> None:
    actor_names_loader_register(load_names)
    # Erasures and two-factor events stay in the administrators' log: they are not the team's moderation.
    team_area_register(
        TeamArea(
            "members",
            gettext_lazy("Comptes et conseils"),
            ("members.user.approved", "members.user.refused", "members.council.", "members.invitation."),
        )
    )
    sentences = {
        "members.user.approved": lambda e, who: (
            _("%(who)s a validé le compte de %(target)s") % {"who": who, "target": e.target_repr}
        ),
        "members.user.refused": lambda e, who: (
            _("%(who)s a refusé le compte de %(target)s%(reason)s")
            % {"who": who, "target": e.target_repr, "reason": reason_of(e)}
        ),
        "members.council.validated": lambda e, who: (
            _("%(who)s a validé le conseil « %(target)s »") % {"who": who, "target": e.target_repr}
        ),
        "members.invitation.sent": lambda e, who: (
            _("%(who)s a envoyé une invitation (%(target)s)") % {"who": who, "target": e.target_repr}
        ),
        "members.invitation.accepted": lambda e, who: _("%(who)s a accepté une invitation") % {"who": who},
    }
    for action, sentence in sentences.items():
        audit_sentence_register(action, sentence)
