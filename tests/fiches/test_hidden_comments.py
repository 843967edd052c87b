"""A hidden comment's message reaches the CNCD team only, on every surface that could show it.

Each test plants a unique marker in a comment, has a curator hide it, then reads one surface as a
member (the marker must not appear) and, where moderation needs it, as a curator (it must).
"""

import io
import zipfile
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from core.personal_data import personal_data_archive
from fiches import services
from fiches.enums import EmailMode
from fiches.models import Comment, CommentReport, Notification, NotificationSetting
from tests.fiches.factories import suggestion_on
from tests.html import content_bytes, content_text
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db

MARKER = "propos-masque-7c1e9b"


@pytest.fixture
def hidden(section, member, curator, django_capture_on_commit_callbacks):
    """A comment by another member on `member`'s suggestion, reported, then hidden by `curator`."""
    suggestion = suggestion_on(section, author=member)
    with django_capture_on_commit_callbacks(execute=True):
        comment = services.comment_create(
            suggestion_id=suggestion.pk, author=UserFactory(), body=f"Un message blessant : {MARKER}"
        )
    services.comment_report(comment_id=comment.pk, reporter=member, reason="Blessant")
    services.comment_hide(comment_id=comment.pk, actor=curator, reason="Propos blessants")
    comment.refresh_from_db()
    return comment


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# The rule itself ------------------------------------------------------------------------------


def test_the_rule_hidden_comments_are_for_moderators_only(hidden, member, curator):
    assert hidden.body_for(member) == ""
    assert MARKER in hidden.body_for(curator)
    assert not Comment.objects.visible_to(member).filter(pk=hidden.pk).exists()
    assert Comment.objects.visible_to(curator).filter(pk=hidden.pk).exists()
    pending = UserFactory(pending=True, curator=True)
    assert hidden.body_for(pending) == ""  # a curator account not (or no longer) approved moderates nothing


# Pages ----------------------------------------------------------------------------------------


def test_the_report_page_of_a_hidden_comment_does_not_exist_for_members(hidden, member, other_member, curator):
    url = reverse("fiches:comment_report", args=[hidden.pk])
    for user in (member, other_member):
        response = _client(user).get(url)
        assert response.status_code == 404
        assert MARKER not in content_text(response)
    # Nor can it be reported through a POST.
    response = _client(other_member).post(url, {"reason": "Encore"})
    assert response.status_code == 404
    assert not CommentReport.objects.filter(comment=hidden, reporter=other_member).exists()
    # The CNCD team still reads it.
    assert MARKER in content_text(_client(curator).get(url))


def test_a_hidden_comment_cannot_be_reported_again(hidden, other_member):
    with pytest.raises(services.FicheError, match="déjà masqué"):
        services.comment_report(comment_id=hidden.pk, reporter=other_member, reason="Encore")


def test_the_hide_page_is_for_curators_who_read_the_message(hidden, member, curator):
    url = reverse("fiches:comment_hide", args=[hidden.pk])
    response = _client(member).get(url)
    assert response.status_code == 403
    assert MARKER not in content_text(response)
    assert MARKER in content_text(_client(curator).get(url))


def test_the_discussion_shows_members_the_reason_only(hidden, member, other_member, curator):
    url = hidden.suggestion.get_absolute_url()
    for user in (member, other_member):
        page = content_text(_client(user).get(url))
        assert "Message masqué par l'équipe CNCD. Motif : Propos blessants" in page
        assert MARKER not in page
        # No link to report (or hide) a hidden message.
        assert reverse("fiches:comment_report", args=[hidden.pk]) not in page
    assert MARKER in content_text(_client(curator).get(url))


def test_the_activity_feed_never_shows_hidden_comments(hidden, member, curator):
    url = reverse("fiches:feed", args=[hidden.suggestion.section.fiche.slug])
    for user in (member, curator):
        page = content_text(_client(user).get(url))
        assert MARKER not in page
        assert f"#commentaire-{hidden.pk}" not in page


def test_the_moderation_queue_drops_a_comment_once_hidden(hidden, member, curator):
    assert _client(member).get(reverse("fiches:moderation")).status_code == 403
    page = content_text(_client(curator).get(reverse("fiches:moderation")))
    queue, recently_hidden = page.split("Messages masqués récemment")
    # Out of the reports waiting for a decision; listed with the hidden ones, for the team to restore if need be.
    assert MARKER not in queue and MARKER in recently_hidden


# Notifications, emails, digests ---------------------------------------------------------------


def test_notifications_made_before_hiding_never_carry_the_message(
    section, member, curator, django_capture_on_commit_callbacks
):
    at_once, digest = UserFactory(), UserFactory()
    NotificationSetting.objects.create(user=at_once, email_mode=EmailMode.IMMEDIATE)
    for user in (at_once, digest):
        services.follow_set(user=user, target=section, following=True)
    suggestion = suggestion_on(section, author=member)
    with django_capture_on_commit_callbacks(execute=True):
        comment = services.comment_create(suggestion_id=suggestion.pk, author=UserFactory(), body=f"Insulte {MARKER}")
    services.comment_hide(comment_id=comment.pk, actor=curator, reason="Propos blessants")
    assert Notification.objects.filter(recipient__in=[member, at_once, digest]).count() == 3

    for user in (member, at_once, digest):
        page = content_text(_client(user).get(reverse("fiches:notifications")))
        assert "Nouveau commentaire sur la proposition" in page
        assert MARKER not in page
    call_command("send_notification_digest", stdout=StringIO())
    assert {m.to[0] for m in mail.outbox} == {at_once.email, digest.email, member.email}
    for message in mail.outbox:
        assert MARKER not in message.subject + message.body
    assert not Notification.objects.filter(message__contains=MARKER).exists()


def test_the_report_notification_to_curators_does_not_quote_the_message(hidden, curator):
    notification = Notification.objects.get(recipient=curator, message__contains="a été signalé")
    assert MARKER not in notification.message


# Exports and PDFs -----------------------------------------------------------------------------


def test_only_its_author_s_data_export_holds_the_hidden_message(hidden, member, curator):
    # What the person wrote is theirs to take away (right of access), hidden or not; nobody else's archive has it.
    for user in (member, hidden.author, curator):
        with zipfile.ZipFile(io.BytesIO(personal_data_archive(user))) as archive:
            content = b"".join(archive.read(name) for name in archive.namelist()).decode("utf-8", errors="replace")
        assert (MARKER in content) == (user == hidden.author)


def test_the_network_exports_do_not_hold_the_hidden_message(hidden, curator):
    response = _client(curator).get(reverse("dashboard:network_csv"))
    assert response.status_code == 200
    assert MARKER not in content_text(response)


def test_the_draft_pdf_does_not_hold_the_hidden_message(hidden, member):
    response = _client(member).get(reverse("fiches:draft_pdf", args=[hidden.suggestion.section.fiche.slug]))
    assert response.status_code == 200
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content_bytes(response))).pages)
    assert "Section 0" in text
    assert MARKER not in text
