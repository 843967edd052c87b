"""Helpers for tests of background tasks with the real backend: django-tasks-db and its `db_worker`.

Tests run tasks inline (ImmediateBackend, test settings); these switch to the database backend,
as in production, where a task waits in the database until a worker runs it. The worker commits
its own transactions: tests using it need `transactional_db`.
"""

import io
import logging
import signal
from importlib import import_module

from django.apps import apps
from django.core.management import call_command

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
_SIGNALS = [signal.SIGINT, signal.SIGTERM, *([signal.SIGQUIT] if hasattr(signal, "SIGQUIT") else [])]
_LOGGERS = ["django.tasks", "django_tasks_db"]


def run_worker() -> str:
    """Run every task that is due, as `manage.py db_worker --batch` does, then stop; returns its output.

    The command installs its own signal handlers and log handlers: put the test process's back.
    """
    handlers = {number: signal.getsignal(number) for number in _SIGNALS}
    loggers = {name: (logging.getLogger(name).level, list(logging.getLogger(name).handlers)) for name in _LOGGERS}
    output = io.StringIO()
    try:
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", stdout=output)
    finally:
        for number, handler in handlers.items():
            signal.signal(number, handler)
        for name, (level, kept) in loggers.items():
            logger = logging.getLogger(name)
            logger.setLevel(level)
            logger.handlers[:] = kept
    return output.getvalue()


def reload_reference_data() -> None:
    """Put back the regions and départements the migrations load, when a transactional test emptied them."""
    if not apps.get_model("members", "Department").objects.exists():
        import_module("members.migrations.0003_regions_departments").load(apps, None)
