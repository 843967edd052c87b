"""Notifications are marked read by a POST only: opening a page or following a link changes nothing."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from fiches import services
from fiches.models import Notification
from tests.fiches.factories import suggestion_on
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def notified(section, member, curator):
    """Two unread notifications for `member` (a comment, then a decision) and one for someone else."""
    suggestion = suggestion_on(section, author=member)
    services.comment_create(suggestion_id=suggestion.pk, author=UserFactory(), body="Je suis d'accord.")
    services.suggestion_reject(suggestion_id=suggestion.pk, actor=curator, reason="Hors sujet")
    stranger = UserFactory()
    Notification.objects.create(recipient=stranger, message="Pour quelqu'un d'autre", url=suggestion.get_absolute_url())
    mine = list(Notification.objects.filter(recipient=member).order_by("pk"))
    assert len(mine) == 2
    return mine


def _read_state() -> dict[int, object]:
    return dict(Notification.objects.values_list("pk", "read_at"))


def _csrf_client(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def _csrf_token(client) -> str:
    page = client.get(reverse("fiches:notifications")).content.decode()
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]


def test_no_get_marks_anything_read(notified, member, section):
    client = _csrf_client(member)
    before = _read_state()
    first = notified[0]
    urls = [
        reverse("fiches:notifications"),
        reverse("fiches:notifications") + "?page=1",
        reverse("fiches:notification_open", args=[first.pk]),
        reverse("fiches:notifications_read_all"),
        # Where the notifications point to, and a page with the header's unread count.
        *[notification.url for notification in notified],
        reverse("fiches:detail", args=[section.fiche.slug]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 405), url
        assert _read_state() == before, f"GET {url} a marqué des notifications comme lues"
    # The list still shows them as new.
    assert client.get(reverse("fiches:notifications")).content.decode().count("Nouveau</span>") == 2


def test_opening_a_notification_marks_it_read_and_follows_its_link(notified, member):
    client = _csrf_client(member)
    token = _csrf_token(client)
    first, second = notified
    response = client.post(reverse("fiches:notification_open", args=[first.pk]), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert response["Location"] == first.url
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.read_at is not None
    assert second.read_at is None
    # Opening it again keeps the first reading time.
    read_at = first.read_at
    client.post(reverse("fiches:notification_open", args=[first.pk]), {"csrfmiddlewaretoken": token})
    first.refresh_from_db()
    assert first.read_at == read_at


def test_marking_all_read_touches_only_ones_own(notified, member):
    client = _csrf_client(member)
    page = client.get(reverse("fiches:notifications")).content.decode()
    assert "Tout marquer comme lu" in page
    response = client.post(
        reverse("fiches:notifications_read_all"), {"csrfmiddlewaretoken": _csrf_token(client)}, follow=True
    )
    assert "Toutes vos notifications sont marquées comme lues." in response.content.decode()
    assert not Notification.objects.filter(recipient=member, read_at__isnull=True).exists()
    assert Notification.objects.exclude(recipient=member).exists()
    assert not Notification.objects.exclude(recipient=member).filter(read_at__isnull=False).exists()
    assert "Tout marquer comme lu" not in client.get(reverse("fiches:notifications")).content.decode()


def test_someone_elses_notification_cannot_be_opened(notified, other_member):
    theirs = notified[0]
    client = _csrf_client(other_member)
    before = _read_state()
    response = client.post(
        reverse("fiches:notification_open", args=[theirs.pk]), {"csrfmiddlewaretoken": _csrf_token(client)}
    )
    assert response.status_code == 404
    assert _read_state() == before


def test_a_post_without_csrf_token_is_refused(notified, member):
    client = _csrf_client(member)
    before = _read_state()
    for url in (
        reverse("fiches:notification_open", args=[notified[0].pk]),
        reverse("fiches:notifications_read_all"),
    ):
        assert client.post(url).status_code == 403
        assert _read_state() == before


def test_a_notification_never_leads_off_the_site(member):
    notification = Notification.objects.create(recipient=member, message="Piège", url="https://exemple.invalid/")
    client = Client()
    client.force_login(member)
    response = client.post(reverse("fiches:notification_open", args=[notification.pk]))
    assert response["Location"] == reverse("fiches:notifications")


def test_the_list_works_without_javascript_with_labelled_buttons(notified, member):
    client = Client()
    client.force_login(member)
    page = client.get(reverse("fiches:notifications")).content.decode()
    for notification in notified:
        action = reverse("fiches:notification_open", args=[notification.pk])
        assert f'<form method="post" action="{action}"' in page
    # Who did it comes first (as they chose to be credited), then what happened.
    assert re.search(r'<button type="submit"[^>]*>\s*[^<]+ · La proposition n° \d+ \(Section 0\) a été refusée\.', page)
    assert 'action="{}"'.format(reverse("fiches:notifications_read_all")) in page
