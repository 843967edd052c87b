"""Suggestions: proposing a new text (with its live preview), updating it, supporting it, deciding on it."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.concurrency import EditConflict, conflict_data, conflict_for
from core.htmx import render_page, wants_fragment
from core.limits import PREVIEW_LIMIT_MESSAGE, preview_allowed
from core.permissions import curator_required
from fiches import kept_pages, selectors, services
from fiches.enums import SectionKind
from fiches.forms import CommentForm, RejectForm, SuggestionForm, SuggestionUpdateForm
from fiches.models import Comment, Fiche, Revision, Section, Suggestion
from fiches.rendering import StructuredError, prepare_body
from fiches.views.common import framework_for, picker_body, section_or_404, show_errors


def suggestion_create(request, slug, pk):
    section = Section.objects.with_current().select_related("fiche").filter(fiche__slug=slug, pk=pk).first()
    if section is None:
        messages.error(request, _("Cette section n'existe plus : votre proposition n'a pas été enregistrée."))
        return redirect("fiches:detail", slug=slug) if Fiche.objects.filter(slug=slug).exists() else redirect("home")
    changed = None
    status = 200
    if request.method == "POST":
        form = SuggestionForm(request.POST, section=section)
        if "preview" in request.POST and not preview_allowed(request, "fiches.suggestion_preview"):
            status = 429
        elif form.is_valid() and "preview" not in request.POST:
            try:
                suggestion = services.suggestion_create(
                    section_id=section.pk,
                    author=request.user,
                    body=form.cleaned_data["body"],
                    rationale=form.cleaned_data["rationale"],
                    base_revision_id=form.cleaned_data["base_revision"],
                )
            except services.SectionChanged as error:
                changed = error
                form = SuggestionForm(_rebased_data(request.POST, error), section=section)
            except services.FicheError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Merci ! Votre proposition est enregistrée et ouverte à la discussion."))
                return redirect(suggestion)
    else:
        form = SuggestionForm(
            initial={"body": picker_body(request, section), "base_revision": section.current_revision_id},
            section=section,
        )
    base_body = changed.current.body if changed else section.current_body
    context = {
        "fiche": section.fiche,
        "section": section,
        "form": form,
        **(
            _preview(form, status, section=section)
            if request.method == "POST"
            else {"preview_body": None, "preview_error": ""}
        ),
        "base_body": base_body,
        "changed": changed,
        "changed_message": _changed_message(changed),
        "typed_body": request.POST.get("body") if changed else None,
        "framework": framework_for(section),
    }
    return render(request, "fiches/suggestion_form.html", context, status=status)


def _preview(form, status: int = 200, *, section) -> dict:
    """What the preview shows: the proposed text once the form's checks on it pass (its length
    first: a refused text is never compared), else why there is no preview."""
    if status == 429:
        return {"preview_body": None, "preview_error": PREVIEW_LIMIT_MESSAGE}
    if form.is_bound and form.has_error("body"):
        return {"preview_body": None, "preview_error": form.errors["body"][0]}
    return {"preview_body": preview_text(form["body"].value(), section), "preview_error": ""}


def preview_text(body: str | None, section) -> str | None:
    """The typed text as it would be stored: line ends as stored ("\r\n" from the browser is "\n"),
    surrounding blank lines dropped, a structured section's lines in their canonical form, so that the
    preview marks only what really changes."""
    if body is None:
        return None
    text = body.replace("\r\n", "\n").replace("\r", "\n").strip()
    if section.kind == SectionKind.TEXT:
        return text
    try:
        return prepare_body(section.kind, text)[0]
    except StructuredError:
        return text


def _rebased_data(data, changed: services.SectionChanged):
    """The form again, written on the current revision: the rebased text when it merged, else as typed."""
    data = data.copy()
    data["base_revision"] = changed.current.pk
    if changed.merge.clean:
        data["body"] = changed.merge.text
    return data


@require_POST
def suggestion_preview(request, slug, pk):
    """The diff between the section's current text and the text being written (the form's `preview` fragment)."""
    if not wants_fragment(request):
        # Without JavaScript the form's own "Prévisualiser" button does this job.
        return redirect("fiches:suggestion_create", slug=slug, pk=pk)
    section = section_or_404(slug, pk)
    status = 200 if preview_allowed(request, "fiches.suggestion_preview") else 429
    # The form's own checks, the length first, before anything is compared.
    form = SuggestionForm(request.POST if status == 200 else None, section=section)
    context = {"base_body": section.current_body, "section": section, **_preview(form, status, section=section)}
    return render_page(request, "fiches/suggestion_form.html", context, fragment="preview", status=status)


def suggestion_detail(request, pk):
    # The proposal and its discussion are kept for most members (fiches.kept_pages): read what the
    # rest of the page shows, and the whole suggestion only when they are rendered.
    suggestion = get_object_or_404(Suggestion.objects.select_related("section__fiche"), pk=pk)
    user = request.user
    parts = kept_pages.suggestion_parts(request, suggestion, context=lambda: _suggestion_context(pk))
    context = {
        "fiche": suggestion.section.fiche,
        "section": suggestion.section,
        "suggestion": suggestion,
        "proposal": parts.proposal,
        "discussion": parts.discussion,
        "support_count": parts.support_count,
        "accept_blocked": parts.accept_blocked,
        "reject_form": RejectForm(),
        "supported": suggestion.supports.filter(user=user).exists(),
        "following": selectors.is_following(user=user, target=suggestion),
        "is_author": suggestion.author_id == user.pk,
    }
    return render(request, "fiches/suggestion_detail.html", context)


def _suggestion_context(pk) -> dict:
    """What the proposal and the discussion of a suggestion's page show."""
    suggestion = get_object_or_404(
        Suggestion.objects.with_details().select_related("base_revision", "decided_by__profile"), pk=pk
    )
    return {
        "fiche": suggestion.section.fiche,
        "section": suggestion.section,
        "suggestion": suggestion,
        "threads": Comment.objects.filter(suggestion=suggestion).threads(),
        "comment_form": CommentForm(),
        "accepted_revision": Revision.objects.filter(suggestion=suggestion).first(),
        # What accepting would give: its changes carried onto the current text, or where they collide.
        "rebase": selectors.suggestion_rebased(suggestion=suggestion),
    }


