"""Resources: drafting, reading, the history, the team's decisions, marks, uses and comments."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.concurrency import EditConflict, conflict_data, conflict_for
from core.generations import CSRF_PLACEHOLDER
from core.permissions import curator_required, public
from toolbox import resource_cache, services
from toolbox import selectors_detail as reads
from toolbox.enums import ResourceKind, ResourceStatus
from toolbox.fields import KINDS
from toolbox.forms import (
    CommentForm,
    DecisionForm,
    ModerationForm,
    ReasonForm,
    ResourceForm,
    UseForm,
)
from toolbox.models import Resource, ResourceComment


def _form_errors(request, form) -> None:
    """A refused form posted from the resource page: its errors, named by field, as messages on that page."""
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        for error in errors:
            messages.error(request, f"{label} : {error}" if label else error)


def _show_errors(request, error) -> None:
    for message in error.messages:
        messages.error(request, message)


def _readable_or_login(request, pk) -> Resource:
    """The resource if `request.user` may read it; a visitor is sent to log in for a members-only one."""
    resource = Resource.objects.visible_to(request.user).filter(pk=pk).first()
    if resource is not None:
        return resource
    if not request.user.is_authenticated and Resource.objects.published().filter(pk=pk).exists():
        raise _LoginNeeded
    raise Http404


class _LoginNeeded(Exception):
    pass


def _editable(request, pk) -> Resource:
    resource = get_object_or_404(Resource, pk=pk)
    if not services.can_edit(request.user, resource):
        if Resource.objects.visible_to(request.user).filter(pk=pk).exists():
            raise PermissionDenied
        raise Http404
    return resource


def create(request):
    """Choose the kind, then fill the resource's own fields; saved as a draft, or submitted at once."""
    kind = request.POST.get("nature") or request.GET.get("nature")
    if kind not in ResourceKind.values:
        return render(request, "toolbox/resource_kind.html", {"kinds": _kinds()})
    form = ResourceForm(request.POST or None, kind=kind, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            resource = services.resource_create(
                user=request.user,
                kind=kind,
                data=form.data_for_service(),
                links=form.links(),
                council=form.cleaned_data.get("council"),
            )
            if request.POST.get("action") == "soumettre":
                resource = services.resource_submit(resource_id=resource.pk, user=request.user)
        except services.ToolboxError as error:
            form.add_error(None, error)
        else:
            if resource.status == ResourceStatus.DRAFT:
                messages.success(request, _("Brouillon enregistré. Soumettez-le à l'équipe CNCD quand il est prêt."))
            else:
                messages.success(request, _("Ressource soumise : l'équipe CNCD va la relire."))
            return redirect("toolbox:detail", pk=resource.pk)
    context = {"form": form, "kind": kind, "kind_label": ResourceKind(kind).label, "spec": KINDS[kind]}
    return render(request, "toolbox/resource_form.html", context)


def _kinds():
    return [(kind, label, KINDS[kind].help) for kind, label in ResourceKind.choices]


def edit(request, pk):
    resource = _editable(request, pk)
    form = ResourceForm(request.POST or None, instance=resource, kind=resource.kind, user=request.user)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.resource_update(
                resource=Resource.objects.get(pk=resource.pk),
                user=request.user,
                data=form.data_for_service(),
                links=form.links(),
                council=form.cleaned_data.get("council"),
                lock_version=form.cleaned_data["lock_version"],
                summary=form.cleaned_data.get("change_summary", ""),
            )
            if request.POST.get("action") == "soumettre":
                services.resource_submit(resource_id=resource.pk, user=request.user)
        except EditConflict as error:
            resource = error.current
            form = ResourceForm(
                conflict_data(request.POST, resource.lock_version),
                instance=resource,
                kind=resource.kind,
                user=request.user,
            )
            conflict = conflict_for(error, form, ResourceForm(instance=resource, kind=resource.kind, user=request.user))
        except services.ToolboxError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Modifications enregistrées."))
            return redirect("toolbox:detail", pk=resource.pk)
    context = {
        "form": form,
        "resource": resource,
        "kind": resource.kind,
        "kind_label": resource.get_kind_display(),
        "spec": KINDS[resource.kind],
        "conflict": conflict,
    }
    return render(request, "toolbox/resource_form.html", context)


@public
def detail(request, pk):
    try:
        resource = _readable_or_login(request, pk)
    except _LoginNeeded:
        return redirect_to_login(request.get_full_path())
    state = reads.viewer_state(resource=resource, user=request.user)
    body = resource_cache.page_content(request, resource, state, lambda: _detail_content(request, resource))
    return render(request, "toolbox/resource_detail.html", {"resource": resource, "body": body})


def _detail_content(request, resource) -> str:
    """The page's content, rendered from the database, with the CSRF placeholder in its forms."""
    context = reads.resource_page(resource=resource, user=request.user)
    context |= {
        "use_form": UseForm(initial={"feedback": context["my_use"].feedback if context["my_use"] else ""}),
        "comment_form": CommentForm(),
        "decision_form": DecisionForm(),
        "csrf_token": CSRF_PLACEHOLDER,
    }
    return render_to_string("toolbox/_resource_detail_body.html", context, request=request)


@public
def history(request, pk):
    try:
        resource = _readable_or_login(request, pk)
    except _LoginNeeded:
        return redirect_to_login(request.get_full_path())
    context = reads.resource_history(resource=resource, params=request.GET)
    return render(request, "toolbox/resource_history.html", context)


@require_POST
def submit(request, pk):
    resource = _editable(request, pk)
    try:
        services.resource_submit(resource_id=resource.pk, user=request.user)
    except services.ToolboxError as error:
        _show_errors(request, error)
    else:
        messages.success(request, _("Ressource soumise : l'équipe CNCD va la relire."))
    return redirect("toolbox:detail", pk=resource.pk)


def _page_again(request, resource, **forms):
    """The resource page again, with the refused form and what was typed in it (400)."""
    context = reads.resource_page(resource=resource, user=request.user) | {
        "use_form": UseForm(),
        "comment_form": CommentForm(),
        "decision_form": DecisionForm(),
        **forms,
    }
    return render(request, "toolbox/resource_detail.html", context, status=400)


@require_POST
@curator_required
def decide(request, pk):
    resource = get_object_or_404(Resource, pk=pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return _page_again(request, resource, decision_form=form)
    decision, reason = form.cleaned_data["decision"], form.cleaned_data["reason"]
    try:
        if decision == DecisionForm.PUBLISH:
            services.resource_publish(
                resource_id=pk, actor=request.user, make_public=form.cleaned_data["make_public"], message=reason
            )
            messages.success(request, _("Ressource publiée ; ses auteur·rices sont prévenu·es."))
        elif decision == DecisionForm.APPROVE_PUBLIC:
            services.resource_approve_public(resource_id=pk, actor=request.user)
            messages.success(request, _("Ressource ouverte au public."))
        elif decision == DecisionForm.CHANGES:
            services.resource_request_changes(resource_id=pk, actor=request.user, reason=reason)
            messages.success(request, _("Demande de modifications envoyée aux auteur·rices."))
        else:
            services.resource_refuse(resource_id=pk, actor=request.user, reason=reason)
            messages.success(request, _("Ressource refusée ; ses auteur·rices connaissent le motif."))
    except services.ToolboxError as error:
        form.add_error(None, error)
        return _page_again(request, resource, decision_form=form)
    return redirect("toolbox:review_queue")


def delete(request, pk):
    resource = get_object_or_404(Resource, pk=pk)
    if not (request.user.is_curator or resource.owner_id == request.user.pk):
        raise Http404
    if not request.user.is_curator and resource.published_at is not None:
        raise PermissionDenied  # published once: a common text now, removed by the team only
    if request.method == "POST":
        try:
            services.resource_delete(resource_id=pk, user=request.user)
        except services.ToolboxError as error:
            _show_errors(request, error)
            return redirect("toolbox:detail", pk=pk)
        messages.success(request, _("La ressource « %(title)s » est supprimée.") % {"title": resource.title})
        return redirect("toolbox:mine")
    return render(request, "toolbox/resource_delete.html", {"resource": resource})


@require_POST
def useful(request, pk):
    try:
        marked = services.useful_toggle(resource_id=pk, user=request.user)
    except services.ToolboxError as error:
        _show_errors(request, error)
    else:
        messages.success(
            request, _("Merci : vous trouvez cette ressource utile.") if marked else _("Marque « utile » retirée.")
        )
    return redirect("toolbox:detail", pk=pk)


@require_POST
def use(request, pk):
    if request.POST.get("retirer"):
        services.use_remove(resource_id=pk, user=request.user)
        messages.success(request, _("Votre utilisation est retirée."))
        return redirect("toolbox:detail", pk=pk)
    resource = get_object_or_404(Resource.objects.published(), pk=pk)
    form = UseForm(request.POST)
    if form.is_valid():
        try:
            services.use_record(resource_id=pk, user=request.user, feedback=form.cleaned_data["feedback"])
        except services.ToolboxError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Merci pour votre retour."))
            return redirect(f"{_detail_url(pk)}#utilisations")
    return _page_again(request, resource, use_form=form)


def _detail_url(pk) -> str:
    return reverse("toolbox:detail", kwargs={"pk": pk})


@require_POST
def comment_add(request, pk):
    resource = get_object_or_404(Resource.objects.published(), pk=pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            comment = services.comment_add(resource_id=resource.pk, author=request.user, body=form.cleaned_data["body"])
        except services.ToolboxError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Commentaire publié."))
            return redirect(f"{_detail_url(pk)}#commentaire-{comment.pk}")
    return _page_again(request, resource, comment_form=form)


@require_POST
def comment_report(request, pk):
    comment = get_object_or_404(ResourceComment.objects.filter(resource__status=ResourceStatus.PUBLISHED), pk=pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
    else:
        try:
            services.comment_report(comment_id=pk, reporter=request.user, reason=form.cleaned_data["reason"])
        except services.ToolboxError as error:
            _show_errors(request, error)
        else:
            messages.success(request, _("Merci : l'équipe CNCD va examiner ce message."))
    return redirect(f"{_detail_url(comment.resource_id)}#commentaire-{pk}")


@require_POST
@curator_required
def comment_moderate(request, pk):
    comment = get_object_or_404(ResourceComment, pk=pk)
    form = ModerationForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(f"{_detail_url(comment.resource_id)}#commentaire-{pk}")
    action, reason = form.cleaned_data["action"], form.cleaned_data["reason"]
    operation = {
        ModerationForm.HIDE: services.comment_hide,
        ModerationForm.RESTORE: services.comment_restore,
        ModerationForm.DISMISS: services.comment_reports_dismiss,
    }[action]
    try:
        operation(comment_id=pk, actor=request.user, reason=reason)
    except services.ToolboxError as error:
        _show_errors(request, error)
    else:
        messages.success(request, _("Décision enregistrée."))
    return redirect(f"{_detail_url(comment.resource_id)}#commentaire-{pk}")


def mine(request):
    resources = (
        Resource.objects.authored_by(request.user).prefetch_related(Prefetch("links")).order_by("-updated_at", "-pk")
    )
    return render(request, "toolbox/mine.html", {"resources": list(resources)})


@curator_required
def review_queue(request):
    return render(request, "toolbox/review_queue.html", reads.review_queue())
