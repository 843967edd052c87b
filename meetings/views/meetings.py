"""Meetings: the list, a meeting's page, creation and edition, announcing and cancelling, organisers, minutes,
documents and outcomes. Thin views: the rules are in meetings.services, the reads in meetings.selectors."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from core.concurrency import EditConflict, conflict_data, conflict_for
from core.generations import CSRF_PLACEHOLDER
from core.permissions import curator_required, public
from fiches.rendering import render_markdown
from fiches.services import FicheError, SectionChanged
from meetings import caching, registration, selectors, services
from meetings.enums import MeetingStatus, OutcomeKind
from meetings.forms import (
    CancelForm,
    MaterialFileForm,
    MaterialLinkForm,
    MaterialResourceForm,
    MeetingFilterForm,
    MeetingForm,
    MinutesForm,
    OrganiserForm,
    OutcomeNoteForm,
    OutcomeProposalForm,
)
from meetings.models import Material, Meeting, Outcome

# The documents page's three forms, told apart by the button that sent them.
LINK, RESOURCE, FILE = "lien", "ressource", "fichier"


def _visible(request, pk: int) -> Meeting:
    """The meeting if the visitor may see it; 404 otherwise, as for one that does not exist."""
    return get_object_or_404(Meeting.objects.visible_to(request.user), pk=pk)


def _editable(request, pk: int) -> Meeting:
    """The meeting for its organisers and the CNCD team: 404 when not visible, 403 for anyone else."""
    meeting = _visible(request, pk)
    if not services.can_edit(request.user, meeting):
        raise PermissionDenied
    return meeting


def _show_error(request, error) -> None:
    for message in error.messages:
        messages.error(request, message)


# The list and the page ---------------------------------------------------------------------------


@public
@require_safe
def meeting_list(request):
    """Upcoming meetings first, then past ones; filters: when, format, region."""
    filters = MeetingFilterForm(request.GET or None)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    listing = selectors.meeting_list(
        user=request.user,
        when=chosen.get("quand") or "",
        meeting_format=chosen.get("format") or "",
        region=chosen.get("region"),
        page=request.GET.get("page") or 1,
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filters": filters,
        "listing": listing,
        "query": query.urlencode(),
        "may_create": services.can_create(request.user),
    }
    return render(request, "meetings/list.html", context)


@public
@require_safe
def meeting_detail(request, pk):
    """The meeting's page; its content kept rendered per viewer's state (meetings.caching)."""
    user = request.user
    meeting = selectors.meeting_for_viewer(user=user, pk=pk)
    if meeting is None:
        if not user.is_authenticated and selectors.members_only_exists(pk):
            return redirect_to_login(request.get_full_path())
        raise Http404
    state = registration.viewer_state(meeting, user)
    body = caching.page_content(request, meeting, state, lambda: _detail_content(request, pk))
    return render(request, "meetings/detail.html", {"meeting": meeting, "body": body})


def _detail_content(request, pk) -> str:
    """The page's content, rendered from the database, with the CSRF placeholder in its forms."""
    user = request.user
    meeting = selectors.meeting_for_page(user=user, pk=pk)
    may_edit = services.can_edit(user, meeting)
    minutes_shown = meeting.minutes_published_at is not None and bool(meeting.minutes.strip())
    # What templates/meetings/includes/registration_box.html needs (meetings/registration.py).
    box = registration.box_context(meeting, user)
    context = {
        "meeting": meeting,
        "description_html": render_markdown(meeting.description),
        "programme_html": render_markdown(meeting.programme),
        "minutes_html": render_markdown(meeting.minutes) if minutes_shown else "",
        "time_zone_label": selectors.time_zone_label(meeting.time_zone),
        "closes_at": selectors.meeting_datetime(meeting, meeting.registration_closes_at),
        "show_video": registration.may_see_video(user, meeting, box.get("registration")),
        "may_edit": may_edit,
        "may_publish": meeting.status == MeetingStatus.DRAFT and services.can_publish(user),
        "organiser_names": selectors.organiser_names(meeting),
        "workshops": selectors.workshop_rows(meeting, user),
        "materials": list(meeting.materials.all()),
        "outcomes": selectors.outcome_rows(meeting),
        "cancellation_reason": selectors.cancellation_reason(meeting),
        "csrf_token": CSRF_PLACEHOLDER,
        **box,
    }
    return render_to_string("meetings/_detail_body.html", context, request=request)