def suggestion_update(request, pk):
    """The author rewrites an open suggestion, on the section's current text.

    A suggestion written on an older text is offered rebased: its changes carried onto the current
    text (never the old full text, which would undo what others wrote since), or, where the section
    changed at the same places, the author's text with what changed shown beside it.
    """
    suggestion = get_object_or_404(
        Suggestion.objects.select_related("section__fiche", "section__current_revision", "base_revision"), pk=pk
    )
    if suggestion.author_id != request.user.pk:
        raise Http404
    section = suggestion.section
    changed = conflict = None
    status = 200
    if request.method == "POST":
        form = SuggestionUpdateForm(request.POST, section=section)
        if "preview" in request.POST and not preview_allowed(request, "fiches.suggestion_preview"):
            status = 429
        elif form.is_valid() and "preview" not in request.POST:
            try:
                services.suggestion_update(
                    suggestion_id=suggestion.pk,
                    author=request.user,
                    body=form.cleaned_data["body"],
                    rationale=form.cleaned_data["rationale"],
                    lock_version=form.cleaned_data["lock_version"],
                    # A form without it was filled with the stored text, written on the stored base.
                    base_revision_id=form.cleaned_data["base_revision"] or suggestion.base_revision_id,
                )
            except EditConflict as error:
                # Saved in another tab meanwhile: both versions shown, this one kept in the form.
                stored = error.current
                form = SuggestionUpdateForm(conflict_data(request.POST, stored.lock_version), section=section)
                initial = {"body": stored.body, "rationale": stored.rationale}
                conflict = conflict_for(error, form, SuggestionUpdateForm(initial=initial, section=section))
            except services.SectionChanged as error:
                changed = error
                form = SuggestionUpdateForm(_rebased_data(request.POST, error), section=section)
            except services.FicheError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Votre proposition est mise à jour sur le texte actuel."))
                return redirect(suggestion)
    else:
        body = suggestion.body
        merge = selectors.suggestion_rebased(suggestion=suggestion)
        if merge is not None:
            changed = services.SectionChanged(
                base=suggestion.base_revision, current=section.current_revision, merge=merge
            )
            if merge.clean:
                body = merge.text
        body = picker_body(request, section, default=body)
        form = SuggestionUpdateForm(
            initial={
                "body": body,
                "rationale": suggestion.rationale,
                "base_revision": section.current_revision_id,
                "lock_version": suggestion.lock_version,
            },
            section=section,
        )
    context = {
        "fiche": section.fiche,
        "section": section,
        "form": form,
        "suggestion": suggestion,
        **_preview(form, status, section=section),
        "base_body": changed.current.body if changed else section.current_body,
        "changed": changed,
        "changed_message": _stale_message(changed) if request.method == "GET" else _changed_message(changed),
        "typed_body": request.POST.get("body") if changed and request.method == "POST" else None,
        "conflict": conflict,
        "framework": framework_for(section),
    }
    return render(request, "fiches/suggestion_form.html", context, status=status)


