from functools import partial

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from core import generations
from core.concurrency import EditConflict, conflict_data, conflict_for
from core.enums import PdfExportStatus
from core.export_views import export_status_page
from core.htmx import render_page, vary_on_htmx, wants_fragment
from core.models import PersonalDataExport
from core.panels import panels
from core.permissions import curator_required, pending_allowed, public
from core.personal_data_exports import personal_data_export_request
from members import onboarding, services
from members.directory import COUNCILS, directory_form_html, directory_results
from members.enums import Audience, Visibility
from members.forms import AccountDeleteForm, CouncilForm, DirectoryFilterForm, InvitationForm, ProfileForm, RefuseForm
from members.models import TERRITORIES, Council, Invitation, Profile, User
from members.visibility import profile_view

DIRECTORY_PAGE_SIZE = 20


@pending_allowed
def account_pending(request):
    if request.user.is_approved:
        return redirect("my_space")
    return render(request, "members/account_pending.html")


@require_POST
def onboarding_dismiss(request):
    """Hide the newcomer's checklist for good, then back to the page that showed it (htmx: remove it)."""
    onboarding.onboarding_dismiss(user=request.user)
    if wants_fragment(request):
        return vary_on_htmx(HttpResponse(""))
    messages.success(request, _("La liste des premiers pas est masquée."))
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, require_https=request.is_secure()):
        back = resolve_url(settings.LOGIN_REDIRECT_URL)
    return vary_on_htmx(redirect(back))


# --- Directory and member pages -----------------------------------------------------------------


def directory(request):
    form = DirectoryFilterForm(request.GET or None)
    results = directory_results(
        form=form, viewer=request.user, number=request.GET.get("page"), size=DIRECTORY_PAGE_SIZE
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        # Rendered only for a whole page (not for htmx's results), and then mostly from the cache.
        "form_html": partial(directory_form_html, form),
        "page": results.page,
        "rows": results.rows,
        "cards": results.cards,
        "query": query.urlencode(),
    }
    return render_page(request, "members/profile_list.html", context, fragment="results")


@public
def member_detail(request, user_id):
    profile = get_object_or_404(
        Profile.objects.visible_to(request.user).select_related("user", "council"), user_id=user_id
    )
    view = profile_view(profile=profile, viewer=request.user)
    territory = _territory(profile.council)
    context = {
        "profile": view,
        "territory": territory,
        # What the apps above show about the member (core.panels): their contributions…
        "panels": panels("members.profile", request.user, member=profile.user),
    }
    return render(request, "members/profile_detail.html", context)


@public
@never_cache
def member_photo(request, user_id):
    profiles = Profile.objects.select_related("user")
    if not (request.user.is_authenticated and request.user.pk == user_id):
        profiles = profiles.visible_to(request.user)
    profile = get_object_or_404(profiles, user_id=user_id)
    if not profile.photo or not profile_view(profile=profile, viewer=request.user).photo:
        raise Http404
    try:
        with profile.photo.open("rb") as photo:
            content = photo.read()  # at most 512 px a side once processed: small enough to send at once
    except FileNotFoundError:
        raise Http404 from None
    response = HttpResponse(content, content_type="image/webp")
    response["Cache-Control"] = "private, max-age=0, no-store"
    return response


TERRITORY_SECONDS = 600


def _territory(council):
    """The départements of `council` with their région, kept until a council or a territory changes."""
    if council is None:
        return []
    key = f"members:territory:v1:{council.pk}"
    stamp, departments = generations.cached(key, [COUNCILS, TERRITORIES])
    if departments is None:
        departments = list(council.departments.select_related("region").order_by("code"))
        generations.store(key, stamp, departments, TERRITORY_SECONDS)
    return departments


# --- My profile ---------------------------------------------------------------------------------


