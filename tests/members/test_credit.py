"""How a member is credited for their contributions (Profile.credit, User.credit_name), chosen on the profile form."""

import pytest
from django.urls import reverse
from django.utils import timezone

from members.enums import CREDIT_DEFAULT, Credit
from members.models import Profile, initials
from tests.html import main_text, select_one, text_of
from tests.members.factories import ProfileFactory, UserFactory
from tests.two_tabs import open_form

pytestmark = pytest.mark.django_db

URL = "/membres/mon-profil/"
# How the privacy page and the form's help text word each possible default.
DEFAULT_IN_WORDS = {Credit.INITIALS: "vos initiales", Credit.FULL_NAME: "votre nom complet"}


def _claire(**profile):
    user = UserFactory(first_name="Claire", last_name="Martin")
    if profile:
        ProfileFactory(user=user, **profile)
    return user


@pytest.mark.parametrize(
    ("credit", "shown"), [(Credit.FULL_NAME, "Claire Martin"), (Credit.INITIALS, "C. M."), (Credit.HIDDEN, None)]
)
def test_each_choice_names_the_contributor_accordingly(credit, shown):
    assert _claire(credit=credit).credit_name() == shown


def test_without_a_profile_the_default_applies_and_it_is_initials():
    assert CREDIT_DEFAULT == Credit.INITIALS
    assert Profile._meta.get_field("credit").default == CREDIT_DEFAULT
    assert _claire().credit_name() == "C. M."


def test_an_account_without_a_name_is_credited_by_its_display_name_or_not_at_all():
    nameless = UserFactory(first_name="", last_name="")
    assert nameless.credit_name() is None
    ProfileFactory(user=nameless, display_name="Jean-Pierre Le Goff", credit=Credit.INITIALS)
    nameless.refresh_from_db()
    assert nameless.credit_name() == "J.-P. L. G."
    assert initials("  élise  d'Aubigné ") == "É. D."


def test_an_erased_account_is_a_former_member_and_moderation_sees_the_full_name():
    hidden = _claire(credit=Credit.HIDDEN)
    assert hidden.credit_name(moderation=True) == "Claire Martin"
    hidden.erased_at = timezone.now()
    assert hidden.credit_name() == "Ancien·ne membre"
    assert hidden.credit_name(moderation=True) == "Ancien·ne membre"


# The profile form --------------------------------------------------------------------------------


def test_the_profile_form_offers_the_choice_in_french_with_where_it_applies(member_client, member):
    ProfileFactory(user=member)
    response = member_client.get(URL)

    field = select_one(response, "#div_id_credit")
    assert "Comment mon nom apparaît-il dans mes contributions à la fiche de poste ?" in text_of(field)
    assert [text_of(option) for option in field.iter("option")] == [
        "Mon nom complet",
        "Mes initiales",
        "Ne pas me nommer",
    ]
    help_text = text_of(select_one(response, "#id_credit_helptext"))
    assert "fiches de poste publiées (PDF, y compris ceux déjà publiés)" in help_text
    assert "historique, activité, propositions et commentaires" in help_text
    assert f"Par défaut : {DEFAULT_IN_WORDS[CREDIT_DEFAULT]}" in help_text
    # It sits with the identity fields, the name's own group.
    identity = select_one(response, "fieldset:first-of-type")
    assert text_of(select_one(identity, "legend")) == "Identité"
    assert select_one(identity, "#id_credit option[selected]").get("value") == CREDIT_DEFAULT


def test_a_member_chooses_not_to_be_named(member_client, member):
    ProfileFactory(user=member)
    response = member_client.post(URL, open_form(member_client, URL) | {"credit": Credit.HIDDEN}, follow=True)

    assert "Votre profil est enregistré." in main_text(response)
    assert Profile.objects.get(user=member).credit == Credit.HIDDEN
    assert select_one(member_client.get(URL), "#id_credit option[selected]").get("value") == Credit.HIDDEN


def test_an_unknown_choice_is_refused_and_a_form_without_it_keeps_the_current_one(member_client, member):
    ProfileFactory(user=member, credit=Credit.FULL_NAME)
    form = open_form(member_client, URL)

    refused = member_client.post(URL, form | {"credit": "pseudonyme"})
    assert refused.status_code == 200
    assert "Sélectionnez un choix valide" in text_of(select_one(refused, "#div_id_credit"))

    # A form opened before the choice existed leaves it out: saving it changes nothing to the choice.
    form.pop("credit")
    member_client.post(URL, form | {"bio": "Nouvelle présentation"})
    profile = Profile.objects.get(user=member)
    assert (profile.bio, profile.credit) == ("Nouvelle présentation", Credit.FULL_NAME)


def test_the_privacy_page_states_the_default(client):
    page = main_text(client.get(reverse("privacy")))

    assert "Votre nom dans les contributions" in page
    assert f"Par défaut : {DEFAULT_IN_WORDS[CREDIT_DEFAULT]}" in page
    assert "votre nom complet, vos initiales, ou aucun nom" in page
