"""The CNCD team's moderation besides hiding: reports classed without action, hidden comments restored,
and a member's support withdrawn — each with its reason in the audit log."""

import pytest
from django.test import Client
from django.urls import reverse

from core.models import AuditEntry
from fiches import services
from fiches.models import Comment, CommentReport, Support
from tests.fiches.factories import fiche_with_sections, suggestion_on
from tests.html import main_text, select
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def comment(db):
    suggestion = suggestion_on(fiche_with_sections(1).sections.first())
    return services.comment_create(suggestion_id=suggestion.pk, author=UserFactory(), body="Un avis tranché.")


def test_reports_classed_without_action_leave_the_queue_and_keep_the_comment(curator_client, curator, comment):
    services.comment_report(comment_id=comment.pk, reporter=UserFactory(), reason="Ton agressif.")
    queue = reverse("fiches:moderation")
    assert "Un avis tranché." in main_text(curator_client.get(queue))
    url = reverse("fiches:comment_dismiss", args=[comment.pk])
    response = curator_client.post(url, {"reason": ""})
    assert "Ce champ est obligatoire." in main_text(response)
    response = curator_client.post(url, {"reason": "Critique vive mais respectueuse."}, follow=True)
    assert "Les signalements sont classés sans suite" in main_text(response)
    assert "Aucun message signalé en attente." in main_text(response)
    report = CommentReport.objects.get()
    assert report.dismissed_by == curator and report.dismissal_reason == "Critique vive mais respectueuse."
    comment.refresh_from_db()
    assert not comment.is_hidden
    entry = AuditEntry.objects.get(action="fiches.comment.reports_dismissed")
    assert entry.data == {"reason": "Critique vive mais respectueuse.", "reports": 1}
    # A new report brings it back: only the waiting reports count.
    services.comment_report(comment_id=comment.pk, reporter=UserFactory(), reason="Encore.")
    page = main_text(curator_client.get(queue))
    assert "1 signalement" in page and "Encore." in page and "Ton agressif." not in page


def test_a_hidden_comment_is_restored_with_a_reason(curator_client, curator, member, comment):
    services.comment_hide(comment_id=comment.pk, actor=curator, reason="Propos personnels.")
    page = curator_client.get(reverse("fiches:moderation"))
    assert "Masqué par" in main_text(page) and "Propos personnels." in main_text(page)
    restore = reverse("fiches:comment_restore", args=[comment.pk])
    assert any(link.get("href") == restore for link in select(page, "main a"))
    response = curator_client.post(restore, {"reason": "Erreur de ma part."}, follow=True)
    assert "Le message est rétabli" in main_text(response)
    comment.refresh_from_db()
    assert not comment.is_hidden and comment.hidden_reason == ""
    assert AuditEntry.objects.get(action="fiches.comment.restored").data == {"reason": "Erreur de ma part."}
    member_client = Client()
    member_client.force_login(member)
    suggestion_page = member_client.get(comment.suggestion.get_absolute_url())
    assert "Un avis tranché." in main_text(suggestion_page)
    # Restoring again says why not.
    response = curator_client.post(restore, {"reason": "Encore."}, follow=True)
    assert "Ce message n'est pas masqué." in main_text(response)


def test_members_can_neither_dismiss_nor_restore(member_client, comment):
    for name in ("fiches:comment_dismiss", "fiches:comment_restore"):
        assert member_client.post(reverse(name, args=[comment.pk]), {"reason": "x"}).status_code == 403
    assert Comment.objects.filter(pk=comment.pk, hidden_at__isnull=True).exists()


def test_a_member_withdraws_their_support(member_client, member, comment):
    suggestion = comment.suggestion
    member_client.post(reverse("fiches:suggestion_support", args=[suggestion.pk]))
    page = member_client.get(suggestion.get_absolute_url())
    assert "1 soutien" in main_text(page) and "Retirer mon soutien" in main_text(page)
    response = member_client.post(reverse("fiches:suggestion_unsupport", args=[suggestion.pk]), follow=True)
    assert "Votre soutien est retiré." in main_text(response)
    assert not Support.objects.filter(user=member).exists()
    assert "0 soutien" in main_text(response)
    response = member_client.post(reverse("fiches:suggestion_unsupport", args=[suggestion.pk]), follow=True)
    assert "Vous ne soutenez pas cette proposition." in main_text(response)


def test_notifications_say_who_did_what_as_they_chose_to_be_credited(client, member, comment):
    from fiches.models import Notification
    from members.enums import Credit
    from tests.members.factories import ProfileFactory

    replier = UserFactory(first_name="Claire", last_name="Martin")
    ProfileFactory(user=replier, display_name="Claire Martin", credit=Credit.INITIALS)
    services.follow_set(user=member, target=comment.suggestion, following=True)
    services.comment_create(suggestion_id=comment.suggestion_id, author=replier, body="Je réponds.")
    notification = Notification.objects.get(recipient=member)
    assert notification.actor == replier and "Claire" not in notification.message  # named when shown only
    client.force_login(member)
    page = main_text(client.get(reverse("fiches:notifications")))
    assert "C. M. · Nouveau commentaire sur la proposition" in page
    assert "C. M. · Nouveau commentaire" in main_text(client.get(reverse("my_space")))
