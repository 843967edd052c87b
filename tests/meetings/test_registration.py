"""Registering for a meeting through the pages: places per mode, the waiting list and its promotions (with an
email), the "besoins particuliers" seen by the organisers only and erased after the meeting, cancelling,
check-in, reminders, following; and, on PostgreSQL, a dozen simultaneous registrations that never
exceed the places."""

import threading
import time
from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEntry
from meetings import registration as services
from meetings.enums import AttendanceMode, MeetingAudience, MeetingFormat, MeetingStatus, RegistrationStatus
from meetings.models import Meeting, MeetingFollow, Registration
from tests.html import content_text, main_text
from tests.meetings.factories import make_meeting
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db

ON_SITE, REMOTE = AttendanceMode.ON_SITE.value, AttendanceMode.REMOTE.value
NEEDS = "Je me déplace en fauteuil roulant."


@pytest.fixture
def organiser(db):
    return UserFactory(first_name="Odile", last_name="Organisatrice")


@pytest.fixture
def meeting(organiser):
    return make_meeting(organiser, on_site=2, remote=1)


def register_url(meeting):
    return reverse("meetings:register", kwargs={"pk": meeting.pk})


def post_register(client, meeting, mode=ON_SITE, needs=""):
    return client.post(register_url(meeting), {"mode": mode, "needs": needs})


