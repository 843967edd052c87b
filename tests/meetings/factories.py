"""Meetings for the tests: announced, hybrid, with room for a few people on site and remotely."""

from datetime import timedelta

from django.utils import timezone

from meetings.enums import MeetingAudience, MeetingFormat, MeetingStatus
from meetings.models import Meeting


def make_meeting(organiser, *, days=30, on_site=3, remote=2, audience=MeetingAudience.MEMBERS, **fields) -> Meeting:
    """An announced hybrid meeting `days` from now (negative: in the past), organised by `organiser`."""
    starts = (timezone.now() + timedelta(days=days)).replace(minute=0, second=0, microsecond=0)
    values = {
        "title": "Séminaire du réseau",
        "summary": "Deux jours pour écrire ensemble la fiche de poste.",
        "starts_at": starts,
        "ends_at": starts + timedelta(hours=7),
        "format": MeetingFormat.HYBRID,
        "place": "Maison des associations",
        "address": "10 rue de la Paix, 75002 Paris",
        "video_url": "https://visio.example.org/seminaire",
        "capacity_on_site": on_site,
        "capacity_remote": remote,
        "audience": audience,
        "status": MeetingStatus.PUBLISHED,
        "created_by": organiser,
        **fields,
    }
    meeting = Meeting.objects.create(**values)
    meeting.organisers.add(organiser)
    return meeting