# Creating, editing, announcing, cancelling -------------------------------------------------------


def meeting_create(request):
    if not services.can_create(request.user):
        raise PermissionDenied
    form = MeetingForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(actor=request.user, values=form.values())
        except services.MeetingError as error:
            form.add_error(None, error)
        else:
            if request.user.is_curator:
                messages.success(
                    request, _("La rencontre est enregistrée en brouillon : annoncez-la quand elle est prête.")
                )
            else:
                messages.success(
                    request,
                    _("La rencontre est enregistrée en brouillon : l'équipe CNCD la relira puis l'annoncera."),
                )
            return redirect(meeting)
    return render(request, "meetings/form.html", {"form": form, "meeting": None, "conflict": None})


def meeting_edit(request, pk):
    meeting = _editable(request, pk)
    form = MeetingForm(request.POST or None, instance=meeting, user=request.user)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_update(
                meeting_id=meeting.pk,
                actor=request.user,
                values=form.values(),
                lock_version=form.cleaned_data["lock_version"],
            )
        except EditConflict as error:
            # Saved in another tab or by another organiser meanwhile: both versions shown, this one kept.
            if error.current is None:
                raise Http404 from None
            meeting = error.current
            form = MeetingForm(conflict_data(request.POST, meeting.lock_version), instance=meeting, user=request.user)
            conflict = conflict_for(error, form, MeetingForm(instance=meeting, user=request.user))
        except services.MeetingError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("La rencontre est enregistrée."))
            return redirect(meeting)
    return render(request, "meetings/form.html", {"form": form, "meeting": meeting, "conflict": conflict})


@curator_required
@require_POST
def meeting_publish(request, pk):
    meeting = _visible(request, pk)
    try:
        services.meeting_publish(meeting_id=meeting.pk, actor=request.user)
    except services.MeetingError as error:
        _show_error(request, error)
    else:
        messages.success(request, _("La rencontre est annoncée : elle paraît dans la liste des rencontres."))
    return redirect(meeting)


def meeting_cancel(request, pk):
    meeting = _editable(request, pk)
    if meeting.status == MeetingStatus.CANCELLED:
        messages.info(request, _("Cette rencontre est déjà annulée."))
        return redirect(meeting)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_cancel(meeting_id=meeting.pk, actor=request.user, reason=form.cleaned_data["reason"])
        except services.MeetingError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("La rencontre est annulée ; les personnes inscrites sont prévenues."))
            return redirect(meeting)
    context = {
        "meeting": meeting,
        "form": form,
        "when": selectors.meeting_when(meeting),
        "registered_count": meeting.registrations.active().count(),
    }
    return render(request, "meetings/cancel.html", context)


def meeting_organisers(request, pk):
    meeting = _editable(request, pk)
    form = OrganiserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.organiser_add(meeting_id=meeting.pk, actor=request.user, email=form.cleaned_data["email"])
        except services.MeetingError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(name)s fait partie des organisateur·rices.") % {"name": person.display_name or person.email},
            )
            return redirect("meetings:organisers", pk=meeting.pk)
    organisers = meeting.organisers.select_related("profile").order_by("first_name", "last_name", "pk")
    context = {"meeting": meeting, "form": form, "organisers": organisers}
    return render(request, "meetings/organisers.html", context)


@require_POST
def organiser_remove(request, pk, user_id):
    meeting = _editable(request, pk)
    try:
        services.organiser_remove(meeting_id=meeting.pk, actor=request.user, user_id=user_id)
    except services.MeetingError as error:
        _show_error(request, error)
    else:
        messages.success(request, _("La personne ne fait plus partie des organisateur·rices."))
        if user_id == request.user.pk and not request.user.is_curator:
            return redirect(meeting)
    return redirect("meetings:organisers", pk=meeting.pk)


# Minutes -----------------------------------------------------------------------------------------

PUBLISH = "publier"


