"""A member's own data through the site: the archive prepared in the background, followed on its status
page, downloaded by its owner for a day; the account erased everywhere, sessions ended, audited anonymously."""

import io
import json
import zipfile
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth import HASH_SESSION_KEY
from django.contrib.sessions.models import Session
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.audit import audit_log
from core.enums import PdfExportStatus
from core.models import AuditEntry, PersonalDataExport
from core.personal_data_exports import personal_data_export_build
from members.enums import AccountStatus
from members.models import Council, Invitation, Profile, User
from members.services import user_erase
from tests.core.worker import DATABASE_TASKS
from tests.html import assert_in_main, assert_not_in_main, content_bytes, select, select_one, text_of
from tests.members.factories import DEFAULT_PASSWORD, CouncilFactory, InvitationFactory, ProfileFactory, UserFactory
from tests.members.images import image_bytes, upload

pytestmark = pytest.mark.django_db

MY_DATA = reverse("members:my_data")
REQUEST = reverse("members:data_export_request")
DELETE = reverse("members:account_delete")


def status_url(export) -> str:
    return reverse("members:data_export_status", args=[export.pk])


def download_url(export) -> str:
    return reverse("members:data_export", args=[export.pk])


@pytest.fixture
def profile(member, member_client):
    profile = ProfileFactory(user=member, display_name="Maëlle Tanguy", bio="Présentation personnelle")
    member_client.post(
        "/membres/mon-profil/",
        {
            "display_name": "Maëlle Tanguy",
            "council": profile.council.pk,
            "credit": "initials",
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


@pytest.fixture
def prepare(django_capture_on_commit_callbacks):
    """Press "Préparer mon archive"; the task runs inline once the request commits (test settings)."""

    def press(client):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(REQUEST)
        export = PersonalDataExport.objects.latest("created_at")
        assert response.status_code == 302
        assert response.url == status_url(export)
        return export

    return press


def _archive(response) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(content_bytes(response)))


# Preparing, following, downloading ----------------------------------------------------------------


def test_prepare_then_follow_then_download(member_client, member, profile, prepare):
    CouncilFactory(name="Conseil de développement déclaré par moi", is_validated=False, declared_by=member)
    page = member_client.get(MY_DATA)
    assert_in_main(page, "Télécharger mes données", "Préparer mon archive", "Supprimer mon compte")
    form = select_one(page, f'main form[action="{REQUEST}"]')
    assert form.get("method") == "post"

    export = prepare(member_client)
    assert export.user == member and export.status == PdfExportStatus.DONE

    status = member_client.get(status_url(export))
    assert_in_main(status, "Votre archive est prête.")
    link = select_one(status, "#export-progress a")
    assert text_of(link) == "Télécharger" and link.get("href") == download_url(export)
    # Finished: nothing polls any more, and no refresh link is offered.
    assert not select(status, "[hx-get]")
    assert_not_in_main(status, "Actualiser")

    response = member_client.get(download_url(export))
    assert response["Content-Type"] == "application/zip"
    assert 'attachment; filename="mes-donnees-reseau-codev-' in response["Content-Disposition"]
    assert {"private", "no-store"} <= {part.strip() for part in response["Cache-Control"].split(",")}
    archive = _archive(response)
    names = set(archive.namelist())
    assert {"membres-compte.json", "membres-compte.csv", "membres-profil.json", "LISEZMOI.txt"} <= names
    assert "fichiers/photo.webp" in names
    [account] = json.loads(archive.read("membres-compte.json"))
    assert account["email"] == member.email and account["last_name"] == member.last_name
    [values] = json.loads(archive.read("membres-profil.json"))
    assert values["display_name"] == "Maëlle Tanguy"
    assert values["bio"] == "Présentation personnelle"
    assert values["time_share"] == 40
    assert values["credit"] == "Mes initiales"
    declared = json.loads(archive.read("membres-conseils-declares.json"))
    assert [row["name"] for row in declared] == ["Conseil de développement déclaré par moi"]
    assert json.loads(archive.read("membres-adresses-email.json")) == [
        {"email": member.email, "verified": True, "primary": True}
    ]

    # The data page then points to the archive still available.
    page = member_client.get(MY_DATA)
    assert text_of(select_one(page, f'main a[href="{download_url(export)}"]')) == "Télécharger cette archive"


def test_a_pending_account_can_prepare_its_archive_without_a_profile(client, pending_user, prepare):
    client.force_login(pending_user)
    export = prepare(client)
    archive = _archive(client.get(download_url(export)))
    [account] = json.loads(archive.read("membres-compte.json"))
    assert account["status"] == AccountStatus.PENDING.label
    assert json.loads(archive.read("membres-profil.json")) == []


def test_preparing_is_a_post_only(member_client):
    assert member_client.get(REQUEST).status_code == 405
    assert not PersonalDataExport.objects.exists()


def test_while_queued_the_status_page_polls_and_offers_a_refresh_link(
    member_client, member, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = DATABASE_TASKS  # as in production: the request only queues the archive
    with django_capture_on_commit_callbacks(execute=True):
        member_client.post(REQUEST)
    export = PersonalDataExport.objects.get(user=member)
    assert export.status == PdfExportStatus.QUEUED

    page = member_client.get(status_url(export))
    assert_in_main(page, "Étape 1 sur 3", "En file d'attente")
    poller = select_one(page, "#export-progress")
    assert poller.get("hx-get") == f"{status_url(export)}?etat=queued"
    assert poller.get("hx-trigger") == "every 2s"
    refresh = select_one(page, "#export-refresh a")
    assert text_of(refresh) == "Actualiser" and refresh.get("href") == status_url(export)
    # Not ready: the download link leads back to the status page.
    response = member_client.get(download_url(export))
    assert response.status_code == 302 and response.url == status_url(export)

    # htmx asks again: nothing new is 204, a new stage is the fragment.
    htmx = {"HTTP_HX_REQUEST": "true"}
    assert member_client.get(status_url(export), {"etat": "queued"}, **htmx).status_code == 204
    personal_data_export_build.call(str(export.pk))
    fragment = member_client.get(status_url(export), {"etat": "queued"}, **htmx)
    assert fragment.status_code == 200
    assert "Votre archive est prête." in text_of(select_one(fragment, "#export-progress"))
    assert not select(fragment, "[hx-get]")
    # The refresh link, outside the fragment, is removed out of band.
    assert select_one(fragment, "#export-refresh").get("hx-swap-oob") == "true"
    assert "HX-Request" in fragment["Vary"]


def test_pressing_twice_while_it_is_prepared_queues_one_archive(
    member_client, member, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = DATABASE_TASKS
    with django_capture_on_commit_callbacks(execute=True):
        first = member_client.post(REQUEST)
        second = member_client.post(REQUEST)
    export = PersonalDataExport.objects.get(user=member)
    assert first.url == second.url == status_url(export)
    personal_data_export_build.call(str(export.pk))
    # Once ready, a new press prepares a new, up-to-date archive.
    with django_capture_on_commit_callbacks(execute=True):
        member_client.post(REQUEST)
    assert PersonalDataExport.objects.filter(user=member).count() == 2


def test_a_failed_archive_says_so(member_client, member, settings, django_capture_on_commit_callbacks, monkeypatch):
    settings.TASKS = DATABASE_TASKS
    with django_capture_on_commit_callbacks(execute=True):
        member_client.post(REQUEST)
    export = PersonalDataExport.objects.get(user=member)

    def broken(user, output):
        raise RuntimeError("disque plein")

    monkeypatch.setattr("core.personal_data_exports.personal_data_archive_write", broken)
    with pytest.raises(RuntimeError):
        personal_data_export_build.call(str(export.pk))
    export.refresh_from_db()
    assert export.status == PdfExportStatus.FAILED and not export.file_name
    page = member_client.get(status_url(export))
    assert_in_main(page, "L'archive n'a pas pu être préparée.")
    assert not select(page, "[hx-get]")


# Who may download, and for how long -----------------------------------------------------------


def test_another_member_cannot_see_or_download_the_archive(member_client, member, other_member, prepare):
    export = prepare(member_client)
    intruder = Client()
    intruder.force_login(other_member)
    for url in (status_url(export), download_url(export)):
        response = intruder.get(url)
        assert response.status_code == 404
        assert member.email not in response.content.decode()
    assert_not_in_main(intruder.get(MY_DATA), "Votre dernière archive")


def test_an_expired_archive_says_so_and_offers_a_new_one(member_client, member, prepare):
    export = prepare(member_client)
    PersonalDataExport.objects.filter(pk=export.pk).update(created_at=timezone.now() - timedelta(hours=25))
    for url in (status_url(export), download_url(export)):
        response = member_client.get(url)
        assert response.status_code == 410
        assert_in_main(response, "Cette archive a expiré", "Préparer une nouvelle archive")
        assert select_one(response, f'main form[action="{REQUEST}"]').get("method") == "post"
    assert_not_in_main(member_client.get(MY_DATA), "Votre dernière archive")


def test_a_pruned_archive_is_gone_with_its_file(member_client, member, prepare):
    export = prepare(member_client)
    file_name = PersonalDataExport.objects.get(pk=export.pk).file_name
    assert default_storage.exists(file_name)
    PersonalDataExport.objects.filter(pk=export.pk).update(created_at=timezone.now() - timedelta(hours=25))
    out = io.StringIO()
    call_command("prune_personal_data_exports", stdout=out)
    assert "1 archive(s) de données personnelles de plus de 24 heure(s) supprimée(s)." in out.getvalue()
    assert not default_storage.exists(file_name)
    response = member_client.get(download_url(export))
    assert response.status_code == 404
    assert_in_main(response, "Cette archive n'existe pas ou plus", "Préparer une nouvelle archive")


def test_a_new_request_prunes_the_expired_archives(member_client, member, prepare):
    old = prepare(member_client)
    PersonalDataExport.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(hours=25))
    new = prepare(member_client)
    assert list(PersonalDataExport.objects.values_list("pk", flat=True)) == [new.pk]


# Erasing the account ----------------------------------------------------------------------------


def test_deletion_needs_the_password_and_the_confirmation(member_client, member, profile):
    response = member_client.post(DELETE, {"password": "mauvais", "confirm": "on"})
    assert "Ce mot de passe n&#x27;est pas le bon." in response.content.decode()
    response = member_client.post(DELETE, {"password": DEFAULT_PASSWORD})
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
        response = member_client.post(DELETE, {"password": DEFAULT_PASSWORD, "confirm": "on"}, follow=True)
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


def test_the_erasure_is_audited_without_personal_data(member, curator, profile):
    audit_log(
        actor=curator,
        action="members.user.refused",
        target=member,
        data={"reason": f"{member.get_full_name()} n'est pas technicien·ne", "email": member.email},
    )
    audit_log(actor=member, action="members.invitation.sent", data={"count": 1, "emails": ["invite@example.org"]})
    # Someone else's entry that quotes the person's address.
    audit_log(actor=curator, action="members.invitation.sent", data={"count": 2, "emails": ["a@b.fr", member.email]})

    user_erase(user=member)

    erased = AuditEntry.objects.get(action="members.user.erased")
    assert erased.actor is None
    assert (erased.target_type, erased.target_id) == ("members.user", str(member.pk))
    assert erased.target_repr == "Ancien·ne membre"
    assert erased.data == {}
    # Every entry keeps its event and loses the identity.
    refused = AuditEntry.objects.get(action="members.user.refused")
    assert refused.actor == curator and refused.target_repr == "Ancien·ne membre"
    assert refused.data == {"reason": "Ancien·ne membre n'est pas technicien·ne"}
    sent_by_member = AuditEntry.objects.get(action="members.invitation.sent", actor=None)
    assert sent_by_member.data == {"count": 1}
    sent_by_curator = AuditEntry.objects.get(action="members.invitation.sent", actor=curator)
    assert sent_by_curator.data == {"count": 2, "emails": ["a@b.fr", "Ancien·ne membre"]}
    for entry in AuditEntry.objects.all():
        text = f"{entry.target_repr} {json.dumps(entry.data, ensure_ascii=False)}"
        for personal in (member.email, member.first_name, member.last_name, "Maëlle"):
            assert personal not in text, (entry.action, text)


def test_the_invitations_a_curator_sent_stay_without_their_sender(curator):
    invitation = InvitationFactory(invited_by=curator)
    user_erase(user=curator)
    invitation.refresh_from_db()
    assert invitation.invited_by is None


def test_erasing_ends_every_session_of_the_account(member, member_client, other_member):
    bystander = Client()
    bystander.force_login(other_member)
    second = Client()
    second.force_login(member)
    assert second.get(MY_DATA).status_code == 200
    assert Session.objects.count() == 3

    member_client.post(DELETE, {"password": DEFAULT_PASSWORD, "confirm": "on"})

    owners = [session.get_decoded().get("_auth_user_id") for session in Session.objects.all()]
    assert str(member.pk) not in owners
    assert str(other_member.pk) in owners  # nobody else is logged out
    assert bystander.get(MY_DATA).status_code == 200
    response = second.get(MY_DATA)
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))


