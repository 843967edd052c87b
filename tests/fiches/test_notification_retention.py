"""Read notifications are deleted after their retention period (`prune_notifications`); unread ones stay."""

import io
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from fiches.models import Notification
from fiches.notifications import notifications_prune
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def recipient():
    return UserFactory()


def notification(recipient, message: str, *, days_ago: int, read: bool) -> Notification:
    created = Notification.objects.create(recipient=recipient, message=message, url="/fiches/")
    moment = timezone.now() - timedelta(days=days_ago)
    Notification.objects.filter(pk=created.pk).update(created_at=moment, read_at=moment if read else None)
    return created


def remaining() -> set[str]:
    return set(Notification.objects.values_list("message", flat=True))


def run(*args) -> str:
    out = io.StringIO()
    call_command("prune_notifications", *args, stdout=out)
    return out.getvalue()


def test_the_default_period_is_180_days(settings):
    assert settings.NOTIFICATION_RETENTION_DAYS == 180


def test_old_read_notifications_go_recent_and_unread_ones_stay(settings, recipient):
    settings.NOTIFICATION_RETENTION_DAYS = 60
    notification(recipient, "ancienne lue", days_ago=61, read=True)
    notification(UserFactory(), "très ancienne lue d'un·e autre", days_ago=900, read=True)
    notification(recipient, "ancienne non lue", days_ago=900, read=False)
    notification(recipient, "récente lue", days_ago=59, read=True)
    notification(recipient, "récente non lue", days_ago=1, read=False)

    output = run()

    assert output == "2 notification(s) lue(s) de plus de 60 jours supprimée(s).\n"
    assert remaining() == {"ancienne non lue", "récente lue", "récente non lue"}


def test_days_on_the_command_line_override_the_setting(settings, recipient):
    settings.NOTIFICATION_RETENTION_DAYS = 180
    notification(recipient, "lue il y a 8 jours", days_ago=8, read=True)
    notification(recipient, "lue il y a 6 jours", days_ago=6, read=True)

    assert run("--days", "7") == "1 notification(s) lue(s) de plus de 7 jours supprimée(s).\n"
    assert remaining() == {"lue il y a 6 jours"}


def test_a_negative_period_is_refused(recipient):
    notification(recipient, "lue", days_ago=8, read=True)

    with pytest.raises(CommandError, match="--days doit être positif ou nul"):
        run("--days", "-1")
    assert remaining() == {"lue"}


def test_a_notification_read_recently_but_received_long_ago_goes(recipient):
    """The period counts from when it was received: reading it late does not keep it longer."""
    old = Notification.objects.create(recipient=recipient, message="reçue il y a longtemps", url="/fiches/")
    Notification.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timedelta(days=200), read_at=timezone.now()
    )

    assert notifications_prune(older_than_days=180) == 1
    assert remaining() == set()
