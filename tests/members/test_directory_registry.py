"""The directory's filter registry (members.directory): what an app above members plugs into the directory."""

import re

import pytest
from django import forms

from members import directory
from members.directory import DirectoryFilter, directory_filter_register, directory_filters
from members.enums import Visibility
from tests.members.factories import ProfileFactory
from tests.referentiel.factories import build_version

pytestmark = pytest.mark.django_db

URL = "/membres/annuaire/"


@pytest.fixture
def registry(monkeypatch):
    """The registry as the project fills it, given back untouched after the test."""
    monkeypatch.setattr(directory, "_filters", dict(directory._filters))


@pytest.fixture
def people():
    return {
        "anna": ProfileFactory(display_name="Anna Vidal", grade="Attachée", open_to_exchange=True),
        "bruno": ProfileFactory(display_name="Bruno Le Goff", grade="Rédacteur", open_to_exchange=False),
        "chloe": ProfileFactory(
            display_name="Chloé Réservée", grade="Attachée", open_to_exchange=True, post_visibility=Visibility.TEAM
        ),
    }


def shown(response) -> set[str]:
    page = response.content.decode()
    return {name for name in ("Anna Vidal", "Bruno Le Goff", "Chloé Réservée") if name in page}


def _grade_filter(**overrides) -> DirectoryFilter:
    # What a test app registers: a grade, optionally only among those open to exchanges.
    def fields():
        return {
            "grade": forms.ChoiceField(
                label="Grade exercé", choices=[("", "Tous"), ("Attachée", "Attachée"), ("Rédacteur", "Rédacteur")]
            ),
            "echanges": forms.BooleanField(label="Ouvert·e aux échanges", required=False),
        }

    def narrow(profiles, values):
        profiles = profiles.filter(grade=values["grade"])
        return profiles.filter(open_to_exchange=True) if values["echanges"] else profiles

    def clean(values):
        if values["grade"] == "Rédacteur" and values["echanges"]:
            raise forms.ValidationError({"echanges": "Pas de rédacteur ouvert aux échanges dans ce test."})

    settings = {"key": "grade", "fields": fields, "narrow": narrow, "order": 55, "clean": clean} | overrides
    return DirectoryFilter(**settings)


def test_a_filter_registered_by_another_app_narrows_the_directory(registry, member_client, people):
    directory_filter_register(_grade_filter())
    page = member_client.get(URL).content.decode()
    assert "Grade exercé" in page and 'name="echanges"' in page
    assert shown(member_client.get(URL)) == {"Anna Vidal", "Bruno Le Goff", "Chloé Réservée"}
    assert shown(member_client.get(URL, {"grade": "Attachée"})) == {"Anna Vidal", "Chloé Réservée"}
    assert shown(member_client.get(URL, {"grade": "Rédacteur"})) == {"Bruno Le Goff"}
    # A second field refines the filter; alone, it does not apply it.
    assert shown(member_client.get(URL, {"grade": "Attachée", "echanges": "on"})) == {"Anna Vidal", "Chloé Réservée"}
    assert shown(member_client.get(URL, {"echanges": "on"})) == {"Anna Vidal", "Bruno Le Goff", "Chloé Réservée"}
    # It combines with members' own filters.
    assert shown(member_client.get(URL, {"grade": "Attachée", "q": "anna"})) == {"Anna Vidal"}


def test_a_filter_on_a_group_matches_only_the_profiles_showing_it(registry, client, member, curator, people):
    directory_filter_register(_grade_filter(group="post"))
    client.force_login(member)
    # Chloé shows her post to the CNCD team only: a member filtering on her grade must not find her.
    assert shown(client.get(URL, {"grade": "Attachée"})) == {"Anna Vidal"}
    assert shown(client.get(URL)) == {"Anna Vidal", "Bruno Le Goff", "Chloé Réservée"}
    client.force_login(curator)
    assert shown(client.get(URL, {"grade": "Attachée"})) == {"Anna Vidal", "Chloé Réservée"}


def test_a_filter_explains_a_refused_combination(registry, member_client, people):
    directory_filter_register(_grade_filter())
    response = member_client.get(URL, {"grade": "Rédacteur", "echanges": "on"})
    assert "Pas de rédacteur ouvert aux échanges dans ce test." in response.content.decode()
    assert response.context["form"].has_error("echanges")


def test_a_filter_without_fields_is_not_offered_and_its_parameter_is_ignored(registry, member_client, people):
    directory_filter_register(_grade_filter(fields=lambda: {}))
    page = member_client.get(URL, {"grade": "Rédacteur"}).content.decode()
    assert "Grade exercé" not in page
    assert shown(member_client.get(URL, {"grade": "Rédacteur"})) == {"Anna Vidal", "Bruno Le Goff", "Chloé Réservée"}


def test_filters_are_shown_in_their_order(registry, member_client):
    build_version()
    directory_filter_register(_grade_filter(order=65))
    assert [f.key for f in directory_filters()] == [
        "search",
        "region",
        "department",
        "kind",
        "employment_status",
        "time_share",
        "grade",
        "mission",
        "competence",
    ]
    page = member_client.get(URL).content.decode()
    form = re.search(r'<form[^>]*class="directory-filters.*?</form>', page, re.S).group()
    names = re.findall(r'<(?:input|select)[^>]* name="([^"]+)"', form)
    assert names == [
        "q",
        "region",
        "departement",
        "type",
        "statut",
        "temps",
        "grade",
        "echanges",
        "mission",
        "competence",
        "niveau",
    ]


def test_a_key_is_registered_once_and_a_group_must_exist(registry):
    directory_filter_register(_grade_filter())
    with pytest.raises(ValueError, match="already registered"):
        directory_filter_register(_grade_filter())
    with pytest.raises(ValueError, match="unknown profile group"):
        directory_filter_register(_grade_filter(key="other", group="hobbies"))


def test_the_query_parameters_are_french_words(member_client):
    build_version()
    form = member_client.get(URL).context["form"]
    assert list(form.fields) == [
        "q",
        "region",
        "departement",
        "type",
        "statut",
        "temps",
        "mission",
        "competence",
        "niveau",
    ]