def logged(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def registration_of(meeting, user) -> Registration:
    return Registration.objects.get(meeting=meeting, user=user)


# Registering ---------------------------------------------------------------------------------------


def test_a_member_registers_on_site_with_needs(member_client, member, meeting):
    page = member_client.get(register_url(meeting))
    assert page.status_code == 200
    text = main_text(page)
    assert "ne sont lues que par les organisateur·rices et sont effacées le lendemain de la rencontre" in text
    assert "Données sensibles" in text

    response = post_register(member_client, meeting, ON_SITE, NEEDS)

    assert response.status_code == 302
    assert response["Location"] == meeting.get_absolute_url()
    registration = registration_of(meeting, member)
    assert (registration.mode, registration.status, registration.needs) == (
        ON_SITE,
        RegistrationStatus.CONFIRMED,
        NEEDS,
    )
    entry = AuditEntry.objects.get(action="meetings.registration.created")
    assert entry.actor == member and entry.data["status"] == RegistrationStatus.CONFIRMED
    assert NEEDS not in str(entry.data)  # sensitive data never goes to the journal


def test_past_the_places_people_wait_in_line_and_are_promoted_in_order_with_an_email(
    meeting, django_capture_on_commit_callbacks
):
    first, second, third, fourth = (UserFactory() for _ in range(4))
    for user in (first, second, third, fourth):
        assert post_register(logged(user), meeting, ON_SITE).status_code == 302
    assert registration_of(meeting, first).status == RegistrationStatus.CONFIRMED
    assert registration_of(meeting, second).status == RegistrationStatus.CONFIRMED
    waiting = registration_of(meeting, third)
    assert waiting.status == RegistrationStatus.WAITING and waiting.waiting_since is not None
    assert services.waiting_position(waiting) == 1
    assert services.waiting_position(registration_of(meeting, fourth)) == 2
    box = main_text(logged(fourth).get(register_url(meeting)))
    assert "liste d'attente (sur place), en position 2" in box

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = logged(first).post(
            reverse("meetings:cancel", kwargs={"pk": registration_of(meeting, first).pk}),
        )
    assert response.status_code == 302

    assert registration_of(meeting, first).status == RegistrationStatus.CANCELLED
    promoted = registration_of(meeting, third)
    assert promoted.status == RegistrationStatus.CONFIRMED and promoted.promoted_at is not None
    assert registration_of(meeting, fourth).status == RegistrationStatus.WAITING
    assert services.waiting_position(registration_of(meeting, fourth)) == 1
    assert [message.to for message in mail.outbox] == [[third.email]]
    message = mail.outbox[0]
    assert "Une place s'est libérée" in message.subject and meeting.title in message.subject
    assert "est maintenant confirmée" in message.body
    assert meeting.address in message.body  # on site: the address
    assert meeting.video_url not in message.body
    assert AuditEntry.objects.filter(action="meetings.registration.promoted", target_id=str(promoted.pk)).exists()


def test_a_remote_place_promotes_only_people_waiting_remotely(meeting, django_capture_on_commit_callbacks):
    remote, on_site_waiting, remote_waiting = UserFactory(), UserFactory(), UserFactory()
    services.register(meeting_id=meeting.pk, user=UserFactory(), mode=ON_SITE)
    services.register(meeting_id=meeting.pk, user=UserFactory(), mode=ON_SITE)
    services.register(meeting_id=meeting.pk, user=remote, mode=REMOTE)
    services.register(meeting_id=meeting.pk, user=on_site_waiting, mode=ON_SITE)
    services.register(meeting_id=meeting.pk, user=remote_waiting, mode=REMOTE)

    with django_capture_on_commit_callbacks(execute=True):
        services.cancel(registration_id=registration_of(meeting, remote).pk, user=remote)

    assert registration_of(meeting, remote_waiting).status == RegistrationStatus.CONFIRMED
    assert registration_of(meeting, on_site_waiting).status == RegistrationStatus.WAITING
    assert [message.to for message in mail.outbox] == [[remote_waiting.email]]
    assert meeting.video_url in mail.outbox[0].body  # remotely: the video link


def test_unlimited_places_never_wait(organiser):
    meeting = make_meeting(organiser, on_site=None, remote=None)
    for _ in range(6):
        services.register(meeting_id=meeting.pk, user=UserFactory(), mode=REMOTE)
    assert Registration.objects.filter(meeting=meeting, status=RegistrationStatus.CONFIRMED).count() == 6


def test_registering_again_after_cancelling_reuses_the_registration(member_client, member, meeting):
    post_register(member_client, meeting, ON_SITE, NEEDS)
    registration = registration_of(meeting, member)
    member_client.post(reverse("meetings:cancel", kwargs={"pk": registration.pk}))
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED
    assert registration.needs == ""  # erased as soon as the person no longer comes

    post_register(member_client, meeting, REMOTE)

    assert Registration.objects.filter(meeting=meeting, user=member).count() == 1
    registration.refresh_from_db()
    assert (registration.mode, registration.status, registration.cancelled_at) == (
        REMOTE,
        RegistrationStatus.CONFIRMED,
        None,
    )


def test_changing_mode_frees_the_place_for_the_first_person_waiting(
    member_client, member, meeting, django_capture_on_commit_callbacks
):
    post_register(member_client, meeting, ON_SITE)
    services.register(meeting_id=meeting.pk, user=UserFactory(), mode=ON_SITE)
    waiting = UserFactory()
    services.register(meeting_id=meeting.pk, user=waiting, mode=ON_SITE)

    with django_capture_on_commit_callbacks(execute=True):
        response = post_register(member_client, meeting, REMOTE, "Sous-titres, s'il vous plaît.")

    assert response.status_code == 302
    mine = registration_of(meeting, member)
    assert (mine.mode, mine.status, mine.needs) == (
        REMOTE,
        RegistrationStatus.CONFIRMED,
        "Sous-titres, s'il vous plaît.",
    )
    assert registration_of(meeting, waiting).status == RegistrationStatus.CONFIRMED
    assert [message.to for message in mail.outbox] == [[waiting.email]]  # nothing for the one who moved
    assert AuditEntry.objects.filter(action="meetings.registration.mode_changed").count() == 1


def test_moving_to_a_full_mode_puts_one_at_the_end_of_that_line(member, meeting):
    services.register(meeting_id=meeting.pk, user=member, mode=ON_SITE)
    services.register(meeting_id=meeting.pk, user=UserFactory(), mode=REMOTE)  # the only remote place

    registration = services.registration_change_mode(
        registration_id=registration_of(meeting, member).pk, user=member, mode=REMOTE
    )

    assert registration.status == RegistrationStatus.WAITING and services.waiting_position(registration) == 1


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"status": MeetingStatus.CANCELLED}, "Cette rencontre est annulée"),
        (
            {"registration_closes_at": timezone.now() - timedelta(hours=1)},
            "Les inscriptions à cette rencontre sont closes",
        ),
    ],
)
def test_closed_registrations_say_why(member_client, member, organiser, fields, expected):
    meeting = make_meeting(organiser, **fields)
    page = member_client.get(register_url(meeting))
    assert expected in main_text(page)
    assert not page.context["form"].is_bound  # no form offered, only the reason

    response = post_register(member_client, meeting, ON_SITE, NEEDS)

    assert response.status_code == 200
    assert expected in main_text(response)
    assert not Registration.objects.filter(meeting=meeting).exists()
    with pytest.raises(services.RegistrationError, match=expected):
        services.register(meeting_id=meeting.pk, user=member, mode=ON_SITE)