def meeting_minutes(request, pk):
    meeting = _editable(request, pk)
    conflict = None
    if request.method == "POST":
        form = MinutesForm(request.POST)
        if form.is_valid():
            try:
                services.minutes_save(
                    meeting_id=meeting.pk,
                    actor=request.user,
                    minutes=form.cleaned_data["minutes"],
                    lock_version=form.cleaned_data["lock_version"],
                    publish=PUBLISH in request.POST,
                )
            except EditConflict as error:
                if error.current is None:
                    raise Http404 from None
                meeting = error.current
                form = MinutesForm(conflict_data(request.POST, meeting.lock_version))
                stored = MinutesForm(initial={"minutes": meeting.minutes, "lock_version": meeting.lock_version})
                conflict = conflict_for(error, form, stored)
            except services.MeetingError as error:
                form.add_error(None, error)
            else:
                meeting.refresh_from_db()
                if PUBLISH in request.POST or meeting.minutes_published_at:
                    messages.success(request, _("Le compte rendu est publié sur la page de la rencontre."))
                else:
                    messages.success(request, _("Le compte rendu est enregistré ; il n'est pas encore publié."))
                return redirect(reverse("meetings:detail", kwargs={"pk": meeting.pk}) + "#compte-rendu")
    else:
        form = MinutesForm(initial={"minutes": meeting.minutes, "lock_version": meeting.lock_version})
    context = {"meeting": meeting, "form": form, "conflict": conflict, "publish": PUBLISH}
    return render(request, "meetings/minutes.html", context)


# Documents ---------------------------------------------------------------------------------------


def meeting_materials(request, pk):
    meeting = _editable(request, pk)
    source = request.POST.get("source") if request.method == "POST" else None
    link_form = MaterialLinkForm(request.POST if source == LINK else None, prefix=LINK)
    resource_form = MaterialResourceForm(request.POST if source == RESOURCE else None, prefix=RESOURCE)
    file_form = MaterialFileForm(
        request.POST if source == FILE else None, request.FILES if source == FILE else None, prefix=FILE
    )
    form = {LINK: link_form, RESOURCE: resource_form, FILE: file_form}.get(source)
    status = 200
    if form is not None and form.is_valid():
        data = form.cleaned_data
        try:
            if source == LINK:
                material = services.material_add_link(
                    meeting_id=meeting.pk, actor=request.user, title=data["title"], url=data["url"]
                )
            elif source == RESOURCE:
                material = services.material_add_resource(
                    meeting_id=meeting.pk, actor=request.user, resource_id=data["resource"].pk, title=data["title"]
                )
            else:
                material = services.material_add_file(
                    meeting_id=meeting.pk, actor=request.user, uploaded=data["file"], title=data["title"]
                )
        except services.MeetingError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Le document « %(title)s » est ajouté.") % {"title": material.title})
            return redirect("meetings:materials", pk=meeting.pk)
    if form is not None and form.errors:
        status = 400
    context = {
        "meeting": meeting,
        "materials": meeting.materials.select_related("resource"),
        "link_form": link_form,
        "resource_form": resource_form,
        "file_form": file_form,
        "sources": {"link": LINK, "resource": RESOURCE, "file": FILE},
    }
    return render(request, "meetings/materials.html", context, status=status)


@require_POST
def material_remove(request, pk):
    material = services.material_readable(request.user, pk)
    if material is None:
        raise Http404
    if not services.can_edit(request.user, material.meeting):
        raise PermissionDenied
    try:
        services.material_remove(material_id=material.pk, actor=request.user)
    except services.MeetingError as error:
        _show_error(request, error)
    else:
        messages.success(request, _("Le document « %(title)s » est retiré.") % {"title": material.title})
    return redirect("meetings:materials", pk=material.meeting_id)


