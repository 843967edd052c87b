"""Directory filters by declared mission and by self-assessed competence level."""

import pytest

from competences.models import AssessmentSharing, SelfAssessment
from members.enums import Visibility
from missions.models import MissionDeclaration
from tests.members.factories import ProfileFactory
from tests.referentiel.factories import build_version

pytestmark = pytest.mark.django_db

URL = "/membres/annuaire/"


@pytest.fixture
def rated_network():
    version = build_version()
    people = {
        "anais": ProfileFactory(display_name="Anaïs Lemaire"),
        "basile": ProfileFactory(display_name="Basile Roux"),
        "celia": ProfileFactory(display_name="Célia Discrète", post_visibility=Visibility.TEAM),
    }
    MissionDeclaration.objects.create(user=people["anais"].user, mission_code="M1", time_share=60)
    MissionDeclaration.objects.create(user=people["basile"].user, mission_code="M2", time_share=30)
    MissionDeclaration.objects.create(user=people["celia"].user, mission_code="M1", time_share=50)
    for name, level in (("anais", 4), ("basile", 2), ("celia", 3)):
        SelfAssessment.objects.create(user=people[name].user, code="C-1-01", level=level, version=version)
        # Found by level only once opted in (tests/competences/test_visibility_promises.py for the rest).
        AssessmentSharing.objects.create(user=people[name].user, in_directory=True)
    SelfAssessment.objects.create(user=people["basile"].user, code="C-1-02", not_concerned=True, version=version)
    return people


def shown(response):
    page = response.content.decode()
    return {name for name in ("Anaïs Lemaire", "Basile Roux", "Célia Discrète") if name in page}


def test_the_filters_offer_the_published_missions_competences_and_levels(member_client, rated_network):
    page = member_client.get(URL).content.decode()
    assert "Mission exercée" in page and 'value="M1"' in page
    assert 'value="C-1-01"' in page
    assert "Niveau au moins égal à" in page and "3 · Maîtrise" in page


def test_filter_by_declared_mission(member_client, rated_network):
    assert shown(member_client.get(URL, {"mission": "M1"})) == {"Anaïs Lemaire"}
    assert shown(member_client.get(URL, {"mission": "M2"})) == {"Basile Roux"}


def test_filter_by_competence_and_minimum_level(member_client, rated_network):
    assert shown(member_client.get(URL, {"competence": "C-1-01"})) == {"Anaïs Lemaire", "Basile Roux"}
    assert shown(member_client.get(URL, {"competence": "C-1-01", "niveau": "3"})) == {"Anaïs Lemaire"}
    # "Not concerned" is no level at all.
    assert shown(member_client.get(URL, {"competence": "C-1-02"})) == set()


def test_the_team_also_finds_members_who_showed_their_post_only_to_the_team(curator_client, rated_network):
    assert shown(curator_client.get(URL, {"mission": "M1"})) == {"Anaïs Lemaire", "Célia Discrète"}
    found = shown(curator_client.get(URL, {"competence": "C-1-01", "niveau": "3"}))
    assert found == {"Anaïs Lemaire", "Célia Discrète"}


def test_a_level_without_a_competence_is_explained(member_client, rated_network):
    page = member_client.get(URL, {"niveau": "3"}).content.decode()
    assert "Choisissez la compétence dont vous cherchez le niveau." in page


def test_without_a_published_referentiel_the_filters_are_not_offered(member_client):
    ProfileFactory(display_name="Anaïs Lemaire")
    page = member_client.get(URL).content.decode()
    assert "Mission exercée" not in page
    assert "Anaïs Lemaire" in page


def test_query_count_stays_constant_with_referentiel_filters(
    member_client, rated_network, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    member_client.get(URL)  # the published version's choices are cached on first use
    with CaptureQueriesContext(connection) as few:
        member_client.get(URL, {"mission": "M1"})
    for _ in range(20):
        profile = ProfileFactory()
        MissionDeclaration.objects.create(user=profile.user, mission_code="M1", time_share=10)
    with CaptureQueriesContext(connection) as many:
        member_client.get(URL, {"mission": "M1"})
    assert len(many) == len(few)
