"""How the exchange app's audit entries read in the CNCD team's journal and the audit log (core.audit_sentences).

Each area of the app keeps its own function below; `register()` joins them.
"""

from django.utils.translation import gettext_lazy

from core.audit_sentences import TeamArea, audit_sentence_register, team_area_register

# The team's own actions, shown in its journal (prefixes of action names): moderation decisions (hide, restore,
# dismiss reports, lock, unlock, move) and the management of spaces. Members' own actions (asking, answering,
# accepting, inviting a peer, reporting) keep their sentences for the audit log but stay out of the team's journal.
TEAM_ACTIONS = (
    *(f"exchange.{kind}.{verb}" for kind in ("question", "answer", "message") for verb in ("hidden", "restored")),
    *(f"exchange.{kind}.reports_dismissed" for kind in ("question", "answer", "message")),
    "exchange.question.locked",
    "exchange.question.unlocked",
    "exchange.question.moved",
    "exchange.space.",
)


def _spaces_sentences() -> dict:
    """Sentences of the spaces area (spaces and questions, answers, mentions, peers, search)."""
    from django.utils.translation import gettext as _

    def question(entry) -> str:
        return entry.target_repr

    def answer_of(entry) -> str:
        return str((entry.data or {}).get("question", ""))

    return {
        "exchange.question.asked": lambda e, who: (
            _("%(who)s a posé la question « %(title)s »") % {"who": who, "title": question(e)}
        ),
        "exchange.question.edited": lambda e, who: (
            _("%(who)s a modifié la question « %(title)s »") % {"who": who, "title": question(e)}
        ),
        "exchange.answer.posted": lambda e, who: (
            _("%(who)s a répondu à la question n° %(number)s") % {"who": who, "number": answer_of(e)}
        ),
        "exchange.answer.edited": lambda e, who: (
            _("%(who)s a modifié sa réponse n° %(answer)s (question n° %(number)s)")
            % {"who": who, "answer": e.target_id, "number": answer_of(e)}
        ),
        "exchange.answer.accepted": lambda e, who: (
            _("%(who)s a retenu la réponse n° %(answer)s à la question n° %(number)s")
            % {"who": who, "answer": e.target_id, "number": answer_of(e)}
        ),
        "exchange.answer.unaccepted": lambda e, who: (
            _("%(who)s ne retient plus la réponse n° %(answer)s à la question n° %(number)s")
            % {"who": who, "answer": e.target_id, "number": answer_of(e)}
        ),
    }


def _messages_sentences() -> dict:
    """Sentences of the messages area (private messages, blocks)."""
    return {}


def _moderation_sentences() -> dict:
    """Sentences of the moderation area (reports, hide/restore, lock, move, rate limits) and of the team's spaces."""
    from django.utils.translation import gettext as _

    from core.audit_sentences import reason_of

    def target(entry) -> str:
        kind = entry.action.split(".")[1]
        if kind == "question":
            return _("la question « %(title)s »") % {"title": entry.target_repr}
        if kind == "answer":
            return _("la réponse n° %(number)s") % {"number": entry.target_id}
        return _("le message privé n° %(number)s") % {"number": entry.target_id}

    def moved(entry, who) -> str:
        data = entry.data or {}
        return _("%(who)s a déplacé la question « %(title)s » de l'espace « %(old)s » vers « %(new)s »%(reason)s") % {
            "who": who,
            "title": entry.target_repr,
            "old": data.get("from", ""),
            "new": data.get("to", ""),
            "reason": reason_of(entry),
        }

    def space_edited(entry, who) -> str:
        data = entry.data or {}
        if data.get("closed"):
            return _("%(who)s a fermé l'espace « %(space)s »") % {"who": who, "space": entry.target_repr}
        if data.get("opened"):
            return _("%(who)s a rouvert l'espace « %(space)s »") % {"who": who, "space": entry.target_repr}
        return _("%(who)s a modifié l'espace « %(space)s »") % {"who": who, "space": entry.target_repr}

    sentences = {
        "exchange.question.locked": lambda e, who: (
            _("%(who)s a verrouillé la question « %(title)s »%(reason)s")
            % {"who": who, "title": e.target_repr, "reason": reason_of(e)}
        ),
        "exchange.question.unlocked": lambda e, who: (
            _("%(who)s a déverrouillé la question « %(title)s »%(reason)s")
            % {"who": who, "title": e.target_repr, "reason": reason_of(e)}
        ),
        "exchange.question.moved": moved,
        "exchange.space.created": lambda e, who: (
            _("%(who)s a créé l'espace « %(space)s »") % {"who": who, "space": e.target_repr}
        ),
        "exchange.space.edited": space_edited,
    }
    for kind in ("question", "answer", "message"):
        sentences |= {
            # A report names no reporter in the journal's sentence: the entry's actor is them.
            f"exchange.{kind}.reported": lambda e, who: (
                _("%(who)s a signalé %(target)s") % {"who": who, "target": target(e)}
            ),
            f"exchange.{kind}.hidden": lambda e, who: (
                _("%(who)s a masqué %(target)s%(reason)s") % {"who": who, "target": target(e), "reason": reason_of(e)}
            ),
            f"exchange.{kind}.restored": lambda e, who: (
                _("%(who)s a rétabli %(target)s%(reason)s") % {"who": who, "target": target(e), "reason": reason_of(e)}
            ),
            f"exchange.{kind}.reports_dismissed": lambda e, who: (
                _("%(who)s a classé sans suite les signalements de %(target)s%(reason)s")
                % {"who": who, "target": target(e), "reason": reason_of(e)}
            ),
        }
    return sentences


def _network_sentences() -> dict:
    """Sentences of the network area (follows, mentions, peers): invitations to answer (follows are not audited)."""
    from django.utils.translation import gettext as _

    return {
        "exchange.invitation.sent": lambda e, who: (
            _("%(who)s a invité un pair à répondre à sa question n° %(number)s") % {"who": who, "number": e.target_id}
        ),
    }


def register() -> None:
    team_area_register(TeamArea("exchange", gettext_lazy("Entraide"), TEAM_ACTIONS))
    sentences = {
        **_spaces_sentences(),
        **_messages_sentences(),
        **_moderation_sentences(),
        **_network_sentences(),
    }
    for action, sentence in sentences.items():
        audit_sentence_register(action, sentence)