@pending_allowed
def profile_edit(request):
    profile = services.profile_get_or_create(user=request.user)
    form = ProfileForm(request.POST or None, request.FILES or None, instance=profile, user=request.user)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_update(
                profile=profile,
                data=form.profile_data(),
                photo=form.cleaned_data.get("photo"),
                remove_photo=form.cleaned_data.get("remove_photo", False),
                lock_version=form.cleaned_data["lock_version"],
            )
        except EditConflict as error:
            # Saved in another tab meanwhile: both versions shown, this one kept in the form.
            profile = error.current
            data = conflict_data(request.POST, profile.lock_version)
            form = ProfileForm(data, instance=profile, user=request.user)
            conflict = conflict_for(error, form, ProfileForm(instance=profile, user=request.user))
        else:
            messages.success(request, _("Votre profil est enregistré."))
            return redirect("members:profile_edit")
    return render(request, "members/profile_form.html", {"form": form, "profile": profile, "conflict": conflict})


PREVIEW_AUDIENCES = {"membre": Audience.MEMBER, "public": Audience.PUBLIC, "equipe": Audience.TEAM}


@pending_allowed
def profile_preview(request):
    profile = services.profile_get_or_create(user=request.user)
    chosen = request.GET.get("comme", "membre")
    audience = PREVIEW_AUDIENCES.get(chosen, Audience.MEMBER)
    view = profile_view(profile=profile, viewer=request.user, audience=audience)
    hidden_from_public = audience == Audience.PUBLIC and profile.identity_visibility != Visibility.PUBLIC
    context = {
        "profile": view,
        "territory": _territory(profile.council),
        "preview": chosen if chosen in PREVIEW_AUDIENCES else "membre",
        "hidden_from_public": hidden_from_public,
    }
    return render(request, "members/profile_detail.html", context)


