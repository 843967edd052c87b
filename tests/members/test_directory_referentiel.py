"""Directory filters by declared mission and by self-assessed competence level."""

import pytest

from competences.enums import FrameworkStatus
from competences.models import AssessmentSharing, SelfAssessment
from members.enums import Visibility
from missions.models import MissionDeclaration
from referentiel.services import framework_publish
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

    # The published version's choices, the form and each new card are kept on first use: counted once kept.
    member_client.get(URL, {"mission": "M1"})
    with CaptureQueriesContext(connection) as few:
        member_client.get(URL, {"mission": "M1"})
    for _ in range(20):
        profile = ProfileFactory()
        MissionDeclaration.objects.create(user=profile.user, mission_code="M1", time_share=10)
    member_client.get(URL, {"mission": "M1"})
    with CaptureQueriesContext(connection) as many:
        member_client.get(URL, {"mission": "M1"})
    assert len(many) == len(few)


def test_a_referentiel_filter_shows_a_new_declaration_at_the_next_request(member_client, rated_network):
    assert shown(member_client.get(URL, {"mission": "M2"})) == {"Basile Roux"}
    MissionDeclaration.objects.create(user=rated_network["anais"].user, mission_code="M2", time_share=10)
    assert shown(member_client.get(URL, {"mission": "M2"})) == {"Anaïs Lemaire", "Basile Roux"}
    sharing = AssessmentSharing.objects.get(user=rated_network["basile"].user)
    assert shown(member_client.get(URL, {"competence": "C-1-01"})) == {"Anaïs Lemaire", "Basile Roux"}
    sharing.in_directory = False
    sharing.save()
    assert shown(member_client.get(URL, {"competence": "C-1-01"})) == {"Anaïs Lemaire"}


def test_a_first_publication_offers_its_choices_at_the_next_request(member_client, curator):
    ProfileFactory(display_name="Anaïs Lemaire")
    assert "Mission exercée" not in member_client.get(URL).content.decode()  # nothing published: kept so
    draft = build_version(status=FrameworkStatus.DRAFT)
    assert "Mission exercée" not in member_client.get(URL).content.decode()
    framework_publish(draft=draft, summary="Première version", actor=curator)
    page = member_client.get(URL).content.decode()
    assert "Mission exercée" in page and 'value="C-1-01"' in page
