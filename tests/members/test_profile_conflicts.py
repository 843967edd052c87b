"""The profile open in two tabs (issue 12, item 4): the second save gets the conflict page, never overwrites."""

import pytest
from django.urls import reverse

from core.concurrency import EditConflict
from members import services
from members.models import Profile
from tests.html import page_text
from tests.members.factories import ProfileFactory
from tests.two_tabs import form_data, open_form, save_twice

pytestmark = pytest.mark.django_db

URL = reverse("members:profile_edit")


@pytest.fixture
def second_tab(client, member):
    client.force_login(member)
    return client


def test_the_second_tab_gets_the_conflict_page_and_the_first_save_is_kept(member_client, second_tab, member):
    ProfileFactory(user=member, bio="Ma présentation.")

    response = save_twice(
        member_client,
        second_tab,
        URL,
        {"bio": "Présentation écrite dans le premier onglet."},
        {"bio": "Présentation écrite dans le second onglet."},
    )

    assert response.status_code == 200
    page = page_text(response)
    assert "Conflit de modification" in page
    assert "Présentation écrite dans le premier onglet." in page  # the version saved meanwhile
    assert "Présentation écrite dans le second onglet." in page  # what was typed, kept in the form
    profile = Profile.objects.get(user=member)
    assert profile.bio == "Présentation écrite dans le premier onglet."
    # The form now carries the current version: saving again is a deliberate choice, and goes through.
    again = member_client.post(URL, form_data(response.context["form"]))
    assert again.status_code == 302
    assert Profile.objects.get(user=member).bio == "Présentation écrite dans le second onglet."


def test_a_form_without_its_token_gets_the_conflict_page(member_client, member):
    ProfileFactory(user=member, bio="Ma présentation.")
    data = open_form(member_client, URL)
    del data["lock_version"]

    response = member_client.post(URL, data | {"bio": "Écrasement à l'aveugle."})

    assert response.status_code == 200
    assert "Conflit de modification" in page_text(response)
    assert Profile.objects.get(user=member).bio == "Ma présentation."


def test_the_service_refuses_a_stale_version(member):
    profile = ProfileFactory(user=member, bio="Ma présentation.")
    opened = profile.lock_version
    services.profile_update(profile=Profile.objects.get(pk=profile.pk), data={"bio": "Premier."}, lock_version=opened)

    with pytest.raises(EditConflict) as error:
        services.profile_update(
            profile=Profile.objects.get(pk=profile.pk), data={"bio": "Second."}, lock_version=opened
        )

    assert error.value.current.bio == "Premier."
    assert Profile.objects.get(pk=profile.pk).bio == "Premier."
