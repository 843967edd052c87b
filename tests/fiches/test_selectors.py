"""The reads behind the fiche pages, on real fiches written through the services."""

import pytest

from fiches import selectors, services
from fiches.models import PersonalSection, Section, Suggestion
from members.enums import Credit
from tests.fiches.factories import fiche_with_sections, section_rewritten, suggestion_on, version_published
from tests.members.factories import ProfileFactory, UserFactory

pytestmark = pytest.mark.django_db


def _sections(fiche) -> list[Section]:
    return list(Section.objects.of(fiche))


# Versions ---------------------------------------------------------------------------------------


def test_by_default_the_last_two_versions_are_compared_in_section_order(fiche):
    first, second, third = _sections(fiche)
    version_published(fiche, "v1.0")
    section_rewritten(second, "Deuxième section réécrite.")
    version_published(fiche, "v1.1")
    section_rewritten(third, "Troisième section réécrite.")
    version_published(fiche, "v1.2")

    comparison = selectors.version_comparison(fiche=fiche)

    assert [v.label for v in comparison.versions] == ["v1.2", "v1.1", "v1.0"]
    assert (comparison.old.label, comparison.new.label) == ("v1.1", "v1.2")
    assert [row.title for row in comparison.rows] == [first.title, second.title, third.title]
    assert [row.changed for row in comparison.rows] == [False, False, True]
    assert comparison.rows[2].old == third.revisions.get(number=1).body
    assert comparison.rows[2].new == "Troisième section réécrite."


def test_chosen_versions_are_compared_and_unknown_labels_fall_back(fiche):
    _first, second, _third = _sections(fiche)
    version_published(fiche, "v1.0")
    section_rewritten(second, "Deuxième section réécrite.")
    version_published(fiche, "v1.1")

    chosen = selectors.version_comparison(fiche=fiche, old_label="v1.1", new_label="v1.0")
    assert (chosen.old.label, chosen.new.label) == ("v1.1", "v1.0")
    assert [row.changed for row in chosen.rows] == [False, True, False]
    assert chosen.rows[1].old == "Deuxième section réécrite."

    unknown = selectors.version_comparison(fiche=fiche, old_label="v9", new_label="<script>")
    assert (unknown.old.label, unknown.new.label) == ("v1.0", "v1.1")

    same = selectors.version_comparison(fiche=fiche, old_label="v1.1", new_label="v1.1")
    assert len(same.rows) == 3 and not any(row.changed for row in same.rows)


def test_a_section_added_since_the_older_version_shows_as_new(fiche):
    version_published(fiche, "v1.0")
    fiche_with_sections(1)  # a fourth section, on the same fiche
    version_published(fiche, "v1.1")

    rows = selectors.version_comparison(fiche=fiche).rows

    assert len(rows) == 4
    assert rows[3].title == "Section 3" and rows[3].old == "" and rows[3].changed
    assert rows[3].new.startswith("Texte de la section 3")


def test_nothing_to_compare_without_two_versions(fiche):
    none = selectors.version_comparison(fiche=fiche, old_label="v1.0")
    assert (none.versions, none.old, none.new, none.rows) == ([], None, None, [])

    version_published(fiche, "v1.0")
    one = selectors.version_comparison(fiche=fiche)
    assert one.old is None and one.new.label == "v1.0" and one.rows == []


def test_the_comparison_reads_the_entries_in_one_query(fiche, django_assert_num_queries):
    version_published(fiche, "v1.0")
    section_rewritten(_sections(fiche)[0], "Autre texte.")
    version_published(fiche, "v1.1")
    with django_assert_num_queries(2):  # the versions, then the entries of both with their revisions
        rows = selectors.version_comparison(fiche=fiche).rows
        assert [row.changed for row in rows] == [True, False, False]


def test_published_revisions_are_the_frozen_ones_by_section(fiche, section):
    first = section.current_revision
    v1 = version_published(fiche, "v1.0")
    section_rewritten(section, "Plus tard.")

    frozen = selectors.published_revisions(version=v1)

    assert frozen[section.pk] == first and len(frozen) == 3
    assert selectors.published_revisions(version=None) == {}


# History ----------------------------------------------------------------------------------------


def test_by_default_the_current_revision_is_compared_with_its_parent(section):
    section_rewritten(section, "Deuxième texte.")
    section_rewritten(section, "Troisième texte.")
    section.refresh_from_db()

    pair = selectors.revision_pair(section=section)

    assert (pair.old.number, pair.new.number) == (2, 3)
    assert pair.numbers == [3, 2, 1]