@pytest.mark.parametrize(
    ("meeting_format", "mode", "expected"),
    [
        (MeetingFormat.ON_SITE, REMOTE, "a lieu sur place uniquement"),
        (MeetingFormat.REMOTE, ON_SITE, "a lieu à distance uniquement"),
    ],
)
def test_a_mode_the_format_does_not_offer_is_refused(member_client, member, organiser, meeting_format, mode, expected):
    meeting = make_meeting(organiser, format=meeting_format)
    response = post_register(member_client, meeting, mode, NEEDS)
    assert response.status_code == 200  # the form offers the other mode only
    assert NEEDS in content_text(response)
    with pytest.raises(services.RegistrationError, match=expected):
        services.register(meeting_id=meeting.pk, user=member, mode=mode)
    assert not Registration.objects.filter(meeting=meeting).exists()


def test_an_error_on_the_form_keeps_the_needs_typed(member_client, meeting):
    response = post_register(member_client, meeting, "", NEEDS)
    assert response.status_code == 200
    assert "Choisissez comment vous participerez" in main_text(response)
    assert NEEDS in content_text(response)

    too_long = "x" * 1001
    response = post_register(member_client, meeting, ON_SITE, too_long)
    assert response.status_code == 200
    assert "1000 caractères au plus" in main_text(response)
    assert too_long in content_text(response)
    assert not Registration.objects.exists()


def test_no_registration_once_the_meeting_has_started(member, organiser):
    meeting = make_meeting(organiser, days=-1)
    with pytest.raises(services.RegistrationError, match="a déjà commencé"):
        services.register(meeting_id=meeting.pk, user=member, mode=ON_SITE)


def test_registering_twice_is_refused(member, meeting):
    services.register(meeting_id=meeting.pk, user=member, mode=ON_SITE)
    with pytest.raises(services.RegistrationError, match="déjà inscrit·e"):
        services.register(meeting_id=meeting.pk, user=member, mode=REMOTE)


def test_only_approved_members_register(client, pending_user, organiser):
    meeting = make_meeting(organiser, audience=MeetingAudience.PUBLIC)
    url = register_url(meeting)

    anonymous = client.post(url, {"mode": ON_SITE})
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]
    client.force_login(pending_user)
    pending = client.post(url, {"mode": ON_SITE})
    assert pending.status_code == 302 and pending["Location"].startswith(reverse("members:pending"))
    assert not Registration.objects.exists()
    with pytest.raises(services.RegistrationError, match="Seul·es les membres"):
        services.register(meeting_id=meeting.pk, user=pending_user, mode=ON_SITE)


def test_a_draft_is_not_found_by_members_but_its_organisers_cannot_register_yet(member_client, organiser):
    draft = make_meeting(organiser, status=MeetingStatus.DRAFT)
    assert member_client.get(register_url(draft)).status_code == 404
    with pytest.raises(services.RegistrationError, match="pas encore annoncée"):
        services.register(meeting_id=draft.pk, user=organiser, mode=ON_SITE)


def test_places_left_follow_the_small_numbers_rule(member_client, organiser):
    meeting = make_meeting(organiser, on_site=8, remote=None)
    for _ in range(4):
        services.register(meeting_id=meeting.pk, user=UserFactory(), mode=ON_SITE)
    text = main_text(member_client.get(register_url(meeting)))
    assert "Sur place : moins de 5 places" in text
    assert "4" not in text.split("Places", 1)[1].split("Quand il n")[0]
    assert "À distance : places sans limite" in text

    full = make_meeting(organiser, on_site=1, remote=0)
    services.register(meeting_id=full.pk, user=UserFactory(), mode=ON_SITE)
    text = main_text(member_client.get(register_url(full)))
    assert "Sur place : complet : liste d'attente" in text


# Cancelling ----------------------------------------------------------------------------------------


