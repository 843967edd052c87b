"""Sub-groups through the pages: prepared by the organisers, joined within their places or assigned, and shared
notes that are never overwritten silently."""

import threading
import time

import pytest
from django.db import connections
from django.urls import reverse

from fiches.models import COMMON_FICHE_SLUG
from meetings import services
from meetings.enums import AttendanceMode, MeetingStatus, RegistrationStatus, WorkshopKind
from meetings.models import Registration, Workshop
from members.enums import Credit
from tests.fiches.factories import fiche_with_sections
from tests.meetings.factories import make_meeting
from tests.members.factories import ProfileFactory, UserFactory
from tests.referentiel.factories import build_version, small_data

pytestmark = pytest.mark.django_db


def register(meeting, user, status=RegistrationStatus.CONFIRMED):
    return Registration.objects.create(meeting=meeting, user=user, mode=AttendanceMode.ON_SITE, status=status)


def make_workshop(meeting, **fields) -> Workshop:
    values = {"title": "Table 1 : la mobilité", "kind": WorkshopKind.TABLE, **fields}
    return Workshop.objects.create(meeting=meeting, **values)


def test_organisers_prepare_a_sub_group_linked_to_the_referentiel_and_the_fiche(client, curator, other_member):
    build_version(small_data("v1.0"))
    fiche = fiche_with_sections(2)
    section = fiche.sections.order_by("order").first()
    meeting = make_meeting(curator)
    url = reverse("meetings:workshop_create", kwargs={"pk": meeting.pk})
    client.force_login(other_member)
    assert client.get(url).status_code == 403
    client.force_login(curator)
    form = client.get(url).content.decode()
    assert "M1 — " in form and "M1.A1 — " in form and section.title in form
    response = client.post(
        url,
        {
            "kind": WorkshopKind.WORKSHOP,
            "title": "Atelier animation",
            "topic": "Comment **animer** une séance ?",
            "order": "1",
            "capacity": "8",
            "open_choice": "on",
            "referentiel_codes": ["M1", "M1.A1"],
            "fiche_section": str(section.pk),
        },
    )
    assert response.status_code == 302
    workshop = Workshop.objects.get()
    assert workshop.referentiel_codes == ["M1", "M1.A1"] and workshop.fiche_section == section
    assert workshop.capacity == 8 and workshop.open_choice
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Atelier animation" in page and "<strong>animer</strong>" in page
    assert reverse("referentiel:mission", args=["v1.0", "M1"]) in page
    assert section.get_absolute_url() in page
    assert section.fiche.slug == COMMON_FICHE_SLUG


def test_a_sub_group_s_places_are_never_exceeded(client, curator):
    meeting = make_meeting(curator)
    workshop = make_workshop(meeting, capacity=1)
    first, second, unregistered = UserFactory(), UserFactory(), UserFactory()
    register(meeting, first)
    register(meeting, second)
    join = reverse("meetings:workshop_join", kwargs={"pk": workshop.pk})

    client.force_login(unregistered)
    page = client.post(join, follow=True).content.decode()
    assert "Inscrivez-vous d&#x27;abord à la rencontre" in page

    client.force_login(first)
    client.post(join)
    assert list(workshop.participants.all()) == [first]

    client.force_login(second)
    page = client.post(join, follow=True).content.decode()
    assert "est complet (1 places)" in page or "est complet" in page
    assert list(workshop.participants.all()) == [first]

    client.force_login(first)
    client.post(reverse("meetings:workshop_leave", kwargs={"pk": workshop.pk}))
    client.force_login(second)
    client.post(join)
    assert list(workshop.participants.all()) == [second]


def test_a_waiting_person_or_a_cancelled_meeting_cannot_join(client, curator, member):
    meeting = make_meeting(curator)
    workshop = make_workshop(meeting)
    register(meeting, member, status=RegistrationStatus.WAITING)
    client.force_login(member)
    client.post(reverse("meetings:workshop_join", kwargs={"pk": workshop.pk}))
    assert not workshop.participants.exists()
    Registration.objects.filter(user=member).update(status=RegistrationStatus.CONFIRMED)
    meeting.status = MeetingStatus.CANCELLED
    meeting.save()
    client.post(reverse("meetings:workshop_join", kwargs={"pk": workshop.pk}))
    assert not workshop.participants.exists()