def test_a_restored_revision_is_compared_with_the_one_it_replaced(section, curator):
    section_rewritten(section, "Deuxième texte.")
    services.revision_restore(revision_id=section.revisions.get(number=1).pk, actor=curator)
    section.refresh_from_db()

    pair = selectors.revision_pair(section=section)

    assert (pair.old.number, pair.new.number) == (2, 3)
    assert pair.new.body == section.revisions.get(number=1).body


def test_chosen_revisions_are_compared_and_unknown_numbers_fall_back(section):
    section_rewritten(section, "Deuxième texte.")
    section_rewritten(section, "Troisième texte.")
    section.refresh_from_db()

    chosen = selectors.revision_pair(section=section, old_number=1, new_number=2)
    assert (chosen.old.number, chosen.new.number) == (1, 2)
    # A revision that does not exist: the current one, compared with its parent.
    unknown = selectors.revision_pair(section=section, old_number=99, new_number=42)
    assert (unknown.old.number, unknown.new.number) == (2, 3)
    # The first revision has no parent: it is compared with itself.
    first = selectors.revision_pair(section=section, new_number=1)
    assert (first.old.number, first.new.number) == (1, 1)


def test_a_section_without_revision_has_nothing_to_compare(fiche, django_assert_num_queries):
    empty = Section.objects.create(fiche=fiche, key="vide", title="Vide", order=9)
    assert selectors.revision_pair(section=empty) is None

    section = Section.objects.with_current().get(pk=_sections(fiche)[0].pk)
    section_rewritten(section, "Deuxième texte.")
    section = Section.objects.with_current().get(pk=section.pk)
    with django_assert_num_queries(1):  # the parent is found among the revisions already read
        assert selectors.revision_pair(section=section).old.number == 1


def test_contributors_are_counted_most_first_without_the_first_anonymous_texts(fiche):
    first, second, _third = _sections(fiche)
    claire = ProfileFactory(user=UserFactory(first_name="Claire", last_name="Martin"), credit=Credit.FULL_NAME).user
    karim = UserFactory(first_name="Karim", last_name="Benali")
    section_rewritten(first, "Par Claire.", actor=claire)
    section_rewritten(second, "Par Claire aussi.", actor=claire)
    section_rewritten(first, "Par Karim.", actor=karim)

    rows = selectors.fiche_contributors(fiche=fiche)

    # The sections' first texts, written by no one, are not counted; Karim has no profile: initials.
    assert [(row.name, row.count) for row in rows] == [("Claire Martin", 2), ("K. B.", 1)]


def test_the_feed_mixes_the_three_kinds_newest_first_without_hidden_comments(fiche, section, curator, member):
    suggestion = suggestion_on(section, author=member)
    kept = services.comment_create(suggestion_id=suggestion.pk, author=UserFactory(), body="Bonne idée.")
    hidden = services.comment_create(suggestion_id=suggestion.pk, author=UserFactory(), body="Hors sujet.")
    services.comment_hide(comment_id=hidden.pk, actor=curator, reason="Hors sujet")
    revision = section_rewritten(section, "Texte plus récent.")

    items = selectors.activity_feed(fiche=fiche)

    assert [item.when for item in items] == sorted((item.when for item in items), reverse=True)
    assert items[0].kind == "revision" and items[0].object == revision
    assert {(item.kind, item.object.pk) for item in items if item.kind != "revision"} == {
        ("suggestion", suggestion.pk),
        ("comment", kept.pk),
    }
    assert sum(item.kind == "revision" for item in items) == 4  # three first texts and the new one


def test_the_feed_is_limited(fiche, section):
    for number in range(5):
        section_rewritten(section, f"Texte {number}.")
    assert len(selectors.activity_feed(fiche=fiche, limit=4)) == 4
    assert len(selectors.activity_feed(fiche=fiche, limit=40, per_kind=2)) == 2


# Suggestions, following, moderation ----------------------------------------------------------------


def test_suggestions_of_a_section_open_then_decided(section, member, curator):
    rejected = suggestion_on(section, author=member, body="Un autre texte.")
    services.suggestion_reject(suggestion_id=rejected.pk, actor=curator, reason="Non")
    waiting = suggestion_on(section, body="Encore un autre texte.")

    open_ones, closed_ones = selectors.section_suggestions(section=section)

    assert open_ones == [waiting] and closed_ones == [rejected]
    assert open_ones[0].support_count == 0 and open_ones[0].comment_count == 0