def _changed_message(changed) -> str:
    return changed.messages[0] if changed else ""


def _stale_message(changed) -> str:
    if changed is None:
        return ""
    if changed.merge.clean:
        return _(
            "La section a changé depuis que vous avez rédigé cette proposition. Vos changements ont été reportés "
            "sur le texte actuel dans le champ ci-dessous, sans défaire ce qui a été écrit entre-temps : "
            "vérifiez-les, puis enregistrez."
        )
    return _(
        "La section a changé depuis que vous avez rédigé cette proposition, aux mêmes endroits que vous. Votre "
        "texte est dans le champ ci-dessous : comparez-le à ce qui a changé et reprenez les changements faits "
        "entre-temps, sinon votre proposition les déferait."
    )


def _suggestion_action(request, pk, action, success_message):
    suggestion = get_object_or_404(Suggestion, pk=pk)
    try:
        action(suggestion)
    except services.FicheError as error:
        show_errors(request, error)
    else:
        messages.success(request, success_message)
    return redirect(suggestion)


@require_POST
def suggestion_support(request, pk):
    return _suggestion_action(
        request,
        pk,
        lambda s: services.suggestion_support(suggestion_id=s.pk, user=request.user),
        _("Votre soutien est enregistré."),
    )


@require_POST
def suggestion_unsupport(request, pk):
    return _suggestion_action(
        request,
        pk,
        lambda s: services.suggestion_unsupport(suggestion_id=s.pk, user=request.user),
        _("Votre soutien est retiré."),
    )


@require_POST
def suggestion_withdraw(request, pk):
    return _suggestion_action(
        request,
        pk,
        lambda s: services.suggestion_withdraw(suggestion_id=s.pk, actor=request.user),
        _("Votre proposition est retirée."),
    )


@curator_required
@require_POST
def suggestion_accept(request, pk):
    return _suggestion_action(
        request,
        pk,
        lambda s: services.suggestion_accept(suggestion_id=s.pk, actor=request.user),
        _("La proposition est acceptée : elle devient le texte de la section."),
    )


@curator_required
@require_POST
def suggestion_reject(request, pk):
    form = RejectForm(request.POST)
    if not form.is_valid():
        if form.has_error("reason", "max_length"):
            messages.error(request, _("Motif du refus : %(error)s") % {"error": form.errors["reason"][0]})
        else:
            messages.error(request, _("Indiquez le motif du refus."))
        return redirect("fiches:suggestion", pk=pk)
    return _suggestion_action(
        request,
        pk,
        lambda s: services.suggestion_reject(
            suggestion_id=s.pk, actor=request.user, reason=form.cleaned_data["reason"]
        ),
        _("La proposition est refusée ; son auteur·rice en est informé·e."),
    )