def test_only_the_person_or_an_organiser_cancels(member, other_member, organiser, curator, meeting):
    registration = services.register(meeting_id=meeting.pk, user=member, mode=ON_SITE)
    url = reverse("meetings:cancel", kwargs={"pk": registration.pk})

    assert logged(other_member).post(url).status_code == 403
    assert logged(other_member).get(url).status_code == 405
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED

    response = logged(organiser).post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("meetings:registrations", kwargs={"pk": meeting.pk})
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED
    entry = AuditEntry.objects.get(action="meetings.registration.cancelled")
    assert entry.actor == organiser and entry.data["by_organiser"] is True

    again = services.register(meeting_id=meeting.pk, user=member, mode=ON_SITE)
    assert logged(curator).post(url).status_code == 302
    again.refresh_from_db()
    assert again.status == RegistrationStatus.CANCELLED


def test_a_registration_to_a_meeting_one_cannot_see_is_not_found(member, organiser):
    draft = make_meeting(organiser, status=MeetingStatus.DRAFT)
    registration = Registration.objects.create(meeting=draft, user=organiser, mode=ON_SITE, status="inscrite")
    assert logged(member).post(reverse("meetings:cancel", kwargs={"pk": registration.pk})).status_code == 404


# The organisers' page: needs, check-in, counts -----------------------------------------------------


def test_needs_are_shown_to_the_organisers_only(
    client, member, other_member, organiser, curator, pending_user, meeting
):
    services.register(meeting_id=meeting.pk, user=member, mode=ON_SITE, needs=NEEDS)
    url = reverse("meetings:registrations", kwargs={"pk": meeting.pk})

    for reader in (organiser, curator):
        page = logged(reader).get(url)
        assert page.status_code == 200
        text = main_text(page)
        assert NEEDS in text and "données sensibles" in text
        assert str(member) in text
    assert logged(other_member).get(url).status_code == 403
    assert logged(member).get(url).status_code == 403
    assert client.get(url).status_code == 302
    assert logged(pending_user).get(url).status_code == 302
    # Nowhere else: the meeting's page, whoever reads it.
    for reader in (other_member, member):
        assert NEEDS not in content_text(logged(reader).get(meeting.get_absolute_url()))
    # A draft is not found by people who cannot see it.
    draft = make_meeting(organiser, status=MeetingStatus.DRAFT)
    assert logged(other_member).get(reverse("meetings:registrations", kwargs={"pk": draft.pk})).status_code == 404


def test_needs_are_erased_the_day_after_the_meeting(organiser, member, other_member):
    ended_two_days_ago = make_meeting(organiser, days=-3)
    ended_today = make_meeting(organiser, days=0)
    Meeting.objects.filter(pk=ended_today.pk).update(
        starts_at=timezone.now() - timedelta(hours=8), ends_at=timezone.now() - timedelta(hours=1)
    )
    old = Registration.objects.create(
        meeting=ended_two_days_ago, user=member, mode=ON_SITE, status="inscrite", needs=NEEDS
    )
    recent = Registration.objects.create(
        meeting=ended_today, user=other_member, mode=ON_SITE, status="inscrite", needs=NEEDS
    )

    out = StringIO()
    call_command("meetings_erase_needs", stdout=out)

    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.needs == "" and recent.needs == NEEDS
    assert "1 inscription" in out.getvalue()
    ended_two_days_ago.refresh_from_db()
    assert ended_two_days_ago.needs_erased_at is not None
    assert AuditEntry.objects.filter(action="meetings.registration.needs_erased").count() == 1
    page = main_text(logged(organiser).get(reverse("meetings:registrations", kwargs={"pk": ended_two_days_ago.pk})))
    assert "Les besoins particuliers ont été effacés le" in page and NEEDS not in page

    # Later: the day after the other meeting.
    assert services.needs_erase_past(now=timezone.now() + timedelta(days=1)) == 1
    recent.refresh_from_db()
    assert recent.needs == ""