def test_an_outdated_suggestion_is_rebased_onto_the_current_text(section, member):
    original = section.current_body
    suggestion = suggestion_on(section, author=member, body=original + " Et préparer les comptes rendus.")
    assert selectors.suggestion_rebased(suggestion=suggestion) is None

    section_rewritten(section, "En bref. " + original)
    suggestion = Suggestion.objects.with_details().select_related("base_revision").get(pk=suggestion.pk)
    merge = selectors.suggestion_rebased(suggestion=suggestion)

    assert merge.clean and merge.text == "En bref. " + original + " Et préparer les comptes rendus."


def test_a_suggestion_changing_the_same_place_is_rebased_with_its_conflicts(section, member):
    suggestion = suggestion_on(section, author=member, body="Texte de la suggestion.")
    section_rewritten(section, "Texte de l'équipe.")
    suggestion = Suggestion.objects.with_details().select_related("base_revision").get(pk=suggestion.pk)

    merge = selectors.suggestion_rebased(suggestion=suggestion)

    assert not merge.clean


def test_following_is_told_per_target(fiche, section, member, other_member):
    suggestion = suggestion_on(section)
    services.follow_set(user=member, target=section, following=True)

    assert selectors.is_following(user=member, target=section)
    assert not selectors.is_following(user=member, target=fiche)
    assert not selectors.is_following(user=member, target=suggestion)
    assert not selectors.is_following(user=other_member, target=section)


def test_the_moderation_queue_lists_visible_reported_comments_most_reported_first(section, curator):
    suggestion = suggestion_on(section)
    once, twice, hidden, quiet = (
        services.comment_create(suggestion_id=suggestion.pk, author=UserFactory(), body=f"Message {n}")
        for n in range(4)
    )
    for comment, reporters in [(once, 1), (twice, 2), (hidden, 3)]:
        for _ in range(reporters):
            services.comment_report(comment_id=comment.pk, reporter=UserFactory(), reason="Blessant")
    services.comment_hide(comment_id=hidden.pk, actor=curator, reason="Blessant")

    queue = list(selectors.moderation_queue())

    assert queue == [twice, once]
    assert [comment.report_count for comment in queue] == [2, 1]
    assert quiet not in queue


# Ma fiche de poste ------------------------------------------------------------------------------


def test_the_personal_fiche_is_the_owners_copy_of_the_common_fiche(fiche, member, other_member):
    version_published(fiche, "v1.0")
    personal = services.personal_fiche_create(owner=member, fiche=fiche, job_title="Mon poste")

    assert selectors.personal_fiche_of(owner=member) == personal
    assert selectors.personal_fiche_of(owner=other_member) is None


def test_the_creation_form_starts_from_the_profile(fiche, member):
    assert selectors.personal_fiche_initial(user=member, fiche=fiche) == {"job_title": fiche.title}

    profile = ProfileFactory(employer="Communauté de communes du Val", time_share=40, job_title="Chargée CoDev")
    initial = selectors.personal_fiche_initial(user=profile.user, fiche=fiche)
    assert initial == {"job_title": "Chargée CoDev", "employer": "Communauté de communes du Val", "time_share": 40}


def test_each_personal_section_knows_the_common_text_published_since(fiche, member):
    first, second, _third = _sections(fiche)
    version_published(fiche, "v1.0")
    personal = services.personal_fiche_create(owner=member, fiche=fiche, job_title="Mon poste")
    newer = section_rewritten(second, "Nouveau texte commun.")
    section_rewritten(first, "Publié en v1.1 aussi.")
    latest = version_published(fiche, "v1.1")
    section_rewritten(first, "Ni celui-ci.")  # published in no version

    sections = selectors.personal_sections(personal_fiche=personal, latest=latest)

    assert [s.section_id for s in sections] == [s.pk for s in _sections(fiche)]
    assert [s.newer for s in sections] == [first.revisions.get(body="Publié en v1.1 aussi."), newer, None]
    mine = PersonalSection.objects.select_related("section__fiche").get(personal_fiche=personal, section=second)
    assert selectors.newer_common_revision(personal_section=mine) == newer

    services.personal_section_integrate(personal_section_id=mine.pk, owner=member)
    mine = PersonalSection.objects.select_related("section__fiche").get(pk=mine.pk)
    assert selectors.newer_common_revision(personal_section=mine) is None
