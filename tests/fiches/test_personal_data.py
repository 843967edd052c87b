"""What the fiches app declares about a person (fiches/personal_data.py): exported, then erased or kept anonymous.

What is theirs alone (their own fiche, supports, follows, notifications, email preference, reports on
comments already hidden) is deleted with the account; what they wrote for the common fiche stays,
shown as "Ancien·ne membre".
"""

from unittest import mock

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from fiches import notifications, services
from fiches import personal_data as declared
from fiches.enums import EmailMode, SuggestionStatus
from fiches.models import (
    Comment,
    CommentReport,
    Follow,
    Notification,
    NotificationSetting,
    PersonalFiche,
    PersonalSection,
    Revision,
    Suggestion,
    Support,
)
from fiches.pdf import version_pdf_document
from members.models import User
from tests.erasure import erase_account
from tests.fiches.factories import fiche_with_sections, section_rewritten, suggestion_on, version_published
from tests.html import content_text, select, text_of
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db

FICHES_KINDS = [
    declared.PERSONAL_FICHES,
    declared.PERSONAL_SECTIONS,
    declared.REVISIONS,
    declared.SUGGESTIONS,
    declared.COMMENTS,
    declared.TEAM_ACTIONS,
    declared.SUPPORTS,
    declared.FOLLOWS,
    declared.NOTIFICATIONS,
    declared.NOTIFICATION_SETTINGS,
    declared.REPORTS,
]


@pytest.fixture
def author(db):
    return UserFactory(first_name="Maëlle", last_name="Tanguy", email="maelle.tanguy@example.org")


@pytest.fixture
def activity(fiche, author, other_member, curator):
    """Everything `author` can do on the fiches, next to what `other_member` does."""
    first, second, third = fiche.sections.order_by("order")
    revision = section_rewritten(first, "Animer le conseil et ses commissions.", actor=author, summary="Plus clair")
    version = version_published(fiche, "v1.0", actor=curator)
    own = suggestion_on(second, author=author, rationale="Le texte oublie les élus.")
    theirs = suggestion_on(third, author=other_member)
    services.suggestion_support(suggestion_id=theirs.pk, user=author)
    comment = services.comment_create(suggestion_id=theirs.pk, author=author, body="Je soutiens, avec une nuance.")
    reply = services.comment_create(suggestion_id=own.pk, author=other_member, body="Lesquels ?")
    rude = services.comment_create(suggestion_id=theirs.pk, author=other_member, body="Message déplacé")
    services.comment_report(comment_id=reply.pk, reporter=author, reason="Ton agressif")
    services.comment_report(comment_id=rude.pk, reporter=author, reason="Insulte")
    services.comment_hide(comment_id=rude.pk, actor=curator, reason="Propos déplacés")
    services.follow_set(user=author, target=fiche, following=True)
    notifications.email_mode_set(user=author, email_mode=EmailMode.IMMEDIATE)
    personal = services.personal_fiche_create(
        owner=author,
        fiche=fiche,
        job_title="Chargée de mission CoDev",
        employer="Communauté de communes du Val",
        time_share=40,
        local_context="Territoire rural, réunions le soir.",
    )
    return {
        "revision": revision,
        "version": version,
        "own": own,
        "theirs": theirs,
        "comment": comment,
        "reply": reply,
        "rude": rude,
        "personal": personal,
    }


# Export -----------------------------------------------------------------------------------------


