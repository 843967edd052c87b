"""Generations bumped by writes to database tables, whatever made them: a model's save, a QuerySet's update,
bulk_create, raw SQL (core.generations for the mechanism).

An app says which generation stands for which tables (`watch`); one execute wrapper on every connection sees
each INSERT, UPDATE and DELETE and notes the generations it concerns, without running any SQL itself (a
statement may still be in progress on that connection: SQLite's INSERT … RETURNING is read after it runs).
The noted generations are bumped at the next safe point: when the transaction commits, when a generation is
read (core.generations.cached, before it reads), and at the start and the end of each request.
"""

import re
from collections.abc import Callable

from django.core.signals import request_finished, request_started
from django.db import connections, transaction
from django.db.backends.signals import connection_created

from core import generations

_WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?([A-Za-z0-9_]+)"?', re.IGNORECASE)
_PENDING = "_codev_pending_generations"

# (generation, does a write to this table concern it?)
_watched: list[tuple[str, Callable[[str], bool]]] = []


def watch(generation: str, concerns: Callable[[str], bool]) -> None:
    """Bump `generation` after every write to a table for which `concerns(table)` is true."""
    if all(existing != (generation, concerns) for existing in _watched):
        _watched.append((generation, concerns))


def _wrapper(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    if _watched and isinstance(sql, str):
        match = _WRITE.match(sql)
        if match is not None:
            table = match.group(1).lower()
            names = {generation for generation, concerns in _watched if concerns(table)}
            if names:
                _note(context["connection"], names)
    return result


class _FlushOnCommit:
    """What the current transaction wrote (one callback per transaction): bumped when it commits, or earlier at a
    read in the transaction itself. Django drops it with a transaction rolled back: what never happened is never
    bumped."""

    def __init__(self):
        self.unflushed: set[str] = set()

    def __call__(self):
        names, self.unflushed = sorted(self.unflushed), set()
        if names:
            generations.bump(*names)


def _transaction_writes(connection) -> "_FlushOnCommit | None":
    for _savepoints, callback, _robust in connection.run_on_commit:
        if isinstance(callback, _FlushOnCommit):
            return callback
    return None


def _note(connection, names: set[str]) -> None:
    if connection.in_atomic_block:
        writes = _transaction_writes(connection)
        if writes is None:
            writes = _FlushOnCommit()
            transaction.on_commit(writes, using=connection.alias, robust=True)
        writes.unflushed |= names
        return
    pending = getattr(connection, _PENDING, None)
    if pending is None:
        pending = set()
        setattr(connection, _PENDING, pending)
    pending |= names


def flush(connection=None) -> None:
    """Bump the generations noted on `connection` (the default one) since the last time: written outside a
    transaction, or inside the current one (generations.bump bumps those again when it commits)."""
    connection = connection or connections["default"]
    pending = getattr(connection, _PENDING, None)
    names = set(pending or ())
    if pending:
        pending.clear()
    writes = _transaction_writes(connection) if connection.in_atomic_block else None
    if writes is not None and writes.unflushed:
        names |= writes.unflushed
        writes.unflushed = set()
    if names and generations.cache_ready():
        generations.bump(*sorted(names))


def _flush_default(**kwargs):
    flush()


def _on_connection(sender, connection, **kwargs):
    # First in the list, never last: a connection opened inside `with connection.execute_wrapper(…)` (a pooled
    # connection checked out during a request) must leave that block's own wrapper last, for it to pop its own.
    if _wrapper not in connection.execute_wrappers:
        connection.execute_wrappers.insert(0, _wrapper)


def connect() -> None:
    """Watch every connection's writes, flush at each request's start and end (CoreConfig.ready)."""
    connection_created.connect(_on_connection, dispatch_uid="core.table_writes")
    request_started.connect(_flush_default, dispatch_uid="core.table_writes.started")
    request_finished.connect(_flush_default, dispatch_uid="core.table_writes.finished")
    generations.before_read(flush)
    for alias in connections:
        if connections[alias].connection is not None:
            _on_connection(None, connections[alias])
