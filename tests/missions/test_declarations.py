import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from missions.models import MissionDeclaration
from missions.services import declarations_save
from tests.referentiel.factories import build_version
from tests.two_tabs import open_form

pytestmark = pytest.mark.django_db

URL = reverse("missions:declaration")


def test_declarations_total_is_at_most_100(member):
    build_version()
    declarations_save(user=member, shares={"M1": 60, "M2": 40})
    assert MissionDeclaration.objects.of_user(member).count() == 2
    with pytest.raises(ValidationError, match="dépasse 100 %"):
        declarations_save(user=member, shares={"M1": 70, "M2": 40})
    with pytest.raises(ValidationError, match="Mission inconnue"):
        declarations_save(user=member, shares={"M9": 10})
    declarations_save(user=member, shares={"M2": 30})
    assert list(MissionDeclaration.objects.of_user(member).values_list("mission_code", "time_share")) == [("M2", 30)]


def test_member_declares_missions_through_the_page(member_client, member):
    build_version()
    # The form's version token, as the page gives it; none of the refused posts below changes it.
    opened = {"token": open_form(member_client, URL)["token"]}
    response = member_client.post(
        URL, opened | {"carried-M1": "on", "share-M1": "50", "carried-M2": "on", "share-M2": "60"}
    )
    content = response.content.decode()
    assert "La somme des parts de temps dépasse 100 % (110 %)." in content
    assert 'value="60"' in content
    assert not MissionDeclaration.objects.exists()
    response = member_client.post(URL, opened | {"carried-M1": "on", "share-M1": ""})
    assert "Indiquez la part de votre temps pour cette mission." in response.content.decode()
    response = member_client.post(URL, opened | {"carried-M1": "on", "share-M1": "50", "share-M2": "20"}, follow=True)
    assert "Vos missions sont enregistrées." in response.content.decode()
    assert "Total déclaré actuellement : 50 %." in response.content.decode()
    assert MissionDeclaration.objects.get(user=member).mission_code == "M1"


def test_declaration_page_needs_an_approved_account(client, pending_user):
    assert client.get(URL).status_code == 302
    client.force_login(pending_user)
    assert client.get(URL)["Location"] == reverse("members:pending")


def test_demo_seed_declares_a_half_time_post():
    from members import demo as members_demo
    from members.models import User
    from missions import demo
    from referentiel import demo as competences_demo

    members_demo.seed()
    competences_demo.seed()
    demo.seed()
    demo.seed()
    member = User.objects.get(email="technicienne@demo.codev-reseau.fr")
    assert sum(MissionDeclaration.objects.of_user(member).values_list("time_share", flat=True)) == 50


def test_shares_are_checked_against_the_profiles_time_share(member_client, member):
    from tests.html import select_one, text_of

    build_version()
    from tests.members.factories import ProfileFactory

    ProfileFactory(user=member, time_share=40)
    page = member_client.get(URL)
    assert "vous consacrez 40 % de votre temps au conseil de développement" in text_of(
        select_one(page, "#profile-share")
    )
    opened = {"token": open_form(member_client, URL)["token"]}
    response = member_client.post(
        URL, opened | {"carried-M1": "on", "share-M1": "30", "carried-M2": "on", "share-M2": "25"}
    )
    assert response.status_code == 200
    error = text_of(select_one(response, "#declaration-errors"))
    assert error == (
        "Vos missions totalisent 55 % de votre temps de travail, mais votre profil indique que vous consacrez 40 % "
        "de votre temps au conseil de développement : ensemble, les missions ne peuvent pas dépasser 40 %. "
        "Réduisez les parts ci-dessous (il y a 15 % de trop), ou corrigez la part de temps indiquée dans votre profil."
    )
    # What was typed is kept, and the shares point to the message.
    assert select_one(response, "#id_share-M1").get("value") == "30"
    assert select_one(response, "#id_share-M2").get("value") == "25"
    assert select_one(response, "#id_share-M2").get("aria-describedby") == "declaration-errors"
    assert not MissionDeclaration.objects.exists()
    response = member_client.post(
        URL, opened | {"carried-M1": "on", "share-M1": "30", "carried-M2": "on", "share-M2": "10"}
    )
    assert response.status_code == 302
    assert sum(MissionDeclaration.objects.of_user(member).values_list("time_share", flat=True)) == 40


def test_without_a_time_share_in_the_profile_only_100_is_the_limit(member_client, member):
    from tests.html import select_one, text_of

    build_version()
    from tests.members.factories import ProfileFactory

    ProfileFactory(user=member, time_share=None)
    assert "n'indique pas encore la part de votre temps" in text_of(
        select_one(member_client.get(URL), "#profile-share")
    )
    opened = {"token": open_form(member_client, URL)["token"]}
    response = member_client.post(
        URL, opened | {"carried-M1": "on", "share-M1": "80", "carried-M2": "on", "share-M2": "30"}
    )
    assert "La somme des parts de temps dépasse 100 % (110 %)." in text_of(select_one(response, "#declaration-errors"))
    assert member_client.post(URL, opened | {"carried-M1": "on", "share-M1": "80"}).status_code == 302
