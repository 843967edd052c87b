"""Registration pages: register or change mode, cancel, the organisers' list with check-in, the attendance
sheet, calendar files (one meeting, a member's feed) and following a meeting.

Rules live in meetings.registration; files in meetings.calendar and meetings.attendance.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from core.mail import site_url
from core.permissions import public
from meetings import registration as services
from meetings.attendance import attendance_response, council_of
from meetings.calendar import feed_ics, feed_meetings, meeting_ics
from meetings.enums import RegistrationStatus
from meetings.models import NEEDS_LENGTH, CalendarFeed, Meeting, Registration

NEEDS_NOTICE = gettext_lazy(
    "Ces informations (santé, handicap, régime…) ne sont lues que par les organisateur·rices et sont effacées "
    "le lendemain de la rencontre."
)


class RegistrationForm(forms.Form):
    mode = forms.ChoiceField(label=gettext_lazy("Je participerai"), widget=forms.RadioSelect)
    needs = forms.CharField(
        label=gettext_lazy("Besoins particuliers (facultatif)"),
        max_length=NEEDS_LENGTH,
        required=False,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=NEEDS_NOTICE,
        error_messages={
            "max_length": gettext_lazy(
                "Les besoins particuliers tiennent en %(limit_value)d caractères au plus (vous en avez écrit "
                "%(show_value)d)."
            )
        },
    )

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        modes = services.offered_modes(meeting)
        self.fields["mode"].choices = [(mode.value, mode.label) for mode in modes]
        self.fields["mode"].error_messages["required"] = _("Choisissez comment vous participerez.")
        if len(modes) == 1:
            self.fields["mode"].initial = modes[0].value


def _visible_meeting(request, pk: int) -> Meeting:
    """The meeting if `request.user` may see it (404 otherwise, as for a meeting that does not exist)."""
    return get_object_or_404(Meeting.objects.visible_to(request.user), pk=pk)


def _organised_meeting(request, pk: int) -> Meeting:
    """The meeting for its organisers and the CNCD team: 404 when not visible, 403 for anyone else."""
    meeting = _visible_meeting(request, pk)
    if not services.is_organiser(request.user, meeting):
        raise PermissionDenied
    return meeting


def _visible_registration(request, pk: int) -> Registration:
    registration = get_object_or_404(Registration.objects.select_related("meeting", "user"), pk=pk)
    if not Meeting.objects.visible_to(request.user).filter(pk=registration.meeting_id).exists():
        raise Http404
    return registration


def _back(request, default: str) -> str:
    """The page the form was on (this site only), else `default`."""
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, {request.get_host()}, require_https=request.is_secure()):
        return back
    return default


def _error(request, error: services.RegistrationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@require_http_methods(["GET", "POST"])
def register(request, pk: int):
    """Register (on site or remotely, with optional needs), or change one's mode or needs."""
    meeting = _visible_meeting(request, pk)
    registration = services.registration_of(meeting, request.user)
    active = registration is not None and registration.status != RegistrationStatus.CANCELLED
    initial = {"mode": registration.mode, "needs": registration.needs} if active else {}
    form = RegistrationForm(request.POST if request.method == "POST" else None, meeting=meeting, initial=initial)
    if request.method == "POST" and form.is_valid():
        mode, needs = form.cleaned_data["mode"], form.cleaned_data["needs"]
        try:
            if active:
                registration = services.registration_change_mode(
                    registration_id=registration.pk, user=request.user, mode=mode, needs=needs
                )
            else:
                registration = services.register(meeting_id=meeting.pk, user=request.user, mode=mode, needs=needs)
        except services.RegistrationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            if registration.status == RegistrationStatus.CONFIRMED:
                messages.success(
                    request,
                    _("Votre inscription est confirmée (%(mode)s).") % {"mode": registration.get_mode_display()},
                )
            else:
                messages.info(
                    request,
                    _(
                        "Il n'y a plus de place (%(mode)s) : vous êtes sur la liste d'attente, en position "
                        "%(position)s. Si une place se libère, elle vous est attribuée et vous recevez un e-mail."
                    )
                    % {
                        "mode": registration.get_mode_display().lower(),
                        "position": services.waiting_position(registration),
                    },
                )
            return redirect(meeting.get_absolute_url())
    context = {
        "meeting": meeting,
        "form": form,
        "registration": registration if active else None,
        "waiting_position": services.waiting_position(registration) if active else None,
        "places": services.places_left(meeting),
        "registration_closed": services.closed_reason(meeting, request.user),
    }
    return render(request, "meetings/registration/register.html", context)


@require_POST
def cancel(request, pk: int):
    """Cancel a registration: the person, or an organiser (403 for anyone else)."""
    registration = _visible_registration(request, pk)
    meeting = registration.meeting
    own = registration.user_id == request.user.pk
    default = meeting.get_absolute_url() if own else reverse("meetings:registrations", kwargs={"pk": meeting.pk})
    try:
        services.cancel(registration_id=registration.pk, user=request.user)
    except services.RegistrationError as error:
        _error(request, error)
    else:
        if own:
            messages.success(request, _("Votre inscription est annulée."))
        else:
            messages.success(request, _("L'inscription de %(name)s est annulée.") % {"name": registration.user})
    return redirect(_back(request, default))