def test_organisers_assign_registered_people_when_the_choice_is_theirs(client, curator, member, other_member):
    meeting = make_meeting(curator)
    workshop = make_workshop(meeting, open_choice=False, capacity=1)
    register(meeting, member)
    register(meeting, UserFactory())
    url = reverse("meetings:workshop_assign", kwargs={"pk": workshop.pk})

    client.force_login(member)
    client.post(reverse("meetings:workshop_join", kwargs={"pk": workshop.pk}))
    assert not workshop.participants.exists()
    assert client.get(url).status_code == 403

    client.force_login(curator)
    page = client.get(url).content.decode()
    assert member.display_name in page and other_member.display_name not in page
    refused = client.post(url, {"participants": [str(other_member.pk)]})
    assert refused.status_code == 200 and not workshop.participants.exists()
    too_many = client.post(
        url, {"participants": [str(pk) for pk in services.assignable_people(meeting).values_list("pk", flat=True)]}
    )
    assert "est complet" in too_many.content.decode() and not workshop.participants.exists()
    client.post(url, {"participants": [str(member.pk)]})
    assert list(workshop.participants.all()) == [member]


def test_participants_names_follow_their_choice(client, curator, member):
    meeting = make_meeting(curator)
    workshop = make_workshop(meeting)
    hidden = UserFactory()
    ProfileFactory(user=hidden, credit=Credit.HIDDEN)
    ProfileFactory(user=member, credit=Credit.FULL_NAME)
    workshop.participants.add(hidden, member)
    client.force_login(curator)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert member.display_name in page
    assert hidden.display_name not in page and "un·e participant·e" in page


def test_shared_notes_are_never_overwritten_silently(client, curator, member):
    meeting = make_meeting(curator)
    workshop = make_workshop(meeting)
    register(meeting, member)
    workshop.participants.add(member)
    url = reverse("meetings:workshop_notes", kwargs={"pk": workshop.pk})
    opened = workshop.lock_version

    client.force_login(curator)
    assert client.post(url, {"notes": "Notes de l'organisatrice", "lock_version": opened}).status_code == 302

    client.force_login(member)
    response = client.post(url, {"notes": "Mes notes de participant", "lock_version": opened})
    content = response.content.decode()
    assert response.status_code == 200 and "Conflit de modification" in content
    assert "Notes de l&#x27;organisatrice" in content and "Mes notes de participant" in content
    workshop.refresh_from_db()
    assert workshop.notes == "Notes de l'organisatrice" and workshop.notes_updated_by == curator

    # Knowingly, on the current version.
    client.post(url, {"notes": "Notes fusionnées", "lock_version": workshop.lock_version})
    workshop.refresh_from_db()
    assert workshop.notes == "Notes fusionnées" and workshop.notes_updated_by == member
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Notes fusionnées" in page and "Modifiées par" in page


def test_only_participants_and_organisers_write_the_notes(client, curator, member, other_member):
    meeting = make_meeting(curator)
    workshop = make_workshop(meeting)
    url = reverse("meetings:workshop_notes", kwargs={"pk": workshop.pk})
    client.force_login(other_member)
    assert client.get(url).status_code == 403
    assert client.post(url, {"notes": "Intrus", "lock_version": 0}).status_code == 403
    workshop.refresh_from_db()
    assert workshop.notes == ""


def test_a_stale_sub_group_edit_shows_the_conflict(client, curator):
    meeting = make_meeting(curator)
    workshop = make_workshop(meeting)
    url = reverse("meetings:workshop_edit", kwargs={"pk": workshop.pk})
    client.force_login(curator)
    data = {"kind": WorkshopKind.TABLE, "title": "Premier titre", "order": "0", "lock_version": workshop.lock_version}
    assert client.post(url, data).status_code == 302
    response = client.post(url, {**data, "title": "Second titre"})
    assert "Conflit de modification" in response.content.decode()
    workshop.refresh_from_db()
    assert workshop.title == "Premier titre"
    client.post(reverse("meetings:workshop_delete", kwargs={"pk": workshop.pk}))
    assert not Workshop.objects.exists()


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_simultaneous_joins_never_exceed_the_places(curator, monkeypatch):
    original = services._check_room

    def slow(workshop, count):
        # Between counting and adding: without the row lock, every thread would see room left.
        time.sleep(0.05)
        return original(workshop, count)

    monkeypatch.setattr(services, "_check_room", slow)
    meeting = make_meeting(curator)
    workshop = make_workshop(meeting, capacity=3)
    people = [UserFactory() for _ in range(8)]
    for person in people:
        register(meeting, person)
    barrier = threading.Barrier(len(people))
    refused = []

    def run(user):
        try:
            barrier.wait(timeout=10)
            services.workshop_join(workshop_id=workshop.pk, user=user)
        except services.MeetingError as error:
            refused.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert workshop.participants.count() == 3
    assert len(refused) == 5
