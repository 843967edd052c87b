"""The archive of a person's data (core.personal_data): a JSON and a CSV file per declared kind, the
uploaded files under fichiers/, and LISEZMOI.txt explaining each; files copied piece by piece."""

import csv
import io
import json
import os
import tempfile
import tracemalloc
import zipfile

import pytest
from allauth.mfa.models import Authenticator
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from core.audit import audit_log
from core.models import PdfExport
from core.personal_data import personal_data_archive, personal_data_archive_write, personal_data_kinds
from members.fields import PROFILE_GROUPS
from members.models import Profile
from tests.members.factories import (
    CouncilFactory,
    InvitationFactory,
    ProfileFactory,
    UserFactory,
    recovery_codes,
    totp_secret,
)
from tests.members.images import image_bytes

pytestmark = pytest.mark.django_db

BOM = "\ufeff"


def _open(content: bytes) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(content))


def _json(archive, key):
    return json.loads(archive.read(f"{key}.json"))


def _csv(archive, key) -> list[list[str]]:
    text = archive.read(f"{key}.csv").decode("utf-8")
    assert text.startswith(BOM), "sans marque d'ordre des octets, un tableur lit mal les accents"
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


@pytest.fixture
def person(curator):
    """A member with a profile, a photo, two-factor authentication, an invitation, a council, audit entries."""
    user = UserFactory(first_name="Maëlle", last_name="Tanguy", email="maelle.tanguy@example.org", totp=True)
    council = CouncilFactory(name="Conseil de développement du Pays de Brocéliande", departments=["35", "56"])
    profile = ProfileFactory(
        user=user,
        council=council,
        display_name="Maëlle Tanguy",
        employer="Communauté de communes de Brocéliande",
        bio="=SOMME(A1:A9) commence comme une formule",
        time_share=40,
    )
    profile.photo.save("moi.webp", ContentFile(image_bytes("WEBP", size=(64, 64))), save=True)
    CouncilFactory(name="Conseil déclaré par Maëlle", is_validated=False, declared_by=user)
    InvitationFactory(email=user.email, invited_by=curator)
    audit_log(actor=curator, action="members.user.approved", target=user, data={"note": "bienvenue"})
    audit_log(actor=user, action="fiches.suggestion.accepted", data={"revision": 3})
    PdfExport.objects.create(requested_by=user, kind="rapport", language="fr", file_name="pdf-exports/r.pdf")
    default_storage.save("pdf-exports/r.pdf", ContentFile(b"%PDF-1.7 chiffres"))
    return user


def test_every_declared_kind_has_a_json_and_a_csv_file_and_the_photo_is_under_fichiers(person):
    archive = _open(personal_data_archive(person))
    names = set(archive.namelist())
    kinds = personal_data_kinds()
    assert {"membres-compte", "membres-profil", "plateforme-journal"} <= {kind.key for kind in kinds}
    for kind in kinds:
        assert {f"{kind.key}.json", f"{kind.key}.csv"} <= names, kind.key
    photo = Profile.objects.get(user=person).photo
    with photo.open("rb") as stored:
        assert archive.read("fichiers/photo.webp") == stored.read()
    # Only the person's uploads: the PDF of network figures they asked for is not theirs to take away.
    assert [name for name in names if name.startswith("fichiers/")] == ["fichiers/photo.webp"]
    assert "LISEZMOI.txt" in names


def test_the_json_files_hold_the_values(person, curator):
    archive = _open(personal_data_archive(person))
    assert _json(archive, "membres-compte") == [
        {
            "email": "maelle.tanguy@example.org",
            "first_name": "Maëlle",
            "last_name": "Tanguy",
            "role": "Technicien·ne",
            "status": "Validé",
            "status_changed_at": None,
            "date_joined": person.date_joined.isoformat(),
            "last_login": None,
            "onboarding_dismissed_at": None,
        }
    ]
    [profile] = _json(archive, "membres-profil")
    assert profile["employer"] == "Communauté de communes de Brocéliande"
    assert profile["time_share"] == 40
    assert profile["photo"] == "fichiers/photo.webp"
    assert profile["council"] == "Conseil de développement du Pays de Brocéliande"
    # Every field of every group, and each group's visibility by its label.
    for group in PROFILE_GROUPS:
        assert set(group.fields) - {"email"} <= set(profile), group.key
    assert profile["post_visibility"] == "Les membres du réseau"
    assert profile["contact_visibility"] == "Personne (masqué)"
    [council] = _json(archive, "membres-conseil")
    assert council["departments"] == ["Ille-et-Vilaine (35)", "Morbihan (56)"]
    assert council["regions"] == ["Bretagne"]
    assert [row["name"] for row in _json(archive, "membres-conseils-declares")] == ["Conseil déclaré par Maëlle"]
    assert [row["email"] for row in _json(archive, "membres-invitations-recues")] == [person.email]
    assert {row["type"] for row in _json(archive, "membres-double-authentification")} == {
        "Application d'authentification",
        "Codes de secours",
    }
    journal = _json(archive, "plateforme-journal")
    assert [(row["action"], row["role"]) for row in journal] == [
        ("members.user.approved", "personne concernée"),
        ("fiches.suggestion.accepted", "auteur·rice"),
    ]
    assert journal[0]["details"] == {"note": "bienvenue"}
    [pdf] = _json(archive, "plateforme-exports-pdf")
    assert pdf["status"] == "En file d'attente"