def test_erasing_ends_sessions_kept_in_the_cache_too(member, settings):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cache"
    first, second = Client(), Client()
    first.force_login(member)
    second.force_login(member)
    assert second.get(MY_DATA).status_code == 200

    response = first.post(DELETE, {"password": DEFAULT_PASSWORD, "confirm": "on"})
    assert response.status_code == 302

    # The password hash changed: the session's authentication hash no longer matches.
    assert second.session[HASH_SESSION_KEY] != User.objects.get(pk=member.pk).get_session_auth_hash()
    response = second.get(MY_DATA)
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))


def test_erasing_deletes_the_archives_and_their_files(
    member, member_client, prepare, django_capture_on_commit_callbacks
):
    export = prepare(member_client)
    file_name = PersonalDataExport.objects.get(pk=export.pk).file_name
    with django_capture_on_commit_callbacks(execute=True):
        user_erase(user=member)
    assert not PersonalDataExport.objects.exists()
    assert not default_storage.exists(file_name)


def test_an_erased_member_disappears_from_the_directory(client, member, other_member, profile):
    user_erase(user=member)
    client.force_login(other_member)
    assert "Maëlle Tanguy" not in client.get("/membres/annuaire/").content.decode()
    assert client.get(f"/membres/{member.pk}/").status_code == 404


# Pending accounts left too long -----------------------------------------------------------------


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
