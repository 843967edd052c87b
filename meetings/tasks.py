"""Background work of the meetings (Django's tasks API, run by `manage.py db_worker`).

The daily round (`meetings_send_reminders`, cron) erases the "besoins particuliers" of past meetings
and queues the reminders of the meetings starting within 48 hours; each email is its own task
(core.mail.queue_email), retried when the mail server fails.
"""

from django.tasks import task

from meetings.registration import needs_erase_past, send_reminders


@task
def meetings_reminders_run() -> dict:
    """Erase the needs of past meetings, then queue the reminders that are due; returns the counts."""
    erased = needs_erase_past()
    reminders = send_reminders()
    return {"needs_erased": erased, "reminders": reminders}
