"""The list pages of the fiches read as many queries with a few rows as with many.

(The draft, section, suggestion, published version, history and activity pages are checked in test_views.py.)
"""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fiches import services
from fiches.models import Section
from tests.fiches.factories import fiche_with_sections, section_rewritten, suggestion_on, version_published
from tests.html import page_text
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db


def _queries(user, url: str, *, expect: str) -> int:
    """The number of queries of a second GET of `url` by `user` (the first one sets the session up)."""
    client = Client()
    client.force_login(user)
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert expect in page_text(response)
    return len(queries)


def test_notifications(member):
    def count(comments: int) -> int:
        suggestion = suggestion_on(fiche_with_sections(1, slug=f"fiche-{comments}").sections.get(), author=member)
        for number in range(comments):
            services.comment_create(suggestion_id=suggestion.pk, author=UserFactory(), body=f"Avis {number}")
        return _queries(member, reverse("fiches:notifications"), expect=f"proposition n° {suggestion.pk}")

    assert count(2) == count(20)


def test_section_history(curator):
    def count(revisions: int) -> int:
        section = fiche_with_sections(1, slug=f"fiche-{revisions}").sections.get()
        for number in range(revisions):
            section_rewritten(section, f"Texte n° {number}.", summary=f"Résumé {number}")
        url = reverse("fiches:section_history", args=[section.fiche.slug, section.pk])
        return _queries(curator, url, expect=f"Résumé {revisions - 1}")

    assert count(2) == count(15)


def test_version_list_and_comparison(curator):
    def count(versions: int) -> list[int]:
        fiche = fiche_with_sections(versions, slug=f"fiche-{versions}")
        for number, section in enumerate(Section.objects.of(fiche)):
            section_rewritten(section, f"Texte n° {number}.")
            version_published(fiche, f"v1.{number}", actor=UserFactory(curator=True))
        return [
            _queries(curator, reverse("fiches:versions", args=[fiche.slug]), expect=f"v1.{versions - 1}"),
            _queries(curator, reverse("fiches:version_compare", args=[fiche.slug]), expect=f"Section {versions - 1}"),
        ]

    assert count(3) == count(15)


def test_moderation_queue(curator):
    def count(comments: int) -> int:
        suggestion = suggestion_on(fiche_with_sections(1, slug=f"fiche-{comments}").sections.get())
        for number in range(comments):
            comment = services.comment_create(suggestion_id=suggestion.pk, author=UserFactory(), body=f"Mot {number}")
            for _ in range(2):
                services.comment_report(comment_id=comment.pk, reporter=UserFactory(), reason="Blessant")
        return _queries(curator, reverse("fiches:moderation"), expect=f"Mot {comments - 1}")

    assert count(1) == count(8)


def test_my_fiche(curator):
    def count(sections: int) -> int:
        fiche = fiche_with_sections(sections)
        version_published(fiche, f"v{sections}.0")
        owner = UserFactory()
        services.personal_fiche_create(owner=owner, fiche=fiche, job_title="Mon poste")
        for section in Section.objects.of(fiche):
            section_rewritten(section, f"Nouveau texte commun de {section.title} ({sections}).")
        version_published(fiche, f"v{sections}.1")
        return _queries(owner, reverse("fiches:my_fiche"), expect=f"Section {sections - 1}")

    # The common fiche is one: the second count adds sections to it.
    assert count(3) == count(12)
