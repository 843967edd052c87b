"""How the meetings' audit entries read in the CNCD team's journal and the audit log (core.audit_sentences)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.audit_sentences import (
    TeamArea,
    audit_entries_loader_register,
    audit_sentence_register,
    reason_of,
    team_area_register,
)
from meetings.enums import RegistrationStatus
from meetings.models import Meeting

# What the organisers and the team do with a meeting: creating, announcing, cancelling, organisers,
# minutes, documents, sub-groups, outcomes, the attendance sheet, and what the platform does for them
# (reminders, needs erased). A member's own registration (registering, changing mode, cancelling,
# renewing their calendar address) stays in the administrators' log.
TEAM_ACTIONS = (
    "meetings.meeting.",
    "meetings.organiser.",
    "meetings.minutes.",
    "meetings.material.",
    "meetings.workshop.",
    "meetings.outcome.",
    "meetings.registration.checked_in",
    "meetings.registration.check_in_undone",
    "meetings.registration.needs_erased",
    "meetings.registration.reminders_sent",
)


def _data(entry) -> dict:
    return entry.data or {}


def _meeting_pk(entry):
    data = _data(entry)
    return data.get("meeting") or data.get("meeting_id")


def load_meeting_titles(entries) -> None:
    """The titles of the meetings a list of entries points to, in one query (core.audit_sentences)."""
    ours = [entry for entry in entries if entry.action.startswith("meetings.") and _meeting_pk(entry)]
    if not ours:
        return
    titles = dict(Meeting.objects.filter(pk__in={_meeting_pk(entry) for entry in ours}).values_list("pk", "title"))
    for entry in ours:
        entry.meeting_title = titles.get(_meeting_pk(entry), "")


def _meeting(entry) -> str:
    """The title of the meeting an entry on a registration, a sub-group or an outcome belongs to."""
    pk = _meeting_pk(entry)
    if not pk:
        return ""
    title = getattr(entry, "meeting_title", None)
    if title is None:  # a sentence asked for on its own, outside a list
        title = Meeting.objects.filter(pk=pk).values_list("title", flat=True).first()
    return title or _("n° %(number)s") % {"number": pk}


def _of_meeting(entry) -> str:
    """ " de la rencontre « … »", or "" when the meeting is not known any more."""
    title = _meeting(entry)
    return _(" de la rencontre « %(title)s »") % {"title": title} if title else ""


def _to_meeting(entry) -> str:
    title = _meeting(entry)
    return _(" à la rencontre « %(title)s »") % {"title": title} if title else ""


def _registration(entry) -> str:
    return _("l'inscription n° %(number)s") % {"number": entry.target_id} if entry.target_id else _("une inscription")


def _created(entry, who) -> str:
    if _data(entry).get("by_member"):
        return _("%(who)s a proposé la rencontre « %(target)s » à l'équipe CNCD") % {
            "who": who,
            "target": entry.target_repr,
        }
    return _("%(who)s a créé la rencontre « %(target)s » (brouillon)") % {"who": who, "target": entry.target_repr}


def _updated(entry, who) -> str:
    text = _("%(who)s a modifié la rencontre « %(target)s »") % {"who": who, "target": entry.target_repr}
    if _data(entry).get("practical_changes"):
        text += _(" (informations pratiques changées, inscrit·es prévenu·es)")
    return text


def _material_added(entry, who) -> str:
    kind = _data(entry).get("kind")
    what = {
        "link": _("un lien"),
        "resource": _("une ressource de la boîte à outils"),
        "file": _("un fichier"),
    }.get(kind, _("un document"))
    return _("%(who)s a ajouté %(what)s aux documents de la rencontre « %(target)s »") % {
        "who": who,
        "what": what,
        "target": entry.target_repr,
    }


def _material_removed(entry, who) -> str:
    title = str(_data(entry).get("title") or "").strip()
    return _("%(who)s a retiré le document%(title)s de la rencontre « %(target)s »") % {
        "who": who,
        "title": f" « {title} »" if title else "",
        "target": entry.target_repr,
    }


def _outcome_created(entry, who) -> str:
    if _data(entry).get("suggestion_id"):
        text = _("%(who)s a fait de « %(target)s » une proposition sur la fiche de poste (n° %(number)s)") % {
            "who": who,
            "target": entry.target_repr,
            "number": _data(entry)["suggestion_id"],
        }
    else:
        text = _("%(who)s a adressé la note « %(target)s » à l'équipe du référentiel") % {
            "who": who,
            "target": entry.target_repr,
        }
    return text + _(", suite%(meeting)s") % {"meeting": _of_meeting(entry)}


def _cancelled_registration(entry, who) -> str:
    if _data(entry).get("by_organiser"):
        text = _("%(who)s a annulé %(registration)s%(meeting)s")
    else:
        text = _("%(who)s a annulé son inscription%(meeting)s")
    return text % {"who": who, "registration": _registration(entry), "meeting": _to_meeting(entry)}


def _needs_erased(entry, who) -> str:
    data = _data(entry)
    return _(
        "%(who)s a effacé les besoins particuliers de %(registrations)s inscription(s) de %(meetings)s "
        "rencontre(s) terminée(s) depuis %(days)s jour(s)"
    ) % {
        "who": who,
        "registrations": data.get("registrations", 0),
        "meetings": data.get("meetings", 0),
        "days": data.get("days", 1),
    }


def register() -> None:
    team_area_register(TeamArea("meetings", gettext_lazy("Rencontres"), TEAM_ACTIONS))
    sentences = {
        # The meeting
        "meetings.meeting.created": _created,
        "meetings.meeting.updated": _updated,
        "meetings.meeting.published": lambda e, who: (
            _("%(who)s a annoncé la rencontre « %(target)s »") % {"who": who, "target": e.target_repr}
        ),
        "meetings.meeting.cancelled": lambda e, who: (
            _("%(who)s a annulé la rencontre « %(target)s »%(reason)s")
            % {"who": who, "target": e.target_repr, "reason": reason_of(e)}
        ),
        "meetings.organiser.added": lambda e, who: (
            _("%(who)s a ajouté un·e organisateur·rice à la rencontre « %(target)s »")
            % {"who": who, "target": e.target_repr}
        ),
        "meetings.organiser.removed": lambda e, who: (
            _("%(who)s a retiré un·e organisateur·rice de la rencontre « %(target)s »")
            % {"who": who, "target": e.target_repr}
        ),
        "meetings.minutes.saved": lambda e, who: (
            _("%(who)s a enregistré le compte rendu de la rencontre « %(target)s »")
            % {"who": who, "target": e.target_repr}
        ),
        "meetings.minutes.published": lambda e, who: (
            _("%(who)s a publié le compte rendu de la rencontre « %(target)s »") % {"who": who, "target": e.target_repr}
        ),
        # Documents
        "meetings.material.added": _material_added,
        "meetings.material.removed": _material_removed,
        # Sub-groups
        "meetings.workshop.created": lambda e, who: (
            _("%(who)s a créé le sous-groupe « %(target)s »%(meeting)s")
            % {"who": who, "target": e.target_repr, "meeting": _of_meeting(e)}
        ),
        "meetings.workshop.updated": lambda e, who: (
            _("%(who)s a modifié le sous-groupe « %(target)s »%(meeting)s")
            % {"who": who, "target": e.target_repr, "meeting": _of_meeting(e)}
        ),
        "meetings.workshop.deleted": lambda e, who: (
            _("%(who)s a supprimé le sous-groupe « %(target)s »%(meeting)s")
            % {"who": who, "target": e.target_repr, "meeting": _of_meeting(e)}
        ),
        "meetings.workshop.assigned": lambda e, who: (
            _("%(who)s a réparti %(count)s participant·e(s) dans le sous-groupe « %(target)s »%(meeting)s")
            % {"who": who, "count": _data(e).get("count", 0), "target": e.target_repr, "meeting": _of_meeting(e)}
        ),
        "meetings.workshop.notes_saved": lambda e, who: (
            _("%(who)s a modifié les notes partagées du sous-groupe « %(target)s »%(meeting)s")
            % {"who": who, "target": e.target_repr, "meeting": _of_meeting(e)}
        ),
        # Outcomes
        "meetings.outcome.created": _outcome_created,
        "meetings.outcome.handled": lambda e, who: (
            _("%(who)s a traité la note « %(target)s » pour le référentiel%(meeting)s")
            % {"who": who, "target": e.target_repr, "meeting": _of_meeting(e)}
        ),
        # Registrations, waiting list, attendance sheet
        "meetings.registration.created": lambda e, who: (
            (
                _("%(who)s s'est inscrit·e sur liste d'attente%(meeting)s")
                if _data(e).get("status") == RegistrationStatus.WAITING
                else _("%(who)s s'est inscrit·e%(meeting)s")
            )
            % {"who": who, "meeting": _to_meeting(e)}
        ),
        "meetings.registration.mode_changed": lambda e, who: (
            _("%(who)s a changé son mode de participation%(meeting)s") % {"who": who, "meeting": _to_meeting(e)}
        ),
        "meetings.registration.needs_updated": lambda e, who: (
            _("%(who)s a modifié ses besoins particuliers%(meeting)s") % {"who": who, "meeting": _to_meeting(e)}
        ),
        "meetings.registration.cancelled": _cancelled_registration,
        "meetings.registration.promoted": lambda e, who: (
            _("Une place s'est libérée : %(registration)s passe de la liste d'attente aux inscrit·es%(meeting)s")
            % {"registration": _registration(e), "meeting": _of_meeting(e)}
        ),
        "meetings.registration.checked_in": lambda e, who: (
            _("%(who)s a constaté la présence de %(registration)s%(meeting)s")
            % {"who": who, "registration": _registration(e), "meeting": _to_meeting(e)}
        ),
        "meetings.registration.check_in_undone": lambda e, who: (
            _("%(who)s a retiré la présence de %(registration)s%(meeting)s")
            % {"who": who, "registration": _registration(e), "meeting": _to_meeting(e)}
        ),
        "meetings.registration.feed_renewed": lambda e, who: (
            _("%(who)s a renouvelé son adresse personnelle d'agenda") % {"who": who}
        ),
        "meetings.registration.needs_erased": _needs_erased,
        "meetings.registration.reminders_sent": lambda e, who: (
            _("%(who)s a envoyé %(count)s rappel(s) avant la rencontre « %(target)s »")
            % {"who": who, "count": _data(e).get("count", 0), "target": e.target_repr}
        ),
    }
    for action, sentence in sentences.items():
        audit_sentence_register(action, sentence)
    audit_entries_loader_register(load_meeting_titles)
