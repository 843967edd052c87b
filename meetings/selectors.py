"""Reads of the meetings: the list and its filters, a meeting's page, its dates in its own time zone."""

import zoneinfo
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import CharField, Count, Exists, IntegerField, OuterRef, Prefetch, Q, Subquery, Value
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from competences.models import Competence, FrameworkVersion
from core.dates import long_date, long_datetime
from fiches.models import COMMON_FICHE_SLUG, Section
from fiches.rendering import render_markdown
from meetings.enums import AttendanceMode, MeetingStatus, RegistrationStatus
from meetings.models import TIME_ZONES, Material, Meeting, MeetingFollow, Outcome, Registration, Workshop
from missions.models import Activity, Mission

DEFAULT_TIME_ZONE = "Europe/Paris"
TIME_ZONE_LABELS = {
    "Europe/Paris": gettext_lazy("heure de Paris (métropole, Corse)"),
    "America/Cayenne": gettext_lazy("heure de la Guyane"),
    "America/Guadeloupe": gettext_lazy("heure de la Guadeloupe"),
    "America/Martinique": gettext_lazy("heure de la Martinique"),
    "Indian/Reunion": gettext_lazy("heure de La Réunion"),
    "Indian/Mayotte": gettext_lazy("heure de Mayotte"),
    "Pacific/Noumea": gettext_lazy("heure de la Nouvelle-Calédonie"),
    "Pacific/Tahiti": gettext_lazy("heure de Tahiti"),
    "America/Miquelon": gettext_lazy("heure de Saint-Pierre-et-Miquelon"),
    "Pacific/Wallis": gettext_lazy("heure de Wallis-et-Futuna"),
}
# The list's filters, by their URL parameter.
UPCOMING, PAST = "a-venir", "passees"
PAST_PER_PAGE = 20


# Dates in the meeting's own time zone -----------------------------------------------------------


def time_zone_label(name: str) -> str:
    return str(TIME_ZONE_LABELS.get(name, name))


def time_zone_choices() -> list[tuple[str, str]]:
    """The time zones a meeting may be held in, Paris first, labelled in French."""
    names = sorted(TIME_ZONES, key=lambda name: (name != DEFAULT_TIME_ZONE, time_zone_label(name)))
    return [(name, time_zone_label(name).capitalize()) for name in names]


def _zone(meeting: Meeting) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(meeting.time_zone or DEFAULT_TIME_ZONE)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(DEFAULT_TIME_ZONE)


def in_meeting_zone(meeting: Meeting, value):
    """`value` (aware) as the clock shows it where the meeting is held, naive: what the forms and pages show."""
    if value is None:
        return None
    return timezone.localtime(value, _zone(meeting)).replace(tzinfo=None)


def meeting_day(meeting: Meeting) -> str:
    """ "12 mars 2027": the day the meeting starts, where it is held."""
    return long_date(in_meeting_zone(meeting, meeting.starts_at))


def meeting_when(meeting: Meeting) -> str:
    """ "12 mars 2027, de 09:00 à 17:00", "du 12 mars 2027 à 09:00 au 13 mars 2027 à 12:00", with the time zone
    named when it is not Paris's."""
    starts, ends = in_meeting_zone(meeting, meeting.starts_at), in_meeting_zone(meeting, meeting.ends_at)
    if starts.date() == ends.date():
        text = _("%(day)s, de %(start)s à %(end)s") % {
            "day": long_date(starts),
            "start": date_format(starts, "H:i"),
            "end": date_format(ends, "H:i"),
        }
    else:
        text = _("du %(start)s au %(end)s") % {"start": long_datetime(starts), "end": long_datetime(ends)}
    if (meeting.time_zone or DEFAULT_TIME_ZONE) != DEFAULT_TIME_ZONE:
        text += f" ({time_zone_label(meeting.time_zone)})"
    return text


def meeting_datetime(meeting: Meeting, value) -> str:
    """Another moment of the meeting (the registrations' closing) in its time zone, named when not Paris's."""
    if value is None:
        return ""
    text = long_datetime(in_meeting_zone(meeting, value))
    if (meeting.time_zone or DEFAULT_TIME_ZONE) != DEFAULT_TIME_ZONE:
        text += f" ({time_zone_label(meeting.time_zone)})"
    return text


# Places ------------------------------------------------------------------------------------------


