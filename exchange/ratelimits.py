"""Rate limits for new accounts in the entraide (owned by the "moderation" area).

`posting_refusal(user, action)` is called by the services before a question, an answer or a private message
is saved; it returns a French message saying when they may post again, or None when allowed.

Two rules, counted on what is stored (so a refused or failed post costs nothing):
- everyone but the CNCD team: at most `EXCHANGE_POSTS_PER_MINUTE` posts (questions, answers, messages
  together) in the last minute;
- a new account (approved less than `EXCHANGE_NEW_ACCOUNT_DAYS` days ago): at most
  `EXCHANGE_NEW_ACCOUNT_QUESTIONS_PER_DAY` questions, `…_ANSWERS_PER_DAY` answers, `…_MESSAGES_PER_DAY` private
  messages and `…_CONVERSATIONS_PER_DAY` new conversations in the last 24 hours.
The settings are read from the environment (`CODEV_EXCHANGE_…`, codev_network/settings/base.py).
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from core.dates import long_datetime

QUESTION = "question"
ANSWER = "answer"
MESSAGE = "message"
# Starting a conversation (its first message): exm's service calls it with CONVERSATION, then MESSAGE.
CONVERSATION = "conversation"
ACTIONS = (QUESTION, ANSWER, MESSAGE, CONVERSATION)

DEFAULTS = {
    "EXCHANGE_NEW_ACCOUNT_DAYS": 7,
    "EXCHANGE_NEW_ACCOUNT_QUESTIONS_PER_DAY": 3,
    "EXCHANGE_NEW_ACCOUNT_ANSWERS_PER_DAY": 10,
    "EXCHANGE_NEW_ACCOUNT_CONVERSATIONS_PER_DAY": 5,
    "EXCHANGE_NEW_ACCOUNT_MESSAGES_PER_DAY": 50,
    "EXCHANGE_POSTS_PER_MINUTE": 5,
}
MINUTE = timedelta(minutes=1)
DAY = timedelta(days=1)


def _setting(name: str) -> int:
    return int(getattr(settings, name, DEFAULTS[name]))


def approved_since(user) -> datetime | None:
    """When `user`'s account was approved (its last status change), else when it was created."""
    return user.status_changed_at or user.date_joined


def is_new_account(user, *, now: datetime | None = None) -> bool:
    """True while `user` was approved less than `EXCHANGE_NEW_ACCOUNT_DAYS` days ago."""
    since = approved_since(user)
    now = now or timezone.now()
    return since is not None and since > now - timedelta(days=_setting("EXCHANGE_NEW_ACCOUNT_DAYS"))


def _dates(action: str, user, since: datetime) -> list[datetime]:
    """When `user` made each post of `action` since `since`, oldest first."""
    from exchange.models import Answer, Conversation, Message, Question

    if action == QUESTION:
        rows = Question.objects.filter(author=user, created_at__gte=since)
    elif action == ANSWER:
        rows = Answer.objects.filter(author=user, created_at__gte=since)
    elif action == MESSAGE:
        rows = Message.objects.filter(sender=user, created_at__gte=since)
    else:
        # A conversation `user` started: its first message is theirs.
        first_sender = Message.objects.filter(conversation=OuterRef("pk")).order_by("created_at", "pk")
        rows = (
            Conversation.objects.filter(created_at__gte=since, members__user=user)
            .annotate(first_sender=Subquery(first_sender.values("sender_id")[:1]))
            .filter(first_sender=user.pk)
        )
    return list(rows.order_by("created_at").values_list("created_at", flat=True))


def _recent_posts(user, since: datetime) -> list[datetime]:
    """Questions, answers and messages of `user` since `since`, oldest first."""
    return sorted(date for action in (QUESTION, ANSWER, MESSAGE) for date in _dates(action, user, since))


def _daily_message(action: str, limit: int, again: datetime) -> str:
    days = _setting("EXCHANGE_NEW_ACCOUNT_DAYS")
    when = long_datetime(again)
    if action == QUESTION:
        text = _(
            "Votre compte est récent : pendant ses %(days)s premiers jours, vous pouvez poser au plus %(limit)s "
            "questions en 24 heures. Vous pourrez en poser une nouvelle à partir du %(when)s."
        )
    elif action == ANSWER:
        text = _(
            "Votre compte est récent : pendant ses %(days)s premiers jours, vous pouvez écrire au plus %(limit)s "
            "réponses en 24 heures. Vous pourrez répondre de nouveau à partir du %(when)s."
        )
    elif action == MESSAGE:
        text = _(
            "Votre compte est récent : pendant ses %(days)s premiers jours, vous pouvez envoyer au plus %(limit)s "
            "messages privés en 24 heures. Vous pourrez en envoyer de nouveau à partir du %(when)s."
        )
    else:
        text = _(
            "Votre compte est récent : pendant ses %(days)s premiers jours, vous pouvez commencer au plus "
            "%(limit)s conversations en 24 heures. Vous pourrez en commencer une nouvelle à partir du %(when)s."
        )
    return text % {"days": days, "limit": limit, "when": when}


def posting_refusal(user, action: str) -> str | None:
    """Why `user` may not post one more `action` now (a French sentence saying when they may), or None."""
    if action not in ACTIONS:
        raise ValueError(f"Unknown posting action {action!r}: one of {', '.join(ACTIONS)}")
    if user is None or not user.is_authenticated or user.is_curator:
        return None
    now = timezone.now()
    if action != CONVERSATION:
        per_minute = _setting("EXCHANGE_POSTS_PER_MINUTE")
        recent = _recent_posts(user, now - MINUTE)
        if per_minute > 0 and len(recent) >= per_minute:
            again = recent[len(recent) - per_minute] + MINUTE
            seconds = max(1, int((again - now).total_seconds()) + 1)
            return _(
                "Vous publiez très vite : au plus %(limit)s messages par minute. "
                "Patientez %(seconds)s secondes avant de publier de nouveau ; votre texte est conservé."
            ) % {"limit": per_minute, "seconds": seconds}
    if not is_new_account(user, now=now):
        return None
    limit = _setting(
        {
            QUESTION: "EXCHANGE_NEW_ACCOUNT_QUESTIONS_PER_DAY",
            ANSWER: "EXCHANGE_NEW_ACCOUNT_ANSWERS_PER_DAY",
            MESSAGE: "EXCHANGE_NEW_ACCOUNT_MESSAGES_PER_DAY",
            CONVERSATION: "EXCHANGE_NEW_ACCOUNT_CONVERSATIONS_PER_DAY",
        }[action]
    )
    dates = _dates(action, user, now - DAY)
    if len(dates) < limit:
        return None
    # Allowed again when the oldest post counted leaves the 24 hours, or when the account is no longer new.
    no_longer_new = approved_since(user) + timedelta(days=_setting("EXCHANGE_NEW_ACCOUNT_DAYS"))
    again = dates[len(dates) - limit] + DAY if limit > 0 else no_longer_new
    return _daily_message(action, limit, min(again, no_longer_new))
