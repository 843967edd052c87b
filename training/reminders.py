"""Overdue reminders of "Mon plan de développement": once per target date, through the notifications.

Each day (`manage.py training_send_reminders`, cron), every member with an open action (planned or in
progress) whose target date has passed gets one notification naming those actions, linking to their plan;
the actions are marked `reminded_at`, so the reminder is not sent again until the member sets a new target
date (training.plans.action_update resets it). Marking is done before notifying, in the same transaction:
two runs at once cannot both remind the same action.
"""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from fiches.notifications import notify
from training.models import PlanAction


def _message(titles: list[str]) -> str:
    if len(titles) == 1:
        return _("Mon plan de développement : l'échéance de « %(title)s » est passée. Où en êtes-vous ?") % {
            "title": titles[0]
        }
    return ngettext(
        "Mon plan de développement : l'échéance de %(count)s action est passée. Où en êtes-vous ?",
        "Mon plan de développement : l'échéance de %(count)s actions est passée. Où en êtes-vous ?",
        len(titles),
    ) % {"count": len(titles)}


def overdue_reminders_send(*, today=None) -> int:
    """Remind each member of their overdue actions not yet reminded; return the number of members told."""
    today = today or timezone.localdate()
    due = (
        PlanAction.objects.overdue(today)
        .filter(reminded_at__isnull=True, plan__user__is_active=True)
        .order_by("plan__user_id", "target_date", "pk")
        .values_list("pk", "plan__user_id", "title")
    )
    by_user: dict[int, list[tuple[int, str]]] = {}
    for pk, user_id, title in due:
        by_user.setdefault(user_id, []).append((pk, title))
    url = reverse("training:plan") + "#actions"
    told = 0
    for user_id, actions in by_user.items():
        with transaction.atomic():
            ids = [pk for pk, _title in actions]
            claimed = list(
                PlanAction.objects.select_for_update(skip_locked=True)
                .filter(pk__in=ids, reminded_at__isnull=True)
                .values_list("pk", flat=True)
            )
            if not claimed:
                continue
            PlanAction.objects.filter(pk__in=claimed).update(reminded_at=timezone.now())
            titles = [title for pk, title in actions if pk in set(claimed)]
            if notify(user_ids={user_id}, actor=None, message=_message(titles), url=url):
                told += 1
    return told