@pending_allowed
def council_create(request):
    form = CouncilForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            council = services.council_declare(
                name=form.cleaned_data["name"],
                kind=form.cleaned_data["kind"],
                authority_name=form.cleaned_data["authority_name"],
                departments=form.cleaned_data["departments"],
                website=form.cleaned_data["website"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Le conseil « %(name)s » est ajouté à votre profil. L'équipe CNCD le vérifiera.")
                % {"name": council.name},
            )
            return redirect("members:profile_edit")
    return render(request, "members/council_form.html", {"form": form})


# --- Personal data ------------------------------------------------------------------------------


@pending_allowed
def my_data(request):
    latest = PersonalDataExport.objects.of_user(request.user).first()
    context = {"export": latest if latest is not None and not latest.is_expired else None}
    return render(request, "members/user_data.html", context)


@pending_allowed
@require_POST
def data_export_request(request):
    """Ask for the archive of one's data; the worker prepares it, the status page follows it."""
    export = personal_data_export_request(user=request.user)
    return redirect("members:data_export_status", export_id=export.pk)


@pending_allowed
@never_cache
def data_export_status(request, export_id):
    """Where the archive stands; htmx asks again every 2 s and gets 204 while nothing has changed."""
    export = _own_export(request, export_id)
    if export is None or export.is_expired:
        return _export_gone(request, export)
    links = {
        "status_url": reverse("members:data_export_status", args=[export.pk]),
        "download_url": reverse("members:data_export", args=[export.pk]),
    }
    return export_status_page(request, export, "members/user_data_export.html", links)


@pending_allowed
@never_cache
def data_export(request, export_id):
    export = _own_export(request, export_id)
    if export is None or export.is_expired:
        return _export_gone(request, export)
    if export.status != PdfExportStatus.DONE:
        return redirect("members:data_export_status", export_id=export.pk)
    try:
        stored = default_storage.open(export.file_name, "rb")
    except OSError:  # pruned in the meantime
        return _export_gone(request, export)
    # never_cache: the archive of a person's data must not linger in a shared browser cache.
    filename = f"mes-donnees-reseau-codev-{timezone.localdate(export.created_at).isoformat()}.zip"
    return FileResponse(stored, as_attachment=True, filename=filename, content_type="application/zip")


def _own_export(request, export_id) -> PersonalDataExport | None:
    """The archive `export_id` when the visitor asked for it; None for anyone else's, or one pruned."""
    return PersonalDataExport.objects.of_user(request.user).filter(pk=export_id).first()


def _export_gone(request, export):
    """The archive is no longer there (410 for its owner) or never was theirs (404): offer a new one."""
    status = 410 if export is not None else 404
    return render(request, "members/user_data_export_gone.html", {"expired": export is not None}, status=status)


@pending_allowed
def account_delete(request):
    form = AccountDeleteForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.user_erase(user=request.user)
        logout(request)
        messages.success(request, _("Votre compte et vos données personnelles ont été supprimés."))
        return redirect("home")
    return render(request, "members/user_delete.html", {"form": form})


# --- Invitations --------------------------------------------------------------------------------


@public
def invitation_accept(request, token):
    invitation = Invitation.objects.filter(token=token).first()
    if invitation is None or invitation.accepted_at is not None or invitation.is_expired:
        if invitation is None:
            reason = "unknown"
        elif invitation.accepted_at is not None:
            reason = "used"
        else:
            reason = "expired"
        return render(request, "members/invitation_invalid.html", {"reason": reason}, status=410)
    if request.user.is_authenticated:
        messages.info(request, _("Vous êtes déjà connecté·e : cette invitation ne vous est pas utile."))
        return redirect("home")
    request.session["invitation_token"] = invitation.token
    get_adapter(request).stash_verified_email(request, invitation.email)
    messages.info(
        request,
        _("Bienvenue ! Créez votre compte avec l'adresse %(email)s : il sera validé aussitôt.")
        % {"email": invitation.email},
    )
    return redirect("account_signup")


# --- CNCD team ----------------------------------------------------------------------------------


@curator_required
def pending_accounts(request):
    users = User.objects.pending().select_related("profile__council").order_by("date_joined")
    return render(request, "members/user_pending_list.html", {"users": users})


@curator_required
@require_POST
def account_approve(request, user_id):
    user = get_object_or_404(User.objects.pending(), pk=user_id)
    services.user_approve(user=user, by=request.user)
    messages.success(request, _("Le compte de %(name)s est validé ; un e-mail l'en informe.") % {"name": user})
    return redirect("members:pending_accounts")


@curator_required
def account_refuse(request, user_id):
    user = get_object_or_404(User.objects.pending().select_related("profile__council"), pk=user_id)
    form = RefuseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.user_refuse(user=user, by=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("Le compte de %(name)s est refusé ; un e-mail l'en informe.") % {"name": user})
        return redirect("members:pending_accounts")
    return render(request, "members/user_refuse.html", {"form": form, "account": user})


@curator_required
def invitations(request):
    form = InvitationForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        try:
            report = services.invitations_send(values=form.cleaned_data["values"], by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            sent = sum(1 for line in report if line.is_success)
            messages.success(
                request,
                ngettext(
                    "%(sent)d invitation envoyée sur %(total)d ligne.",
                    "%(sent)d invitations envoyées sur %(total)d lignes.",
                    len(report),
                )
                % {
                    "sent": sent,
                    "total": len(report),
                },
            )
            form = InvitationForm()
    recent = Invitation.objects.select_related("invited_by")[:30]
    return render(request, "members/invitation_form.html", {"form": form, "report": report, "recent": recent})


@curator_required
def pending_councils(request):
    councils = Council.objects.pending().with_territory().select_related("declared_by").order_by("created_at")
    return render(request, "members/council_pending_list.html", {"councils": councils})


@curator_required
@require_POST
def council_validate(request, council_id):
    council = get_object_or_404(Council.objects.pending(), pk=council_id)
    services.council_validate(council=council, by=request.user)
    messages.success(request, _("Le conseil « %(name)s » est validé.") % {"name": council.name})
    return redirect("members:pending_councils")