def test_check_in_by_the_organisers_and_exact_counts(member, other_member, organiser, meeting):
    mine = services.register(meeting_id=meeting.pk, user=member, mode=ON_SITE)
    services.register(meeting_id=meeting.pk, user=other_member, mode=REMOTE)
    services.register(meeting_id=meeting.pk, user=UserFactory(), mode=REMOTE)  # waiting
    url = reverse("meetings:check_in", kwargs={"pk": mine.pk})

    assert logged(other_member).post(url, {"present": "1"}).status_code == 403
    response = logged(organiser).post(url, {"present": "1"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"#inscription-{mine.pk}")
    mine.refresh_from_db()
    assert mine.checked_in_at is not None and mine.checked_in_by == organiser
    assert AuditEntry.objects.filter(action="meetings.registration.checked_in").count() == 1

    page = logged(organiser).get(reverse("meetings:registrations", kwargs={"pk": meeting.pk}))
    rows = {row[0]: row[1:] for row in _table_rows(page, "Inscriptions et présences")}
    assert rows["Sur place"] == ["2", "1", "0", "1"]
    assert rows["À distance"] == ["1", "1", "1", "0"]

    logged(organiser).post(url, {"present": "0"})
    mine.refresh_from_db()
    assert mine.checked_in_at is None
    waiting = Registration.objects.get(meeting=meeting, status=RegistrationStatus.WAITING)
    with pytest.raises(services.RegistrationError, match="confirmée"):
        services.check_in(registration_id=waiting.pk, organiser=organiser, present=True)


def _table_rows(response, caption):
    from tests.html import select, text_of

    for table in select(response, "table"):
        captions = [text_of(element) for element in table.iter() if element.tag.endswith("caption")]
        if captions and caption in captions[0]:
            return [
                [text_of(cell) for cell in row if cell.tag.endswith(("td", "th"))]
                for row in table.iter()
                if row.tag.endswith("tr") and any(cell.tag.endswith("td") for cell in row)
            ]
    raise AssertionError(f"pas de tableau « {caption} »")


# Reminders and following ---------------------------------------------------------------------------


def test_reminders_go_once_two_days_before_with_the_address_or_the_video_link(
    organiser, member, other_member, django_capture_on_commit_callbacks
):
    soon = make_meeting(organiser, days=1, remote=1)
    later = make_meeting(organiser, days=5)
    services.register(meeting_id=soon.pk, user=member, mode=ON_SITE)
    services.register(meeting_id=soon.pk, user=other_member, mode=REMOTE)
    services.register(meeting_id=soon.pk, user=UserFactory(), mode=REMOTE)  # waiting: no reminder
    services.register(meeting_id=later.pk, user=member, mode=ON_SITE)
    mail.outbox.clear()

    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("meetings_send_reminders", stdout=out)

    assert "2 rappel(s)" in out.getvalue()
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert set(by_recipient) == {member.email, other_member.email}
    on_site, remote = by_recipient[member.email], by_recipient[other_member.email]
    assert "Rappel" in on_site.subject and soon.title in on_site.subject
    assert soon.address in on_site.body and soon.video_url not in on_site.body
    assert soon.video_url in remote.body and soon.address not in remote.body
    soon.refresh_from_db()
    assert soon.reminder_sent_at is not None

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_reminders() == 0
        call_command("meetings_send_reminders", "--file", stdout=StringIO())  # handed to the worker
    assert mail.outbox == []


def test_following_a_meeting_toggles(member_client, member, meeting):
    url = reverse("meetings:follow", kwargs={"pk": meeting.pk})
    assert member_client.get(url).status_code == 405
    response = member_client.post(url, {"next": "https://evil.example.org/"})
    assert response.status_code == 302 and response["Location"] == meeting.get_absolute_url()
    assert MeetingFollow.objects.filter(meeting=meeting, user=member).exists()
    member_client.post(url)
    assert not MeetingFollow.objects.filter(meeting=meeting, user=member).exists()


# Simultaneous registrations (PostgreSQL) --------------------------------------------------------


@pytest.fixture
def slow_counting(monkeypatch):
    """Pause after counting the places, so that simultaneous registrations overlap: without the meeting's row
    lock, all twelve would find a place (checked by hand: 12 confirmed)."""
    original = services._has_place

    def slow(meeting, mode):
        result = original(meeting, mode)
        time.sleep(0.05)
        return result

    monkeypatch.setattr(services, "_has_place", slow)


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_simultaneous_registrations_never_exceed_the_places(organiser, slow_counting):
    meeting = make_meeting(organiser, on_site=5, remote=0)
    people = [UserFactory() for _ in range(12)]
    barrier = threading.Barrier(len(people))
    errors = []

    def run(user):
        try:
            barrier.wait(timeout=10)
            services.register(meeting_id=meeting.pk, user=user, mode=ON_SITE)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(user,)) for user in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    statuses = list(Registration.objects.filter(meeting=meeting).values_list("status", flat=True))
    assert statuses.count(RegistrationStatus.CONFIRMED) == 5
    assert statuses.count(RegistrationStatus.WAITING) == 7
    waiting = list(Registration.objects.filter(meeting=meeting).waiting())
    assert [services.waiting_position(registration) for registration in waiting] == list(range(1, 8))


