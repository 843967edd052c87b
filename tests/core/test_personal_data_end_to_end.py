"""Done means: a member with data in every app downloads all of it, then erases all of it.

The archive holds every item (values checked); after the erasure no table of any installed app holds
the person's address, names or private texts, their photo is gone from the storage, and what they gave
the common fiche (revisions, accepted suggestion, comments) stays, signed "Ancien·ne membre".
"""

import io
import json
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.test import Client
from django.urls import reverse

from core.audit import audit_log
from core.enums import Role
from core.models import PdfExport, PersonalDataExport
from dashboard.report import NETWORK_REPORT
from fiches import services as fiche_services
from fiches.models import COMMON_FICHE_SLUG, Comment, Notification, Revision, Suggestion
from members import services as member_services
from members.enums import Credit
from missions import services as mission_services
from referentiel import services as competence_services
from tests.fiches.factories import fiche_with_sections, section_rewritten
from tests.html import content_bytes, select
from tests.members.factories import DEFAULT_PASSWORD, ProfileFactory, UserFactory
from tests.members.images import image_bytes
from tests.referentiel.factories import build_version, small_data

pytestmark = pytest.mark.django_db

EMAIL = "maelle.kerbrat@example.org"
FIRST_NAME = "Maëlle"
LAST_NAME = "Kerbrat"
EVIDENCE = "Preuve-unique-4471 : douze ateliers animés à Ploërmel"
EMPLOYER = "Employeur-unique-8812 Ploërmel Communauté"
JOB_TITLE = "Intitulé-unique-2290 chargée de mission"
LOCAL_CONTEXT = "Contexte-local-unique-5530 : un conseil rural"
PERSONAL_TEXT = "Texte-perso-unique-6621 : mes séances du jeudi"
BIO = "Bio-unique-3390 : je coordonne le conseil"
PROFILE_EMPLOYER = "Profil-employeur-unique-7745"
# What must not survive the erasure anywhere in the database.
PERSONAL = (
    EMAIL,
    FIRST_NAME,
    LAST_NAME,
    EVIDENCE,
    EMPLOYER,
    JOB_TITLE,
    LOCAL_CONTEXT,
    PERSONAL_TEXT,
    BIO,
    PROFILE_EMPLOYER,
)
# What the person gave the network, which stays.
COMMON_BODY_WORD = "Et animer les ateliers du samedi."
COMMENT = "Mon avis sur cette proposition, pour le réseau."


