"""The counters of the header, kept per member (issue 22): every page of a logged-in member showed how many fiche
notifications and conversations they have not read, two counting queries at each request.

They are kept in one cache entry per member, stamped with the member's generation `header_of(user_id)`
(core.generations): a page with nothing new reads that entry, with the generation, in one cache query (no SQL
with Redis). The apps whose data the counters count bump it (`header_counts_changed`): fiches when a
notification is created, read or deleted; exchange when a message arrives or a member's read or archived state of
a conversation changes. `header_counts_follow(model, members)` bumps it on every save or deletion of a
model's rows (the admin, factories, erasure); the services' bulk writes (`bulk_create`, `QuerySet.update`) call
`header_counts_changed` themselves. An entry lives HEADER_COUNTS_SECONDS at most (10 minutes): what a bulk write
elsewhere that says nothing (the demo data) left behind. 0 counts at each request, as the test settings do (a first
and a second visit then make the same queries), but in tests/core/test_header_counts.py.

Each counter is computed, when the entry lacks it, by the function its template tag passes (`header_count`); an
entry is one member's only, under their own key, and is read for them only.
"""

from django.conf import settings
from django.db.models.signals import post_delete, post_save

from core import generations

VERSION = "v1"


def header_of(user_id) -> str:
    """The generation of what the header counts for one member."""
    return f"header:{user_id}"


def _key(user_id) -> str:
    return f"header-counts:{VERSION}:{user_id}"


def header_counts_changed(*user_ids) -> None:
    """What the header counts for these members changed (now, and again when the transaction commits)."""
    names = {header_of(user_id) for user_id in user_ids if user_id}
    if names:
        generations.bump(*sorted(names))


def header_count(request, name: str, count) -> int:
    """The counter `name` of the logged-in member of `request`: kept, or `count(user)` computed and kept.

    Read once per request (every counter of the header from the same entry, in one cache query)."""
    user = request.user
    memo = getattr(request, "_header_counts", None)
    if settings.HEADER_COUNTS_SECONDS <= 0:  # counted afresh at each request, once
        counted = request.__dict__.setdefault("_header_counted", {})
        if name not in counted:
            counted[name] = count(user)
        return counted[name]
    if memo is None:
        stamp, counts = generations.cached(_key(user.pk), [header_of(user.pk)])
        memo = request._header_counts = {"stamp": stamp, "counts": dict(counts or {})}
    counts = memo["counts"]
    if name not in counts:
        counts[name] = count(user)
        generations.store(_key(user.pk), memo["stamp"], dict(counts), settings.HEADER_COUNTS_SECONDS)
    return counts[name]


def header_counts_follow(model, members) -> None:
    """Bump the header of the members `members(instance)` names (their ids) on every save or deletion of `model`'s
    rows."""

    def changed(sender, instance, **kwargs):
        header_counts_changed(*members(instance))

    uid = f"core.header_counts.{model._meta.label_lower}"
    post_save.connect(changed, sender=model, dispatch_uid=uid, weak=False)
    post_delete.connect(changed, sender=model, dispatch_uid=uid, weak=False)
