import pytest

from members.enums import Audience, Visibility
from members.visibility import audience_for, profile_view
from tests.members.factories import ProfileFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def profile(member):
    return ProfileFactory(
        user=member,
        display_name="Inès Garnier",
        pronouns="elle",
        job_title="Chargée de mission participation",
        employer="Ville-centre",
        grade="Rédactrice principale",
        bio="Bio visible du public",
        training_wishes="Former à la facilitation",
        identity_visibility=Visibility.MEMBERS,
        post_visibility=Visibility.TEAM,
        about_visibility=Visibility.PUBLIC,
        contact_visibility=Visibility.HIDDEN,
    )


def test_each_audience_sees_its_own_share(profile, other_member, curator, member):
    as_member = profile_view(profile=profile, viewer=other_member)
    assert as_member.audience == Audience.MEMBER
    assert as_member.groups == {"identity", "about"}
    assert as_member.job_title == "Chargée de mission participation"
    assert as_member.grade is None
    assert as_member.email is None

    as_team = profile_view(profile=profile, viewer=curator)
    assert as_team.groups == {"identity", "post", "about"}
    assert as_team.grade == "Rédactrice principale"
    assert as_team.email is None

    as_self = profile_view(profile=profile, viewer=member)
    assert as_self.email == member.email


def test_the_public_sees_nothing_of_a_members_only_identity(profile, client):
    assert audience_for(viewer=None, profile=profile) == Audience.PUBLIC
    response = client.get(f"/membres/{profile.user_id}/")
    assert response.status_code == 404


def test_the_member_page_shows_what_a_member_may_see(profile, client, other_member):
    client.force_login(other_member)
    page = client.get(f"/membres/{profile.user_id}/").content.decode()
    assert "<h1" in page and "Inès Garnier" in page
    assert profile.council.name in page
    assert "Chargée de mission participation" in page
    assert "Bio visible du public" in page
    assert "Rédactrice principale" not in page  # post facts are for the CNCD team
    assert profile.user.email not in page  # email hidden by default


def test_the_team_sees_post_facts(profile, curator_client):
    page = curator_client.get(f"/membres/{profile.user_id}/").content.decode()
    assert "Rédactrice principale" in page
    assert profile.user.email not in page


def test_a_public_profile_shows_only_public_groups_to_visitors(profile, client):
    profile.identity_visibility = Visibility.PUBLIC
    profile.contact_visibility = Visibility.PUBLIC
    profile.save()
    page = client.get(f"/membres/{profile.user_id}/").content.decode()
    assert "Inès Garnier" in page
    assert "Bio visible du public" in page
    assert profile.user.email in page
    assert "Rédactrice principale" not in page
    assert '<meta name="robots" content="noindex">' in page


def test_pending_accounts_are_treated_as_the_public(profile, client, pending_user):
    client.force_login(pending_user)
    assert client.get(f"/membres/{profile.user_id}/").status_code == 404


def test_profiles_of_pending_or_refused_accounts_are_not_shown(member_client):
    hidden = ProfileFactory(user=UserFactory(pending=True), identity_visibility=Visibility.PUBLIC)
    refused = ProfileFactory(user=UserFactory(refused=True))
    assert member_client.get(f"/membres/{hidden.user_id}/").status_code == 404
    assert member_client.get(f"/membres/{refused.user_id}/").status_code == 404


def test_the_preview_shows_the_profile_as_a_member_and_as_the_public(profile, member_client):
    page = member_client.get("/membres/mon-profil/apercu/?comme=membre").content.decode()
    assert "tel que le voit un membre du réseau" in page
    assert "Chargée de mission participation" in page
    assert "Rédactrice principale" not in page
    assert profile.user.email not in page

    page = member_client.get("/membres/mon-profil/apercu/?comme=public").content.decode()
    assert "Votre profil n'est pas visible du public" in page
    assert "Chargée de mission participation" not in page

    profile.identity_visibility = Visibility.PUBLIC
    profile.save()
    page = member_client.get("/membres/mon-profil/apercu/?comme=public").content.decode()
    assert "Inès Garnier" in page
    assert "Bio visible du public" in page
    assert "Former à la facilitation" in page
    assert "Rédactrice principale" not in page


def test_an_email_opened_to_members_is_shown_to_them(profile, other_member, client):
    profile.contact_visibility = Visibility.MEMBERS
    profile.save()
    client.force_login(other_member)
    assert profile.user.email in client.get(f"/membres/{profile.user_id}/").content.decode()