# The registration box on the meeting's page --------------------------------------------------------


def test_the_meeting_page_shows_ones_registration(client, member, other_member, organiser):
    meeting = make_meeting(organiser, remote=1, audience=MeetingAudience.PUBLIC)
    services.register(meeting_id=meeting.pk, user=member, mode=REMOTE)
    services.register(meeting_id=meeting.pk, user=other_member, mode=REMOTE)
    page = meeting.get_absolute_url()

    anonymous = client.get(page)
    assert anonymous.status_code == 200
    text = main_text(anonymous)
    assert "Connectez-vous pour vous inscrire" in text
    assert meeting.video_url not in content_text(anonymous)

    mine = logged(member).get(page)
    text = main_text(mine)
    assert "Vous êtes inscrit·e (à distance)." in text and "Annuler mon inscription" in text
    assert meeting.video_url in text
    assert reverse("meetings:ics", kwargs={"pk": meeting.pk}) in mine.content.decode()
    assert reverse("meetings:registrations", kwargs={"pk": meeting.pk}) not in mine.content.decode()

    waiting = main_text(logged(other_member).get(page))
    assert "liste d'attente (à distance), en position 1" in waiting
    assert meeting.video_url not in waiting

    newcomer = main_text(logged(UserFactory()).get(page))
    assert "M'inscrire" in newcomer and "À distance : complet : liste d'attente" in newcomer
    assert "Sur place : moins de 5 places" in newcomer

    organiser_page = logged(organiser).get(page).content.decode()
    assert reverse("meetings:registrations", kwargs={"pk": meeting.pk}) in organiser_page
    assert reverse("meetings:attendance_sheet", kwargs={"pk": meeting.pk}) in organiser_page


def test_the_organisers_page_costs_the_same_queries_whatever_the_number_of_people(organiser, meeting):
    client = logged(organiser)
    url = reverse("meetings:registrations", kwargs={"pk": meeting.pk})

    def queries_with(count):
        for _ in range(count):
            services.register(meeting_id=meeting.pk, user=UserFactory(), mode=ON_SITE, needs=NEEDS)
            services.register(meeting_id=meeting.pk, user=UserFactory(), mode=REMOTE)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    assert queries_with(1) == queries_with(5)


def test_places_added_by_the_organisers_go_to_the_people_waiting():
    from meetings import registration as registration_services
    from meetings import services as meeting_services
    from meetings.enums import RegistrationStatus
    from meetings.models import Registration
    from tests.meetings.factories import make_meeting
    from tests.members.factories import UserFactory

    organiser = UserFactory(curator=True)
    meeting = make_meeting(organiser, on_site=1, remote=0)
    first, second = UserFactory(), UserFactory()
    registration_services.register(meeting_id=meeting.pk, user=first, mode="sur-place")
    waiting = registration_services.register(meeting_id=meeting.pk, user=second, mode="sur-place")
    assert waiting.status == RegistrationStatus.WAITING
    meeting.refresh_from_db()
    values = {name: getattr(meeting, name) for name in meeting_services.MEETING_FIELDS}
    values["capacity_on_site"] = 2
    meeting_services.meeting_update(
        meeting_id=meeting.pk, actor=organiser, values=values, lock_version=meeting.lock_version
    )
    assert Registration.objects.get(pk=waiting.pk).status == RegistrationStatus.CONFIRMED


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_simultaneous_requests_through_the_site_never_exceed_the_places(organiser, slow_counting):
    """The same race as above, each person posting the registration form from their own browser session."""
    from django.test import Client
    from django.urls import reverse

    meeting = make_meeting(organiser, on_site=3, remote=0)
    clients = []
    for _ in range(8):
        client = Client()
        client.force_login(UserFactory())
        clients.append(client)
    barrier = threading.Barrier(len(clients))
    answers = []

    def run(client):
        try:
            barrier.wait(timeout=10)
            response = client.post(reverse("meetings:register", args=[meeting.pk]), {"mode": ON_SITE})
            answers.append(response.status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert answers == [302] * 8
    statuses = list(Registration.objects.filter(meeting=meeting).values_list("status", flat=True))
    assert statuses.count(RegistrationStatus.CONFIRMED) == 3
    assert statuses.count(RegistrationStatus.WAITING) == 5