@pytest.fixture
def world():
    """A curator with data in every app, and the people around them."""
    admin = UserFactory(admin=True)
    colleague = UserFactory(curator=True)
    other = UserFactory()
    person = UserFactory(curator=True, email=EMAIL, first_name=FIRST_NAME, last_name=LAST_NAME)
    member_services.user_set_role(user=person, role=Role.CURATOR, by=admin)  # an audit entry about them
    profile = ProfileFactory(user=person, bio=BIO, employer=PROFILE_EMPLOYER, credit=Credit.FULL_NAME)
    profile.photo.save("moi.webp", ContentFile(image_bytes("WEBP", size=(64, 64))), save=True)

    # Référentiel: a self-assessment with evidence, declared missions.
    version = build_version(small_data("v1.0"))
    competence_services.self_assessment_save(user=person, version=version, ratings={"C-1-01": (2, False, EVIDENCE)})
    mission_services.declarations_save(user=person, shares={"M1": 40})

    # The common fiche: a revision written, a suggestion accepted, comments, a support, follows.
    fiche = fiche_with_sections(2, slug=COMMON_FICHE_SLUG)
    first, second = fiche.sections.order_by("order")
    written = section_rewritten(first, "Animer le conseil et ses commissions.", actor=person, summary="Reformulé")
    suggestion = fiche_services.suggestion_create(
        section_id=second.pk, author=person, body=second.current_body + " " + COMMON_BODY_WORD, rationale="Plus juste."
    )
    comment = fiche_services.comment_create(suggestion_id=suggestion.pk, author=person, body=COMMENT)
    fiche_services.comment_create(suggestion_id=suggestion.pk, author=other, body="Je suis d'accord.")
    accepted = fiche_services.suggestion_accept(suggestion_id=suggestion.pk, actor=colleague)
    others = fiche_services.suggestion_create(
        section_id=first.pk, author=other, body="Animer le conseil, ses commissions et ses ateliers.", rationale="Oui."
    )
    fiche_services.suggestion_support(suggestion_id=others.pk, user=person)
    fiche_services.follow_set(user=person, target=fiche, following=True)
    Notification.objects.create(recipient=person, message="Une nouvelle proposition vous attend.", url="/fiches/")
    fiche_services.version_publish(fiche_id=fiche.pk, label="v1.0", summary="Première", actor=person)

    # Ma fiche de poste.
    personal = fiche_services.personal_fiche_create(
        owner=person, fiche=fiche, job_title=JOB_TITLE, employer=EMPLOYER, local_context=LOCAL_CONTEXT
    )
    personal_section = personal.sections.order_by("order").first()
    fiche_services.personal_section_edit(personal_section_id=personal_section.pk, owner=person, body=PERSONAL_TEXT)

    # The team's work: an invitation sent, an account approved, a PDF asked for.
    member_services.invitations_send(values=["nouvelle@example.org"], by=person)
    pending = UserFactory(pending=True)
    member_services.user_approve(user=pending, by=person)
    default_storage.save("pdf-exports/rapport.pdf", ContentFile(b"%PDF-1.7 chiffres du reseau"))
    PdfExport.objects.create(
        requested_by=person, kind=NETWORK_REPORT, language="fr", status="done", file_name="pdf-exports/rapport.pdf"
    )
    audit_log(actor=person, action="fiches.section.edited", target=first, data={"revision": written.number})
    return {
        "person": person,
        "other": other,
        "photo": profile.photo.name,
        "fiche": fiche,
        "written": written,
        "accepted": accepted,
        "suggestion": suggestion,
        "comment": comment,
    }


def _download_archive(client, django_capture_on_commit_callbacks) -> zipfile.ZipFile:
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("members:data_export_request"))
    export = PersonalDataExport.objects.get()
    assert response.url == reverse("members:data_export_status", args=[export.pk])
    assert "Votre archive est prête." in client.get(response.url).content.decode()
    download = client.get(reverse("members:data_export", args=[export.pk]))
    assert download.status_code == 200
    return zipfile.ZipFile(io.BytesIO(content_bytes(download)))


def _rows(archive, key) -> list[dict]:
    assert f"{key}.json" in archive.namelist(), f"{key}.json absent de l'archive"
    return json.loads(archive.read(f"{key}.json"))


def _tables_holding(texts) -> dict[str, set[str]]:
    """Every table of the database (every installed app, Django's and allauth's too) holding one of `texts`."""
    found: dict[str, set[str]] = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 (names from the database)
            for row in cursor.fetchall():
                cells = " ".join(
                    bytes(value).decode("utf-8", "replace") if isinstance(value, bytes | memoryview) else str(value)
                    for value in row
                    if value is not None
                ).lower()
                for text in texts:
                    # As typed, and as a JSON column may store it (letters like "ë" escaped).
                    if text.lower() in cells or json.dumps(text)[1:-1].lower() in cells:
                        found.setdefault(table, set()).add(text)
    return found


