"""Sub-groups of a meeting (world-café tables, workshops, debates): prepared by the organisers, joined or
assigned, with shared notes that participants and organisers write during and after the meeting."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.concurrency import EditConflict, conflict_data, conflict_for
from fiches.rendering import render_markdown
from meetings import selectors, services
from meetings.forms import AssignForm, NotesForm, WorkshopForm
from meetings.models import Meeting, Workshop
from meetings.views.meetings import _editable

WORKSHOPS_ANCHOR = "#sous-groupes"


def _visible_workshop(request, pk: int) -> Workshop:
    """The sub-group of a meeting the visitor may see (404 otherwise)."""
    return get_object_or_404(
        Workshop.objects.select_related("meeting", "fiche_section", "notes_updated_by__profile").filter(
            meeting__in=Meeting.objects.visible_to(request.user).values("pk")
        ),
        pk=pk,
    )


def _editable_workshop(request, pk: int) -> Workshop:
    workshop = _visible_workshop(request, pk)
    if not services.can_edit(request.user, workshop.meeting):
        raise PermissionDenied
    return workshop


def _back(workshop_or_meeting) -> str:
    meeting = getattr(workshop_or_meeting, "meeting", workshop_or_meeting)
    anchor = f"#sous-groupe-{workshop_or_meeting.pk}" if isinstance(workshop_or_meeting, Workshop) else WORKSHOPS_ANCHOR
    return reverse("meetings:detail", kwargs={"pk": meeting.pk}) + anchor


def workshop_create(request, pk):
    meeting = _editable(request, pk)
    form = WorkshopForm(request.POST or None, initial={"order": meeting.workshops.count() + 1})
    if request.method == "POST" and form.is_valid():
        try:
            workshop = services.workshop_create(meeting_id=meeting.pk, actor=request.user, values=form.values())
        except services.MeetingError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Le sous-groupe « %(title)s » est ajouté.") % {"title": workshop.title})
            return redirect(_back(workshop))
    return render(
        request, "meetings/workshop_form.html", {"meeting": meeting, "workshop": None, "form": form, "conflict": None}
    )


def workshop_edit(request, pk):
    workshop = _editable_workshop(request, pk)
    form = WorkshopForm(request.POST or None, instance=workshop)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.workshop_update(
                workshop_id=workshop.pk,
                actor=request.user,
                values=form.values(),
                lock_version=form.cleaned_data["lock_version"],
            )
        except EditConflict as error:
            if error.current is None:
                messages.error(request, error.messages[0])
                return redirect(_back(workshop.meeting))
            workshop = error.current
            form = WorkshopForm(conflict_data(request.POST, workshop.lock_version), instance=workshop)
            conflict = conflict_for(error, form, WorkshopForm(instance=workshop))
        except services.MeetingError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Le sous-groupe « %(title)s » est enregistré.") % {"title": workshop.title})
            return redirect(_back(workshop))
    context = {"meeting": workshop.meeting, "workshop": workshop, "form": form, "conflict": conflict}
    return render(request, "meetings/workshop_form.html", context)


@require_POST
def workshop_delete(request, pk):
    workshop = _editable_workshop(request, pk)
    meeting = workshop.meeting
    try:
        services.workshop_delete(workshop_id=workshop.pk, actor=request.user)
    except services.MeetingError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("Le sous-groupe « %(title)s » est supprimé.") % {"title": workshop.title})
    return redirect(_back(meeting))


@require_POST
def workshop_join(request, pk):
    workshop = _visible_workshop(request, pk)
    try:
        services.workshop_join(workshop_id=workshop.pk, user=request.user)
    except services.MeetingError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("Vous avez rejoint le sous-groupe « %(title)s ».") % {"title": workshop.title})
    return redirect(_back(workshop))


@require_POST
def workshop_leave(request, pk):
    workshop = _visible_workshop(request, pk)
    try:
        services.workshop_leave(workshop_id=workshop.pk, user=request.user)
    except services.MeetingError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("Vous avez quitté le sous-groupe « %(title)s ».") % {"title": workshop.title})
    return redirect(_back(workshop))


def workshop_assign(request, pk):
    """The organisers choose a sub-group's participants among the people whose registration is confirmed."""
    workshop = _editable_workshop(request, pk)
    people = list(services.assignable_people(workshop.meeting))
    current = [str(pk) for pk in workshop.participants.values_list("pk", flat=True)]
    form = AssignForm(request.POST or None, people=people, initial={"participants": current})
    if request.method == "POST" and form.is_valid():
        try:
            services.workshop_assign(
                workshop_id=workshop.pk,
                actor=request.user,
                user_ids=[int(pk) for pk in form.cleaned_data["participants"]],
            )
        except services.MeetingError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Les participant·es du sous-groupe « %(title)s » sont enregistré·es.") % {"title": workshop.title},
            )
            return redirect(_back(workshop))
    context = {"meeting": workshop.meeting, "workshop": workshop, "form": form, "people": people}
    return render(request, "meetings/workshop_assign.html", context)


def workshop_notes(request, pk):
    """The shared notes, for the sub-group's participants and the organisers; never a silent overwrite."""
    workshop = _visible_workshop(request, pk)
    if not services.can_write_notes(request.user, workshop):
        raise PermissionDenied
    conflict = None
    if request.method == "POST":
        form = NotesForm(request.POST)
        if form.is_valid():
            try:
                services.workshop_notes_save(
                    workshop_id=workshop.pk,
                    actor=request.user,
                    notes=form.cleaned_data["notes"],
                    lock_version=form.cleaned_data["lock_version"],
                )
            except EditConflict as error:
                if error.current is None:
                    messages.error(request, error.messages[0])
                    return redirect(_back(workshop.meeting))
                workshop = Workshop.objects.select_related("meeting", "notes_updated_by__profile").get(pk=workshop.pk)
                form = NotesForm(conflict_data(request.POST, workshop.lock_version))
                stored = NotesForm(initial={"notes": workshop.notes, "lock_version": workshop.lock_version})
                conflict = conflict_for(error, form, stored)
            except services.MeetingError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request, _("Les notes du sous-groupe « %(title)s » sont enregistrées.") % {"title": workshop.title}
                )
                return redirect(_back(workshop))
    else:
        form = NotesForm(initial={"notes": workshop.notes, "lock_version": workshop.lock_version})
    context = {
        "meeting": workshop.meeting,
        "workshop": workshop,
        "form": form,
        "conflict": conflict,
        "notes_html": render_markdown(workshop.notes),
        "notes_editor": selectors.person_name(workshop.notes_updated_by) if workshop.notes_updated_by else "",
    }
    return render(request, "meetings/workshop_notes.html", context)
