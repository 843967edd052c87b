"""The history pages: a page at a time, the words each revision changed counted once, contributors kept."""

from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fiches import selectors, services
from fiches.changes import change_counts
from fiches.enums import RevisionSource
from fiches.models import Revision
from members.enums import Credit
from tests.fiches.factories import fiche_with_sections, section_rewritten
from tests.html import page_text, select, select_one, text_of
from tests.members.factories import ProfileFactory, UserFactory

pytestmark = pytest.mark.django_db


def _rewritten(section, times: int, *, actor=None) -> None:
    for number in range(times):
        section_rewritten(section, f"Texte n° {number} : animer le conseil.", summary=f"Résumé {number}", actor=actor)


def _history_url(section) -> str:
    return reverse("fiches:section_history", args=[section.fiche.slug, section.pk])


def test_change_counts():
    assert change_counts("", "Animer le conseil.") == (3, 0)
    assert change_counts("Animer le conseil en soirée.", "Animer le conseil le samedi.") == (2, 2)
    assert change_counts("Même texte.", "Même texte.") == (0, 0)


def test_words_changed_are_counted_when_a_revision_is_written(section, curator):
    first = section.current_revision
    assert (first.words_added, first.words_removed) == (12, 0)  # the first text, counted whole

    revision = services.section_edit(
        section_id=section.pk,
        base_revision_id=first.pk,
        body=first.body.replace("en soirée", "le samedi matin"),
        summary="",
        actor=curator,
    )

    revision.refresh_from_db()
    assert (revision.words_added, revision.words_removed) == (3, 2)


def test_section_history_is_paginated(curator_client, section, curator):
    _rewritten(section, 54, actor=curator)  # 55 revisions with the first one

    first_page = curator_client.get(_history_url(section))
    rows = select(first_page, "tbody tr")
    assert len(rows) == 50
    assert text_of(select(rows[0], "th")[0]).startswith("55")
    text = page_text(first_page)
    assert "Résumé 53" in text and "Résumé 3 " not in text
    assert "Page 1 sur 2" in text
    # The pages are plain links: no JavaScript needed.
    next_link = select_one(first_page, 'nav[aria-label="Pages de l\'historique"] a')
    assert next_link.get("href") == "?page=2"

    second_page = curator_client.get(_history_url(section) + "?page=2")
    rows = select(second_page, "tbody tr")
    assert [text_of(select(row, "th")[0]).split()[0] for row in rows] == ["5", "4", "3", "2", "1"]
    assert "Page 2 sur 2" in page_text(second_page)
    # The restore forms follow the rows of the page.
    assert len(select(second_page, 'form[id^="restaurer-"]')) == 5
    # A page past the end shows the last one.
    assert "Page 2 sur 2" in page_text(curator_client.get(_history_url(section) + "?page=99"))


def test_section_history_shows_the_words_each_revision_changed(member_client, section, curator):
    services.section_edit(
        section_id=section.pk,
        base_revision_id=section.current_revision_id,
        body=section.current_revision.body.replace("en soirée", "le samedi matin"),
        summary="Horaires",
        actor=curator,
    )

    row = select(member_client.get(_history_url(section)), "tbody tr")[0]
    assert "3 mots ajoutés, 2 mots retirés" in text_of(row)


def test_revisions_written_in_bulk_are_counted_once_on_first_read(member_client, section):
    # As devtools' seed_scale writes them: no counts.
    first = section.current_revision
    Revision.objects.filter(pk=first.pk).update(words_added=None, words_removed=None)
    second = Revision.objects.bulk_create(
        [
            Revision(
                section=section,
                number=2,
                parent=first,
                body=first.body + " Et rédiger les avis.",
                source=RevisionSource.EDIT,
            )
        ]
    )[0]
    section.current_revision = second
    section.save()

    with CaptureQueriesContext(connection) as first_read:
        text = page_text(member_client.get(_history_url(section)))
    assert "4 mots ajoutés" in text
    assert list(Revision.objects.filter(section=section).order_by("number").values_list("words_added", flat=True)) == [
        12,
        4,
    ]

    def counted(queries) -> bool:
        return any(query["sql"].startswith("UPDATE") and "fiches_revision" in query["sql"] for query in queries)

    assert counted(first_read)
    with CaptureQueriesContext(connection) as second_read:
        assert "4 mots ajoutés" in page_text(member_client.get(_history_url(section)))
    assert not counted(second_read)


def test_section_history_query_count_does_not_grow(member_client):
    def count(revisions: int) -> int:
        section = fiche_with_sections(1, slug=f"fiche-{revisions}").sections.get()
        _rewritten(section, revisions)
        url = _history_url(section)
        member_client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert member_client.get(url).status_code == 200
        return len(queries)

    assert count(2) == count(60)


def test_fiche_history_is_paginated_with_constant_queries(member_client):
    def count(revisions: int) -> int:
        section = fiche_with_sections(1, slug=f"fiche-{revisions}").sections.get()
        _rewritten(section, revisions)
        url = reverse("fiches:history", args=[section.fiche.slug])
        member_client.get(url)
        with CaptureQueriesContext(connection) as queries:
            response = member_client.get(url)
        assert len(select(response, "tbody tr")) == min(revisions + 1, 50)
        return len(queries)

    assert count(2) == count(60)


def test_fiche_history_contributors_are_kept_until_a_revision_or_a_name_changes(member_client, section):
    url = reverse("fiches:history", args=[section.fiche.slug])
    writer = UserFactory(first_name="Karim", last_name="Benali")
    ProfileFactory(user=writer, credit=Credit.FULL_NAME)
    section_rewritten(section, "Premier texte de Karim.", actor=writer)

    with mock.patch.object(selectors, "_fiche_contributors", wraps=selectors._fiche_contributors) as computed:
        assert "Karim Benali — 1 révision" in page_text(member_client.get(url))
        member_client.get(url)
        member_client.get(url + "?page=1")
        assert computed.call_count == 1

        # A new revision: counted at the next request.
        section_rewritten(section, "Second texte de Karim.", actor=writer)
        assert "Karim Benali — 2 révisions" in page_text(member_client.get(url))
        assert computed.call_count == 2

        # A new name.
        writer.profile.display_name = "Karim Benali-Roux"
        writer.profile.save()
        assert "Karim Benali-Roux — 2 révisions" in page_text(member_client.get(url))

        # A contributor who no longer wants to be named.
        writer.profile.credit = Credit.HIDDEN
        writer.profile.save()
        assert "Karim Benali" not in page_text(member_client.get(url))
        assert computed.call_count == 4
