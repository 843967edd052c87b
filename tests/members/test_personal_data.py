import io
import json
import zipfile
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.core.management import call_command
from django.utils import timezone
from PIL import Image

from core.audit import audit_log
from core.models import AuditEntry
from members.enums import AccountStatus
from members.models import Council, Invitation, Profile, User
from members.services import user_erase
from tests.members.factories import DEFAULT_PASSWORD, CouncilFactory, InvitationFactory, ProfileFactory, UserFactory
from tests.members.images import image_bytes, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def profile(member, member_client):
    profile = ProfileFactory(user=member, display_name="Maëlle Tanguy", bio="Présentation personnelle")
    member_client.post(
        "/membres/mon-profil/",
        {
            "display_name": "Maëlle Tanguy",
            "council": profile.council.pk,
            "identity_visibility": "members",
            "post_visibility": "members",
            "about_visibility": "members",
            "contact_visibility": "hidden",
            "bio": "Présentation personnelle",
            "time_share": "40",
            "lock_version": profile.lock_version,
            "photo": upload("moi.png", image_bytes("PNG", size=(300, 300))),
        },
    )
    profile.refresh_from_db()
    assert profile.photo
    return profile


def test_the_export_is_a_zip_with_data_json_and_the_photo(member_client, member, profile):
    CouncilFactory(name="Conseil de développement déclaré par moi", is_validated=False, declared_by=member)
    page = member_client.get("/membres/mes-donnees/").content.decode()
    assert "Télécharger mes données" in page and "Supprimer mon compte" in page
    response = member_client.get("/membres/mes-donnees/telecharger/")
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert set(archive.namelist()) == {"data.json", "photo.webp"}
    data = json.loads(archive.read("data.json"))
    assert data["account"]["email"] == member.email
    assert data["account"]["last_name"] == member.last_name
    assert data["profile"]["display_name"] == "Maëlle Tanguy"
    assert data["profile"]["bio"] == "Présentation personnelle"
    assert data["profile"]["time_share"] == 40
    assert data["profile"]["council"] == profile.council.name
    assert data["profile"]["photo"] == "photo.webp"
    assert data["email_addresses"] == [{"email": member.email, "verified": True, "primary": True}]
    assert data["councils_declared"][0]["name"] == "Conseil de développement déclaré par moi"
    assert Image.open(io.BytesIO(archive.read("photo.webp"))).format == "WEBP"


def test_a_pending_account_can_export_its_data_without_a_profile(client, pending_user):
    client.force_login(pending_user)
    response = client.get("/membres/mes-donnees/telecharger/")
    data = json.loads(zipfile.ZipFile(io.BytesIO(response.content)).read("data.json"))
    assert data["account"]["status"] == AccountStatus.PENDING
    assert data["profile"] is None


def test_deletion_needs_the_password_and_the_confirmation(member_client, member, profile):
    response = member_client.post("/membres/mes-donnees/supprimer/", {"password": "mauvais", "confirm": "on"})
    assert "Ce mot de passe n&#x27;est pas le bon." in response.content.decode()
    response = member_client.post("/membres/mes-donnees/supprimer/", {"password": DEFAULT_PASSWORD})
    assert "Cochez cette case pour confirmer la suppression." in response.content.decode()
    member.refresh_from_db()
    assert member.is_active
    assert Profile.objects.filter(user=member).exists()


def test_deleting_the_account_erases_personal_data_and_keeps_an_anonymous_author(
    member_client, member, profile, curator, django_capture_on_commit_callbacks
):
    declared = CouncilFactory(declared_by=member)
    InvitationFactory(email=member.email)
    TOTP.activate(member, "JBSWY3DPEHPK3PXP")
    audit_log(actor=curator, action="members.user.approved", target=member)
    photo_storage, photo_name = profile.photo.storage, profile.photo.name
    with django_capture_on_commit_callbacks(execute=True):
        response = member_client.post(
            "/membres/mes-donnees/supprimer/", {"password": DEFAULT_PASSWORD, "confirm": "on"}, follow=True
        )
    assert "Votre compte et vos données personnelles ont été supprimés." in response.content.decode()
    assert not response.wsgi_request.user.is_authenticated

    erased = User.objects.get(pk=member.pk)
    assert str(erased) == "Ancien·ne membre"
    assert erased.first_name == erased.last_name == ""
    assert erased.email.endswith("@supprime.invalid")
    assert not erased.is_active
    assert not erased.has_usable_password()
    assert erased.erased_at is not None
    assert not Profile.objects.filter(user=erased).exists()
    assert not EmailAddress.objects.filter(user=erased).exists()
    assert not Authenticator.objects.filter(user=erased).exists()
    assert not Invitation.objects.filter(email__iexact=member.email).exists()
    assert not photo_storage.exists(photo_name)
    # Things that point at the person keep a valid, anonymous author.
    assert Council.objects.get(pk=declared.pk).declared_by == erased
    assert not AuditEntry.objects.filter(target_repr__icontains=member.last_name).exists()
    # The old address can sign up again, and the old credentials no longer work.
    assert not member_client.login(email=member.email, password=DEFAULT_PASSWORD)


def test_an_erased_member_disappears_from_the_directory(client, member, other_member, profile):
    user_erase(user=member)
    client.force_login(other_member)
    assert "Maëlle Tanguy" not in client.get("/membres/annuaire/").content.decode()
    assert client.get(f"/membres/{member.pk}/").status_code == 404


def test_purge_deletes_only_accounts_pending_for_too_long(settings):
    settings.PENDING_ACCOUNT_RETENTION_DAYS = 30
    old = timezone.now() - timedelta(days=31)
    stale = UserFactory(pending=True, date_joined=old)
    ProfileFactory(user=stale)
    recent = UserFactory(pending=True, date_joined=timezone.now() - timedelta(days=29))
    old_member = UserFactory(date_joined=old)
    old_refused = UserFactory(refused=True, date_joined=old)
    out = io.StringIO()
    call_command("purge_pending_accounts", stdout=out)
    assert "1 compte(s) en attente depuis plus de 30 jours supprimé(s)." in out.getvalue()
    assert set(User.objects.values_list("pk", flat=True)) == {recent.pk, old_member.pk, old_refused.pk}
    assert AuditEntry.objects.filter(action="members.user.purged", data__count=1).exists()


def test_purge_reads_the_days_from_the_option():
    UserFactory(pending=True, date_joined=timezone.now() - timedelta(days=3))
    call_command("purge_pending_accounts", "--days", "2", stdout=io.StringIO())
    assert not User.objects.exists()
