"""Panels an app shows on another app's page, without the page's app knowing it (a registry, like core.home).

A lower floor cannot import the apps above it. A page that welcomes content from above declares a slot (a
dotted name such as "referentiel.competence") and asks `panels(slot, user, **subject)` for the blocks to
show; an app above registers, from its AppConfig.ready(), a function `(user, **subject) → HomeBlock | None`
in that slot with `panel_register`. The blocks are the home's (`core.home.HomeBlock`), shown by
`components/panels.html`.

Slots in use:

- "referentiel.competence": a competence's page (subject: `code`, `kind`, the référentiel item's kind —
  "competence", "mission", "activity");
- "referentiel.self_assessment": the self-assessment page (subject: `ratings`, {code: level});
- "members.profile": a member's profile page (subject: `member`, the user whose profile it is).
"""

from collections.abc import Callable

from core.home import HomeBlock

Panel = Callable[..., HomeBlock | None]
_PANELS: dict[str, list[tuple[int, str, Panel]]] = {}


def panel_register(slot: str, *, order: int = 100):
    """Register a function `(user, **subject) → HomeBlock | None` in `slot`; panels show by `order`, then name."""

    def decorator(panel: Panel) -> Panel:
        name = f"{panel.__module__}.{panel.__qualname__}"
        entries = _PANELS.setdefault(slot, [])
        if all(existing != name for _order, existing, _panel in entries):
            entries.append((order, name, panel))
            entries.sort(key=lambda entry: (entry[0], entry[1]))
        return panel

    return decorator


def panels(slot: str, user, **subject) -> list[HomeBlock]:
    """The blocks registered in `slot` for `user` and this subject; a function returning None shows nothing."""
    blocks = []
    for _order, _name, panel in _PANELS.get(slot, ()):
        block = panel(user, **subject)
        if block is not None:
            blocks.append(block)
    return blocks
