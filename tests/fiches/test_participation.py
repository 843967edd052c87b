from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from fiches import services
from fiches.enums import EmailMode
from fiches.models import Notification, NotificationSetting
from tests.fiches.factories import suggestion_on
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_author_and_followers_are_notified_of_comments_and_decisions(section, member, curator):
    follower = UserFactory()
    services.follow_set(user=follower, target=section, following=True)
    suggestion = suggestion_on(section, author=member)
    commenter = UserFactory()
    services.comment_create(suggestion_id=suggestion.pk, author=commenter, body="Je suis d'accord.")

    assert Notification.objects.filter(recipient=member, message__contains="Nouveau commentaire").count() == 1
    assert Notification.objects.filter(recipient=follower).count() == 1
    assert not Notification.objects.filter(recipient=commenter).exists()  # not told of one's own act

    services.suggestion_accept(suggestion_id=suggestion.pk, actor=curator)
    # The commenter now follows the suggestion too.
    for user in (member, follower, commenter):
        assert Notification.objects.filter(recipient=user, message__contains="a été acceptée").count() == 1


def test_followers_of_the_fiche_are_told_of_a_new_version(fiche, curator, member):
    services.follow_set(user=member, target=fiche, following=True)
    services.version_publish(fiche_id=fiche.pk, label="v1.0", summary="", actor=curator)
    notification = Notification.objects.get(recipient=member)
    assert "La version v1.0" in notification.message
    assert notification.url == reverse("fiches:version", args=[fiche.slug, "v1.0"])


def test_immediate_email_or_daily_digest_as_each_member_chooses(
    section, member, curator, django_capture_on_commit_callbacks
):
    at_once, digest, none = UserFactory(), UserFactory(), UserFactory()
    NotificationSetting.objects.create(user=at_once, email_mode=EmailMode.IMMEDIATE)
    NotificationSetting.objects.create(user=none, email_mode=EmailMode.NONE)
    for user in (at_once, digest, none):
        services.follow_set(user=user, target=section, following=True)
    suggestion = suggestion_on(section, author=member)

    with django_capture_on_commit_callbacks(execute=True):
        services.comment_create(suggestion_id=suggestion.pk, author=curator, body="Premier")
        services.comment_create(suggestion_id=suggestion.pk, author=curator, body="Second")
    assert [m.to for m in mail.outbox] == [[at_once.email], [at_once.email]]

    mail.outbox.clear()
    call_command("send_notification_digest", stdout=StringIO())
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted([digest.email, member.email])  # the author has the default: a digest
    digest_mail = next(m for m in mail.outbox if m.to == [digest.email])
    assert "2 nouvelles notifications" in digest_mail.subject
    assert digest_mail.body.count("Nouveau commentaire") == 2

    mail.outbox.clear()
    call_command("send_notification_digest", stdout=StringIO())
    assert mail.outbox == []  # nothing sent twice


def test_unread_count_in_the_header_and_opening_clears_it(client, section, member, curator):
    suggestion = suggestion_on(section, author=member)
    services.suggestion_reject(suggestion_id=suggestion.pk, actor=curator, reason="Hors sujet")
    client.force_login(member)
    home = client.get(reverse("fiches:detail", args=[section.fiche.slug])).content.decode()
    assert '1<span class="visually-hidden"> non lue</span>' in home
    page = client.get(reverse("fiches:notifications")).content.decode()
    assert "a été refusée" in page and "Nouveau" in page
    # Reading the list marks nothing read: opening the notification (a POST) does.
    home = client.get(reverse("fiches:detail", args=[section.fiche.slug])).content.decode()
    assert '1<span class="visually-hidden"> non lue</span>' in home
    notification = Notification.objects.get(recipient=member)
    response = client.post(reverse("fiches:notification_open", args=[notification.pk]))
    assert response.status_code == 302 and response["Location"] == suggestion.get_absolute_url()
    home = client.get(reverse("fiches:detail", args=[section.fiche.slug])).content.decode()
    assert "non lue" not in home


def test_choosing_the_email_mode(member_client, member):
    member_client.post(reverse("fiches:notifications"), {"email_mode": EmailMode.IMMEDIATE})
    assert NotificationSetting.objects.get(user=member).email_mode == EmailMode.IMMEDIATE


def test_follow_and_unfollow_a_section(member_client, member, section):
    url = reverse("fiches:follow", args=["section", section.pk])
    member_client.post(url, {"suivre": "1"})
    page = member_client.get(section.get_absolute_url()).content.decode()
    assert "Ne plus suivre" in page
    member_client.post(url, {"suivre": "0"})
    assert "Ne plus suivre" not in member_client.get(section.get_absolute_url()).content.decode()


def test_feed_lists_recent_contributions(member_client, section, member):
    suggestion = suggestion_on(section, author=member)
    services.comment_create(suggestion_id=suggestion.pk, author=UserFactory(), body="Bravo")
    page = member_client.get(reverse("fiches:feed", args=[section.fiche.slug])).content.decode()
    assert "propose une modification de « Section 0 »" in page.replace("&#x27;", "'")
    assert "commente" in page
