"""What the meetings declare about a person (meetings/personal_data.py): exported, then erased or kept anonymous.

Registrations (their needs while they are kept), follows, the calendar feed, sub-groups, meetings
organised, documents, outcomes and check-ins are in the archive; erasing the account deletes the
registrations, follows, feed and places in sub-groups, a draft only they organise, and their role of
organiser of meetings to come; what they did for the network stays, credited to "Ancien·ne membre".
"""

import io
import json
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from core.personal_data import personal_data_archive
from meetings import personal_data as declared
from meetings.enums import AttendanceMode, MeetingStatus, OutcomeKind, RegistrationStatus, WorkshopKind
from meetings.models import CalendarFeed, Material, Meeting, MeetingFollow, Outcome, Registration, Workshop
from members.models import User
from tests.erasure import erase_account
from tests.meetings.factories import make_meeting
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db

NEEDS = "Je me déplace en fauteuil roulant."


@pytest.fixture
def person(db):
    return UserFactory(first_name="Maëlle", last_name="Tanguy", email="maelle.tanguy@example.org")


def _register(meeting, user, mode=AttendanceMode.ON_SITE, status=RegistrationStatus.CONFIRMED, **fields):
    if status == RegistrationStatus.WAITING:
        fields.setdefault("waiting_since", timezone.now())
    return Registration.objects.create(meeting=meeting, user=user, mode=mode, status=status, **fields)


@pytest.fixture
def activity(person, other_member, curator):
    """Everything `person` does in the meetings, next to what `other_member` does."""
    upcoming = make_meeting(curator, title="Journée nationale", days=20)
    past = make_meeting(curator, title="Séminaire fondateur", days=-200)
    followed = make_meeting(curator, title="Rencontre régionale", days=40)
    theirs = _register(upcoming, person, needs=NEEDS)
    _register(upcoming, other_member, mode=AttendanceMode.REMOTE, needs="Régime sans gluten.")
    _register(past, person, checked_in_at=past.starts_at, checked_in_by=curator)
    _register(past, other_member, checked_in_at=past.starts_at, checked_in_by=person)
    MeetingFollow.objects.create(meeting=followed, user=person)
    MeetingFollow.objects.create(meeting=followed, user=other_member)
    feed = CalendarFeed.objects.create(user=person)
    other_feed = CalendarFeed.objects.create(user=other_member)
    table = Workshop.objects.create(
        meeting=past,
        kind=WorkshopKind.TABLE,
        title="Table 1 — Animer",
        notes="Faciliter sans se substituer.",
        notes_updated_by=person,
        notes_updated_at=past.starts_at,
    )
    table.participants.add(person, other_member)
    material = Material.objects.create(
        meeting=past,
        title="Diaporama",
        file=ContentFile(b"%PDF-1.4 diaporama", name="upload"),
        file_name="Diaporama séminaire.pdf",
        content_type="application/pdf",
        size=18,
        added_by=person,
    )
    outcome = Outcome.objects.create(
        meeting=past,
        workshop=table,
        kind=OutcomeKind.REFERENTIEL_NOTE,
        title="La posture de tiers",
        body="Une activité à part entière.",
        referentiel_codes=["M2"],
        created_by=person,
    )
    # Meetings they organise: one held, one to come (with the team), a draft of their own.
    held = make_meeting(person, title="Rencontre régionale passée", days=-30)
    coming = make_meeting(person, title="Rencontre régionale à venir", days=30)
    coming.organisers.add(curator)
    alone = make_meeting(person, title="Rencontre qu'elle organise seule", days=50)
    draft = make_meeting(person, title="Brouillon de rencontre", days=60, status=MeetingStatus.DRAFT)
    return {
        "upcoming": upcoming,
        "past": past,
        "followed": followed,
        "registration": theirs,
        "feed": feed,
        "other_feed": other_feed,
        "table": table,
        "material": material,
        "outcome": outcome,
        "held": held,
        "coming": coming,
        "alone": alone,
        "draft": draft,
    }


# Export -----------------------------------------------------------------------------------------


def test_the_export_holds_the_members_registrations_needs_follows_and_contributions(person, activity):
    registrations = {row["meeting"]: row for row in declared.REGISTRATIONS.export(person)}
    assert set(registrations) == {"Journée nationale", "Séminaire fondateur"}
    assert (registrations["Journée nationale"]["mode"], registrations["Journée nationale"]["status"]) == (
        "Sur place",
        "Inscription confirmée",
    )
    assert registrations["Séminaire fondateur"]["checked_in_at"] is not None
    assert [(row["meeting"], row["needs"]) for row in declared.NEEDS.export(person)] == [("Journée nationale", NEEDS)]
    assert [row["meeting"] for row in declared.FOLLOWS.export(person)] == ["Rencontre régionale"]
    [feed] = declared.CALENDAR_FEED.export(person)
    assert activity["feed"].token not in json.dumps(feed)
    assert {(row["workshop"], row["role"]) for row in declared.WORKSHOPS.export(person)} == {
        ("Table 1 — Animer", "participant·e"),
        ("Table 1 — Animer", "dernière modification des notes partagées"),
    }
    assert {row["meeting"] for row in declared.ORGANISED.export(person)} == {
        "Rencontre régionale passée",
        "Rencontre régionale à venir",
        "Rencontre qu'elle organise seule",
        "Brouillon de rencontre",
    }
    [material] = declared.MATERIALS.export(person)
    assert material["file_name"] == "Diaporama séminaire.pdf"
    [outcome] = declared.OUTCOMES.export(person)
    assert (outcome["title"], outcome["written_by_you"]) == ("La posture de tiers", True)
    [check_in] = declared.CHECK_INS.export(person)
    assert check_in["meeting"] == "Séminaire fondateur"
    for kind in declared.KINDS:
        for row in kind.export(person):
            assert tuple(row) == kind.columns, kind.key


