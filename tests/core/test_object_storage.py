"""Uploaded files on an S3-compatible object store (django-storages), as several app servers share it.

The store is moto's in-process S3: the same boto3 calls as against a real bucket, without network.
"""

import os
import subprocess
import sys

import boto3
import pytest
from moto import mock_aws

from members.models import Profile
from tests.core.test_settings import PRODUCTION_ENV, ROOT
from tests.members.factories import CouncilFactory
from tests.members.images import image_bytes, upload
from tests.members.test_profile import URL as PROFILE_URL
from tests.members.test_profile import opened, valid_data

BUCKET = "codev-media-test"


@pytest.fixture
def bucket(settings):
    """The default storage switched to an empty S3 bucket; yields a boto3 client to look inside."""
    with mock_aws():
        client = boto3.client("s3", region_name="us-east-1")
        client.create_bucket(Bucket=BUCKET)
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {
                "BACKEND": "storages.backends.s3.S3Storage",
                "OPTIONS": {
                    "bucket_name": BUCKET,
                    "region_name": "us-east-1",
                    "access_key": "test",
                    "secret_key": "test",
                    "location": "media",
                    "default_acl": "private",
                    "querystring_auth": True,
                    "file_overwrite": False,
                },
            },
        }
        yield client


def keys(client) -> list[str]:
    return sorted(item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []))


def test_a_profile_photo_is_stored_in_the_bucket_and_served_by_the_app(bucket, member_client, member):
    council = CouncilFactory()
    member_client.post(
        PROFILE_URL,
        {**opened(member_client), **valid_data(council), "photo": upload("moi.jpg", image_bytes())},
        follow=True,
    )
    photo = Profile.objects.get(user=member).photo
    assert keys(bucket) == [f"media/{photo.name}"]
    stored = bucket.get_object(Bucket=BUCKET, Key=f"media/{photo.name}")["Body"].read()
    assert stored[:4] == b"RIFF" and stored[8:12] == b"WEBP"
    # Private objects: the page links to the app's view, which checks who asks, never to the bucket.
    assert bucket.get_object_acl(Bucket=BUCKET, Key=f"media/{photo.name}")["Grants"][0]["Permission"] == "FULL_CONTROL"
    response = member_client.get(f"/membres/{member.pk}/photo/")
    assert response.status_code == 200
    assert b"".join(response) == stored


def test_replacing_then_removing_a_photo_deletes_the_objects(
    bucket, member_client, member, django_capture_on_commit_callbacks
):
    council = CouncilFactory()
    member_client.post(
        PROFILE_URL, {**opened(member_client), **valid_data(council), "photo": upload("a.jpg", image_bytes())}
    )
    first = f"media/{Profile.objects.get(user=member).photo.name}"
    with django_capture_on_commit_callbacks(execute=True):
        member_client.post(
            PROFILE_URL,
            {**opened(member_client), **valid_data(council), "photo": upload("b.jpg", image_bytes(color=(0, 0, 0)))},
        )
    second = f"media/{Profile.objects.get(user=member).photo.name}"
    assert keys(bucket) == [second] and second != first
    with django_capture_on_commit_callbacks(execute=True):
        member_client.post(PROFILE_URL, {**opened(member_client), **valid_data(council), "remove_photo": "on"})
    assert keys(bucket) == []


def _storage_settings(extra_env: dict) -> str:
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "d = s.STORAGES['default']; print(d['BACKEND']); print(sorted((d.get('OPTIONS') or {}).items())); "
        "print(s.STORAGES['staticfiles']['BACKEND'])"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "S3_"))}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, **PRODUCTION_ENV, **extra_env},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_production_uses_the_bucket_named_in_the_environment():
    output = _storage_settings(
        {
            "S3_BUCKET": "codev-prod",
            "S3_ENDPOINT_URL": "https://s3.fr-par.scw.cloud",
            "S3_REGION": "fr-par",
            "S3_ACCESS_KEY_ID": "AKIAEXAMPLE",
            "S3_SECRET_ACCESS_KEY": "secret-example",
        }
    )
    backend, options, static = output.splitlines()
    assert backend == "storages.backends.s3.S3Storage"
    assert "('bucket_name', 'codev-prod')" in options
    assert "('endpoint_url', 'https://s3.fr-par.scw.cloud')" in options
    assert "('default_acl', 'private')" in options
    assert static == "whitenoise.storage.CompressedManifestStaticFilesStorage"


def test_without_a_bucket_files_stay_on_the_local_disk():
    backend, _options, static = _storage_settings({}).splitlines()
    assert backend == "django.core.files.storage.FileSystemStorage"
    assert static == "whitenoise.storage.CompressedManifestStaticFilesStorage"
