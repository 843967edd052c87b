import pytest

from core.models import AuditEntry
from fiches import services
from fiches.enums import OUTDATED, RevisionSource, SuggestionStatus
from fiches.models import Comment, FicheVersion, Revision, Section, Suggestion, Support
from tests.fiches.factories import suggestion_on
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db


def _edit(section, body, actor, base=None):
    section.refresh_from_db()
    return services.section_edit(
        section_id=section.pk,
        base_revision_id=base if base is not None else section.current_revision_id,
        body=body,
        summary="Mise à jour",
        actor=actor,
    )


def test_accepting_a_suggestion_makes_a_new_revision_credited_to_its_author(section, member, curator):
    first = section.current_revision
    suggestion = suggestion_on(section, author=member, body="Animer le conseil.")

    revision = services.suggestion_accept(suggestion_id=suggestion.pk, actor=curator)

    section.refresh_from_db()
    suggestion.refresh_from_db()
    assert section.current_revision == revision
    assert revision.body == "Animer le conseil." and "<p>Animer le conseil.</p>" in revision.body_html
    assert revision.number == first.number + 1 and revision.parent == first
    assert revision.author == member and revision.committed_by == curator
    assert revision.source == RevisionSource.SUGGESTION and revision.suggestion == suggestion
    assert suggestion.status == SuggestionStatus.ACCEPTED and suggestion.decided_by == curator
    # Nothing overwritten: the first revision is still there, unchanged.
    first.refresh_from_db()
    assert first.body.startswith("Texte de la section")
    assert AuditEntry.objects.filter(action="fiches.suggestion.accepted", target_id=str(suggestion.pk)).exists()


def test_an_already_decided_suggestion_cannot_be_accepted_again(section, curator):
    suggestion = suggestion_on(section)
    services.suggestion_accept(suggestion_id=suggestion.pk, actor=curator)
    count = Revision.objects.count()
    with pytest.raises(services.FicheError, match="déjà été traitée"):
        services.suggestion_accept(suggestion_id=suggestion.pk, actor=curator)
    with pytest.raises(services.FicheError, match="déjà été traitée"):
        services.suggestion_reject(suggestion_id=suggestion.pk, actor=curator, reason="Non")
    assert Revision.objects.count() == count


def test_rejecting_needs_a_reason_and_keeps_it(section, curator):
    suggestion = suggestion_on(section)
    with pytest.raises(services.FicheError, match="motif du refus"):
        services.suggestion_reject(suggestion_id=suggestion.pk, actor=curator, reason="   ")
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.OPEN

    services.suggestion_reject(suggestion_id=suggestion.pk, actor=curator, reason="Hors du champ de la fiche.")
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.REJECTED
    assert suggestion.decision_reason == "Hors du champ de la fiche."
    assert AuditEntry.objects.filter(action="fiches.suggestion.rejected").count() == 1


def test_only_the_author_withdraws_and_only_while_open(section, member, other_member):
    suggestion = suggestion_on(section, author=member)
    with pytest.raises(services.FicheError, match="auteur"):
        services.suggestion_withdraw(suggestion_id=suggestion.pk, actor=other_member)
    services.suggestion_withdraw(suggestion_id=suggestion.pk, actor=member)
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.WITHDRAWN
    with pytest.raises(services.FicheError, match="déjà été traitée"):
        services.suggestion_withdraw(suggestion_id=suggestion.pk, actor=member)


def test_a_suggestion_becomes_outdated_when_the_section_changes_and_its_author_rebases_it(section, member, curator):
    suggestion = suggestion_on(section, author=member, body="Animer les plénières.")
    assert not Suggestion.objects.outdated().exists()

    _edit(section, "Animer les plénières et les ateliers.", curator)

    suggestion = Suggestion.objects.select_related("section").get(pk=suggestion.pk)
    assert suggestion.state == OUTDATED
    assert list(Suggestion.objects.outdated()) == [suggestion]
    with pytest.raises(services.FicheError, match="mettre à jour"):
        services.suggestion_accept(suggestion_id=suggestion.pk, actor=curator)

    services.suggestion_update(
        suggestion_id=suggestion.pk,
        author=member,
        body="Animer les plénières, les ateliers et les visites.",
        rationale="Rebasée.",
    )
    suggestion = Suggestion.objects.select_related("section").get(pk=suggestion.pk)
    assert suggestion.state == SuggestionStatus.OPEN
    assert suggestion.base_revision_id == suggestion.section.current_revision_id
    revision = services.suggestion_accept(suggestion_id=suggestion.pk, actor=curator)
    assert revision.body == "Animer les plénières, les ateliers et les visites."


@pytest.mark.parametrize(
    ("body", "rationale", "message"),
    [
        ("", "Parce que.", "Le texte proposé est vide"),
        ("   \n ", "Parce que.", "Le texte proposé est vide"),
        (None, "Parce que.", "identique au texte actuel"),
        ("Un autre texte.", "", "Expliquez pourquoi"),
        ("Un autre texte.", "  \n", "Expliquez pourquoi"),
    ],
)
def test_bad_suggestions_are_refused_with_a_french_message(section, member, body, rationale, message):
    section.refresh_from_db()
    with pytest.raises(services.FicheError, match=message):
        services.suggestion_create(
            section_id=section.pk,
            author=member,
            body=section.current_body if body is None else body,
            rationale=rationale,
        )
    assert not Suggestion.objects.exists()