def test_the_export_holds_what_the_member_wrote_keeps_and_follows(author, activity, fiche):
    own, theirs, comment = activity["own"], activity["theirs"], activity["comment"]

    [personal] = declared.PERSONAL_FICHES.export(author)
    assert personal | {"created_at": None, "updated_at": None} == {
        "common_fiche": fiche.title,
        "copied_from_version": "v1.0",
        "job_title": "Chargée de mission CoDev",
        "employer": "Communauté de communes du Val",
        "time_share_percent": 40,
        "local_context": "Territoire rural, réunions le soir.",
        "created_at": None,
        "updated_at": None,
    }
    sections = declared.PERSONAL_SECTIONS.export(author)
    assert [row["order"] for row in sections] == [1, 2, 3]
    assert sections[0]["body"] == "Animer le conseil et ses commissions." and not sections[0]["changed_by_you"]
    [revision] = declared.REVISIONS.export(author)
    assert (revision["body"], revision["summary"], revision["source"]) == (
        "Animer le conseil et ses commissions.",
        "Plus clair",
        "Modification directe",
    )
    [suggestion] = declared.SUGGESTIONS.export(author)
    assert (suggestion["number"], suggestion["status"], suggestion["rationale"]) == (
        own.pk,
        "Ouverte",
        "Le texte oublie les élus.",
    )
    assert suggestion["body"] == own.body
    [written] = declared.COMMENTS.export(author)
    assert (written["number"], written["suggestion"], written["body"]) == (
        comment.pk,
        theirs.pk,
        "Je soutiens, avec une nuance.",
    )
    assert [row["suggestion"] for row in declared.SUPPORTS.export(author)] == [theirs.pk]
    assert sorted((row["kind"], row["followed"]) for row in declared.FOLLOWS.export(author)) == [
        ("Fiche", fiche.title),
        ("Proposition", f"Proposition n° {own.pk} ({own.section.title})"),
        ("Proposition", f"Proposition n° {theirs.pk} ({theirs.section.title})"),
    ]
    # Told of the comments on their suggestion (its author) and on the one they commented (followed since).
    assert [row["url"] for row in declared.NOTIFICATIONS.export(author)] == [
        theirs.get_absolute_url() + f"#commentaire-{activity['rude'].pk}",
        own.get_absolute_url() + f"#commentaire-{activity['reply'].pk}",
    ]
    assert declared.NOTIFICATION_SETTINGS.export(author) == [{"email_mode": "Un e-mail à chaque notification"}]
    assert sorted((row["reason"], row["comment_hidden"]) for row in declared.REPORTS.export(author)) == [
        ("Insulte", True),
        ("Ton agressif", False),
    ]
    assert declared.TEAM_ACTIONS.export(author) == []
    for kind in FICHES_KINDS:
        for row in kind.export(author):
            assert tuple(row) == kind.columns, kind.key


def test_the_export_of_a_curator_lists_their_decisions_and_moderation(curator, other_member, fiche, section):
    rejected = suggestion_on(section, author=other_member)
    services.suggestion_reject(suggestion_id=rejected.pk, actor=curator, reason="Hors du périmètre")
    accepted = suggestion_on(section, author=other_member, body="Un texte entièrement nouveau.")
    services.suggestion_accept(suggestion_id=accepted.pk, actor=curator)
    comment = services.comment_create(suggestion_id=rejected.pk, author=other_member, body="Dommage.")
    services.comment_hide(comment_id=comment.pk, actor=curator, reason="Hors sujet")
    version_published(fiche, "v1.0", actor=curator)

    rows = declared.TEAM_ACTIONS.export(curator)

    assert [(row["action"], row["details"]) for row in rows] == [
        ("Décision : Refusée", "Hors du périmètre"),
        ("Révision enregistrée pour un·e autre membre", f"Proposition n° {accepted.pk} acceptée"),
        ("Décision : Acceptée", ""),
        ("Commentaire masqué", "Hors sujet"),
        ("Version publiée", ""),
    ]
    assert rows[0]["object"] == f"Proposition n° {rejected.pk} ({section.title})"
    assert all(tuple(row) == declared.TEAM_ACTIONS.columns for row in rows)
    # The revision is credited to the suggestion's author: it is theirs, not the curator's.
    assert declared.REVISIONS.export(curator) == []
    assert len(declared.REVISIONS.export(other_member)) == 1


# Erasure ----------------------------------------------------------------------------------------


