"""The directory keeps its filter form, its count and its cards (issue 22): what it serves from the cache is
what it would render, for this viewer, with the data as it is now."""

import pytest
from django.urls import reverse

from members.enums import AccountStatus, EmploymentStatus, Visibility
from members.models import Department, Region
from tests.html import select, select_one, text_of
from tests.members.factories import CouncilFactory, ProfileFactory

pytestmark = pytest.mark.django_db

URL = reverse("members:directory")


def card_of(response, name: str) -> str:
    cards = [text_of(card) for card in select(response, ".directory-item") if name in text_of(card)]
    assert len(cards) == 1, f"{len(cards)} cards of {name}"
    return cards[0]


def count_of(response) -> str:
    return text_of(select_one(response, "#directory-count"))


def test_a_card_kept_for_one_viewer_never_shows_another_what_only_the_first_may_see(client, member, curator):
    ProfileFactory(
        display_name="Chloé Secret",
        employment_status=EmploymentStatus.CONTRACTUEL,
        time_share=20,
        post_visibility=Visibility.TEAM,
    )
    client.force_login(curator)
    assert "Contractuel" in card_of(client.get(URL), "Chloé Secret")
    client.force_login(member)
    card = card_of(client.get(URL), "Chloé Secret")
    assert "Contractuel" not in card
    assert "20 % du temps" not in card
    client.force_login(curator)
    assert "20 % du temps" in card_of(client.get(URL), "Chloé Secret")


def test_a_member_s_own_card_shows_them_everything_and_only_them(client, member, other_member):
    ProfileFactory(
        user=member, display_name="Moi Même", employment_status=EmploymentStatus.TITULAIRE, post_visibility="hidden"
    )
    client.force_login(member)
    assert "Titulaire" in card_of(client.get(URL), "Moi Même")
    client.force_login(other_member)
    assert "Titulaire" not in card_of(client.get(URL), "Moi Même")


def test_a_changed_profile_or_council_shows_at_the_next_request(member_client):
    council = CouncilFactory(name="Conseil de développement du Trégor")
    profile = ProfileFactory(display_name="Alice Bréhat", council=council, job_title="Animatrice")
    assert "Animatrice" in card_of(member_client.get(URL), "Alice Bréhat")
    profile.job_title = "Coordinatrice"
    profile.post_visibility = Visibility.HIDDEN
    profile.save()
    assert "Coordinatrice" in card_of(member_client.get(URL), "Alice Bréhat")
    council.name = "Conseil de développement de Lannion-Trégor"
    council.save()
    assert "Lannion-Trégor" in card_of(member_client.get(URL), "Alice Bréhat")
    council.departments.set([Department.objects.get(code="22")])
    assert "Côtes-d'Armor" in card_of(member_client.get(URL), "Alice Bréhat")


def test_the_kept_count_follows_new_profiles_and_accounts_leaving(member_client, member):
    ProfileFactory(user=member)
    others = [ProfileFactory() for _ in range(2)]
    assert count_of(member_client.get(URL)) == "3 technicien·nes trouvé·es"
    ProfileFactory()
    assert count_of(member_client.get(URL)) == "4 technicien·nes trouvé·es"
    user = others[0].user
    user.status = AccountStatus.REFUSED
    user.save()
    assert count_of(member_client.get(URL)) == "3 technicien·nes trouvé·es"
    others[1].user.delete()
    assert count_of(member_client.get(URL)) == "2 technicien·nes trouvé·es"
    # With criteria, the count is that of the criteria.
    assert count_of(member_client.get(URL, {"q": member.profile.display_name})) == "1 technicien·ne trouvé·e"


def test_the_kept_form_keeps_the_chosen_values_and_follows_the_territories(member_client):
    region = Region.objects.order_by("name").first()
    assert [option.get("value") for option in select(member_client.get(URL), "#id_region option[selected]")] in (
        [],
        [""],
    )
    chosen = member_client.get(URL, {"region": region.pk, "q": "Trégor"})
    assert select_one(chosen, "#id_region option[selected]").get("value") == str(region.pk)
    assert select_one(chosen, "#id_q").get("value") == "Trégor"
    assert select_one(member_client.get(URL), "#id_q").get("value") is None
    Region.objects.create(code="99", name="Région d'essai")
    options = [option.text for option in select(member_client.get(URL), "#id_region option")]
    assert "Région d'essai" in options


