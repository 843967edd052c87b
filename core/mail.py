"""The one way the site sends an email: `queue_email` hands it to a background task.

The request that asks for an email renders it (in the visitor's language) and queues it; the
worker (`manage.py db_worker`) delivers it. A page never waits for the mail server, and a mail
server that is down delays emails instead of losing them: each failed delivery is logged and tried
again later, after a growing delay (`RETRY_DELAYS`), when the task backend can defer a task. After
the last attempt the task fails, and stays listed as failed in the task results (Django admin,
"Database tasks").

Only JSON values travel to the worker (Django's tasks API): the message's text, never objects.
Queue after the data the email announces is committed (`transaction.on_commit`), as the services do.

Links in emails point to the site's configured address (`settings.SITE_URL`, `CODEV_SITE_URL`), never to
the host a request happened to use: `site_url(path)` builds one, `on_site(url)` moves an absolute address
built from a request onto it.
"""

import logging
import smtplib
from datetime import timedelta
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.tasks import task
from django.utils import timezone

logger = logging.getLogger(__name__)

# Seconds to wait before the 2nd, 3rd, 4th… attempt: about 40 minutes of mail server outage in all.
RETRY_DELAYS = (60, 300, 1800)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1


def site_url(path: str = "") -> str:
    """The absolute address of `path` (starting with "/") on the site, from settings.SITE_URL."""
    return settings.SITE_URL.rstrip("/") + path


def on_site(url: str) -> str:
    """`url` on the site's configured address: an absolute URL keeps its path, query and fragment only."""
    parts = urlsplit(url)
    if not parts.scheme and not parts.netloc:
        return site_url(url) if url.startswith("/") else url
    return site_url(urlunsplit(("", "", parts.path or "/", parts.query, parts.fragment)))


def queue_email(
    *,
    subject: str,
    body: str,
    to: list[str],
    from_email: str | None = None,
    html_body: str = "",
    reply_to: list[str] | None = None,
    headers: dict[str, str] | None = None,
):
    """Queue one email (plain text, with an optional HTML alternative); returns the task result.

    `from_email` None means DEFAULT_FROM_EMAIL.
    """
    message = {
        "subject": subject,
        "body": body,
        "to": list(to),
        "from_email": from_email,
        "html_body": html_body,
        "reply_to": list(reply_to or []),
        "headers": dict(headers or {}),
    }
    return email_send.enqueue(message=message)


@task
def email_send(*, message: dict, attempt: int = 1) -> dict:
    """Deliver one email queued by `queue_email`; when the mail server fails, retry later or give up."""
    email = EmailMultiAlternatives(
        message["subject"],
        message["body"],
        message["from_email"],
        message["to"],
        reply_to=message["reply_to"] or None,
        headers=message["headers"] or None,
    )
    if message["html_body"]:
        email.attach_alternative(message["html_body"], "text/html")
    try:
        email.send()
    except (smtplib.SMTPException, OSError) as error:
        subject = message["subject"]
        backend = email_send.get_backend()
        if attempt >= MAX_ATTEMPTS or not backend.supports_defer:
            logger.error("E-mail « %s » non remis après %s tentative(s), abandon : %r", subject, attempt, error)
            raise
        run_after = timezone.now() + timedelta(seconds=RETRY_DELAYS[attempt - 1])
        email_send.using(run_after=run_after).enqueue(message=message, attempt=attempt + 1)
        logger.warning(
            "E-mail « %s » non remis (tentative %s sur %s) : %r ; nouvel essai après %s.",
            subject,
            attempt,
            MAX_ATTEMPTS,
            error,
            run_after.isoformat(timespec="seconds"),
        )
        return {"delivered": False, "attempt": attempt, "retry_after": run_after.isoformat()}
    return {"delivered": True, "attempt": attempt}
