"""Registration to a meeting: on site or remotely, a waiting list per mode, check-in, reminders.

Capacity is never exceeded: every write that counts places first locks the meeting's row
(`select_for_update`), so that two people registering at the same moment are counted one after the
other (tests/meetings/test_registration.py races a dozen of them on PostgreSQL). When a confirmed
person cancels (or moves to the other mode), the first person waiting in that mode (by `waiting_since`,
then id) gets the place in the same transaction, and an email after the commit.

The "besoins particuliers" a person writes (health, disability, diet) are read by the organisers only,
erased when the person cancels, and for everybody `MEETINGS_NEEDS_KEPT_DAYS` (1) day after the end of
the meeting (`needs_erase_past`, run by `manage.py meetings_erase_needs` and by the reminders task).

Organisers of a meeting: its `organisers` and the CNCD team (curators). Every action is audited under
`meetings.registration.*`.
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.audit import audit_log
from core.mail import queue_email, site_url
from meetings.enums import AttendanceMode, MeetingStatus, RegistrationStatus
from meetings.models import NEEDS_LENGTH, CalendarFeed, Meeting, MeetingFollow, Registration, Workshop

# Counts below this are shown as "moins de 5" to anyone but the organisers (as the network's figures do).
SMALL_COUNT = 5
# Reminders go out for the meetings starting within this delay.
REMINDER_WINDOW = timedelta(hours=48)


class RegistrationError(ValidationError):
    """A registration rule refused the operation; the message is for the user, in French."""


def needs_kept_days() -> int:
    """Days after the end of a meeting during which the "besoins particuliers" are kept (setting, 1 by default)."""
    return int(getattr(settings, "MEETINGS_NEEDS_KEPT_DAYS", 1))


# Who may do what -----------------------------------------------------------------------------------


def is_member(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_approved)


def is_organiser(user, meeting: Meeting) -> bool:
    """The meeting's organisers and the CNCD team (curators, administrators)."""
    if not is_member(user):
        return False
    if user.is_curator:
        return True
    return meeting.organisers.filter(pk=user.pk).exists()


def offered_modes(meeting: Meeting) -> list[AttendanceMode]:
    """The ways of attending the meeting's format offers, on site first."""
    modes = []
    if meeting.has_on_site:
        modes.append(AttendanceMode.ON_SITE)
    if meeting.has_remote:
        modes.append(AttendanceMode.REMOTE)
    return modes


def capacity_of(meeting: Meeting, mode: str) -> int | None:
    """Places of `mode` (None: no limit)."""
    return meeting.capacity_on_site if mode == AttendanceMode.ON_SITE else meeting.capacity_remote


def places_left(meeting: Meeting) -> dict[AttendanceMode, int | None]:
    """For each offered mode, the places left (0: full, waiting list) or None (no limit); on site first."""
    confirmed = {
        mode: count
        for mode, count in _count_by_mode(meeting, RegistrationStatus.CONFIRMED).items()
        if mode in AttendanceMode.values
    }
    places = {}
    for mode in offered_modes(meeting):
        capacity = capacity_of(meeting, mode)
        places[mode] = None if capacity is None else max(capacity - confirmed.get(mode, 0), 0)
    return places


def _count_by_mode(meeting: Meeting, status: str, **filters) -> dict[str, int]:
    rows = (
        Registration.objects.filter(meeting=meeting, status=status, **filters)
        .order_by()
        .values("mode")
        .annotate(count=Count("pk"))
    )
    return {row["mode"]: row["count"] for row in rows}


def registration_of(meeting: Meeting, user) -> Registration | None:
    """`user`'s registration to `meeting` (cancelled ones included), or None."""
    if not (user is not None and user.is_authenticated):
        return None
    return Registration.objects.filter(meeting=meeting, user=user).first()


def waiting_position(registration: Registration) -> int | None:
    """1 for the first person waiting in the registration's mode; None when not waiting."""
    if registration.status != RegistrationStatus.WAITING:
        return None
    ahead = (
        Registration.objects.filter(
            meeting_id=registration.meeting_id, mode=registration.mode, status=RegistrationStatus.WAITING
        )
        .filter(waiting_since__lt=registration.waiting_since)
        .count()
    )
    same_time = Registration.objects.filter(
        meeting_id=registration.meeting_id,
        mode=registration.mode,
        status=RegistrationStatus.WAITING,
        waiting_since=registration.waiting_since,
        pk__lt=registration.pk,
    ).count()
    return ahead + same_time + 1


