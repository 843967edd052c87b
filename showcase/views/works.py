"""Views of the works area (works library, follow-ups, documents, search, Atom feed).

The library is public; its facets and results are rendered once per state of the library and kept in the cache
(`{% cache %}` keyed by showcase.works.library_generation, the language and the query). A work's page is public
when the work is (Work.objects.published()); drafts and hidden works open only for its council's
technician·nes and the CNCD team (404 for anyone else). Writes go through showcase.works and
showcase.documents.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from core.concurrency import EditConflict, conflict_data, conflict_for
from core.htmx import render_page, wants_fragment
from core.permissions import public
from showcase import documents, works
from showcase.forms_works import DocumentForm, FollowUpForm, HideForm, WorkForm
from showcase.models import Work


@public
@require_safe
def library(request):
    """Open to everyone: the published works of published council pages."""
    params = works.LibraryParams.from_query(request.GET)
    result = SimpleLazyObject(lambda: works.library(params=params))
    fragment = wants_fragment(request)
    generation = str(works.library_generation())
    cache_key = ":".join((generation, get_language(), params.query(), params.page, str(fragment)))
    context = {
        "library": result,
        "params": params,
        "page": SimpleLazyObject(lambda: result.page),
        "facets": SimpleLazyObject(lambda: result.facets),
        "sorts": list(works.SORTS.items()),
        "library_cache": cache_key,
        # The facets do not change with the page nor the sort.
        "facets_cache": ":".join((generation, get_language(), works.facets_key(params))),
        "library_cache_seconds": works.CACHE_SECONDS,
        "can_add": works.editable_pages(request.user).exists() if request.user.is_authenticated else False,
    }
    return render_page(request, "showcase/works/library.html", context, fragment="results")


def _readable(request, pk) -> Work:
    work = works.readable(request.user, pk)
    if work is None:
        raise Http404
    return work


@public
@require_safe
def work_short(request, pk):
    """The permanent address (the number alone): to the page with its current slug."""
    work = _readable(request, pk)
    return redirect(work.get_absolute_url(), permanent=True)


@public
@require_safe
def detail(request, pk, slug):
    """Anyone for a published work; its council's technician·nes and the team for the others."""
    work = _readable(request, pk)
    if slug != work.slug:
        return redirect(work.get_absolute_url(), permanent=True)
    context = works.work_page(work=work, user=request.user, request=request)
    if context["can_edit"]:
        context["document_form"] = DocumentForm()
    if context["is_team"]:
        context["hide_form"] = HideForm()
    return render(request, "showcase/works/detail.html", context)


def _editable(request, pk) -> Work:
    work = _readable(request, pk)
    if not works.can_edit(request.user, work):
        raise PermissionDenied
    return work


def create(request):
    """A council's technician·nes (their council's page) and the team (any page)."""
    pages = works.editable_pages(request.user)
    if not pages.exists():
        raise PermissionDenied
    form = WorkForm(request.POST or None, pages=pages)
    if request.method == "POST" and form.is_valid():
        try:
            work = works.work_create(
                user=request.user,
                page=form.cleaned_data["page"],
                data=form.data_for_service(),
                themes=form.cleaned_data["themes"],
                links=form.links(),
            )
        except works.WorkError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Le travail est enregistré en brouillon : ajoutez son document, puis publiez-le.")
            )
            return redirect(work.get_absolute_url())
    return render(request, "showcase/works/form.html", {"form": form, "work": None, "conflict": None})


def edit(request, pk):
    work = _editable(request, pk)
    form = WorkForm(request.POST or None, instance=work)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            work = works.work_update(
                user=request.user,
                work_id=work.pk,
                data=form.data_for_service(),
                themes=form.cleaned_data["themes"],
                links=form.links(),
                lock_version=form.cleaned_data["lock_version"],
            )
        except EditConflict as error:
            work = error.current
            form = WorkForm(conflict_data(request.POST, work.lock_version), instance=work)
            conflict = conflict_for(error, form, WorkForm(instance=work))
        except works.WorkError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Modifications enregistrées."))
            return redirect(work.get_absolute_url())
    return render(request, "showcase/works/form.html", {"form": form, "work": work, "conflict": conflict})


