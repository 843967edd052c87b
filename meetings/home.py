"""What the meetings add to the personal home and the team's to-do page (core.home)."""

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.enums import Role
from core.home import HomeBlock, HomeLink, home_block_register
from meetings.enums import AttendanceMode, MeetingStatus, OutcomeKind, RegistrationStatus
from meetings.models import Meeting, Outcome, Registration
from meetings.registration import waiting_position
from meetings.selectors import is_full, meeting_day, meeting_when, with_places

SHOWN = 8
NEWS_SHOWN = 3


def _count(shown: list, queryset, limit: int) -> int:
    """The number of rows: the list's length when it is not full, else one more query."""
    return len(shown) if len(shown) < limit else queryset.count()


def my_meetings(user) -> HomeBlock | None:
    """The meetings to come the member registered for: date, how they take part, their place in line."""
    upcoming = (
        Registration.objects.active()
        .filter(user=user, meeting__ends_at__gt=timezone.now(), meeting__status=MeetingStatus.PUBLISHED)
        .select_related("meeting")
        .order_by("meeting__starts_at", "meeting_id")
    )
    shown = list(upcoming[:SHOWN])
    if not shown:
        return None
    links = []
    for registration in shown:
        meeting = registration.meeting
        mode = registration.get_mode_display()
        if registration.status == RegistrationStatus.WAITING:
            note = _("%(when)s · %(mode)s · liste d'attente, position %(position)s") % {
                "when": meeting_when(meeting),
                "mode": mode,
                "position": waiting_position(registration),
            }
            flag = _("en attente")
        else:
            note = _("%(when)s · %(mode)s") % {"when": meeting_when(meeting), "mode": mode}
            flag = ""
        links.append(HomeLink(meeting.title, meeting.get_absolute_url(), note, flag=flag))
    return HomeBlock(
        "needs-meetings",
        _("Vos prochaines rencontres"),
        links,
        count=_count(shown, upcoming, SHOWN),
        more_url=reverse("meetings:list"),
        more_text=_("Toutes les rencontres"),
    )


def _places(meeting: Meeting) -> str:
    """Places left in each mode the meeting offers: « 3 places sur place, complet à distance »."""
    parts = []
    for mode, offered, capacity, taken in (
        (AttendanceMode.ON_SITE, meeting.has_on_site, meeting.capacity_on_site, meeting.confirmed_on_site),
        (AttendanceMode.REMOTE, meeting.has_remote, meeting.capacity_remote, meeting.confirmed_remote),
    ):
        if not offered:
            continue
        label = str(AttendanceMode(mode).label).lower()
        if capacity is None:
            parts.append(_("%(mode)s : places libres") % {"mode": label})
        elif taken >= capacity:
            parts.append(_("%(mode)s : complet") % {"mode": label})
        else:
            left = capacity - taken
            parts.append(
                ngettext("%(mode)s : %(left)s place", "%(mode)s : %(left)s places", left)
                % {"mode": label, "left": left}
            )
    return ", ".join(parts)


def meetings_news(user) -> HomeBlock | None:
    """The next announced meetings the member may join (up to three), with the places left."""
    now = timezone.now()
    announced = (
        Meeting.objects.visible_to(user)
        .filter(status=MeetingStatus.PUBLISHED, starts_at__gt=now)
        .exclude(pk__in=Registration.objects.active().filter(user=user).values("meeting_id"))
        .filter(Q(registration_closes_at__isnull=True) | Q(registration_closes_at__gt=now))
    )
    upcoming = with_places(Meeting.objects.filter(pk__in=announced.values("pk"))).order_by("starts_at", "pk")
    shown = list(upcoming[:NEWS_SHOWN])
    if not shown:
        return None
    count = _count(shown, announced, NEWS_SHOWN)
    return HomeBlock(
        "news-meetings",
        _("Prochaines rencontres"),
        [
            HomeLink(
                meeting.title,
                meeting.get_absolute_url(),
                " · ".join(part for part in (meeting_day(meeting), meeting.place, _places(meeting)) if part),
                flag=_("complet") if is_full(meeting) else "",
            )
            for meeting in shown
        ],
        text=ngettext(
            "%(count)s rencontre à venir ouverte aux inscriptions.",
            "%(count)s rencontres à venir ouvertes aux inscriptions.",
            count,
        )
        % {"count": count},
        more_url=reverse("meetings:list"),
        more_text=_("Toutes les rencontres"),
    )


def drafts_to_announce(user) -> HomeBlock | None:
    """Meetings members proposed (drafts created by a member, not by the team), oldest first."""
    if not user.is_curator:
        return None
    drafts = (
        Meeting.objects.filter(status=MeetingStatus.DRAFT, created_by__role=Role.MEMBER, ends_at__gt=timezone.now())
        .select_related("region")
        .order_by("created_at", "pk")
    )
    shown = list(drafts[:SHOWN])
    count = _count(shown, drafts, SHOWN)
    if not count:
        return None
    return HomeBlock(
        "todo-meetings-drafts",
        _("Rencontres proposées par des membres"),
        [
            HomeLink(
                meeting.title,
                meeting.get_absolute_url(),
                " · ".join(filter(None, (meeting_day(meeting), meeting.region.name if meeting.region_id else ""))),
                when=meeting.created_at,
                flag=_("à annoncer"),
            )
            for meeting in shown
        ],
        count=count,
        more_url=reverse("meetings:list"),
        more_text=_("Toutes les rencontres"),
    )


def notes_to_handle(user) -> HomeBlock | None:
    """Notes for the référentiel team that came out of meetings and nobody has handled yet."""
    if not user.is_curator:
        return None
    notes = (
        Outcome.objects.filter(kind=OutcomeKind.REFERENTIEL_NOTE, handled_at__isnull=True)
        .select_related("meeting")
        .order_by("created_at", "pk")
    )
    shown = list(notes[:SHOWN])
    count = _count(shown, notes, SHOWN)
    if not count:
        return None
    return HomeBlock(
        "todo-meetings-notes",
        _("Notes des rencontres pour le référentiel"),
        [
            HomeLink(
                outcome.title,
                reverse("meetings:outcomes", kwargs={"pk": outcome.meeting_id}) + f"#suite-{outcome.pk}",
                " · ".join([outcome.meeting.title, *outcome.referentiel_codes]),
                when=outcome.created_at,
            )
            for outcome in shown
        ],
        count=count,
        more_url=reverse("meetings:list"),
        more_text=_("Toutes les rencontres"),
    )


def register() -> None:
    home_block_register("needs", order=60)(my_meetings)
    home_block_register("news", order=60)(meetings_news)
    home_block_register("todo", order=70)(drafts_to_announce)
    home_block_register("todo", order=75)(notes_to_handle)
