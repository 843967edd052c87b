"""Words of the fiche pages: a revision's origin is not repeated after a summary that already says it."""

import pytest
from django.urls import reverse

from tests.fiches.factories import section_rewritten
from tests.html import main_text

pytestmark = pytest.mark.django_db


def test_the_history_names_a_first_revision_once(member_client, fiche, section):
    section_rewritten(section, "Un texte plus précis.", summary="Précision du rôle")

    shown = main_text(member_client.get(reverse("fiches:history", args=[fiche.slug])))

    assert "Rédaction initiale (Rédaction initiale)" not in shown
    assert "Rédaction initiale" in shown
    assert "Précision du rôle (Modification directe)" in shown


def test_the_section_history_names_a_first_revision_once(member_client, fiche, section):
    url = reverse("fiches:section_history", args=[fiche.slug, section.pk])

    shown = main_text(member_client.get(url))

    assert "Rédaction initiale" in shown
    assert "Rédaction initiale (Rédaction initiale)" not in shown
