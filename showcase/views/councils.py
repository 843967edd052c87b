"""Views of the councils area (council pages, technicians appearing, team check)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.concurrency import EditConflict, conflict_data, conflict_for
from core.htmx import render_page
from core.permissions import curator_required, public
from showcase import councils
from showcase.councils import ShowcaseError
from showcase.forms_councils import (
    CheckForm,
    PageFilterForm,
    PageForm,
    PreferenceForm,
    ThemeCreateForm,
    ThemeForm,
)
from showcase.models import CouncilPage, Theme
from showcase.works import CACHE_SECONDS as WORKS_CACHE_SECONDS
from showcase.works import library_generation


def _show_errors(request, error) -> None:
    for message in error.messages:
        messages.error(request, message)


@public
def home(request):
    context = {
        "council_count": councils.public_pages().count(),
        "latest_works": list(councils.latest_works()),
    }
    return render(request, "showcase/councils/home.html", context)


@public
def council_list(request):
    regions = councils.regions_with_pages()
    form = PageFilterForm(request.GET or None, regions=regions)
    criteria = form.criteria()
    pages = councils.public_pages(**criteria)
    page = Paginator(pages, councils.PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode(), "filtered": bool(criteria)}
    return render_page(request, "showcase/councils/list.html", context, fragment="results")


@public
def council_detail(request, slug, *, check_form=None, status=200):
    """The council's page; `check_form` is the team's refused decision, shown again as typed (council_check)."""
    page = get_object_or_404(CouncilPage.objects.select_related("council", "region", "checked_by__profile"), slug=slug)
    editable = councils.can_edit_page(request.user, page)
    is_public = page.is_published and page.council.is_validated
    if not is_public and not editable:
        raise Http404
    # Read only when the template's cached list (keyed by the library's generation) is missing.
    works = councils.council_works(page)[: councils.COUNCIL_WORKS_SHOWN] if is_public else []
    context = {
        "page": page,
        "council": page.council,
        "departments": councils.page_departments(page),
        "technicians": councils.appearing_technicians(page.council),
        "works": works,
        "works_cache": ":".join((str(library_generation()), get_language(), str(page.pk), str(is_public))),
        "works_cache_seconds": WORKS_CACHE_SECONDS,
        "editable": editable,
        "is_public": is_public,
        "needs_recheck": councils.needs_recheck(page),
        "check_form": check_form
        or (CheckForm() if request.user.is_authenticated and request.user.is_curator else None),
    }
    return render(request, "showcase/councils/detail.html", context, status=status)


def my_page(request):
    """ "Ma vitrine": the member's council page (started here if missing) and their choice to appear on it."""
    council = councils.my_council(request.user)
    page = councils.my_council_page(request.user)
    form = None
    if council is not None and page is None:
        form = PageForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                page = councils.page_create(user=request.user, council=council, data=form.page_data())
            except ShowcaseError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request, _("Brouillon enregistré. Soumettez la page à l'équipe CNCD quand elle est prête.")
                )
                return redirect("showcase:my_page")
    profile = getattr(request.user, "profile", None)
    context = {
        "council": council,
        "declared_council": profile.council if profile is not None else None,
        "page": page,
        "form": form,
        "needs_recheck": councils.needs_recheck(page) if page else False,
        "preference_form": PreferenceForm(initial={"appears": councils.preference_of(request.user)}),
    }
    return render(request, "showcase/councils/mine.html", context)


def _editable(request, slug) -> CouncilPage:
    page = get_object_or_404(CouncilPage.objects.select_related("council"), slug=slug)
    if not councils.can_edit_page(request.user, page):
        if page.is_published and page.council.is_validated:
            raise PermissionDenied
        raise Http404
    return page


def council_edit(request, slug):
    page = _editable(request, slug)
    form = PageForm(request.POST or None, instance=page)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            page = councils.page_update(
                page_id=page.pk,
                user=request.user,
                data=form.page_data(),
                lock_version=form.cleaned_data["lock_version"],
            )
            if request.POST.get("action") == "soumettre" and page.status in councils.SUBMITTABLE_STATUSES:
                page = councils.page_submit(page_id=page.pk, user=request.user)
        except EditConflict as error:
            page = error.current
            form = PageForm(conflict_data(request.POST, page.lock_version), instance=page)
            conflict = conflict_for(error, form, PageForm(instance=page))
        except ShowcaseError as error:
            form.add_error(None, error)
        else:
            if councils.needs_recheck(page):
                messages.success(
                    request,
                    _("Modifications publiées. L'équipe CNCD les relira ; elle peut retirer la page si besoin."),
                )
            elif page.status == "soumise" and request.POST.get("action") == "soumettre":
                messages.success(request, _("Page soumise : l'équipe CNCD va la vérifier."))
            else:
                messages.success(request, _("Modifications enregistrées."))
            return redirect("showcase:council", slug=page.slug)
    context = {"page": page, "council": page.council, "form": form, "conflict": conflict}
    return render(request, "showcase/councils/form.html", context)


