"""Words of the référentiel pages: the version's date, the home page's missions, the code rule of moved items."""

import datetime
from datetime import UTC

import pytest
from django.urls import reverse

from competences.enums import FrameworkStatus
from competences.models import FrameworkVersion
from tests.html import main_text, page_text
from tests.referentiel.factories import build_version, small_data

pytestmark = pytest.mark.django_db


def test_the_version_header_does_not_say_published_twice_and_writes_the_first_of_the_month(client):
    version = build_version()
    FrameworkVersion.objects.filter(pk=version.pk).update(published_at=datetime.datetime(2026, 1, 1, 10, tzinfo=UTC))

    shown = main_text(client.get(reverse("referentiel:version", args=[version.label])))

    assert "Publiée publiée" not in shown
    assert "Publiée · date de publication : 1er janvier 2026" in shown


def test_the_changelog_writes_the_first_of_the_month_as_an_ordinal(client):
    version = build_version()
    FrameworkVersion.objects.filter(pk=version.pk).update(published_at=datetime.datetime(2026, 3, 1, 10, tzinfo=UTC))

    assert "Publiée le 1er mars 2026" in main_text(client.get(reverse("referentiel:changelog")))


def test_the_home_page_shows_the_missions_of_the_referentiel_in_force(client):
    data = small_data("v1.0")
    data.missions[0].title = "Animer les travaux du CoDev"
    data.missions[0].purpose = "Faciliter le travail des membres bénévoles."
    build_version(data)

    response = client.get(reverse("home"))
    shown = main_text(response)

    assert "Animer les travaux du CoDev" in shown
    assert "Faciliter le travail des membres bénévoles." in shown
    assert "Mission 2" in shown
    assert reverse("referentiel:mission", args=["v1.0", "M1"]) in response.content.decode()


def test_the_home_page_keeps_its_own_text_before_the_first_publication(client):
    build_version(small_data("v1.0"), status=FrameworkStatus.DRAFT)

    shown = main_text(client.get(reverse("home")))

    assert "Trois missions au cœur du métier" in shown
    assert "Mission 1" not in shown


def test_a_moved_activity_keeps_its_code_and_the_comparison_says_why(client, curator):
    build_version(small_data("v1.0"), status=FrameworkStatus.ARCHIVED)
    data = small_data("v2.0")
    data.activities[0].mission = "M2"  # M1.A1 moves to the mission M2, code kept
    build_version(data)

    response = client.get(reverse("referentiel:compare"), {"de": "v1.0", "a": "v2.0"})

    assert "Code conservé : les codes sont stables d'une version à l'autre" in page_text(response)


def test_the_edit_form_of_an_activity_states_the_code_rule(client, curator):
    build_version(small_data("v1.0"), status=FrameworkStatus.DRAFT)
    client.force_login(curator)

    response = client.get(reverse("referentiel:item_edit", args=["v1.0", "activites", "M1.A1"]))

    assert response.status_code == 200
    assert "les codes sont stables d'une version à l'autre" in main_text(response)