def test_a_suggestion_on_a_section_that_no_longer_exists_is_refused(member):
    with pytest.raises(services.FicheError, match="n'existe plus"):
        services.suggestion_create(section_id=999_999, author=member, body="Texte", rationale="Raison")
    assert not Suggestion.objects.exists()


def test_supporting_once_only_and_not_ones_own(section, member, other_member):
    suggestion = suggestion_on(section, author=member)
    services.suggestion_support(suggestion_id=suggestion.pk, user=other_member)
    with pytest.raises(services.FicheError, match="soutenez déjà"):
        services.suggestion_support(suggestion_id=suggestion.pk, user=other_member)
    with pytest.raises(services.FicheError, match="votre propre proposition"):
        services.suggestion_support(suggestion_id=suggestion.pk, user=member)
    assert Support.objects.filter(suggestion=suggestion).count() == 1


def test_direct_edit_is_refused_when_the_section_changed_since_it_was_opened(section, curator):
    opened_on = section.current_revision_id
    _edit(section, "Version de Claire.", curator)
    with pytest.raises(services.EditConflict) as conflict:
        _edit(section, "Version de Karim.", curator, base=opened_on)
    assert conflict.value.current.body == "Version de Claire."
    section.refresh_from_db()
    assert section.current_revision.body == "Version de Claire."
    assert not Revision.objects.filter(body="Version de Karim.").exists()


def test_direct_edit_refuses_an_unchanged_text(section, curator):
    with pytest.raises(services.FicheError, match="identique"):
        _edit(section, section.current_body, curator)


def test_restoring_an_old_revision_adds_a_new_one(section, curator):
    first = section.current_revision
    _edit(section, "Deuxième texte.", curator)
    restored = services.revision_restore(revision_id=first.pk, actor=curator)
    section.refresh_from_db()
    assert section.current_revision == restored
    assert restored.body == first.body and restored.number == 3 and restored.restored_from == first
    assert Revision.objects.filter(section=section).count() == 3
    with pytest.raises(services.FicheError, match="même contenu"):
        services.revision_restore(revision_id=first.pk, actor=curator)


def test_comments_reply_one_level_deep(section, member, other_member):
    suggestion = suggestion_on(section, author=member)
    top = services.comment_create(suggestion_id=suggestion.pk, author=other_member, body="Bonne idée.")
    reply = services.comment_create(suggestion_id=suggestion.pk, author=member, body="Merci.", parent_id=top.pk)
    reply_to_reply = services.comment_create(
        suggestion_id=suggestion.pk, author=other_member, body="De rien.", parent_id=reply.pk
    )
    assert reply.parent == top and reply_to_reply.parent == top
    with pytest.raises(services.FicheError, match="vide"):
        services.comment_create(suggestion_id=suggestion.pk, author=member, body="  ")
    assert Comment.objects.count() == 3


def test_hiding_a_comment_is_audited_with_who_and_why(section, member, curator):
    suggestion = suggestion_on(section, author=member)
    comment = services.comment_create(suggestion_id=suggestion.pk, author=member, body="Propos déplacés")
    services.comment_report(comment_id=comment.pk, reporter=UserFactory(), reason="Insultant")
    services.comment_hide(comment_id=comment.pk, actor=curator, reason="Propos injurieux")
    comment.refresh_from_db()
    assert comment.is_hidden and comment.hidden_by == curator
    entry = AuditEntry.objects.get(action="fiches.comment.hidden")
    assert entry.actor == curator and entry.data == {"reason": "Propos injurieux"}
    with pytest.raises(services.FicheError, match="déjà masqué"):
        services.comment_hide(comment_id=comment.pk, actor=curator, reason="Encore")


def test_publishing_freezes_every_section_revision(fiche, curator):
    sections = list(Section.objects.of(fiche))
    version = services.version_publish(fiche_id=fiche.pk, label="v1.0", summary="Première", actor=curator)
    frozen = {entry.section_id: entry.revision_id for entry in version.entries.all()}
    assert frozen == {section.pk: section.current_revision_id for section in sections}

    _edit(sections[0], "Texte changé après la publication.", curator)
    version.refresh_from_db()
    assert version.entries.get(section=sections[0]).revision.body.startswith("Texte de la section")

    with pytest.raises(services.FicheError, match="existe déjà"):
        services.version_publish(fiche_id=fiche.pk, label="v1.0", summary="", actor=curator)
    services.version_publish(fiche_id=fiche.pk, label="v1.1", summary="", actor=curator)
    with pytest.raises(services.FicheError, match="Rien n'a changé"):
        services.version_publish(fiche_id=fiche.pk, label="v1.2", summary="", actor=curator)
    assert FicheVersion.objects.count() == 2