def test_a_member_downloads_then_erases_everything(world, client, django_capture_on_commit_callbacks):
    person = world["person"]
    client.force_login(person)
    reader = Client()
    reader.force_login(world["other"])
    history_url = reverse("fiches:history", args=[world["fiche"].slug])
    assert "Maëlle Kerbrat" in reader.get(history_url).content.decode()
    before = _tables_holding(PERSONAL)
    # The scan sees what the apps hold (as a JSON column stores it too: the audit entry of the approval).
    assert {"members_user", "members_profile", "competences_selfassessment", "fiches_personalfiche"} <= set(before)
    assert EMAIL in before["account_emailaddress"] and FIRST_NAME in before["codev_network_auditentry"]

    # --- Export: every item is in the archive --------------------------------------------------
    archive = _download_archive(client, django_capture_on_commit_callbacks)
    assert _rows(archive, "membres-compte")[0]["email"] == EMAIL
    [profile] = _rows(archive, "membres-profil")
    assert (profile["bio"], profile["employer"]) == (BIO, PROFILE_EMPLOYER)
    assert archive.read("fichiers/photo.webp")[:4] == b"RIFF"
    [rating] = _rows(archive, "competences-auto-evaluation")
    assert (rating["competence_code"], rating["level"], rating["evidence"]) == ("C-1-01", 2, EVIDENCE)
    declared = json.dumps(_rows(archive, "missions-declarees"), ensure_ascii=False)
    assert "M1" in declared and "40" in declared
    [own_fiche] = _rows(archive, "fiches-fiche-personnelle")
    assert (own_fiche["employer"], own_fiche["job_title"], own_fiche["local_context"]) == (
        EMPLOYER,
        JOB_TITLE,
        LOCAL_CONTEXT,
    )
    assert PERSONAL_TEXT in json.dumps(_rows(archive, "fiches-fiche-personnelle-sections"), ensure_ascii=False)
    assert COMMON_BODY_WORD in json.dumps(_rows(archive, "fiches-propositions"), ensure_ascii=False)
    assert COMMENT in json.dumps(_rows(archive, "fiches-commentaires"), ensure_ascii=False)
    assert "Animer le conseil et ses commissions." in json.dumps(_rows(archive, "fiches-revisions"), ensure_ascii=False)
    assert len(_rows(archive, "fiches-soutiens")) == 1
    assert len(_rows(archive, "fiches-abonnements")) >= 1
    assert "Une nouvelle proposition vous attend." in json.dumps(
        _rows(archive, "fiches-notifications"), ensure_ascii=False
    )
    assert [row["status"] for row in _rows(archive, "plateforme-exports-pdf")] == ["Prêt"]
    assert [row["email"] for row in _rows(archive, "membres-invitations-envoyees")] == ["nouvelle@example.org"]
    actions = {row["action"] for row in _rows(archive, "plateforme-journal")}
    assert {"members.user.role_changed", "members.user.approved", "fiches.section.edited"} <= actions
    readme = archive.read("LISEZMOI.txt").decode()
    assert "Maëlle Kerbrat (maelle.kerbrat@example.org)" in readme

    # --- Erasure ---------------------------------------------------------------------------------
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("members:account_delete"), {"password": DEFAULT_PASSWORD, "confirm": "on"}, follow=True
        )
    assert "Votre compte et vos données personnelles ont été supprimés." in response.content.decode()

    assert _tables_holding(PERSONAL) == {}
    assert not default_storage.exists(world["photo"])
    assert not default_storage.exists("pdf-exports/rapport.pdf")
    assert not PersonalDataExport.objects.exists()

    # What the person gave the network stays, signed "Ancien·ne membre".
    assert Revision.objects.filter(pk=world["written"].pk, author=person).exists()
    assert Revision.objects.filter(pk=world["accepted"].pk).exists()
    assert Suggestion.objects.get(pk=world["suggestion"].pk).status == "accepted"
    assert Comment.objects.get(pk=world["comment"].pk).body == COMMENT
    page = reader.get(history_url)
    authors = [cell.text.strip() for cell in select(page, "main table tbody td:nth-child(3)")]
    rows_by_person = Revision.objects.filter(section__fiche=world["fiche"], author=person).count()
    assert rows_by_person >= 2
    assert authors.count("Ancien·ne membre") >= rows_by_person
    assert "Maëlle" not in page.content.decode()
