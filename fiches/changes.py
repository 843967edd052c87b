"""What each revision changed, counted once: the words added and removed since its parent.

A revision never changes, so its counts are stored with it (`Revision.words_added`, `words_removed`)
when it is written (fiches.services). Rows written in bulk (devtools' seed_scale) or before the fields
existed are counted the first time a history page shows them (`with_change_counts`), then stored.
"""

import re

from core.diff import text_diff
from fiches.models import Revision

_WORD = re.compile(r"\w+")


def change_counts(old: str, new: str) -> tuple[int, int]:
    """(words added, words removed) from `old` to `new`, word by word as core.diff compares them."""
    added = removed = 0
    for token in text_diff(old or "", new or "").tokens:
        if token.op == "insert":
            added += len(_WORD.findall(token.text))
        elif token.op == "delete":
            removed += len(_WORD.findall(token.text))
    return added, removed


def with_change_counts(revisions) -> list[Revision]:
    """`revisions` (loaded without their texts) with their counts, the missing ones counted and stored.

    Two queries at most, and only for rows never counted: a page of history read again costs nothing more.
    """
    revisions = list(revisions)
    missing = [revision for revision in revisions if revision.words_added is None or revision.words_removed is None]
    if not missing:
        return revisions
    wanted = {revision.pk for revision in missing} | {r.parent_id for r in missing if r.parent_id}
    bodies = dict(Revision.objects.filter(pk__in=wanted).values_list("pk", "body"))
    for revision in missing:
        parent_body = bodies.get(revision.parent_id, "") if revision.parent_id else ""
        revision.words_added, revision.words_removed = change_counts(parent_body, bodies.get(revision.pk, ""))
    # Two readers may count the same rows at once: they store the same numbers.
    Revision.objects.bulk_update(missing, ["words_added", "words_removed"])
    return revisions
