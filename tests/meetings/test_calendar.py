"""Calendar files: one meeting's .ics, read back with icalendar; a member's secret feed and its new address."""

import zoneinfo

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from icalendar import Calendar

from core.models import AuditEntry
from meetings import registration as services
from meetings.enums import AttendanceMode, MeetingAudience, MeetingFormat, MeetingStatus
from meetings.models import CalendarFeed, Meeting
from tests.html import main_text
from tests.meetings.factories import make_meeting
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db

ON_SITE, REMOTE = AttendanceMode.ON_SITE.value, AttendanceMode.REMOTE.value


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = "https://codev.example.org"


@pytest.fixture
def organiser(db):
    return UserFactory()


def logged(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def ics_url(meeting):
    return reverse("meetings:ics", kwargs={"pk": meeting.pk})


def events(response) -> list:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    return list(calendar.walk("VEVENT"))


def test_a_public_meetings_ics_for_anyone(client, organiser):
    meeting = make_meeting(organiser, audience=MeetingAudience.PUBLIC, time_zone="America/Cayenne")

    response = client.get(ics_url(meeting))

    assert response["Content-Disposition"].startswith("attachment;")
    assert ".ics" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    [event] = events(response)
    assert str(event["uid"]) == f"meeting-{meeting.pk}@codev.example.org"
    start, end = event.decoded("dtstart"), event.decoded("dtend")
    assert start == meeting.starts_at and end == meeting.ends_at
    assert start.tzinfo == zoneinfo.ZoneInfo("America/Cayenne")
    assert event["dtstart"].params["TZID"] == "America/Cayenne"
    assert "BEGIN:VTIMEZONE" in response.content.decode() and "TZID:America/Cayenne" in response.content.decode()
    assert str(event["summary"]) == meeting.title
    assert str(event["status"]) == "CONFIRMED"
    assert int(event["sequence"]) == meeting.lock_version
    page = f"https://codev.example.org/rencontres/{meeting.pk}/"
    assert str(event["url"]) == page
    description = str(event["description"])
    assert page in description and meeting.summary in description
    assert str(event["location"]) == f"{meeting.place}, {meeting.address}"
    # Not registered: no video link anywhere in the file.
    assert meeting.video_url not in response.content.decode()


def test_a_members_meeting_is_not_found_by_visitors(client, pending_user, member, organiser):
    meeting = make_meeting(organiser)
    assert client.get(ics_url(meeting)).status_code == 404
    assert logged(pending_user).get(ics_url(meeting)).status_code == 404
    assert len(events(logged(member).get(ics_url(meeting)))) == 1
    draft = make_meeting(organiser, status=MeetingStatus.DRAFT)
    assert logged(member).get(ics_url(draft)).status_code == 404
    assert len(events(logged(organiser).get(ics_url(draft)))) == 1


def test_the_video_link_only_for_people_confirmed_remotely(member, other_member, organiser):
    meeting = make_meeting(organiser, remote=1)
    services.register(meeting_id=meeting.pk, user=member, mode=REMOTE)
    services.register(meeting_id=meeting.pk, user=other_member, mode=ON_SITE)
    waiting = UserFactory()
    services.register(meeting_id=meeting.pk, user=waiting, mode=REMOTE)

    [remote] = events(logged(member).get(ics_url(meeting)))
    assert meeting.video_url in str(remote["description"])
    assert "Vous êtes inscrit·e à distance." in str(remote["description"])
    for reader in (other_member, waiting):
        assert meeting.video_url not in logged(reader).get(ics_url(meeting)).content.decode()
    assert meeting.video_url in logged(organiser).get(ics_url(meeting)).content.decode()

    on_site_only = make_meeting(organiser, format=MeetingFormat.ON_SITE)
    services.register(meeting_id=on_site_only.pk, user=member, mode=ON_SITE)
    assert on_site_only.video_url not in logged(member).get(ics_url(on_site_only)).content.decode()


def test_a_remote_meeting_gives_its_link_as_the_location_to_those_registered(member, other_member, organiser):
    meeting = make_meeting(organiser, format=MeetingFormat.REMOTE, place="", address="")
    services.register(meeting_id=meeting.pk, user=member, mode=REMOTE)
    [event] = events(logged(member).get(ics_url(meeting)))
    assert str(event["location"]) == meeting.video_url
    [event] = events(logged(other_member).get(ics_url(meeting)))
    assert meeting.video_url not in str(event["location"])


def test_a_cancelled_meeting_says_so_with_a_higher_sequence(member, organiser):
    meeting = make_meeting(organiser)
    Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.CANCELLED, lock_version=3)

    [event] = events(logged(member).get(ics_url(meeting)))

    assert str(event["status"]) == "CANCELLED"
    assert int(event["sequence"]) == 3
    assert str(event["uid"]) == f"meeting-{meeting.pk}@codev.example.org"


