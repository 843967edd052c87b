"""The audit log read as sentences, and the areas the CNCD team moderates (its journal page).

Each app registers, from its AppConfig.ready(), how its actions read ("Claire Martin a masqué un
commentaire : motif") and which of its actions belong to the team's journal. The ground floor only
holds the registry: it knows no app's actions.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.models import AuditEntry

Sentence = Callable[[AuditEntry, str], str]  # (entry, the actor's name) → the sentence
_SENTENCES: dict[str, Sentence] = {}


@dataclass(frozen=True)
class TeamArea:
    """Actions the CNCD team reads in its journal: a prefix ("fiches.") and the area's name."""

    key: str
    label: str
    prefixes: tuple[str, ...]


_AREAS: dict[str, TeamArea] = {}


def audit_sentence_register(action: str, sentence: Sentence) -> None:
    """Say how `action` reads; the sentence gets the entry and the actor's name, and returns French text."""
    _SENTENCES[action] = sentence


def team_area_register(area: TeamArea) -> None:
    _AREAS[area.key] = area


def team_areas() -> list[TeamArea]:
    return sorted(_AREAS.values(), key=lambda area: str(area.label))


def actor_name(entry: AuditEntry) -> str:
    """Who did it, as the team's moderation pages name people (full name, whatever their credit choice)."""
    if entry.actor is None:
        return str(SYSTEM)
    return entry.actor.credit_name(moderation=True) or str(_("Un·e membre"))


SYSTEM = gettext_lazy("Le système")


def audit_sentence(entry: AuditEntry) -> str:
    """The entry as a sentence; an action nobody described reads "<name> : <action> (<object>)"."""
    who = actor_name(entry)
    sentence = _SENTENCES.get(entry.action)
    if sentence is not None:
        return sentence(entry, who)
    target = f" ({entry.target_repr})" if entry.target_repr else ""
    return f"{who} : {entry.action}{target}"


def reason_of(entry: AuditEntry) -> str:
    """The reason the entry keeps, as « … », or ""."""
    reason = str((entry.data or {}).get("reason") or "").strip()
    return f" : « {reason} »" if reason else ""


def team_entries(area: str = ""):
    """Audit entries of the areas the team moderates (or of one of them), newest first."""
    areas = [_AREAS[area]] if area in _AREAS else list(_AREAS.values())
    condition = Q(pk__in=[])
    for team_area in areas:
        for prefix in team_area.prefixes:
            condition |= Q(action__startswith=prefix)
    return AuditEntry.objects.filter(condition).with_actor().order_by("-created_at", "-id")


# Loads, for a list of accounts, what naming them needs (members registers it: their profiles), in a fixed
# number of queries. The ground floor does not know where names are kept.
_NAME_LOADERS: list[Callable[[list], None]] = []


def actor_names_loader_register(loader: Callable[[list], None]) -> None:
    if loader not in _NAME_LOADERS:
        _NAME_LOADERS.append(loader)


# Loads, for a list of entries, what their sentences name (an app registers it: the titles of the objects its
# entries point to), in a fixed number of queries, so that a page of the journal does not query once per line.
_ENTRY_LOADERS: list[Callable[[list], None]] = []


def audit_entries_loader_register(loader: Callable[[list], None]) -> None:
    if loader not in _ENTRY_LOADERS:
        _ENTRY_LOADERS.append(loader)


def audit_sentences(entries) -> list[tuple[AuditEntry, str]]:
    """Each entry with its sentence; what the actors' names and the entries' sentences need is loaded once for
    the whole list."""
    entries = list(entries)
    actors = {}
    for entry in entries:
        if entry.actor is not None:
            entry.actor = actors.setdefault(entry.actor_id, entry.actor)
    for loader in _NAME_LOADERS:
        loader(list(actors.values()))
    for loader in _ENTRY_LOADERS:
        loader(entries)
    return [(entry, audit_sentence(entry)) for entry in entries]
