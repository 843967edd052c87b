"""The declared missions open in two tabs (issue 12, item 4): the second save gets the conflict page."""

import pytest
from django.urls import reverse

from core.concurrency import EditConflict
from missions import services
from missions.models import MissionDeclaration
from tests.html import page_text
from tests.referentiel.factories import build_version
from tests.two_tabs import form_data, open_form, save_twice

pytestmark = pytest.mark.django_db

URL = reverse("missions:declaration")


@pytest.fixture
def second_tab(client, member):
    client.force_login(member)
    return client


def _declared(user):
    return list(MissionDeclaration.objects.of_user(user).values_list("mission_code", "time_share"))


def test_the_second_tab_gets_the_conflict_page_and_the_first_save_is_kept(member_client, second_tab, member):
    build_version()

    response = save_twice(
        member_client,
        second_tab,
        URL,
        {"carried-M1": "on", "share-M1": "50"},
        {"carried-M2": "on", "share-M2": "30"},
    )

    assert response.status_code == 200
    page = page_text(response)
    assert "Conflit de modification" in page
    assert "Vos missions ont été enregistrées depuis un autre onglet" in page
    # Each difference names its mission: the saved share of M1, the one typed for M2.
    assert "M1 — Part de mon temps de travail (%)" in page
    assert "M2 — Part de mon temps de travail (%)" in page
    assert _declared(member) == [("M1", 50)]
    form = response.context["form"]
    assert form["share-M2"].value() == "30"  # what was typed, kept
    # The form now carries the current token: saving again is a deliberate choice, and goes through.
    again = member_client.post(URL, form_data(form))
    assert again.status_code == 302
    assert _declared(member) == [("M2", 30)]


def test_a_form_without_its_token_gets_the_conflict_page(member_client, member):
    build_version()
    services.declarations_save(user=member, shares={"M1": 40})
    data = open_form(member_client, URL)
    del data["token"]

    response = member_client.post(URL, data | {"carried-M2": "on", "share-M2": "20"})

    assert response.status_code == 200
    assert "Conflit de modification" in page_text(response)
    assert _declared(member) == [("M1", 40)]


def test_the_service_refuses_a_stale_token(member):
    build_version()
    opened = services.declarations_token(member)
    services.declarations_save(user=member, shares={"M1": 40}, token=opened)

    with pytest.raises(EditConflict):
        services.declarations_save(user=member, shares={"M2": 20}, token=opened)

    assert _declared(member) == [("M1", 40)]