def may_see_video(
    user, meeting: Meeting, registration: Registration | None = None, *, organiser: bool | None = None
) -> bool:
    """The video link: for people confirmed remotely, and for the organisers; only when the format has it.

    `organiser`: whether `user` organises the meeting, when the caller knows it already (a feed of many).
    """
    if not meeting.video_url or not meeting.has_remote:
        return False
    if organiser if organiser is not None else is_organiser(user, meeting):
        return True
    if registration is None and organiser is None:
        registration = registration_of(meeting, user)
    return (
        registration is not None
        and registration.user_id == getattr(user, "pk", None)
        and registration.status == RegistrationStatus.CONFIRMED
        and registration.mode == AttendanceMode.REMOTE
    )


def shown_count(count: int, *, exact: bool = False) -> str:
    """A number of people as shown to people who are not organisers: "moins de 5" below 5."""
    if exact or count >= SMALL_COUNT or count == 0:
        return str(count)
    return _("moins de %(threshold)s") % {"threshold": SMALL_COUNT}


def attendance_counts(meeting: Meeting) -> list[dict]:
    """Per offered mode: confirmed, waiting, present (checked in) and capacity; exact numbers, for organisers."""
    confirmed = _count_by_mode(meeting, RegistrationStatus.CONFIRMED)
    waiting = _count_by_mode(meeting, RegistrationStatus.WAITING)
    present = _count_by_mode(meeting, RegistrationStatus.CONFIRMED, checked_in_at__isnull=False)
    return [
        {
            "mode": mode,
            "label": mode.label,
            "capacity": capacity_of(meeting, mode),
            "confirmed": confirmed.get(mode, 0),
            "waiting": waiting.get(mode, 0),
            "present": present.get(mode, 0),
        }
        for mode in offered_modes(meeting)
    ]


def closed_reason(meeting: Meeting, user=None, *, known_visible: bool = False) -> str:
    """Why registering is not possible now ("" when it is), for the pages; members-only is not a reason here.
    `known_visible`: the caller read `meeting` through Meeting.objects.visible_to(user) already."""
    try:
        _check_open(meeting, user if is_member(user) else None, timezone.now(), known_visible=known_visible)
    except RegistrationError as error:
        return error.messages[0]
    return ""


def box_context(meeting: Meeting, user) -> dict:
    """What templates/meetings/includes/registration_box.html needs, for `user` (anyone) on `meeting`'s page."""
    registration = registration_of(meeting, user)
    return {
        "registration": registration,
        "places": places_left(meeting),
        "waiting_position": waiting_position(registration) if registration is not None else None,
        "registration_closed": closed_reason(meeting, user),
        "following": is_member(user) and MeetingFollow.objects.filter(meeting=meeting, user=user).exists(),
        "video_url": meeting.video_url if may_see_video(user, meeting, registration) else "",
        "is_organiser": is_organiser(user, meeting),
    }


def viewer_state(meeting: Meeting, user) -> tuple:
    """Everything of `user` a meeting's page shows or decides on (meetings.caching keeps one rendering per state).
    `meeting`: read by selectors.meeting_for_viewer (visible to `user`, with the visitor's annotations)."""
    member = is_member(user)
    registration = None
    if member and meeting.viewer_registration is not None:
        registration = (
            meeting.viewer_registration,
            meeting.viewer_registration_status,
            meeting.viewer_registration_mode,
        )
    position = None
    if registration is not None and registration[1] == RegistrationStatus.WAITING:
        position = waiting_position(Registration.objects.get(pk=registration[0]))
    joined = ()
    if member and meeting.viewer_joined:
        joined = tuple(
            Workshop.participants.through.objects.filter(workshop__meeting_id=meeting.pk, user_id=user.pk)
            .order_by("workshop_id")
            .values_list("workshop_id", flat=True)
        )
    return (
        bool(user.is_authenticated),
        member,
        member and bool(user.is_curator),
        member and bool(user.is_curator or meeting.viewer_organises),
        registration,
        position,
        member and bool(meeting.viewer_follows),
        joined,
        closed_reason(meeting, user, known_visible=True),
    )


