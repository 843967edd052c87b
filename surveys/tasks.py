"""Background work of the surveys (Django's tasks API, run by `manage.py db_worker`).

Opening a campaign queues `surveys_invitations_send`: one e-mail per approved member, each its own
e-mail task (core.mail.queue_email). The daily round (`surveys_send_reminders`, cron) invites the
campaigns programmed for a later day, reminds the members who have not sent their answers before the
close, and closes the campaigns whose date has passed.
"""

from django.tasks import task

from surveys.campaigns import daily_round, invitations_send


@task
def surveys_invitations_send(campaign_id: int) -> int:
    """Invite every approved member to the campaign (once); returns how many e-mails were queued."""
    return invitations_send(campaign_id=campaign_id)


@task
def surveys_daily_round() -> dict:
    """Invitations due, reminders due, campaigns past their close date closed; returns the counts."""
    return daily_round()
