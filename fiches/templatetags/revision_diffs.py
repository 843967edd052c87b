"""The word diff of two revisions, rendered once and kept: a revision never changes once written (issue 22)."""

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from core.generations import cached, packed, store, unpacked

register = template.Library()

# Kept a month since last written: long enough to be read again and again, short enough that pairs nobody
# compares any more leave the cache. Change VERSION when fiches/includes/diff.html changes what it shows.
SECONDS = 30 * 24 * 3600
VERSION = "v1"


def diff_key(old, new, mode: str) -> str:
    # The dates besides the ids: an id given again (a database rebuilt, tests) never reads another pair's diff.
    return ":".join(
        [
            "fiches:revision-diff",
            VERSION,
            f"{old.pk}@{old.created_at.timestamp()}",
            f"{new.pk}@{new.created_at.timestamp()}",
            mode,
            get_language() or "fr",
        ]
    )


@register.simple_tag
def revision_diff(old, new, mode: str = "ligne", old_label: str = "", new_label: str = ""):
    """fiches/includes/diff.html for the revisions `old` → `new`, computed once per pair, mode and language."""
    mode = "cote" if mode == "cote" else "ligne"
    key = diff_key(old, new, mode)
    stamp, kept = cached(key, ())  # no generation: the texts of two revisions never change
    if kept is not None:
        return mark_safe(unpacked(kept))  # noqa: S308 - rendered by our template
    html = render_to_string(
        "fiches/includes/diff.html",
        {"old": old.body, "new": new.body, "mode": mode, "old_label": old_label, "new_label": new_label},
    )
    store(key, stamp, packed(html), SECONDS)
    return mark_safe(html)  # noqa: S308 - rendered by our template