# Registering, changing, cancelling -----------------------------------------------------------------


def _locked_meeting(meeting_id: int) -> Meeting:
    meeting = Meeting.objects.select_for_update().filter(pk=meeting_id).first()
    if meeting is None:
        raise RegistrationError(_("Cette rencontre n'existe pas."))
    return meeting


def _check_open(meeting: Meeting, user, now, *, known_visible: bool = False) -> None:
    if not known_visible and not Meeting.objects.visible_to(user).filter(pk=meeting.pk).exists():
        raise RegistrationError(_("Cette rencontre n'existe pas."))
    if meeting.status == MeetingStatus.CANCELLED:
        raise RegistrationError(_("Cette rencontre est annulée : les inscriptions sont fermées."))
    if meeting.status != MeetingStatus.PUBLISHED:
        raise RegistrationError(_("Cette rencontre n'est pas encore annoncée : les inscriptions ne sont pas ouvertes."))
    if meeting.starts_at <= now:
        raise RegistrationError(_("Cette rencontre a déjà commencé : les inscriptions sont fermées."))
    if meeting.registration_closes_at and meeting.registration_closes_at <= now:
        raise RegistrationError(_("Les inscriptions à cette rencontre sont closes."))


def _check_mode(meeting: Meeting, mode: str) -> None:
    if mode not in offered_modes(meeting):
        if mode == AttendanceMode.ON_SITE:
            raise RegistrationError(_("Cette rencontre a lieu à distance uniquement : choisissez « À distance »."))
        if mode == AttendanceMode.REMOTE:
            raise RegistrationError(_("Cette rencontre a lieu sur place uniquement : choisissez « Sur place »."))
        raise RegistrationError(_("Choisissez comment vous participerez : sur place ou à distance."))


def _clean_needs(needs: str) -> str:
    needs = (needs or "").strip()
    if len(needs) > NEEDS_LENGTH:
        raise RegistrationError(
            _("Les besoins particuliers tiennent en %(max)s caractères au plus (vous en avez écrit %(count)s).")
            % {"max": NEEDS_LENGTH, "count": len(needs)}
        )
    return needs


def _has_place(meeting: Meeting, mode: str) -> bool:
    capacity = capacity_of(meeting, mode)
    if capacity is None:
        return True
    taken = Registration.objects.filter(meeting=meeting, mode=mode, status=RegistrationStatus.CONFIRMED).count()
    return taken < capacity


def _fill_places(meeting: Meeting, mode: str, *, actor) -> list[Registration]:
    """Give the free places of `mode` to the people waiting, in order; the meeting's row must be locked.

    Each promoted person gets an email once the transaction is committed.
    """
    if meeting.status != MeetingStatus.PUBLISHED or meeting.starts_at <= timezone.now():
        return []
    promoted = []
    capacity = capacity_of(meeting, mode)
    taken = Registration.objects.filter(meeting=meeting, mode=mode, status=RegistrationStatus.CONFIRMED).count()
    free = None if capacity is None else capacity - taken
    waiting = Registration.objects.filter(meeting=meeting, mode=mode, status=RegistrationStatus.WAITING).order_by(
        "waiting_since", "pk"
    )
    if free is not None:
        waiting = waiting[: max(free, 0)]
    now = timezone.now()
    for registration in list(waiting.select_related("user")):
        registration.status = RegistrationStatus.CONFIRMED
        registration.promoted_at = now
        registration.save(update_fields=["status", "promoted_at", "updated_at"])
        audit_log(
            actor=actor,
            action="meetings.registration.promoted",
            target=registration,
            data={"meeting": meeting.pk, "mode": mode, "user": registration.user_id},
        )
        promoted.append(registration)
    for registration in promoted:
        transaction.on_commit(lambda pk=registration.pk: _email_promoted(pk))
    return promoted


def places_fill(*, meeting_id: int, actor=None) -> list[Registration]:
    """Promote the people waiting while places are free (after the organisers added places); returns them."""
    with transaction.atomic():
        meeting = _locked_meeting(meeting_id)
        promoted = []
        for mode in offered_modes(meeting):
            promoted += _fill_places(meeting, mode, actor=actor)
        return promoted