def test_deleting_the_account_deletes_what_is_personal_and_keeps_contributions_anonymous(
    client, author, activity, other_member
):
    own, theirs = activity["own"], activity["theirs"]
    assert Suggestion.objects.with_details().get(pk=theirs.pk).support_count == 1
    others_follows = set(Follow.objects.exclude(user=author).values_list("pk", flat=True))
    client.force_login(author)

    erase_account(client)

    erased = User.objects.get(pk=author.pk)
    assert erased.erased_at is not None
    # Theirs alone: deleted.
    assert not PersonalFiche.objects.filter(owner=erased).exists()
    assert not PersonalSection.objects.filter(personal_fiche_id=activity["personal"].pk).exists()
    assert not Support.objects.filter(user=erased).exists()
    assert Suggestion.objects.with_details().get(pk=theirs.pk).support_count == 0
    assert not Follow.objects.filter(user=erased).exists()
    assert set(Follow.objects.values_list("pk", flat=True)) == others_follows
    assert not Notification.objects.filter(recipient=erased).exists()
    assert not NotificationSetting.objects.filter(user=erased).exists()
    # A report already acted upon goes; one still waiting stays, anonymous, so the message is still reviewed.
    assert not CommentReport.objects.filter(comment=activity["rude"]).exists()
    assert list(CommentReport.objects.filter(comment=activity["reply"]).values_list("reporter", "reason")) == [
        (erased.pk, "Ton agressif")
    ]
    # Written for the network: kept as written, by the anonymised account.
    revision = Revision.objects.get(pk=activity["revision"].pk)
    assert (revision.author_id, revision.body) == (erased.pk, "Animer le conseil et ses commissions.")
    own = Suggestion.objects.get(pk=own.pk)
    assert (own.author_id, own.status, own.rationale) == (erased.pk, SuggestionStatus.OPEN, "Le texte oublie les élus.")
    comment = Comment.objects.get(pk=activity["comment"].pk)
    assert (comment.author_id, comment.body) == (erased.pk, "Je soutiens, avec une nuance.")
    for kind in (declared.PERSONAL_FICHES, declared.SUPPORTS, declared.FOLLOWS, declared.NOTIFICATIONS):
        assert kind.export(erased) == [], kind.key


def test_the_history_and_the_suggestion_show_a_former_member_after_erasure(
    client, author, activity, other_member, fiche
):
    history = reverse("fiches:history", args=[fiche.slug])
    suggestion = activity["own"].get_absolute_url()
    client.force_login(other_member)
    [before] = [text_of(item) for item in select(client.get(history), "main .col-lg-4 li")]
    assert "Ancien·ne membre" not in before
    shown_name = before.split(" — ")[0]

    client.force_login(author)
    erase_account(client)
    client.force_login(other_member)

    page = client.get(history)
    assert [text_of(item) for item in select(page, "main .col-lg-4 li")] == ["Ancien·ne membre — 1 révision"]
    for response in (page, client.get(suggestion)):
        text = content_text(response)
        assert "Ancien·ne membre" in text
        for trace in (shown_name, "Tanguy", "Maëlle", "maelle.tanguy"):
            assert trace not in text
    assert "Le texte oublie les élus." in content_text(client.get(suggestion))


def _fake_pdf(html, variant="ua"):
    """The HTML as the "PDF": what the document prints can be read back from the stored file."""
    return b"%PDF-1.7\n" + html.encode() + b"\n%%EOF"


def _stored_files() -> dict[str, bytes]:
    try:
        _dirs, names = default_storage.listdir("pdf-cache/fiches")
    except FileNotFoundError:
        return {}
    stored = {}
    for name in names:
        with default_storage.open(f"pdf-cache/fiches/{name}") as file:
            stored[name] = file.read()
    return stored


def test_the_stored_pdfs_of_a_version_no_longer_name_an_erased_contributor(
    client, author, activity, django_capture_on_commit_callbacks
):
    version = activity["version"]
    untouched = version_published(fiche_with_sections(1, slug="autre-fiche"), "v1.0")  # nothing of theirs
    with mock.patch("core.pdf.html_to_pdf", side_effect=_fake_pdf):
        for published in (version, untouched):
            for variant in ("ua", "a"):
                version_pdf_document(published).render(variant=variant)
        before = _stored_files()
        assert len(before) == 4
        assert not any("Ancien·nes membres du réseau" in content.decode() for content in before.values())
        client.force_login(author)

        with django_capture_on_commit_callbacks(execute=True):
            erase_account(client)

        after = _stored_files()
    # The files that named them are gone, both variants; the version is printed again without the name.
    key = version_pdf_document(version).cache_key.split("/")[-1]
    assert not [name for name in before if name.startswith(key) and name in after]
    reprinted = {name: content.decode() for name, content in after.items() if name.startswith(key)}
    assert reprinted
    for name, content in reprinted.items():
        assert "Tanguy" not in content and "Maëlle" not in content
        if "-fr-" in name:
            assert "Ancien·nes membres du réseau" in content
    assert any("-fr-" in name for name in reprinted)
    # A version they did not contribute to keeps its files.
    other_key = version_pdf_document(untouched).cache_key.split("/")[-1]
    assert {name for name in before if name.startswith(other_key)} <= set(after)
