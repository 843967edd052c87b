"""Generations: a number that changes whenever what it stands for changes, so that an entry cached under the
old numbers is simply never read again (pages of the parcours, of the entraide…).

An entry is kept with the generations it was computed under (`store`, with the stamp `cached` gave); a
reader compares them with the current ones, all read in one cache query with the entry itself (`cached`).
A generation is bumped (`bump`) at once (a reader in the same transaction, as in the tests, sees the change)
and again when the transaction commits (another process may have cached the state before the change in
between); within one transaction, a second change of the same generation with no read in between costs
nothing more. A new value is drawn each time (never an increment), so two writers at once never leave the
value a reader saw. A cache that fails never undoes the change itself, nor breaks the page.

The names belong to the apps that bump them (training.generations: the network, the catalogue, one
member's levels and plan; exchange.caching: a space, a question), each connecting its models' signals.
"""

import hashlib
import logging
import secrets
import threading
import zlib

from django.core.cache import cache, caches
from django.core.cache.backends.db import DatabaseCache
from django.db import connection, transaction
from django.middleware.csrf import get_token
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

logger = logging.getLogger(__name__)

PREFIX = "generation:"


def _key(name: str) -> str:
    return PREFIX + name


def _fresh() -> int:
    # Never a value used before: a generation that went missing (evicted, cache cleared) or that two
    # processes bump at once never comes back to the value an entry was stamped with.
    return secrets.randbits(63)


# Reading -----------------------------------------------------------------------------------------------------

_local = threading.local()


def _reads() -> int:
    return getattr(_local, "reads", 0)


_before_read = []
_cache_ready: dict[str, bool] = {}


def cache_ready() -> bool:
    """False while the database cache has no table yet (a fresh database being migrated, then seeded): reading
    it would fail, and inside a transaction on PostgreSQL abort it. Checked until the table is found."""
    backend = caches["default"]
    if not isinstance(backend, DatabaseCache):
        return True
    if not _cache_ready.get(connection.alias):
        _cache_ready[connection.alias] = backend._table in connection.introspection.table_names()
    return _cache_ready[connection.alias]


def before_read(hook) -> None:
    """Call `hook()` before each read (core.table_writes bumps there what a write noted since)."""
    if hook not in _before_read:
        _before_read.append(hook)


def cached(key: str, names, *, cache_keys=(), facts=()):
    """(stamp, value): the stamp of the current state, and the entry kept at `key` if it was stored under
    that same stamp (else None). The stamp: the generations `names`, the values of the other cache keys
    `cache_keys` (another app's generation) and `facts` read by the caller. One cache query."""
    for hook in _before_read:
        hook()
    if not cache_ready():
        return None, None
    _local.reads = _reads() + 1
    keys = [_key(name) for name in names]
    cache_keys = list(cache_keys)
    try:
        found = cache.get_many([*keys, *cache_keys, key])
    except Exception:  # the cache away: compute the page, as without a cache
        logger.warning("Cache illisible : la page est calculée sans cache", exc_info=True)
        return None, None
    missing = {k: _fresh() for k in keys if k not in found}
    if missing:
        _safely(cache.set_many, missing, timeout=None)
        found.update(missing)
    stamp = (*[found[k] for k in keys], *[found.get(k) for k in cache_keys], *facts)
    entry = found.get(key)
    if isinstance(entry, tuple) and len(entry) == 2 and entry[0] == stamp:
        return stamp, entry[1]
    return stamp, None


def store(key: str, stamp, value, timeout: int) -> None:
    """Keep `value` under `key` with the stamp `cached` gave (nothing when the cache could not be read)."""
    if stamp is not None:
        _safely(cache.set, key, (stamp, value), timeout)


def packed(html: str) -> bytes:
    """A rendered page made small for the cache (a sixth of its size: less to read at each request)."""
    return zlib.compress(html.encode(), 6)


def unpacked(data: bytes) -> str:
    return zlib.decompress(data).decode()


