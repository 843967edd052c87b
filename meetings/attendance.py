"""The attendance sheet ("feuille d'émargement") of a meeting, typeset as a PDF by the one renderer (core.pdf).

One line per person confirmed on site, sorted by last name, with their council and a box to sign; a few
blank lines for people who come without registering; then the people attending remotely, listed
apart (they do not sign). Rendered on demand and never stored: it holds names and changes with every
registration. For the organisers only (meetings.views.registration).
"""

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.dates import long_date
from core.pdf import NETWORK_NAME, PdfDocument, pdf_response
from meetings.enums import AttendanceMode, RegistrationStatus
from meetings.models import Meeting, Registration

# Empty lines at the end of the on-site table, for people who come without having registered.
BLANK_LINES = 5


def person_name(user) -> str:
    """The name printed for `user`: the name they go by on the site (organisers see it in full)."""
    return str(user)


def _sort_key(user):
    name = person_name(user)
    last = (user.last_name or (name.split()[-1] if name.split() else "")).strip()
    return (last.casefold(), (user.first_name or name).casefold(), user.pk)


def council_of(user) -> str:
    profile = getattr(user, "profile", None)  # a missing one-to-one raises an AttributeError subclass
    council = profile.council if profile is not None else None
    return str(council) if council is not None else ""


def _rows(meeting: Meeting, mode: str) -> list[dict]:
    registrations = Registration.objects.filter(
        meeting=meeting, mode=mode, status=RegistrationStatus.CONFIRMED
    ).select_related("user", "user__profile", "user__profile__council")
    users = sorted((registration.user for registration in registrations), key=_sort_key)
    return [{"name": person_name(user), "council": council_of(user)} for user in users]


def when_text(meeting: Meeting) -> str:
    """ "3 mars 2026, de 9:30 à 17:00" (or across days), in the meeting's time zone."""
    with timezone.override(meeting.time_zone):
        start, end = timezone.localtime(meeting.starts_at), timezone.localtime(meeting.ends_at)
        if start.date() == end.date():
            return _("%(date)s, de %(start)s à %(end)s") % {
                "date": long_date(start),
                "start": date_format(start, "H:i"),
                "end": date_format(end, "H:i"),
            }
        return _("du %(start_date)s à %(start)s au %(end_date)s à %(end)s") % {
            "start_date": long_date(start),
            "start": date_format(start, "H:i"),
            "end_date": long_date(end),
            "end": date_format(end, "H:i"),
        }


def attendance_context(meeting: Meeting) -> dict:
    on_site = _rows(meeting, AttendanceMode.ON_SITE) if meeting.has_on_site else []
    remote = _rows(meeting, AttendanceMode.REMOTE) if meeting.has_remote else []
    place = ", ".join(part for part in (meeting.place, meeting.address) if part)
    return {
        "doc": {
            "title": _("Feuille d'émargement — %(title)s") % {"title": meeting.title},
            "author": NETWORK_NAME,
            "description": _("Feuille d'émargement de la rencontre « %(title)s »") % {"title": meeting.title},
            "keywords": _("feuille d'émargement, rencontre, réseau CoDev"),
            "running_title": meeting.title,
            "running_date": _start_date(meeting),
            "date_iso": meeting.starts_at.date().isoformat(),
        },
        "meeting": meeting,
        "when": when_text(meeting),
        "place": place if meeting.has_on_site else "",
        "on_site": on_site,
        "blank_lines": range(len(on_site) + 1, len(on_site) + 1 + BLANK_LINES) if meeting.has_on_site else [],
        "remote": remote,
        "printed_on": long_date(timezone.localdate()),
    }


def _start_date(meeting: Meeting) -> str:
    with timezone.override(meeting.time_zone):
        return long_date(timezone.localtime(meeting.starts_at))


def attendance_filename(meeting: Meeting) -> str:
    slug = slugify(meeting.title)[:60].strip("-") or "rencontre"
    return f"emargement-{slug}-{meeting.starts_at.date().isoformat()}.pdf"


def attendance_document(meeting: Meeting) -> PdfDocument:
    """The sheet as the one renderer describes a document: rendered each time, never stored."""
    return PdfDocument(
        template_name="meetings/registration/attendance_sheet.html",
        context=lambda: attendance_context(meeting),
        filename=attendance_filename(meeting),
    )


def attendance_response(request, meeting: Meeting):
    return pdf_response(request, attendance_document(meeting))