def with_places(meetings):
    """Annotate the confirmed registrations of each mode (`confirmed_on_site`, `confirmed_remote`)."""
    confirmed = Q(registrations__status=RegistrationStatus.CONFIRMED)
    return meetings.annotate(
        confirmed_on_site=Count("registrations", filter=confirmed & Q(registrations__mode=AttendanceMode.ON_SITE)),
        confirmed_remote=Count("registrations", filter=confirmed & Q(registrations__mode=AttendanceMode.REMOTE)),
    )


def is_full(meeting: Meeting) -> bool:
    """Every mode the meeting offers has a capacity, and it is reached (read from `with_places`)."""
    modes = []
    if meeting.has_on_site:
        modes.append((meeting.capacity_on_site, meeting.confirmed_on_site))
    if meeting.has_remote:
        modes.append((meeting.capacity_remote, meeting.confirmed_remote))
    return bool(modes) and all(capacity is not None and taken >= capacity for capacity, taken in modes)


# The list ----------------------------------------------------------------------------------------


@dataclass
class MeetingList:
    upcoming: list
    past: object  # a Page of past meetings
    when: str


def meeting_list(*, user, when: str = "", meeting_format: str = "", region=None, page: int | str = 1) -> MeetingList:
    """What `user` may see: upcoming meetings first (soonest first), then past ones (latest first), filtered."""
    visible = Meeting.objects.visible_to(user).values("pk")
    # Counted on a plain queryset: visible_to's join on the organisers would multiply the counts.
    meetings = with_places(Meeting.objects.filter(pk__in=visible)).select_related("region")
    if meeting_format:
        meetings = meetings.filter(format=meeting_format)
    if region is not None:
        meetings = meetings.filter(region=region)
    now = timezone.now()
    upcoming = [] if when == PAST else list(meetings.filter(ends_at__gte=now).order_by("starts_at", "pk"))
    past_meetings = (
        meetings.none() if when == UPCOMING else meetings.filter(ends_at__lt=now).order_by("-starts_at", "-pk")
    )
    past = Paginator(past_meetings, PAST_PER_PAGE).get_page(page)
    for meeting in [*upcoming, *past.object_list]:
        _decorate(meeting)
    return MeetingList(upcoming=upcoming, past=past, when=when)


def _decorate(meeting: Meeting) -> None:
    meeting.when = meeting_when(meeting)
    meeting.full = is_full(meeting) if hasattr(meeting, "confirmed_on_site") else False


# A meeting's page --------------------------------------------------------------------------------


def meeting_for_page(*, user, pk: int) -> Meeting | None:
    """The meeting `user` may see, with what its page shows loaded in a few queries; None otherwise."""
    workshops = Workshop.objects.select_related("fiche_section", "notes_updated_by__profile").prefetch_related(
        Prefetch("participants", queryset=_people())
    )
    meeting = (
        with_places(Meeting.objects.filter(pk__in=Meeting.objects.visible_to(user).values("pk")))
        .select_related("region")
        .prefetch_related(
            Prefetch("organisers", queryset=_people()),
            Prefetch("workshops", queryset=workshops),
            Prefetch("materials", queryset=Material.objects.select_related("resource")),
            Prefetch("outcomes", queryset=Outcome.objects.select_related("suggestion", "workshop")),
        )
        .filter(pk=pk)
        .first()
    )
    if meeting is not None:
        _decorate(meeting)
    return meeting


def meeting_for_viewer(*, user, pk: int) -> Meeting | None:
    """The meeting `user` may see, in one query, with what the kept page needs to know of the visitor
    (meetings.caching): `viewer_organises`, `viewer_follows`, `viewer_joined` (a sub-group), and their
    registration's `viewer_registration`, `viewer_registration_status`, `viewer_registration_mode` (None
    without one); None otherwise."""
    meetings = Meeting.objects.filter(pk__in=Meeting.objects.visible_to(user).values("pk"))
    if user.is_authenticated and user.is_approved:
        organisers = Meeting.organisers.through.objects.filter(meeting_id=OuterRef("pk"), user_id=user.pk)
        follows = MeetingFollow.objects.filter(meeting_id=OuterRef("pk"), user_id=user.pk)
        registration = Registration.objects.filter(meeting_id=OuterRef("pk"), user_id=user.pk)
        joined = Workshop.participants.through.objects.filter(workshop__meeting_id=OuterRef("pk"), user_id=user.pk)
        meetings = meetings.annotate(
            viewer_organises=Exists(organisers),
            viewer_follows=Exists(follows),
            viewer_joined=Exists(joined),
            viewer_registration=Subquery(registration.values("pk")[:1]),
            viewer_registration_status=Subquery(registration.values("status")[:1]),
            viewer_registration_mode=Subquery(registration.values("mode")[:1]),
        )
    else:
        meetings = meetings.annotate(
            viewer_organises=Value(False),
            viewer_follows=Value(False),
            viewer_joined=Value(False),
            viewer_registration=Value(None, output_field=IntegerField()),
            viewer_registration_status=Value(None, output_field=CharField()),
            viewer_registration_mode=Value(None, output_field=CharField()),
        )
    return meetings.filter(pk=pk).first()


