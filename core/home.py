"""The personal home ("Mon espace") and the CNCD team's to-do page, filled by every app through one registry.

The ground floor cannot read the apps above it: each app registers, from its AppConfig.ready(), functions
that return a block for a user (`home_block_register`). The home shows them in four sections — what needs
the member, what is new in the network, new peers near them, their own progress — and the team's to-do page
shows the `todo` section. A new app adds its blocks in its own `home.py`; nothing here changes.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class HomeLink:
    """One line of a block: what to read or do, and where."""

    text: str
    url: str
    note: str = ""  # a second line: a date, a count, a reason
    when: datetime | None = None
    flag: str = ""  # a short warning shown as a badge ("en retard", "à mettre à jour")


@dataclass
class HomeBlock:
    """A titled list of links; `count` is the number of things waiting (shown in the title when set)."""

    key: str
    title: str
    links: list[HomeLink] = field(default_factory=list)
    count: int | None = None
    more_url: str = ""
    more_text: str = ""
    text: str = ""  # a sentence instead of (or before) links
    include: str = ""  # a template that renders the block's body (it gets `block` and `block_context`)
    context: dict = field(default_factory=dict)


SECTIONS = {
    "start": _("Premiers pas"),  # shown first, full width, each block drawing its own box (no section title)
    "needs": _("Ce qui vous attend"),
    "news": _("Nouveautés du réseau"),
    "peers": _("Nouveaux pairs près de chez vous"),
    "progress": _("Votre progression"),
    "todo": _("À faire pour l'équipe CNCD"),
}

Provider = Callable[[object], HomeBlock | None]
_PROVIDERS: dict[str, list[tuple[int, str, Provider]]] = {section: [] for section in SECTIONS}


def home_block_register(section: str, *, order: int = 100):
    """Register a function `user → HomeBlock | None` in `section`; blocks show by `order`, then name."""
    if section not in SECTIONS:
        raise ValueError(f"Unknown home section {section!r}: one of {', '.join(SECTIONS)}")

    def decorator(provider: Provider) -> Provider:
        name = f"{provider.__module__}.{provider.__qualname__}"
        entries = _PROVIDERS[section]
        if all(existing != name for _order, existing, _provider in entries):
            entries.append((order, name, provider))
            entries.sort(key=lambda entry: (entry[0], entry[1]))
        return provider

    return decorator


def home_blocks(section: str, user) -> list[HomeBlock]:
    """The blocks of `section` for `user`, in order; a provider returning None shows nothing."""
    blocks = []
    for _order, _name, provider in _PROVIDERS[section]:
        block = provider(user)
        if block is not None:
            blocks.append(block)
    return blocks


def home_sections(user, sections) -> list[tuple[str, str, list[HomeBlock]]]:
    """(key, title, blocks) of each section asked for, in that order."""
    return [(key, SECTIONS[key], home_blocks(key, user)) for key in sections]
