"""The CNCD team's curation of the référentiel: drafts, items, publication."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from competences.models import Competence, Domain, FrameworkVersion, ScaleLevel
from core.concurrency import EditConflict, conflict_data, conflict_for
from core.htmx import render_page, vary_on_htmx, wants_fragment
from core.permissions import curator_required
from missions.models import Activity, Mission
from referentiel import services
from referentiel.diff import framework_diff
from referentiel.forms import (
    ActivityForm,
    AlignmentFormSet,
    CompetenceForm,
    DomainForm,
    DraftCreateForm,
    MissionForm,
    PublishForm,
    ScaleLevelForm,
)
from referentiel.framework import AlignmentData, framework_snapshot
from referentiel.selectors import domain_tree

# URL segment → (model, form, list partial refreshed after a move, label)
ITEM_KINDS = {
    "missions": (Mission, MissionForm, "mission-list"),
    "activites": (Activity, ActivityForm, "mission-list"),
    "domaines": (Domain, DomainForm, "domain-list"),
    "competences": (Competence, CompetenceForm, "domain-list"),
}


def _draft(label):
    return get_object_or_404(FrameworkVersion.objects.drafts(), label=label)


def _kind(kind):
    if kind not in ITEM_KINDS:
        raise Http404
    return ITEM_KINDS[kind]


def _error_messages(error: ValidationError) -> list[str]:
    return [str(message) for message in error.messages]


@curator_required
def manage(request):
    versions = FrameworkVersion.objects.all()
    current = FrameworkVersion.objects.current()
    draft = FrameworkVersion.objects.drafts().first()
    form = DraftCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if current is None:
            form.add_error(None, _("Aucune version publiée à copier : importez un fichier pour commencer."))
        else:
            try:
                draft = services.draft_create_from(source=current, label=form.cleaned_data["label"], actor=request.user)
            except ValidationError as error:
                for message in _error_messages(error):
                    form.add_error("label", message)
            else:
                messages.success(
                    request, _("Brouillon %(label)s créé à partir de la version en vigueur.") % {"label": draft.label}
                )
                return redirect("referentiel:draft_edit", label=draft.label)
    context = {"versions": versions, "current": current, "draft": draft, "form": form}
    return render(request, "referentiel/framework_manage.html", context)


def _draft_context(draft):
    missions = (
        Mission.objects.of(draft)
        .order_by("order", "code")
        .prefetch_related(
            Prefetch("activities", queryset=Activity.objects.order_by("order", "code").prefetch_related("competences"))
        )
    )
    domains = domain_tree(draft)
    return {
        "version": draft,
        "missions": missions,
        "domains": domains,
        "scale": ScaleLevel.objects.of(draft).order_by("value"),
    }


@curator_required
def draft_edit(request, label):
    draft = _draft(label)
    return render(request, "referentiel/draft_edit.html", _draft_context(draft))


@curator_required
def item_edit(request, label, kind, code=None):
    draft = _draft(label)
    model, form_class, _partial = _kind(kind)
    if code is None:
        instance = model(version=draft)
        parent = request.GET.get("parent", "")
        if model is Activity and parent:
            instance.mission = Mission.objects.of(draft).filter(code=parent).first()
        if model is Competence and parent:
            instance.domain = Domain.objects.of(draft).filter(code=parent).first()
        if model is Domain and parent:
            instance.parent = Domain.objects.of(draft).filter(code=parent).first()
    else:
        instance = model.objects.of(draft).filter(code=code).first()
        item_id = request.POST.get("item", "")
        if instance is None and item_id.isdigit():
            # Its code was changed by another curator while this form was open: the conflict page follows it.
            instance = model.objects.of(draft).filter(pk=item_id).first()
        if instance is None:
            raise Http404
    form = form_class(request.POST or None, instance=instance, version=draft)
    # A competence's links to external frameworks are edited on the same page.
    # A post without the links' part (an older page, a script) leaves the links as they are.
    alignments = None
    if model is Competence:
        posted = request.method == "POST" and "correspondances-TOTAL_FORMS" in request.POST
        alignments = AlignmentFormSet(request.POST if posted else None, instance=instance, prefix="correspondances")
    conflict = None
    links_ok = alignments is None or not alignments.is_bound or alignments.is_valid()
    if request.method == "POST" and form.is_valid() and links_ok:
        item = form.save(commit=False)
        try:
            with transaction.atomic():
                services.item_save(
                    item=item,
                    actor=request.user,
                    competence_codes=[c.code for c in form.cleaned_data["competences"]] if model is Activity else None,
                    related_codes=[c.code for c in form.cleaned_data["related"]] if model is Competence else None,
                    lock_version=form.cleaned_data.get("lock_version"),
                )
                if model is Competence:
                    services.competence_levels_set(
                        competence=item, descriptors=form.level_descriptors(), actor=request.user
                    )
                    if alignments.is_bound:
                        services.competence_alignments_set(
                            competence=item, alignments=_alignments_typed(alignments), actor=request.user
                        )
        except EditConflict as error:
            if error.current is None:
                form.add_error(None, error.messages[0])
            else:
                # Shown again on the item as now saved (its code may have changed), what was typed kept.
                instance = error.current
                data = conflict_data(request.POST, instance.lock_version)
                form = form_class(data, instance=instance, version=draft)
                conflict = conflict_for(error, form, form_class(instance=instance, version=draft))
        except ValidationError as error:
            for message in _error_messages(error):
                form.add_error(None, message)
        else:
            messages.success(request, _("« %(item)s » est enregistré dans le brouillon.") % {"item": item})
            return redirect(reverse("referentiel:draft_edit", args=[draft.label]) + f"#item-{item.code}")
    context = {
        "version": draft,
        "form": form,
        "alignments": alignments,
        "instance": instance,
        "kind": kind,
        "is_new": code is None,
        "conflict": conflict,
    }
    return render(request, "referentiel/item_form.html", context)


def _alignments_typed(formset) -> list[AlignmentData]:
    """The links kept in the formset (filled in, not marked for deletion), as plain data."""
    return [
        AlignmentData(
            form.cleaned_data["relation"],
            form.cleaned_data["scheme"],
            form.cleaned_data.get("uri") or "",
            form.cleaned_data.get("code") or "",
            form.cleaned_data.get("title") or "",
        )
        for form in formset.forms
        if form.cleaned_data
        and not form.cleaned_data.get("DELETE")
        and (form.cleaned_data.get("uri") or form.cleaned_data.get("code"))
    ]


@curator_required
@require_POST
def item_move(request, label, kind, code):
    draft = _draft(label)
    model, _form, partial = _kind(kind)
    item = get_object_or_404(model.objects.of(draft), code=code)
    direction = request.POST.get("direction")
    if direction in ("up", "down"):
        services.item_move(item=item, direction=direction, actor=request.user)
    if wants_fragment(request):
        # The moved item's button keeps the keyboard focus once htmx swaps the list (autofocus).
        context = _draft_context(draft) | {"moved_code": code, "moved_direction": direction}
        return render_page(request, "referentiel/draft_edit.html", context, fragment=partial)
    return vary_on_htmx(redirect(reverse("referentiel:draft_edit", args=[draft.label]) + f"#item-{code}"))


@curator_required
def item_delete(request, label, kind, code):
    draft = _draft(label)
    model, _form, _partial = _kind(kind)
    item = get_object_or_404(model.objects.of(draft), code=code)
    error = ""
    if request.method == "POST":
        try:
            services.item_delete(item=item, actor=request.user)
        except ValidationError as exc:
            error = " ".join(_error_messages(exc))
        else:
            messages.success(request, _("« %(item)s » a été retiré du brouillon.") % {"item": item})
            return redirect("referentiel:draft_edit", label=draft.label)
    return render(request, "referentiel/item_delete.html", {"version": draft, "item": item, "error": error})


@curator_required
def scale_edit(request, label, value):
    draft = _draft(label)
    level = get_object_or_404(ScaleLevel.objects.of(draft), value=value)
    form = ScaleLevelForm(request.POST or None, instance=level)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.scale_level_save(
                level=form.save(commit=False), actor=request.user, lock_version=form.cleaned_data["lock_version"]
            )
        except EditConflict as error:
            if error.current is None:
                form.add_error(None, error.messages[0])
            else:
                level = error.current
                form = ScaleLevelForm(conflict_data(request.POST, level.lock_version), instance=level)
                conflict = conflict_for(error, form, ScaleLevelForm(instance=level))
        except ValidationError as error:
            for message in _error_messages(error):
                form.add_error(None, message)
        else:
            messages.success(request, _("Le niveau %(value)s de l'échelle est enregistré.") % {"value": level.value})
            return redirect(reverse("referentiel:draft_edit", args=[draft.label]) + "#echelle")
    context = {"version": draft, "form": form, "level": level, "conflict": conflict}
    return render(request, "referentiel/scale_form.html", context)


@curator_required
def scale_add(request, label):
    draft = _draft(label)
    form = ScaleLevelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            level = services.scale_level_add(
                version=draft,
                label=form.cleaned_data["label"],
                descriptor=form.cleaned_data["descriptor"],
                actor=request.user,
            )
        except ValidationError as error:
            for message in _error_messages(error):
                form.add_error(None, message)
        else:
            messages.success(request, _("Le niveau %(value)s a été ajouté à l'échelle.") % {"value": level.value})
            return redirect(reverse("referentiel:draft_edit", args=[draft.label]) + "#echelle")
    return render(request, "referentiel/scale_form.html", {"version": draft, "form": form, "level": None})


@curator_required
@require_POST
def scale_remove(request, label, value):
    draft = _draft(label)
    level = get_object_or_404(ScaleLevel.objects.of(draft), value=value)
    try:
        services.scale_level_remove(level=level, actor=request.user)
    except ValidationError as error:
        for message in _error_messages(error):
            messages.error(request, message)
    else:
        messages.success(request, _("Le niveau %(value)s a été retiré de l'échelle.") % {"value": value})
    return redirect(reverse("referentiel:draft_edit", args=[draft.label]) + "#echelle")


@curator_required
def draft_publish(request, label):
    # Published by someone else in the meantime: a POST says so on the form, with the summary kept.
    draft = get_object_or_404(FrameworkVersion, label=label) if request.method == "POST" else _draft(label)
    current = FrameworkVersion.objects.current()
    form = PublishForm(request.POST or None, initial={"summary": draft.summary, "lock_version": draft.lock_version})
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.framework_publish(
                draft=draft,
                summary=form.cleaned_data["summary"],
                actor=request.user,
                lock_version=form.cleaned_data["lock_version"],
            )
        except EditConflict as error:
            # The diff below is recomputed on the draft as it is now; the form carries its new version.
            draft = error.current
            form = PublishForm(conflict_data(request.POST, draft.lock_version))
            conflict = error.messages[0]
        except ValidationError as error:
            for message in _error_messages(error):
                form.add_error(None, message)
        else:
            messages.success(request, _("La version %(label)s est publiée.") % {"label": draft.label})
            return redirect("referentiel:version", label=draft.label)
    if current == draft:
        current = draft.based_on
    diff = framework_diff(framework_snapshot(current), framework_snapshot(draft)) if current else None
    context = {"version": draft, "current": current, "form": form, "diff": diff, "conflict": conflict}
    return render(request, "referentiel/draft_publish.html", context)


@curator_required
def draft_delete(request, label):
    draft = _draft(label)
    if request.method == "POST":
        services.draft_delete(draft=draft, actor=request.user)
        messages.success(request, _("Le brouillon %(label)s a été supprimé.") % {"label": label})
        return redirect("referentiel:manage")
    return render(request, "referentiel/draft_delete.html", {"version": draft})
