"""Who is told what: in-site notifications, and emails at once or in a daily digest."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.header_counts import header_counts_changed
from core.mail import queue_email
from fiches.enums import EmailMode
from fiches.models import Follow, Notification, NotificationSetting
from members.models import User


def _followers_of_suggestion(suggestion) -> set[int]:
    section = suggestion.section
    rows = Follow.objects.filter(
        Q(suggestion=suggestion) | Q(section_id=section.pk) | Q(fiche_id=section.fiche_id)
    ).values_list("user_id", flat=True)
    ids = set(rows)
    if suggestion.author_id:
        ids.add(suggestion.author_id)
    return ids


def notify(*, user_ids: set[int], actor, message: str, url: str) -> list[Notification]:
    """Tell `user_ids` (approved accounts, never the actor) `message`, linking to `url`; email them at once
    when they chose so, else the daily digest does. Every app above the fiches notifies through it."""
    user_ids = set(user_ids) - ({actor.pk} if actor is not None else set())
    recipients = list(User.objects.approved().filter(pk__in=user_ids))
    notifications = Notification.objects.bulk_create(
        Notification(recipient=user, actor=actor, message=message[:300], url=url) for user in recipients
    )
    header_counts_changed(*[user.pk for user in recipients])  # bulk_create sends no signal
    immediate = set(
        NotificationSetting.objects.filter(user__in=recipients, email_mode=EmailMode.IMMEDIATE).values_list(
            "user_id", flat=True
        )
    )
    to_send = [n for n in notifications if n.recipient_id in immediate]
    if to_send:
        # A mail server failure must not undo or break what the member just did.
        transaction.on_commit(lambda: _send_now(to_send), robust=True)
    return notifications


def _send_now(notifications: list[Notification]) -> None:
    for notification in notifications:
        send_digest(user=notification.recipient, notifications=[notification])


def send_digest(*, user, notifications: list[Notification]) -> None:
    """Queue one email to `user` listing `notifications`, and mark them sent."""
    if not notifications:
        return
    with translation.override(settings.LANGUAGE_CODE):
        context = {"user": user, "notifications": notifications, "site_url": settings.SITE_URL}
        subject = render_to_string("fiches/email/notifications_subject.txt", context).strip()
        body = render_to_string("fiches/email/notifications_message.txt", context)
    queue_email(subject=subject, body=body, to=[user.email])
    # Handed over to the mail queue, which retries a failed delivery: never sent twice in a digest.
    Notification.objects.filter(pk__in=[n.pk for n in notifications]).update(emailed_at=timezone.now())


def notification_mark_read(*, user, notification_id: int) -> Notification | None:
    """Mark one of `user`'s notifications read; None when they have no such notification."""
    # Only ever called from a POST: opening a page or following a link never marks anything read.
    notification = Notification.objects.filter(recipient=user, pk=notification_id).first()
    if notification is not None and notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, user) -> int:
    """Mark every unread notification of `user` read; return how many were."""
    count = Notification.objects.filter(recipient=user).unread().update(read_at=timezone.now())
    header_counts_changed(user.pk)  # an update sends no signal
    return count


def notifications_prune(*, older_than_days: int) -> int:
    """Delete read notifications older than `older_than_days` days; return how many."""
    # Unread ones stay: the member has not seen them yet (they go with the account).
    limit = timezone.now() - timedelta(days=older_than_days)
    count, _by_model = Notification.objects.read().filter(created_at__lt=limit).delete()
    return count


def email_mode_of(user) -> str:
    """The member's email preference (a daily digest unless they chose otherwise)."""
    setting = NotificationSetting.objects.filter(user=user).first()
    return setting.email_mode if setting else EmailMode.DIGEST


def email_mode_set(*, user, email_mode: str) -> None:
    """Record how `user` wants to be told by email (one of EmailMode)."""
    NotificationSetting.objects.update_or_create(user=user, defaults={"email_mode": email_mode})


def suggestion_commented(*, comment, actor) -> None:
    suggestion = comment.suggestion
    notify(
        user_ids=_followers_of_suggestion(suggestion),
        actor=actor,
        message=_("Nouveau commentaire sur la proposition n° %(number)s (%(section)s)")
        % {"number": suggestion.pk, "section": suggestion.section.title},
        url=suggestion.get_absolute_url() + f"#commentaire-{comment.pk}",
    )


def suggestion_decided(*, suggestion, actor) -> None:
    message = (
        _("La proposition n° %(number)s (%(section)s) a été acceptée.")
        if suggestion.status == "accepted"
        else _("La proposition n° %(number)s (%(section)s) a été refusée.")
    )
    notify(
        user_ids=_followers_of_suggestion(suggestion),
        actor=actor,
        message=message % {"number": suggestion.pk, "section": suggestion.section.title},
        url=suggestion.get_absolute_url(),
    )


def version_published(*, version, actor) -> None:
    user_ids = set(
        Follow.objects.filter(Q(fiche=version.fiche) | Q(section__fiche=version.fiche)).values_list(
            "user_id", flat=True
        )
    )
    notify(
        user_ids=user_ids,
        actor=actor,
        message=_("La version %(label)s de « %(fiche)s » est publiée.")
        % {"label": version.label, "fiche": version.fiche},
        url=version.get_absolute_url(),
    )


def comment_reported(*, report) -> None:
    suggestion = report.comment.suggestion
    notify(
        user_ids=set(User.objects.curators().values_list("pk", flat=True)),
        actor=report.reporter,
        message=_("Un commentaire de la proposition n° %(number)s a été signalé.") % {"number": suggestion.pk},
        url=suggestion.get_absolute_url() + f"#commentaire-{report.comment_id}",
    )


def suggestion_conflicted(*, suggestion, actor) -> None:
    """Tell the author that their suggestion could not be accepted: the section changed where it changes it."""
    if suggestion.author_id is None:
        return
    message = _(
        "La proposition n° %(number)s (%(section)s) n'a pas pu être acceptée : la section a changé aux mêmes "
        "endroits. Mettez-la à jour sur le texte actuel."
    ) % {"number": suggestion.pk, "section": suggestion.section.title}
    url = reverse("fiches:suggestion_update", kwargs={"pk": suggestion.pk})
    # Once is enough: a curator trying again does not repeat the notice while it is unread.
    if Notification.objects.filter(recipient_id=suggestion.author_id, url=url, read_at__isnull=True).exists():
        return
    notify(user_ids={suggestion.author_id}, actor=actor, message=message, url=url)