# The feed --------------------------------------------------------------------------------------------


def feed_url_of(user) -> str:
    return reverse("meetings:feed", kwargs={"token": services.feed_of(user).token})


def test_the_feed_holds_what_the_member_registered_for_organises_or_follows(client, member, organiser):
    registered = make_meeting(organiser, title="Inscrite", remote=1)
    followed = make_meeting(organiser, title="Suivie")
    make_meeting(member, title="Organisée")
    cancelled_registration = make_meeting(organiser, title="Désinscrite")
    cancelled_meeting = make_meeting(organiser, title="Rencontre annulée")
    make_meeting(organiser, title="Sans rapport")
    make_meeting(member, title="Brouillon", status=MeetingStatus.DRAFT)
    services.register(meeting_id=registered.pk, user=member, mode=REMOTE)
    services.follow_toggle(meeting_id=followed.pk, user=member)
    gone = services.register(meeting_id=cancelled_registration.pk, user=member, mode=ON_SITE)
    services.cancel(registration_id=gone.pk, user=member)
    services.register(meeting_id=cancelled_meeting.pk, user=member, mode=ON_SITE)
    Meeting.objects.filter(pk=cancelled_meeting.pk).update(status=MeetingStatus.CANCELLED)

    response = client.get(feed_url_of(member))  # no login: the secret address is enough

    found = {str(event["summary"]): event for event in events(response)}
    assert set(found) == {"Inscrite", "Suivie", "Organisée", "Annulée : Rencontre annulée"}
    assert str(found["Annulée : Rencontre annulée"]["status"]) == "CANCELLED"
    assert registered.video_url in str(found["Inscrite"]["description"])
    assert "Content-Disposition" not in response
    assert response["X-Robots-Tag"].startswith("noindex")


def test_an_unknown_or_dead_account_token_is_not_found(client, member):
    assert client.get(reverse("meetings:feed", kwargs={"token": "nimporte-quoi"})).status_code == 404
    url = feed_url_of(member)
    member.is_active = False
    member.save()
    assert client.get(url).status_code == 404


def test_the_calendar_page_gives_the_address_and_a_new_one_kills_the_old(client, member, organiser):
    meeting = make_meeting(organiser, title="Séminaire d'automne")
    services.follow_toggle(meeting_id=meeting.pk, user=member)
    member_client = logged(member)
    page = member_client.get(reverse("meetings:calendar"))
    assert page.status_code == 200
    old_url = feed_url_of(member)
    text = main_text(page)
    assert "Thunderbird" in text and "Outlook" in text and "Google Agenda" in text
    assert "Séminaire d'automne" in text
    assert f'value="https://codev.example.org{old_url}"' in page.content.decode()
    assert f'href="webcal://codev.example.org{old_url}"' in page.content.decode()
    assert client.get(old_url).status_code == 200

    response = member_client.post(reverse("meetings:calendar"))

    assert response.status_code == 302
    new_url = feed_url_of(member)
    assert new_url != old_url
    assert client.get(old_url).status_code == 404
    assert client.get(new_url).status_code == 200
    assert CalendarFeed.objects.filter(user=member).count() == 1
    assert AuditEntry.objects.filter(action="meetings.registration.feed_renewed", actor=member).exists()


def test_the_calendar_page_is_for_members(client, pending_user):
    url = reverse("meetings:calendar")
    assert client.get(url).status_code == 302
    response = logged(pending_user).get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("members:pending"))
    assert not CalendarFeed.objects.exists()


def test_the_feed_costs_the_same_queries_whatever_its_length(client, member, organiser):
    def queries_for(count):
        for _ in range(count):
            meeting = make_meeting(organiser, remote=5)
            services.register(meeting_id=meeting.pk, user=member, mode=REMOTE)
            services.follow_toggle(meeting_id=make_meeting(organiser).pk, user=member)
            make_meeting(member)
        url = feed_url_of(member)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    assert queries_for(1) == queries_for(4)