def test_the_two_factor_secret_and_recovery_codes_never_leave(person):
    archive = _open(personal_data_archive(person))
    text = "".join(archive.read(name).decode() for name in archive.namelist() if not name.startswith("fichiers/"))
    stored = [authenticator.data for authenticator in Authenticator.objects.filter(user=person)]
    assert len(stored) == 2
    for data in stored:
        for value in data.values():
            if isinstance(value, str) and len(value) > 8:  # the encrypted seeds
                assert value not in text
    assert totp_secret(person) not in text
    for code in recovery_codes(person):
        assert code not in text


def test_the_csv_files_hold_the_same_rows_for_a_spreadsheet(person):
    archive = _open(personal_data_archive(person))
    header, row = _csv(archive, "membres-profil")
    values = dict(zip(header, row, strict=True))
    assert values["employer"] == "Communauté de communes de Brocéliande"
    assert values["time_share"] == "40"
    # A text that starts like a formula is not run by the spreadsheet.
    assert values["bio"] == "'=SOMME(A1:A9) commence comme une formule"
    assert values["open_to_exchange"] == "oui"
    header, row = _csv(archive, "membres-conseil")
    # Nested values are one cell each, as JSON.
    assert json.loads(dict(zip(header, row, strict=True))["departments"]) == ["Ille-et-Vilaine (35)", "Morbihan (56)"]
    header, *rows = _csv(archive, "plateforme-journal")
    assert header == ["date", "action", "role", "object", "details"]
    assert [row[1] for row in rows] == ["members.user.approved", "fiches.suggestion.accepted"]


def test_a_kind_without_rows_still_has_its_header(pending_user):
    archive = _open(personal_data_archive(pending_user))
    assert _json(archive, "membres-profil") == []
    profile_kind = next(kind for kind in personal_data_kinds() if kind.key == "membres-profil")
    assert _csv(archive, "membres-profil") == [list(profile_kind.columns)]
    assert "employer" in profile_kind.columns
    assert _csv(archive, "membres-invitations-envoyees") == [["email", "sent_at", "accepted"]]


def test_the_readme_explains_every_file_in_french(person):
    archive = _open(personal_data_archive(person))
    readme = archive.read("LISEZMOI.txt").decode("utf-8")
    assert "Maëlle Tanguy (maelle.tanguy@example.org)" in readme
    assert "Archive préparée pour" in readme
    for kind in personal_data_kinds():
        assert f"== {kind.label} ==" in readme
        assert f"{kind.key}.json" in readme and f"{kind.key}.csv" in readme
        for text in (kind.description, kind.source, kind.retention):
            assert str(text) in readme, (kind.key, text)
    assert "Fichiers déposés : fichiers/photo.webp" in readme
    assert "rectifier" in readme and "effacer" in readme and "CNIL" in readme


def test_a_photo_missing_from_the_storage_is_left_out(person):
    default_storage.delete(Profile.objects.get(user=person).photo.name)
    archive = _open(personal_data_archive(person))
    assert not [name for name in archive.namelist() if name.startswith("fichiers/")]
    assert _json(archive, "membres-profil")[0]["display_name"] == "Maëlle Tanguy"


# Bounds ----------------------------------------------------------------------------------------


def test_a_large_file_is_copied_piece_by_piece_without_being_held_in_memory(person):
    photo = Profile.objects.get(user=person).photo
    size = 12 * 1024 * 1024
    default_storage.delete(photo.name)
    default_storage.save(photo.name, ContentFile(os.urandom(size)))
    with tempfile.TemporaryFile() as output:
        tracemalloc.start()
        try:
            personal_data_archive_write(person, output)
            _current, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        output.seek(0)
        with zipfile.ZipFile(output) as archive:
            assert archive.getinfo("fichiers/photo.webp").file_size == size
    # Reading the file whole (then compressing it) would cost more than its size.
    assert peak < size // 4, f"{peak} octets au plus fort pour un fichier de {size}"


def test_the_archive_of_a_person_without_anything_is_small_and_complete(db):
    user = UserFactory()
    content = personal_data_archive(user)
    archive = _open(content)
    assert len(archive.namelist()) == 2 * len(personal_data_kinds()) + 1
    assert len(content) < 200_000