def test_the_archive_holds_the_registrations_and_the_documents_the_member_added(person, other_member, activity):
    archive = zipfile.ZipFile(io.BytesIO(personal_data_archive(person)))
    names = archive.namelist()
    rows = json.loads(archive.read("rencontres-inscriptions.json"))
    assert {row["meeting"] for row in rows} == {"Journée nationale", "Séminaire fondateur"}
    assert [row["meeting"] for row in json.loads(archive.read("rencontres-suivies.json"))] == ["Rencontre régionale"]
    in_archive = f"fichiers/rencontres/{activity['material'].pk}-Diaporama_séminaire.pdf"
    assert archive.read(in_archive) == b"%PDF-1.4 diaporama"
    assert NEEDS in archive.read("rencontres-besoins-particuliers.json").decode()
    assert activity["feed"].token not in "".join(archive.read(name).decode("utf-8", "ignore") for name in names)
    # The other member's archive holds their own needs, not the person's.
    other = zipfile.ZipFile(io.BytesIO(personal_data_archive(other_member)))
    other_needs = other.read("rencontres-besoins-particuliers.json").decode()
    assert "Régime sans gluten." in other_needs and NEEDS not in other_needs
    assert not [name for name in other.namelist() if name.startswith("fichiers/rencontres/")]


# Erasure ----------------------------------------------------------------------------------------


def test_erasure_deletes_registrations_follows_feed_and_keeps_what_belongs_to_the_meetings(
    client, person, other_member, curator, activity, django_capture_on_commit_callbacks
):
    file_name = activity["material"].file.name
    others = (
        set(Registration.objects.filter(user=other_member).values_list("pk", flat=True)),
        set(MeetingFollow.objects.filter(user=other_member).values_list("pk", flat=True)),
    )
    client.force_login(person)

    with django_capture_on_commit_callbacks(execute=True):
        erase_account(client)

    erased = User.objects.get(pk=person.pk)
    assert erased.erased_at is not None
    # Theirs alone: deleted.
    assert not Registration.objects.filter(user=erased).exists()
    assert not MeetingFollow.objects.filter(user=erased).exists()
    assert not CalendarFeed.objects.filter(user=erased).exists()
    assert not activity["table"].participants.filter(pk=erased.pk).exists()
    assert not Meeting.objects.filter(pk=activity["draft"].pk).exists()
    # A meeting to come is left to the others who organise it; a meeting held, or one to come they organise
    # alone (a meeting always keeps one organiser), keeps them, anonymous.
    coming = Meeting.objects.get(pk=activity["coming"].pk)
    assert list(coming.organisers.all()) == [curator]
    alone = Meeting.objects.get(pk=activity["alone"].pk)
    assert [str(organiser) for organiser in alone.organisers.all()] == ["Ancien·ne membre"]
    held = Meeting.objects.get(pk=activity["held"].pk)
    assert [str(organiser) for organiser in held.organisers.all()] == ["Ancien·ne membre"]
    assert str(held.created_by) == "Ancien·ne membre"
    # What they did for the network stays, credited to "Ancien·ne membre".
    table = Workshop.objects.get(pk=activity["table"].pk)
    assert (table.notes, str(table.notes_updated_by)) == ("Faciliter sans se substituer.", "Ancien·ne membre")
    material = Material.objects.get(pk=activity["material"].pk)
    assert str(material.added_by) == "Ancien·ne membre"
    assert default_storage.exists(file_name)
    assert str(Outcome.objects.get(pk=activity["outcome"].pk).created_by) == "Ancien·ne membre"
    check_in = Registration.objects.get(meeting=activity["past"], user=other_member)
    assert str(check_in.checked_in_by) == "Ancien·ne membre"
    # The other member is untouched.
    assert set(Registration.objects.filter(user=other_member).values_list("pk", flat=True)) == others[0]
    assert set(MeetingFollow.objects.filter(user=other_member).values_list("pk", flat=True)) == others[1]
    assert CalendarFeed.objects.get(user=other_member).token == activity["other_feed"].token
    assert Registration.objects.get(meeting=activity["upcoming"], user=other_member).needs == "Régime sans gluten."
    assert activity["table"].participants.filter(pk=other_member.pk).exists()
    # Nothing the person kept in their export any more, but what stays with the meetings.
    for kind in (declared.REGISTRATIONS, declared.NEEDS, declared.FOLLOWS, declared.CALENDAR_FEED):
        assert kind.export(erased) == [], kind.key


def test_erasing_the_needs_empties_only_the_members_own(person, activity):
    declared.NEEDS.erase(person)
    assert Registration.objects.get(pk=activity["registration"].pk).needs == ""
    assert Registration.objects.exclude(user=person).exclude(needs="").exists()


def test_a_place_freed_by_the_erasure_goes_to_the_first_person_waiting(
    client, person, other_member, curator, django_capture_on_commit_callbacks
):
    full = make_meeting(curator, title="Complet", days=10, on_site=1)
    _register(full, person)
    waiting = _register(full, other_member, status=RegistrationStatus.WAITING)
    client.force_login(person)

    with django_capture_on_commit_callbacks(execute=True):
        erase_account(client)

    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.CONFIRMED and waiting.promoted_at is not None