@require_http_methods(["GET"])
def registrations(request, pk: int):
    """The organisers' list: confirmed and waiting people per mode, their needs, check-in, counts."""
    meeting = _organised_meeting(request, pk)
    rows = (
        Registration.objects.filter(meeting=meeting)
        .select_related("user", "user__profile", "user__profile__council", "checked_in_by")
        .order_by("mode", "status", "waiting_since", "created_at", "pk")
    )
    rows = list(rows)
    for row in rows:
        row.council_name = council_of(row.user)
    groups = []
    for mode in services.offered_modes(meeting):
        of_mode = [row for row in rows if row.mode == mode]
        groups.append(
            {
                "mode": mode,
                "label": mode.label,
                "confirmed": sorted(
                    (row for row in of_mode if row.status == RegistrationStatus.CONFIRMED),
                    key=lambda row: (row.user.last_name.casefold(), str(row.user).casefold()),
                ),
                "waiting": [row for row in of_mode if row.status == RegistrationStatus.WAITING],
                "cancelled": sum(row.status == RegistrationStatus.CANCELLED for row in of_mode),
            }
        )
    context = {
        "meeting": meeting,
        "groups": groups,
        "counts": services.attendance_counts(meeting),
        "needs_notice": NEEDS_NOTICE,
        "kept_days": services.needs_kept_days(),
        # Once the meeting has ended, registrations are a record of who came: no more cancelling them.
        "ended": meeting.ends_at <= timezone.now(),
    }
    return render(request, "meetings/registration/registrations.html", context)


@require_POST
def check_in(request, pk: int):
    """Mark a confirmed person present (`present=1`) or not (`present=0`): organisers only."""
    registration = _visible_registration(request, pk)
    present = request.POST.get("present") == "1"
    try:
        services.check_in(registration_id=registration.pk, organiser=request.user, present=present)
    except services.RegistrationError as error:
        _error(request, error)
    else:
        if present:
            messages.success(request, _("%(name)s est pointé·e présent·e.") % {"name": registration.user})
        else:
            messages.success(request, _("La présence de %(name)s est retirée.") % {"name": registration.user})
    url = reverse("meetings:registrations", kwargs={"pk": registration.meeting_id})
    return redirect(f"{url}#inscription-{registration.pk}")


@require_http_methods(["GET"])
def attendance_sheet(request, pk: int):
    """The printable attendance sheet (PDF): organisers only."""
    meeting = _organised_meeting(request, pk)
    return attendance_response(request, meeting)


def _calendar_response(content: bytes, *, filename: str | None) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    if filename:
        response["Content-Disposition"] = content_disposition_header(True, filename)
    # It may hold a video link meant for one person: never in a shared cache, never indexed.
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@public
@require_http_methods(["GET"])
def ics(request, pk: int):
    """One meeting as an .ics file, for anyone who may see it (the video link only for those allowed)."""
    meeting = _visible_meeting(request, pk)
    filename = f"rencontre-{slugify(meeting.title)[:60].strip('-') or meeting.pk}.ics"
    return _calendar_response(meeting_ics(meeting, request.user), filename=filename)


@public
@require_http_methods(["GET"])
def feed(request, token: str):
    """A member's calendar feed, opened by its secret address alone (calendar apps do not log in)."""
    calendar_feed = CalendarFeed.objects.select_related("user").filter(token=token[:64]).first()
    if calendar_feed is None or not services.is_member(calendar_feed.user) or calendar_feed.user.erased_at:
        raise Http404
    return _calendar_response(feed_ics(calendar_feed.user), filename=None)


def feed_address(feed: CalendarFeed) -> str:
    return site_url(reverse("meetings:feed", kwargs={"token": feed.token}))


@require_http_methods(["GET", "POST"])
def calendar(request):
    """The member's feed address, how to subscribe to it, and a button to replace it."""
    if request.method == "POST":
        services.feed_token_regenerate(user=request.user)
        messages.success(
            request,
            _("Votre agenda a une nouvelle adresse : l'ancienne ne fonctionne plus. Abonnez-vous à la nouvelle."),
        )
        return redirect("meetings:calendar")
    address = feed_address(services.feed_of(request.user))
    context = {
        "feed_url": address,
        "webcal_url": "webcal://" + address.split("://", 1)[-1],
        "meetings": feed_meetings(request.user),
    }
    return render(request, "meetings/registration/calendar.html", context)


@require_POST
def follow(request, pk: int):
    """Follow a meeting (it appears in one's calendar feed) or stop: the button toggles."""
    meeting = _visible_meeting(request, pk)
    try:
        following = services.follow_toggle(meeting_id=meeting.pk, user=request.user)
    except services.RegistrationError as error:
        _error(request, error)
    else:
        if following:
            messages.success(request, _("Vous suivez cette rencontre : elle apparaît dans votre agenda."))
        else:
            messages.success(request, _("Vous ne suivez plus cette rencontre."))
    return redirect(_back(request, meeting.get_absolute_url()))
