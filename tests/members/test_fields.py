"""The profile field groups (members.fields) feed the form, the visibility rules and the export."""

import io
import json
import re
import zipfile

import pytest

from core.personal_data import personal_data_archive
from members.enums import Visibility
from members.fields import PROFILE_GROUPS
from members.models import Profile
from members.visibility import profile_view
from tests.members.factories import ProfileFactory

pytestmark = pytest.mark.django_db

# Technical fields, not something the member tells: none of them is shown, hidden or edited.
TECHNICAL = {"id", "user", "lock_version", "updated_at", "search_text"}


def test_every_profile_field_belongs_to_one_group():
    model_fields = {field.name for field in Profile._meta.concrete_fields} - TECHNICAL
    visibility_fields = {group.visibility_field for group in PROFILE_GROUPS}
    grouped = [name for group in PROFILE_GROUPS for name in group.fields if name != "email"]
    assert len(grouped) == len(set(grouped))
    assert set(grouped) == model_fields - visibility_fields
    assert visibility_fields <= model_fields


def test_the_form_shows_each_group_with_its_visibility_last(member_client, member):
    ProfileFactory(user=member)
    page = member_client.get("/membres/mon-profil/").content.decode()
    legends = re.findall(r"<legend[^>]*>\s*(.*?)\s*</legend>", page)
    assert legends == ["Identité", "Mon poste", "À propos", "Contact"]
    fieldsets = re.findall(r"<fieldset.*?</fieldset>", page, re.S)
    for group, fieldset in zip(PROFILE_GROUPS, fieldsets, strict=True):
        names = re.findall(r'name="([a-z_]+)"', fieldset)
        assert names[-1] == group.visibility_field
        assert set(names[:-1]) == set(group.fields) - {"email"}
    # Short post facts sit side by side.
    assert re.search(r'class="col-md-6"\s*>\s*<div id="div_id_time_share"', page)


def test_hiding_a_group_hides_all_its_fields_and_only_them(member, other_member):
    profile = ProfileFactory(
        user=member,
        pronouns="iel",
        employer="Communauté de communes",
        employment_status="titulaire",
        bio="Présentation",
        post_visibility=Visibility.HIDDEN,
        about_visibility=Visibility.MEMBERS,
    )
    view = profile_view(profile=profile, viewer=other_member)
    post = next(group for group in PROFILE_GROUPS if group.key == "post")
    assert all(getattr(view, name) is None for name in post.fields)
    assert view.employment_status_label is None
    assert view.pronouns == "iel" and view.bio == "Présentation"
    assert view.display_name == profile.display_name


def test_the_export_holds_every_profile_field(member_client, member):
    ProfileFactory(user=member, display_name="Maëlle Tanguy", time_share=40, grade="Attachée")
    archive = zipfile.ZipFile(io.BytesIO(personal_data_archive(member)))
    [profile] = json.loads(archive.read("membres-profil.json"))
    assert list(profile) == [
        "display_name",
        "credit",
        "pronouns",
        "job_title",
        "employer",
        "time_share",
        "employment_status",
        "category",
        "filiere",
        "grade",
        "started_on",
        "placement",
        "bio",
        "help_topics",
        "training_wishes",
        "open_to_exchange",
        "identity_visibility",
        "post_visibility",
        "about_visibility",
        "contact_visibility",
        "council",
        "photo",
        "updated_at",
    ]
    assert profile["grade"] == "Attachée" and profile["time_share"] == 40