@public
@require_safe
def material_download(request, pk):
    """A meeting's file, for whoever may see the meeting (members-only: anonymous visitors log in first)."""
    material = services.material_readable(request.user, pk)
    if material is None:
        if not request.user.is_authenticated:
            meeting_id = Material.objects.filter(pk=pk).values_list("meeting_id", flat=True).first()
            if meeting_id is not None and selectors.members_only_exists(meeting_id):
                return redirect_to_login(request.get_full_path())
        raise Http404
    if not material.file:
        raise Http404
    try:
        handle = material.file.open("rb")
    except OSError:  # the storage lost it
        raise Http404 from None
    content_type = material.content_type or "application/octet-stream"
    if content_type.startswith("text/"):
        content_type += "; charset=utf-8"
    response = FileResponse(
        handle, as_attachment=True, filename=material.file_name or "document", content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# Outcomes ----------------------------------------------------------------------------------------

PROPOSAL, NOTE = OutcomeKind.FICHE_SUGGESTION.value, OutcomeKind.REFERENTIEL_NOTE.value


def _int_or_none(value) -> int | None:
    try:
        return int(value) if value else None
    except (TypeError, ValueError):
        return None


def meeting_outcomes(request, pk):
    """The meeting's outcomes; the organisers turn one into a proposal on the fiche or a note, in one step."""
    meeting = _editable(request, pk)
    source = request.POST if request.method == "POST" else request.GET
    kind = source.get("nature", "")
    section = None
    if kind == PROPOSAL:
        section = selectors.common_sections().filter(pk=_int_or_none(source.get("section"))).first()
        if section is None or section.current_revision_id is None:
            if request.method == "POST" or source.get("section"):
                messages.error(request, _("Choisissez une section de la fiche de poste commune qui a déjà un texte."))
            kind = ""
    form = None
    changed = None
    if kind == PROPOSAL:
        initial = {
            "body": section.current_body,
            "rationale": services.default_rationale(meeting),
            "base_revision": section.current_revision_id,
        }
        form = OutcomeProposalForm(
            request.POST if request.method == "POST" else None, initial=initial, meeting=meeting, section=section
        )
    elif kind == NOTE:
        form = OutcomeNoteForm(request.POST if request.method == "POST" else None, meeting=meeting)
    if request.method == "POST" and form is not None and form.is_valid():
        data = form.cleaned_data
        try:
            if kind == PROPOSAL:
                outcome = services.outcome_propose(
                    meeting_id=meeting.pk,
                    actor=request.user,
                    section_id=section.pk,
                    title=data["title"],
                    body=data["body"],
                    rationale=data["rationale"],
                    workshop_id=_int_or_none(data.get("workshop")),
                    base_revision_id=data.get("base_revision"),
                )
            else:
                outcome = services.outcome_note(
                    meeting_id=meeting.pk,
                    actor=request.user,
                    title=data["title"],
                    body=data["body"],
                    referentiel_codes=data["referentiel_codes"],
                    workshop_id=_int_or_none(data.get("workshop")),
                )
        except SectionChanged as error:
            # The section changed while the proposal was written: the text is kept, on the new base.
            changed = error
            data = request.POST.copy()
            data["base_revision"] = error.current.pk
            form = OutcomeProposalForm(data, meeting=meeting, section=section)
            form.is_valid()
            form.add_error(None, error.messages[0])
        except (services.MeetingError, FicheError) as error:
            form.add_error(None, error)
        else:
            if kind == PROPOSAL:
                messages.success(
                    request,
                    _("La proposition est ouverte sur la fiche de poste, avec le lien vers cette rencontre."),
                )
            else:
                messages.success(request, _("La note est transmise à l'équipe du référentiel."))
            return redirect(reverse("meetings:outcomes", kwargs={"pk": meeting.pk}) + f"#suite-{outcome.pk}")
    context = {
        "meeting": meeting,
        "outcomes": selectors.outcome_rows(meeting),
        "sections": selectors.common_sections(),
        "kind": kind,
        "section": section,
        "form": form,
        "changed": changed,
        "proposal": PROPOSAL,
        "note": NOTE,
    }
    return render(request, "meetings/outcomes.html", context, status=400 if form is not None and form.errors else 200)


@curator_required
@require_POST
def outcome_handled(request, pk):
    outcome = get_object_or_404(Outcome.objects.select_related("meeting"), pk=pk)
    try:
        services.outcome_handle(outcome_id=outcome.pk, actor=request.user)
    except services.MeetingError as error:
        _show_error(request, error)
    else:
        messages.success(request, _("La note « %(title)s » est marquée comme traitée.") % {"title": outcome.title})
    return redirect(reverse("meetings:outcomes", kwargs={"pk": outcome.meeting_id}) + f"#suite-{outcome.pk}")
