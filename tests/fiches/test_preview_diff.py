"""The proposal preview marks only what really changes (issue 20, item 6.3).

A browser sends a textarea's text with "\r\n" line ends; the stored text has "\n". Compared as they
were, every unchanged line showed as deleted then added again, double-spaced, and was read aloud so.
"""

import pytest
from django.urls import reverse

from core.diff import word_diff
from tests.fiches.factories import section_rewritten
from tests.html import select, select_one, text_of

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
PARAGRAPHS = [
    "Le ou la technicien·ne anime les séances du conseil.",
    "Il ou elle prépare les ordres du jour avec la présidence.",
    "Il ou elle accompagne les groupes de travail en soirée.",
    "Il ou elle rédige les avis et les contributions.",
    "Il ou elle fait le lien avec les services de l'intercommunalité.",
]
STORED = "\n\n".join(PARAGRAPHS)
# One word of the third paragraph changes; typed in a browser, with its line ends.
TYPED = "\r\n\r\n".join(PARAGRAPHS).replace("en soirée", "en journée")


def _diff_of(response):
    diff = select_one(select_one(response, "#apercu"), ".fiche-diff")
    return diff


def _assert_only_the_word_changed(response):
    diff = _diff_of(response)
    assert [text_of(d) for d in select(diff, "del")] == ["[supprimé :] soirée"]
    assert [text_of(i) for i in select(diff, "ins")] == ["[ajouté :] journée"]
    # The unchanged paragraphs are there once, as they are, one blank line apart (no doubled blank lines).
    raw = "".join(diff.itertext())
    assert raw.count(PARAGRAPHS[0]) == 1 and raw.count(PARAGRAPHS[4]) == 1
    assert "\n\n\n" not in raw and "\r" not in raw
    assert raw == STORED.replace("soirée", "[supprimé :] soirée[ajouté :] journée")


@pytest.fixture
def five_paragraphs(section):
    section_rewritten(section, STORED)
    section.refresh_from_db()
    return section


def test_the_preview_button_shows_only_the_changed_word(member_client, fiche, five_paragraphs):
    url = reverse("fiches:suggestion_create", args=[fiche.slug, five_paragraphs.pk])
    response = member_client.post(url, {"body": TYPED, "rationale": "Plus juste.", "preview": "1"})
    assert response.status_code == 200
    _assert_only_the_word_changed(response)


def test_the_live_preview_shows_only_the_changed_word(member_client, fiche, five_paragraphs):
    url = reverse("fiches:suggestion_preview", args=[fiche.slug, five_paragraphs.pk])
    response = member_client.post(url, {"body": TYPED}, headers=HTMX)
    assert response.status_code == 200
    _assert_only_the_word_changed(response)


def test_the_text_as_opened_and_sent_back_is_no_change(member_client, fiche, five_paragraphs):
    url = reverse("fiches:suggestion_preview", args=[fiche.slug, five_paragraphs.pk])
    response = member_client.post(url, {"body": "\r\n".join(STORED.split("\n")) + "\r\n"}, headers=HTMX)
    assert "Aucun changement pour l'instant." in text_of(select_one(response, "#apercu"))


def test_line_ends_do_not_count_as_changes():
    assert [token.op for token in word_diff("un\ndeux\n\ntrois", "un\r\ndeux\r\n\r\ntrois")] == ["equal"]
    tokens = word_diff("un\ndeux\ntrois", "un\r\nDEUX\r\ntrois")
    assert [(t.op, t.text) for t in tokens] == [
        ("equal", "un\n"),
        ("delete", "deux"),
        ("insert", "DEUX"),
        ("equal", "\ntrois"),
    ]