def _people():
    from members.models import User

    return User.objects.select_related("profile").order_by("first_name", "last_name", "pk")


def person_name(user, *, hidden: str | None = None) -> str:
    """The name a person chose to show (User.credit_name), else a neutral phrase."""
    return user.credit_name() or hidden or _("un·e participant·e")


def organiser_names(meeting: Meeting) -> list[str]:
    return [person_name(person, hidden=_("un·e organisateur·rice")) for person in meeting.organisers.all()]


def members_only_exists(pk: int) -> bool:
    """An announced members-only meeting exists at `pk`: an anonymous visitor is asked to log in."""
    from meetings.enums import MeetingAudience

    return Meeting.objects.announced().filter(pk=pk, audience=MeetingAudience.MEMBERS).exists()


def cancellation_reason(meeting: Meeting) -> str:
    """Why the meeting was cancelled (Meeting.cancel_reason), empty while it is not."""
    return meeting.cancel_reason if meeting.status == MeetingStatus.CANCELLED else ""


# The référentiel and the fiche -------------------------------------------------------------------


@dataclass(frozen=True)
class CodeLink:
    code: str
    title: str
    url: str  # empty when the current référentiel no longer has the code


def referentiel_links(codes) -> dict[str, CodeLink]:
    """Each of `codes` with its title and page in the current référentiel (title and URL empty when absent)."""
    codes = {code for code in codes if code}
    if not codes:
        return {}
    version = FrameworkVersion.objects.current()
    links = {code: CodeLink(code, "", "") for code in codes}
    if version is None:
        return links
    for model, name in (
        (Mission, "referentiel:mission"),
        (Activity, "referentiel:activity"),
        (Competence, "referentiel:competence"),
    ):
        for item in model.objects.of(version).filter(code__in=codes).only("code", "title"):
            links[item.code] = CodeLink(item.code, item.title, reverse(name, args=[version.label, item.code]))
    return links


def common_sections():
    """The sections of the common fiche, in order, with their current text."""
    return Section.objects.with_current().filter(fiche__slug=COMMON_FICHE_SLUG).order_by("order", "pk")


def outcome_rows(meeting: Meeting) -> list[Outcome]:
    """The meeting's outcomes, each with `links` (its référentiel codes as CodeLinks)."""
    outcomes = list(meeting.outcomes.all())
    lookup = referentiel_links(code for outcome in outcomes for code in outcome.referentiel_codes or [])
    for outcome in outcomes:
        outcome.links = [lookup[code] for code in outcome.referentiel_codes or [] if code in lookup]
    return outcomes


def workshop_rows(meeting: Meeting, user) -> list[Workshop]:
    """The meeting's sub-groups, each with `links`, `names` (participants) and `joined` (user among them)."""
    workshops = list(meeting.workshops.all())
    lookup = referentiel_links(code for workshop in workshops for code in workshop.referentiel_codes or [])
    for workshop in workshops:
        participants = list(workshop.participants.all())
        workshop.links = [lookup[code] for code in workshop.referentiel_codes or [] if code in lookup]
        workshop.names = [person_name(person) for person in participants]
        workshop.joined = bool(user.is_authenticated) and any(person.pk == user.pk for person in participants)
        workshop.full = workshop.capacity is not None and len(participants) >= workshop.capacity
        workshop.notes_editor = person_name(workshop.notes_updated_by) if workshop.notes_updated_by else ""
        workshop.topic_html = render_markdown(workshop.topic)
        workshop.notes_html = render_markdown(workshop.notes)
    return workshops