def followup(request, pk):
    """The follow-up (suites données), a small form of its own."""
    work = _editable(request, pk)
    form = FollowUpForm(request.POST or None, instance=work)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            work = works.followup_update(
                user=request.user,
                work_id=work.pk,
                data=form.data_for_service(),
                lock_version=form.cleaned_data["lock_version"],
            )
        except EditConflict as error:
            work = error.current
            form = FollowUpForm(conflict_data(request.POST, work.lock_version), instance=work)
            conflict = conflict_for(error, form, FollowUpForm(instance=work))
        except works.WorkError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Les suites données sont enregistrées."))
            return redirect(work.get_absolute_url())
    return render(request, "showcase/works/followup_form.html", {"form": form, "work": work, "conflict": conflict})


@require_POST
def document_upload(request, pk):
    work = _editable(request, pk)
    form = DocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choisissez un document PDF à ajouter."))
        return redirect(work.get_absolute_url())
    try:
        documents.document_attach(user=request.user, work_id=work.pk, uploaded=form.cleaned_data["document"])
    except works.WorkError as error:
        messages.error(request, _("Le document n'a pas été ajouté : %(reason)s") % {"reason": error.messages[0]})
    else:
        messages.success(request, _("Le document est ajouté."))
    return redirect(work.get_absolute_url())


@require_POST
def document_remove(request, pk):
    work = _editable(request, pk)
    try:
        documents.document_remove(user=request.user, work_id=work.pk)
    except works.WorkError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("Le document est retiré."))
    return redirect(work.get_absolute_url())


@public
@require_safe
def download(request, pk):
    """Anyone for a published work's document; its editors for the others. Each GET counts one download."""
    work = documents.document_readable(request.user, pk)
    if work is None:
        raise Http404
    try:
        handle = work.document.open("rb")
    except OSError:
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=work.document_name or "document.pdf", content_type=documents.PDF
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "public, max-age=300" if work.is_published else "private, no-store"
    if request.method == "GET":
        documents.download_count(work.pk)
    return response


def _state_change(request, pk, service, done: str):
    work = _editable(request, pk)
    try:
        service(user=request.user, work_id=work.pk)
    except works.WorkError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, done)
    return redirect(work.get_absolute_url())


@require_POST
def publish(request, pk):
    return _state_change(request, pk, works.work_publish, _("Le travail est publié dans la vitrine."))


@require_POST
def unpublish(request, pk):
    return _state_change(request, pk, works.work_unpublish, _("Le travail est retiré de la vitrine (brouillon)."))


@require_POST
def moderate(request, pk):
    """The CNCD team hides a work (with a reason) or restores it."""
    if not (request.user.is_authenticated and request.user.is_curator):
        raise PermissionDenied
    work = _readable(request, pk)
    try:
        if request.POST.get("action") == "retablir":
            works.work_restore(user=request.user, work_id=work.pk)
            messages.success(request, _("Le travail est rétabli dans la vitrine."))
        else:
            form = HideForm(request.POST)
            if not form.is_valid():
                # The work's page again, the reason as typed under its French error (nothing typed is lost).
                context = works.work_page(work=work, user=request.user, request=request)
                context |= {"hide_form": form, "document_form": DocumentForm() if context["can_edit"] else None}
                return render(request, "showcase/works/detail.html", context, status=400)
            works.work_hide(user=request.user, work_id=work.pk, reason=form.cleaned_data["reason"])
            messages.success(request, _("Le travail est masqué ; ses auteur·ices sont prévenu·es."))
    except works.WorkError as error:
        messages.error(request, error.messages[0])
    return redirect(work.get_absolute_url())


@require_safe
def manage(request):
    """The works one looks after (their council's, every state; the team: every work)."""
    rows = works.managed(request.user)
    from django.core.paginator import Paginator

    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    context = {"page": page, "can_add": works.editable_pages(request.user).exists()}
    return render(request, "showcase/works/manage.html", context)