@transaction.atomic
def register(*, meeting_id: int, user, mode: str, needs: str = "") -> Registration:
    """Register `user` on site or remotely: confirmed while places are left, else on the waiting list."""
    if not is_member(user):
        raise RegistrationError(
            _("Seul·es les membres du réseau dont le compte est validé peuvent s'inscrire à une rencontre.")
        )
    needs = _clean_needs(needs)
    # The lock makes simultaneous registrations count the places one after the other.
    meeting = _locked_meeting(meeting_id)
    now = timezone.now()
    _check_open(meeting, user, now)
    _check_mode(meeting, mode)
    existing = Registration.objects.select_for_update().filter(meeting=meeting, user=user).first()
    if existing is not None and existing.status != RegistrationStatus.CANCELLED:
        raise RegistrationError(_("Vous êtes déjà inscrit·e à cette rencontre."))
    # Someone may be waiting for a place freed since (places added by the organisers): they come first.
    _fill_places(meeting, mode, actor=user)
    status = RegistrationStatus.CONFIRMED if _has_place(meeting, mode) else RegistrationStatus.WAITING
    values = {
        "mode": mode,
        "status": status,
        "needs": needs,
        "waiting_since": now if status == RegistrationStatus.WAITING else None,
        "promoted_at": None,
        "cancelled_at": None,
        "checked_in_at": None,
        "checked_in_by": None,
    }
    if existing is not None:
        # Registering again after a cancellation: the same row (one registration per person and meeting).
        for name, value in values.items():
            setattr(existing, name, value)
        existing.save()
        registration = existing
    else:
        try:
            with transaction.atomic():
                registration = Registration.objects.create(meeting=meeting, user=user, **values)
        except IntegrityError as error:
            raise RegistrationError(_("Vous êtes déjà inscrit·e à cette rencontre.")) from error
    audit_log(
        actor=user,
        action="meetings.registration.created",
        target=registration,
        data={"meeting": meeting.pk, "mode": mode, "status": status},
    )
    return registration


def _locked_registration(registration_id: int) -> tuple[Registration, Meeting]:
    """The registration and its meeting, the meeting's row locked first (the same order as `register`)."""
    meeting_id = Registration.objects.filter(pk=registration_id).values_list("meeting_id", flat=True).first()
    if meeting_id is None:
        raise RegistrationError(_("Cette inscription n'existe pas."))
    meeting = _locked_meeting(meeting_id)
    registration = Registration.objects.select_for_update().select_related("user").get(pk=registration_id)
    return registration, meeting


@transaction.atomic
def registration_change_mode(*, registration_id: int, user, mode: str, needs: str | None = None) -> Registration:
    """Move one's registration to the other mode (confirmed if a place is left there, else waiting), and/or
    update one's "besoins particuliers"; a place freed in the former mode goes to the first person waiting."""
    registration, meeting = _locked_registration(registration_id)
    if registration.user_id != getattr(user, "pk", None) or not is_member(user):
        raise PermissionDenied
    if registration.status == RegistrationStatus.CANCELLED:
        raise RegistrationError(_("Votre inscription est annulée : inscrivez-vous de nouveau."))
    now = timezone.now()
    _check_open(meeting, user, now)
    _check_mode(meeting, mode)
    fields = []
    if needs is not None:
        registration.needs = _clean_needs(needs)
        fields.append("needs")
    if mode == registration.mode:
        if needs is None:
            raise RegistrationError(_("Vous êtes déjà inscrit·e dans ce mode de participation."))
        registration.save(update_fields=[*fields, "updated_at"])
        audit_log(actor=user, action="meetings.registration.needs_updated", target=registration)
        return registration
    former_mode, was_confirmed = registration.mode, registration.status == RegistrationStatus.CONFIRMED
    registration.mode = mode
    registration.checked_in_at, registration.checked_in_by = None, None
    # Count the new mode without this registration, then take a place or wait at the end of the line.
    registration.status = RegistrationStatus.WAITING
    registration.waiting_since = now
    registration.save()
    _fill_places(meeting, mode, actor=user)
    registration.refresh_from_db()
    if registration.status == RegistrationStatus.CONFIRMED:
        # Confirmed directly, not promoted from a line: no "a place is free" email.
        registration.waiting_since = None
        registration.promoted_at = None
        # Its email callback (queued by `_fill_places`) checks `promoted_at` and sends nothing.
        registration.save(update_fields=["waiting_since", "promoted_at", "updated_at"])
    if was_confirmed:
        _fill_places(meeting, former_mode, actor=user)
    audit_log(
        actor=user,
        action="meetings.registration.mode_changed",
        target=registration,
        data={"meeting": meeting.pk, "from": former_mode, "to": mode, "status": registration.status},
    )
    return registration


