"""Every email goes through one queue (core.mail): inline in tests, the worker in production."""

import logging
import re
import socket
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from core.mail import MAX_ATTEMPTS, RETRY_DELAYS, queue_email
from tests.core.worker import DATABASE_TASKS, run_worker

EMAIL_TASK = "core.mail.email_send"


@pytest.fixture
def database_tasks(settings, transactional_db):
    """Tasks wait in the database until `run_worker()`, as in production."""
    settings.TASKS = DATABASE_TASKS


@pytest.fixture
def smtp_down(settings):
    """The SMTP server is unreachable: nothing listens on the port it is configured with."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 2},
        }
    }


def _queue(**fields):
    return queue_email(**{"subject": "Bienvenue", "body": "Bonjour Camille,", "to": ["camille@example.org"]} | fields)


# With the test settings (ImmediateBackend): delivered at once ----------------------------------------


def test_a_queued_email_is_delivered_with_every_part(db, mailoutbox):
    _queue(
        html_body="<p>Bonjour <strong>Camille</strong>,</p>",
        from_email="Équipe CNCD <equipe@codev-reseau.fr>",
        reply_to=["equipe@codev-reseau.fr"],
        headers={"X-Codev": "essai"},
    )

    [message] = mailoutbox
    assert message.subject == "Bienvenue"
    assert message.body == "Bonjour Camille,"
    assert message.to == ["camille@example.org"]
    assert message.from_email == "Équipe CNCD <equipe@codev-reseau.fr>"
    assert message.reply_to == ["equipe@codev-reseau.fr"]
    assert message.extra_headers == {"X-Codev": "essai"}
    assert [(content, mimetype) for content, mimetype in message.alternatives] == [
        ("<p>Bonjour <strong>Camille</strong>,</p>", "text/html")
    ]


def test_the_site_address_is_the_default_sender(db, mailoutbox, settings):
    _queue()

    assert mailoutbox[0].from_email == settings.DEFAULT_FROM_EMAIL
    assert mailoutbox[0].alternatives == []


def test_without_deferred_tasks_a_failed_delivery_is_logged_and_does_not_break_the_caller(db, smtp_down, caplog):
    with caplog.at_level(logging.ERROR):
        result = _queue()

    assert result.status == "FAILED"
    assert "ConnectionRefusedError" in result.errors[0].exception_class_path
    assert "non remis après 1 tentative(s), abandon" in caplog.text


# With the database backend and its worker, as in production -------------------------------------------


def test_a_queued_email_waits_for_the_worker(database_tasks, mailoutbox):
    _queue()

    task = DBTaskResult.objects.get()
    assert (task.task_path, task.status) == (EMAIL_TASK, "READY")
    assert task.args_kwargs["kwargs"]["message"]["to"] == ["camille@example.org"]
    assert mailoutbox == []

    run_worker()

    assert [message.subject for message in mailoutbox] == ["Bienvenue"]
    task.refresh_from_db()
    assert task.status == "SUCCESSFUL"
    assert task.return_value == {"delivered": True, "attempt": 1}


def test_a_failed_delivery_is_tried_again_later_then_given_up(database_tasks, smtp_down, caplog):
    _queue()
    delays = []
    with caplog.at_level(logging.WARNING, logger="core.mail"):
        for attempt in range(1, MAX_ATTEMPTS + 1):
            started = timezone.now()
            run_worker()
            retry = DBTaskResult.objects.filter(status="READY").first()
            if attempt == MAX_ATTEMPTS:
                assert retry is None
                break
            delays.append(retry.run_after - started)
            run_worker()  # not due yet: a worker running now leaves it alone
            assert DBTaskResult.objects.get(pk=retry.pk).status == "READY"
            DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())

    tasks = list(DBTaskResult.objects.order_by("enqueued_at"))
    assert [task.args_kwargs["kwargs"].get("attempt", 1) for task in tasks] == list(range(1, MAX_ATTEMPTS + 1))
    # Each attempt but the last queued the next one, after a longer delay each time.
    assert [task.status for task in tasks] == ["SUCCESSFUL"] * (MAX_ATTEMPTS - 1) + ["FAILED"]
    for delay, expected in zip(delays, RETRY_DELAYS, strict=True):
        assert timedelta(seconds=expected) <= delay < timedelta(seconds=expected + 30)
    assert tasks[-1].exception_class_path == "builtins.ConnectionRefusedError"
    assert caplog.text.count("nouvel essai après") == MAX_ATTEMPTS - 1
    assert f"non remis après {MAX_ATTEMPTS} tentative(s), abandon" in caplog.text


def test_a_delivery_that_succeeds_on_a_later_attempt_sends_the_email_once(database_tasks, smtp_down, settings):
    _queue()
    run_worker()
    assert DBTaskResult.objects.filter(status="READY").count() == 1

    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
    run_worker()

    assert [message.subject for message in mail.outbox] == ["Bienvenue"]
    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == 2


def test_allauths_verification_email_goes_through_the_queue(database_tasks, client, mailoutbox):
    client.post(
        reverse("account_signup"),
        {
            "first_name": "Nora",
            "last_name": "Nouvelle",
            "email": "nouvelle@example.org",
            "password1": "Une-phrase-de-passe-42",
            "password2": "Une-phrase-de-passe-42",
        },
    )

    task = DBTaskResult.objects.get(task_path=EMAIL_TASK)
    assert task.status == "READY"
    assert mailoutbox == []

    run_worker()

    [message] = mailoutbox
    assert message.to == ["nouvelle@example.org"]
    assert message.subject.startswith("[Réseau CoDev] ")
    assert re.search(r"https?://\S+/comptes/confirm-email/\S+/", message.body)