def test_the_kept_form_is_in_the_viewer_s_language(member_client):
    assert "Rechercher" in text_of(select_one(member_client.get(URL), "form[role=search]"))
    member_client.cookies["django_language"] = "en"
    assert "Rechercher" not in text_of(select_one(member_client.get(URL), "form[role=search]"))


def test_a_new_territory_is_found_by_the_search_at_once(member_client):
    assert "Alice Bréhat" not in member_client.get(URL, {"q": "Vexin"}).content.decode()  # the territories are kept
    region = Region.objects.create(code="98", name="Région d'essai")
    council = CouncilFactory(name="Conseil de développement d'essai")
    council.departments.set([Department.objects.create(code="9Z", name="Vexin", region=region)])
    ProfileFactory(display_name="Alice Bréhat", council=council)
    assert "Alice Bréhat" in member_client.get(URL, {"q": "Vexin"}).content.decode()


# --- The page of results, kept per criteria and kind of viewer ------------------------------------------------


def test_a_member_finds_their_own_full_card_on_a_page_another_member_kept(client, member, other_member):
    ProfileFactory(
        user=member, display_name="Moi Même", employment_status=EmploymentStatus.TITULAIRE, post_visibility="hidden"
    )
    ProfileFactory(display_name="Une Autre")
    for viewer, shows in ((other_member, False), (member, True), (other_member, False), (member, True)):
        client.force_login(viewer)
        assert ("Titulaire" in card_of(client.get(URL, {"q": "Même"}), "Moi Même")) is shows
        assert ("Titulaire" in card_of(client.get(URL), "Moi Même")) is shows


def test_a_kept_page_of_results_is_per_kind_of_viewer(client, member, curator):
    ProfileFactory(
        display_name="Chloé Secret", employment_status=EmploymentStatus.CONTRACTUEL, post_visibility=Visibility.TEAM
    )
    ProfileFactory(
        display_name="Basile Roux", employment_status=EmploymentStatus.CONTRACTUEL, post_visibility=Visibility.MEMBERS
    )
    criteria = {"statut": EmploymentStatus.CONTRACTUEL}
    for viewer, found in ((curator, 2), (member, 1), (curator, 2), (member, 1)):
        client.force_login(viewer)
        response = client.get(URL, criteria)
        assert len(select(response, ".directory-item")) == found
        assert ("Contractuel" in text_of(select_one(response, "#directory-results"))) is True
    client.force_login(member)
    assert "Chloé Secret" not in client.get(URL, criteria).content.decode()


def test_a_kept_search_follows_a_council_s_name_and_départements(member_client):
    council = CouncilFactory(
        name="Conseil de développement du Trégor", authority_name="Lannion-Trégor Communauté", departments=["29"]
    )
    ProfileFactory(display_name="Alice Bréhat", council=council)
    côtes = Department.objects.get(code="22")
    assert "Alice Bréhat" in member_client.get(URL, {"q": "Trégor"}).content.decode()
    assert (
        "Alice Bréhat"
        not in member_client.get(URL, {"region": côtes.region_id, "departement": côtes.pk}).content.decode()
    )
    council.name = "Conseil de développement du Léon"
    council.authority_name = "Pays de Landerneau-Daoulas"
    council.save()
    assert "Alice Bréhat" not in member_client.get(URL, {"q": "Trégor"}).content.decode()
    council.departments.add(côtes)
    assert (
        "Alice Bréhat" in member_client.get(URL, {"region": côtes.region_id, "departement": côtes.pk}).content.decode()
    )
    council.delete()
    assert "Alice Bréhat" not in member_client.get(URL, {"q": "Léon"}).content.decode()


def test_a_kept_page_of_results_follows_a_changed_visibility_and_the_pages(member_client):
    council = CouncilFactory(name="Conseil de développement du Trégor")
    profiles = [ProfileFactory(display_name=f"Technicienne {number:02d}", council=council) for number in range(21)]
    assert "Technicienne 20" in member_client.get(URL, {"q": "Trégor", "page": 2}).content.decode()
    assert "Page 1 sur 2" in member_client.get(URL, {"q": "Trégor"}).content.decode()
    profiles[0].delete()
    assert "Aucun·e technicien·ne" not in member_client.get(URL, {"q": "Trégor", "page": 2}).content.decode()
    page = member_client.get(URL, {"q": "Trégor"}).content.decode()
    assert "Page 1 sur 2" not in page and "Technicienne 20" in page