@transaction.atomic
def cancel(*, registration_id: int, user) -> Registration:
    """Cancel a registration (the person, or an organiser); the place goes to the first person waiting."""
    registration, meeting = _locked_registration(registration_id)
    own = registration.user_id == getattr(user, "pk", None)
    if not (own and user.is_authenticated) and not is_organiser(user, meeting):
        raise PermissionDenied
    if registration.status == RegistrationStatus.CANCELLED:
        raise RegistrationError(_("Cette inscription est déjà annulée."))
    now = timezone.now()
    if meeting.ends_at <= now:
        raise RegistrationError(_("La rencontre est terminée : l'inscription ne peut plus être annulée."))
    was_confirmed = registration.status == RegistrationStatus.CONFIRMED
    registration.status = RegistrationStatus.CANCELLED
    registration.cancelled_at = now
    registration.waiting_since = None
    registration.checked_in_at, registration.checked_in_by = None, None
    # Sensitive data is not kept for someone who no longer comes.
    registration.needs = ""
    registration.save()
    audit_log(
        actor=user,
        action="meetings.registration.cancelled",
        target=registration,
        data={"meeting": meeting.pk, "mode": registration.mode, "by_organiser": not own},
    )
    if was_confirmed:
        _fill_places(meeting, registration.mode, actor=user)
    return registration


@transaction.atomic
def check_in(*, registration_id: int, organiser, present: bool) -> Registration:
    """Record that a confirmed person came (or undo it): organisers only."""
    registration, meeting = _locked_registration(registration_id)
    if not is_organiser(organiser, meeting):
        raise PermissionDenied
    if registration.status != RegistrationStatus.CONFIRMED:
        raise RegistrationError(_("Seule une inscription confirmée peut être pointée présente."))
    if present and registration.checked_in_at is None:
        registration.checked_in_at, registration.checked_in_by = timezone.now(), organiser
    elif not present:
        registration.checked_in_at, registration.checked_in_by = None, None
    else:
        return registration
    registration.save(update_fields=["checked_in_at", "checked_in_by", "updated_at"])
    audit_log(
        actor=organiser,
        action="meetings.registration.checked_in" if present else "meetings.registration.check_in_undone",
        target=registration,
        data={"meeting": meeting.pk, "user": registration.user_id},
    )
    return registration


# Following and the calendar feed ---------------------------------------------------------------


@transaction.atomic
def follow_toggle(*, meeting_id: int, user) -> bool:
    """Follow a meeting (it appears in one's calendar feed) or stop; True when now following."""
    if not is_member(user):
        raise PermissionDenied
    if not Meeting.objects.visible_to(user).filter(pk=meeting_id).exists():
        raise RegistrationError(_("Cette rencontre n'existe pas."))
    deleted, _detail = MeetingFollow.objects.filter(meeting_id=meeting_id, user=user).delete()
    if deleted:
        return False
    MeetingFollow.objects.get_or_create(meeting_id=meeting_id, user=user)
    return True


def feed_of(user) -> CalendarFeed:
    """The member's calendar feed (its secret address), created the first time."""
    feed, _created = CalendarFeed.objects.get_or_create(user=user)
    return feed


@transaction.atomic
def feed_token_regenerate(*, user) -> CalendarFeed:
    """A new secret address for the member's feed: the old one stops working at once."""
    if not is_member(user):
        raise PermissionDenied
    from meetings.models import _feed_token

    feed = feed_of(user)
    feed.token = _feed_token()
    feed.save(update_fields=["token"])
    audit_log(actor=user, action="meetings.registration.feed_renewed", target=feed)
    return feed