@require_POST
def council_submit(request, slug):
    page = _editable(request, slug)
    try:
        councils.page_submit(page_id=page.pk, user=request.user)
    except ShowcaseError as error:
        _show_errors(request, error)
    else:
        messages.success(request, _("Page soumise : l'équipe CNCD va la vérifier."))
    return redirect("showcase:council", slug=page.slug)


@require_POST
@curator_required
def council_check(request, slug):
    page = get_object_or_404(CouncilPage, slug=slug)
    form = CheckForm(request.POST)
    if form.is_valid():
        decision, comment = form.cleaned_data["decision"], form.cleaned_data["comment"]
        try:
            if decision == CheckForm.PUBLISH:
                councils.page_publish(page_id=page.pk, actor=request.user, comment=comment)
                messages.success(request, _("Page publiée (ou confirmée) ; ses technicien·nes sont prévenu·es."))
            elif decision == CheckForm.CHANGES:
                councils.page_request_changes(page_id=page.pk, actor=request.user, comment=comment)
                messages.success(request, _("Demande de modifications envoyée aux technicien·nes du conseil."))
            else:
                councils.page_unpublish(page_id=page.pk, actor=request.user, comment=comment)
                messages.success(request, _("Page retirée de la vitrine ; ses technicien·nes connaissent le motif."))
        except ShowcaseError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            return redirect("showcase:team")
    # Refused: the page again, the decision and the comment as typed under their French errors.
    return council_detail(request, page.slug, check_form=form, status=400)


@require_POST
def preference(request):
    form = PreferenceForm(request.POST)
    form.is_valid()  # a checkbox: absent means no
    appears = bool(form.cleaned_data.get("appears"))
    councils.preference_set(user=request.user, appears=appears)
    if appears:
        messages.success(request, _("Votre nom et votre poste apparaissent sur la page publique de votre conseil."))
    else:
        messages.success(request, _("Vous n'apparaissez plus sur la page publique de votre conseil."))
    back = request.POST.get("retour")
    if back == "profil":
        return redirect("members:detail", user_id=request.user.pk)
    return redirect("showcase:my_page")


@curator_required
def team(request):
    context = councils.team_queue() | {"blocks": councils.team_queue_blocks(request.user)}
    return render(request, "showcase/councils/team.html", context)


@curator_required
def themes(request):
    form = ThemeCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            theme = councils.theme_create(actor=request.user, name=form.cleaned_data["name"])
        except ShowcaseError as error:
            form.add_error("name", error)
        else:
            messages.success(request, _("Thème « %(name)s » ajouté.") % {"name": theme.name})
            return redirect("showcase:themes")
    return render(request, "showcase/councils/themes.html", {"form": form, "themes": councils.themes_with_use()})


@curator_required
def theme_edit(request, pk):
    theme = get_object_or_404(Theme, pk=pk)
    form = ThemeForm(request.POST or None, instance=theme)
    if request.method == "POST" and form.is_valid():
        try:
            councils.theme_update(
                theme_id=theme.pk,
                actor=request.user,
                name=form.cleaned_data["name"],
                position=form.cleaned_data["position"],
                is_active=form.cleaned_data["is_active"],
            )
        except ShowcaseError as error:
            form.add_error("name", error)
        else:
            messages.success(request, _("Thème enregistré."))
            return redirect("showcase:themes")
    used = theme.works.count()
    return render(request, "showcase/councils/theme_form.html", {"form": form, "theme": theme, "used": used})


@require_POST
@curator_required
def theme_delete(request, pk):
    theme = get_object_or_404(Theme, pk=pk)
    try:
        councils.theme_delete(theme_id=theme.pk, actor=request.user)
    except ShowcaseError as error:
        _show_errors(request, error)
        return redirect("showcase:theme_edit", pk=pk)
    messages.success(request, _("Thème supprimé."))
    return redirect("showcase:themes")
