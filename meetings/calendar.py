"""Meetings as iCalendar (RFC 5545): one meeting's `.ics` file and a member's calendar feed.

Each meeting is one VEVENT whose UID never changes (`meeting-<pk>@<site host>`), so that a calendar
updates the event instead of adding another; its SEQUENCE follows the meeting's `lock_version` (each
edit through the form counts), and a cancelled meeting stays in the feed with STATUS:CANCELLED so that
calendars strike it out. Times carry the meeting's time zone (TZID, with its VTIMEZONE). The video
link is written only for someone who may see it (meetings.registration.may_see_video).

The feed (`meetings:feed`) holds the meetings a member registered for (not cancelled), organises or
follows, announced ones only, from MEETINGS_FEED_PAST_DAYS (90) days ago on.
"""

import zoneinfo
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from core.mail import site_url
from meetings.enums import AttendanceMode, MeetingStatus, RegistrationStatus
from meetings.models import Meeting, MeetingFollow, Registration
from meetings.registration import may_see_video

PRODID = "-//CNCD//Réseau des technicien·nes CoDev//FR"


def feed_past_days() -> int:
    return int(getattr(settings, "MEETINGS_FEED_PAST_DAYS", 90))


def site_host() -> str:
    """The host of the site's configured address (settings.SITE_URL), for stable event identifiers."""
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def event_uid(meeting: Meeting) -> str:
    return f"meeting-{meeting.pk}@{site_host()}"


def _zone(meeting: Meeting):
    try:
        return zoneinfo.ZoneInfo(meeting.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def _location(meeting: Meeting, video: bool) -> str:
    parts = []
    if meeting.has_on_site:
        parts = [part for part in (meeting.place, meeting.address) if part]
    if not parts and meeting.has_remote:
        parts = [meeting.video_url if video else _("En ligne (le lien est donné aux personnes inscrites)")]
    return ", ".join(parts)


def meeting_event(meeting: Meeting, *, video: bool, registration: Registration | None = None) -> Event:
    """The meeting as a VEVENT; `video`: write the video link (only for someone allowed to see it)."""
    zone = _zone(meeting)
    page = site_url(reverse("meetings:detail", kwargs={"pk": meeting.pk}))
    event = Event()
    event.add("uid", event_uid(meeting))
    event.add("dtstamp", datetime.now(UTC))
    event.add("dtstart", meeting.starts_at.astimezone(zone))
    event.add("dtend", meeting.ends_at.astimezone(zone))
    event.add("sequence", meeting.lock_version)
    event.add("last-modified", meeting.updated_at.astimezone(UTC))
    event.add("created", meeting.created_at.astimezone(UTC))
    cancelled = meeting.status == MeetingStatus.CANCELLED
    title = meeting.title
    if cancelled:
        title = _("Annulée : %(title)s") % {"title": title}
    event.add("summary", title)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("url", page)
    location = _location(meeting, video)
    if location:
        event.add("location", location)
    lines = [meeting.summary]
    if registration is not None and registration.status != RegistrationStatus.CANCELLED:
        if registration.status == RegistrationStatus.WAITING:
            lines.append(_("Vous êtes sur la liste d'attente (%(mode)s).") % {"mode": registration.get_mode_display()})
        elif registration.mode == AttendanceMode.ON_SITE:
            lines.append(_("Vous êtes inscrit·e sur place."))
        else:
            lines.append(_("Vous êtes inscrit·e à distance."))
    if video and meeting.video_url:
        lines.append(_("Lien de visioconférence : %(url)s") % {"url": meeting.video_url})
    lines.append(_("Page de la rencontre : %(url)s") % {"url": page})
    event.add("description", "\n\n".join(line for line in lines if line))
    return event


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    return calendar


def _finish(calendar: Calendar, meetings: list[Meeting]) -> bytes:
    if meetings:
        # A VTIMEZONE covering the meetings' years only (the full history would be long for nothing).
        first = min(meeting.starts_at for meeting in meetings).date().replace(month=1, day=1)
        last = max(meeting.ends_at for meeting in meetings).date().replace(month=12, day=31)
        calendar.add_missing_timezones(first_date=first - timedelta(days=366), last_date=last + timedelta(days=1))
    return calendar.to_ical()


def meeting_ics(meeting: Meeting, user) -> bytes:
    """The `.ics` file of one meeting, as `user` (anyone who may see the meeting) downloads it."""
    registration = None
    if user is not None and user.is_authenticated:
        registration = Registration.objects.filter(meeting=meeting, user=user).first()
    calendar = _calendar(meeting.title)
    calendar.add_component(
        meeting_event(meeting, video=may_see_video(user, meeting, registration), registration=registration)
    )
    return _finish(calendar, [meeting])


def feed_meetings(user) -> list[Meeting]:
    """The announced meetings `user` registered for (not cancelled), organises or follows, recent and to come."""
    since = timezone.now() - timedelta(days=feed_past_days())
    registered = Registration.objects.filter(user=user).exclude(status=RegistrationStatus.CANCELLED)
    followed = MeetingFollow.objects.filter(user=user)
    return list(
        Meeting.objects.visible_to(user)
        .announced()
        .filter(ends_at__gte=since)
        .filter(
            Q(pk__in=registered.values("meeting_id"))
            | Q(pk__in=followed.values("meeting_id"))
            | Q(pk__in=Meeting.organisers.through.objects.filter(user=user).values("meeting_id"))
        )
        .order_by("starts_at", "pk")
    )


def feed_ics(user) -> bytes:
    """The member's calendar feed: one VEVENT per meeting of `feed_meetings`."""
    meetings = feed_meetings(user)
    ids = [meeting.pk for meeting in meetings]
    registrations = {
        registration.meeting_id: registration
        for registration in Registration.objects.filter(user=user, meeting__in=ids)
    }
    organised = set(
        Meeting.organisers.through.objects.filter(user=user, meeting__in=ids).values_list("meeting_id", flat=True)
    )
    calendar = _calendar(_("Rencontres du réseau CoDev"))
    for meeting in meetings:
        registration = registrations.get(meeting.pk)
        video = may_see_video(user, meeting, registration, organiser=user.is_curator or meeting.pk in organised)
        calendar.add_component(meeting_event(meeting, video=video, registration=registration))
    return _finish(calendar, meetings)