# Bumping -----------------------------------------------------------------------------------------------------


def _safely(method, *args, **kwargs) -> None:
    """A cache that fails (no cache table yet, Redis away) never undoes the change itself."""
    try:
        with transaction.atomic():  # a savepoint: the database cache's failed query leaves the transaction usable
            method(*args, **kwargs)
    except Exception:
        logger.warning("Génération en cache non mise à jour", exc_info=True)


def _renew(name: str) -> None:
    # A new value rather than an increment: two writers at once never leave the value one reader saw.
    cache.set(_key(name), _fresh(), timeout=None)


class _OnCommit:
    """The generations to bump when the current transaction commits (one callback per transaction)."""

    def __init__(self):
        self.names: dict[str, int] = {}  # name → the read counter when it was last bumped at once

    def __call__(self):
        for name in self.names:
            _safely(_renew, name)


def _pending() -> "_OnCommit | None":
    # Django drops the callbacks of a transaction (or savepoint) rolled back: what is found here is live.
    for _savepoints, callback, _robust in connection.run_on_commit:
        if isinstance(callback, _OnCommit):
            return callback
    return None


def bump(*names: str) -> None:
    """Tell the readers that what `names` stand for changed (now, and again once the transaction commits)."""
    if not cache_ready():
        return  # no cache table yet (a fresh database being migrated): nothing was kept, nothing to forget
    if not connection.in_atomic_block:
        for name in names:
            _safely(_renew, name)
        return
    pending = _pending()
    if pending is None:
        pending = _OnCommit()
        transaction.on_commit(pending, robust=True)
    for name in names:
        if pending.names.get(name) != _reads():
            _safely(_renew, name)
            pending.names[name] = _reads()


# Forms in a kept rendering -------------------------------------------------------------------------------------

# Rendered in place of the CSRF token (context["csrf_token"] = CSRF_PLACEHOLDER) in what is kept; a raw "<" never
# comes out of escaped text, so only the template's own token fields carry it.
CSRF_PLACEHOLDER = mark_safe("<csrf-token/>")


# Set on a request while a public page is rendered to be kept whole (core.page_cache): the token stays a
# placeholder there, put back for each visitor when the whole page is served.
PUBLIC_PAGE_RENDERING = "_public_page_rendering"


def with_csrf_token(request, html: str) -> str:
    """A kept rendering with the visitor's own CSRF token in its forms."""
    if getattr(request, PUBLIC_PAGE_RENDERING, False):
        return mark_safe(html)  # noqa: S308 - rendered by our templates
    return mark_safe(html.replace(CSRF_PLACEHOLDER, get_token(request)))  # noqa: S308 - rendered by our templates


# A page's content kept per visitor state ----------------------------------------------------------------------


def row_digest(instance) -> str:
    """The values of a model instance's row, read by the request anyway, in a few characters: stamped with an
    entry, a write that no signal announces on the row itself (a QuerySet.update, raw SQL) is seen at once."""
    values = [getattr(instance, field.attname) for field in instance._meta.concrete_fields]
    return hashlib.sha256(repr(values).encode()).hexdigest()[:32]


def kept_rendering(request, prefix: str, state: tuple, names, render, *, seconds: int, facts=()) -> str:
    """A page's content as a visitor in `state` (everything of theirs the page shows or decides on) sees it: kept
    under `prefix`, the language, the state and the page's address, stamped with the generations `names` and the
    `facts`; else `render()` (with CSRF_PLACEHOLDER in its forms), then kept `seconds`. The visitor's own CSRF
    token is put back (meetings.caching, toolbox.resource_cache)."""
    digest = hashlib.sha256(repr((state, request.get_full_path())).encode()).hexdigest()[:40]
    key = f"{prefix}:{get_language()}:{digest}"
    stamp, html = cached(key, names, facts=facts)
    if html is not None:
        html = unpacked(html)
    else:
        html = render()
        store(key, stamp, packed(html), seconds)
    return with_csrf_token(request, html)