# Scheduled work: erasing needs, reminders ----------------------------------------------------------


def needs_erase_past(now=None) -> int:
    """Erase the "besoins particuliers" of the meetings ended more than MEETINGS_NEEDS_KEPT_DAYS ago; returns
    how many registrations had some."""
    now = now or timezone.now()
    limit = now - timedelta(days=needs_kept_days())
    with transaction.atomic():
        meetings = list(
            Meeting.objects.select_for_update()
            .filter(ends_at__lte=limit, needs_erased_at__isnull=True)
            .values_list("pk", flat=True)
        )
        if not meetings:
            return 0
        erased = Registration.objects.filter(meeting_id__in=meetings).exclude(needs="").update(needs="")
        Meeting.objects.filter(pk__in=meetings).update(needs_erased_at=now)
        audit_log(
            actor=None,
            action="meetings.registration.needs_erased",
            data={"meetings": len(meetings), "registrations": erased, "days": needs_kept_days()},
        )
    return erased


def send_reminders(now=None) -> int:
    """Queue one reminder per confirmed registration to the meetings starting within 48 hours, once per
    meeting (`Meeting.reminder_sent_at`); returns how many emails were queued."""
    now = now or timezone.now()
    due = Meeting.objects.filter(
        status=MeetingStatus.PUBLISHED,
        starts_at__gt=now,
        starts_at__lte=now + REMINDER_WINDOW,
        reminder_sent_at__isnull=True,
    ).values_list("pk", flat=True)
    queued = 0
    for meeting_id in list(due):
        with transaction.atomic():
            meeting = Meeting.objects.select_for_update().get(pk=meeting_id)
            if meeting.reminder_sent_at is not None:  # another run got there first
                continue
            meeting.reminder_sent_at = now
            meeting.save(update_fields=["reminder_sent_at"])
            registrations = list(
                Registration.objects.filter(meeting=meeting, status=RegistrationStatus.CONFIRMED)
                .select_related("user", "user__profile")
                .order_by("pk")
            )
            messages = [_reminder_message(meeting, registration) for registration in registrations]
            audit_log(
                actor=None,
                action="meetings.registration.reminders_sent",
                target=meeting,
                data={"count": len(messages)},
            )
            for message in messages:
                transaction.on_commit(lambda message=message: queue_email(**message))
            queued += len(messages)
    return queued


# Emails ------------------------------------------------------------------------------------------


def _email_context(meeting: Meeting, registration: Registration) -> dict:
    user = registration.user
    return {
        "meeting": meeting,
        "registration": registration,
        "user": user,
        "on_site": registration.mode == AttendanceMode.ON_SITE,
        "video_url": meeting.video_url if may_see_video(user, meeting, registration) else "",
        "meeting_url": site_url(reverse("meetings:detail", kwargs={"pk": meeting.pk})),
        "ics_url": site_url(reverse("meetings:ics", kwargs={"pk": meeting.pk})),
        "register_url": site_url(reverse("meetings:register", kwargs={"pk": meeting.pk})),
        "site_url": settings.SITE_URL,
    }


def _render_email(template: str, meeting: Meeting, registration: Registration) -> dict:
    # Written in the site's language and in the meeting's time zone (an overseas meeting keeps its hours).
    with translation.override(settings.LANGUAGE_CODE), timezone.override(meeting.time_zone):
        context = _email_context(meeting, registration)
        subject = render_to_string(f"meetings/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"meetings/email/{template}_message.txt", context)
    return {"subject": " ".join(subject.split()), "body": body, "to": [registration.user.email]}


def _reminder_message(meeting: Meeting, registration: Registration) -> dict:
    return _render_email("reminder", meeting, registration)


def _email_promoted(registration_id: int) -> None:
    registration = (
        Registration.objects.select_related("meeting", "user", "user__profile").filter(pk=registration_id).first()
    )
    # Still confirmed after a promotion (not moved or cancelled since, not confirmed directly on a mode change).
    if registration is None or registration.status != RegistrationStatus.CONFIRMED or not registration.promoted_at:
        return
    queue_email(**_render_email("promoted", registration.meeting, registration))
