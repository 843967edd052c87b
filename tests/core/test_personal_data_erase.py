"""Erasing a person's data (core.personal_data.personal_data_erase) and the background archive's edges:
kinds erased upper apps first in one transaction, files deleted only once it is committed (local disk
and S3), the ground floor's own records (audit, admin history, queued emails, PDFs) cleaned."""

import io
import zipfile

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from core import personal_data
from core.enums import PdfExportStatus
from core.mail import queue_email
from core.models import PdfExport, PersonalDataExport
from core.personal_data import PersonalDataKind, StoredFile, personal_data_erase
from core.personal_data_exports import personal_data_export_build, personal_data_export_request
from members.models import Profile
from members.services import user_erase
from tests.core import test_object_storage
from tests.core.test_object_storage import BUCKET, keys
from tests.core.worker import DATABASE_TASKS
from tests.members.factories import ProfileFactory
from tests.members.images import image_bytes

pytestmark = pytest.mark.django_db

# The default storage switched to moto's in-process S3 bucket (tests/core/test_object_storage.py).
s3_bucket = test_object_storage.bucket


def _kind(key, order, *, calls, files=(), fail=False):
    def erase(user):
        calls.append(key)
        if fail:
            raise RuntimeError("effacement impossible")

    return PersonalDataKind(
        key=key,
        label=key,
        description="",
        source="",
        purpose="",
        legal_basis="",
        retention="",
        recipients="",
        models=(),
        export=lambda user: [],
        erase=erase,
        files=lambda user: list(files),
        order=order,
    )


def test_kinds_are_erased_upper_apps_first_and_files_after_commit(
    member, monkeypatch, django_capture_on_commit_callbacks
):
    default_storage.save("essai/a.txt", ContentFile(b"a"))
    calls = []
    kinds = [
        _kind("bas", 10, calls=calls),
        _kind("haut", 300, calls=calls, files=[StoredFile(default_storage, "essai/a.txt", "fichiers/a.txt")]),
        _kind("milieu", 200, calls=calls),
    ]
    monkeypatch.setattr(personal_data, "_KINDS", {kind.key: kind for kind in kinds})
    with django_capture_on_commit_callbacks(execute=True):
        personal_data_erase(member)
        assert calls == ["haut", "milieu", "bas"]
        # Still there until the erasure is committed: a rollback must not lose the file.
        assert default_storage.exists("essai/a.txt")
    assert not default_storage.exists("essai/a.txt")


def test_a_failed_erasure_deletes_no_file(member, monkeypatch, django_capture_on_commit_callbacks):
    default_storage.save("essai/b.txt", ContentFile(b"b"))
    calls = []
    kinds = [
        _kind("bas", 10, calls=calls, fail=True),
        _kind("haut", 300, calls=calls, files=[StoredFile(default_storage, "essai/b.txt", "fichiers/b.txt")]),
    ]
    monkeypatch.setattr(personal_data, "_KINDS", {kind.key: kind for kind in kinds})
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError):
        personal_data_erase(member)
    assert callbacks == []
    assert default_storage.exists("essai/b.txt")


def test_the_pdfs_asked_for_are_deleted_with_their_files(curator, django_capture_on_commit_callbacks):
    name = default_storage.save("pdf-exports/x.pdf", ContentFile(b"%PDF"))
    PdfExport.objects.create(requested_by=curator, kind="rapport", language="fr", file_name=name)
    with django_capture_on_commit_callbacks(execute=True):
        user_erase(user=curator)
    assert not PdfExport.objects.exists()
    assert not default_storage.exists(name)


def test_emails_still_queued_to_the_person_are_dropped(member, other_member, settings):
    settings.TASKS = DATABASE_TASKS  # as in production: the emails wait in the database for the worker
    queue_email(subject="Pour vous", body="Bonjour", to=[member.email])
    queue_email(subject="Pour l'autre", body="Bonjour", to=[other_member.email])
    assert DBTaskResult.objects.count() == 2
    user_erase(user=member)
    [left] = DBTaskResult.objects.all()
    assert other_member.email in str(left.args_kwargs)


def test_the_admin_history_forgets_the_person(member, administrator):
    account_type = ContentType.objects.get_for_model(member)
    LogEntry.objects.log_actions(
        user_id=administrator.pk, queryset=[member], action_flag=CHANGE, change_message="Rôle modifié"
    )
    profile = ProfileFactory(user=member)
    LogEntry.objects.create(
        user=administrator,
        content_type=ContentType.objects.get_for_model(Profile),
        object_id=str(profile.pk),
        object_repr=f"Profil de {member.get_full_name()}",
        action_flag=CHANGE,
    )
    user_erase(user=member)
    assert LogEntry.objects.get(content_type=account_type).object_repr == "Ancien·ne membre"
    assert LogEntry.objects.exclude(content_type=account_type).get().object_repr == "Profil de Ancien·ne membre"


# The background archive -----------------------------------------------------------------------


def test_the_archive_task_claims_its_request_once(member, settings):
    settings.TASKS = DATABASE_TASKS
    with transaction.atomic():
        export = personal_data_export_request(user=member)
    assert personal_data_export_build.call(str(export.pk)) == PdfExportStatus.DONE
    assert personal_data_export_build.call(str(export.pk)) == "absent"
    export.refresh_from_db()
    assert export.status == PdfExportStatus.DONE
    assert export.file_name == f"personal-data-exports/{export.pk}.zip"
    with default_storage.open(export.file_name, "rb") as stored:
        assert "membres-compte.json" in zipfile.ZipFile(io.BytesIO(stored.read())).namelist()


def test_an_archive_erased_while_it_was_written_leaves_no_file(member, settings, monkeypatch):
    settings.TASKS = DATABASE_TASKS
    export = PersonalDataExport.objects.create(user=member)
    write = personal_data.personal_data_archive_write

    def written_then_erased(user, output):
        write(user, output)
        PersonalDataExport.objects.filter(pk=export.pk).delete()

    monkeypatch.setattr("core.personal_data_exports.personal_data_archive_write", written_then_erased)
    assert personal_data_export_build.call(str(export.pk)) == "absent"
    assert default_storage.listdir("personal-data-exports")[1] == []


# On an S3-compatible object store --------------------------------------------------------------


def test_on_s3_the_archive_holds_the_photo_and_the_erasure_deletes_every_object(
    s3_bucket, member, member_client, django_capture_on_commit_callbacks
):
    bucket = s3_bucket
    profile = ProfileFactory(user=member)
    profile.photo.save("moi.webp", ContentFile(image_bytes("WEBP", size=(32, 32))), save=True)
    photo_key = f"media/{profile.photo.name}"
    with django_capture_on_commit_callbacks(execute=True):
        response = member_client.post("/membres/mes-donnees/archive/")
    export = PersonalDataExport.objects.get()
    assert response.status_code == 302
    assert keys(bucket) == sorted([photo_key, f"media/personal-data-exports/{export.pk}.zip"])
    download = member_client.get(f"/membres/mes-donnees/archive/{export.pk}/telecharger/")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    stored_photo = bucket.get_object(Bucket=BUCKET, Key=photo_key)["Body"].read()
    assert archive.read("fichiers/photo.webp") == stored_photo

    with django_capture_on_commit_callbacks(execute=True):
        user_erase(user=member)
    assert keys(bucket) == []
