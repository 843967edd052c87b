from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from codev_network.concurrency import EditConflict, conflict_data, conflict_for
from codev_network.limits import PREVIEW_LIMIT_MESSAGE, preview_allowed
from codev_network.permissions import curator_required, has_role, public
from fiches import pdf as fiche_pdf
from fiches import services
from fiches.forms import (
    CommentForm,
    NotificationSettingForm,
    PersonalFicheForm,
    PersonalSectionForm,
    PublishForm,
    ReasonForm,
    RejectForm,
    SectionEditForm,
    SuggestionForm,
    SuggestionUpdateForm,
)
from fiches.models import (
    COMMON_FICHE_SLUG,
    Comment,
    Fiche,
    FicheVersion,
    Follow,
    Notification,
    NotificationSetting,
    PersonalFiche,
    PersonalSection,
    Revision,
    Section,
    Suggestion,
    VersionEntry,
)
from fiches.notifications import email_mode_of, notification_mark_read, notifications_mark_all_read
from fiches.rendering import FrameworkLookup
from members.enums import Role
from members.models import Profile


def _is_member(user) -> bool:
    return has_role(user, Role.MEMBER)


def _fiche(slug: str) -> Fiche:
    return get_object_or_404(Fiche, slug=slug)


def _section(slug: str, pk: int) -> Section:
    return get_object_or_404(Section.objects.with_current().select_related("fiche"), fiche__slug=slug, pk=pk)


def _error_messages(request, error: services.FicheError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _framework_for(section):
    """The published référentiel's codes, for the editor of a structured section."""
    return FrameworkLookup.current() if section.is_structured else None


def _follows(user, **target) -> bool:
    return Follow.objects.filter(user=user, **target).exists()


# Reading the fiche ------------------------------------------------------------------------------


@public
def index(request):
    return redirect("fiches:detail", slug=COMMON_FICHE_SLUG)


@public
def fiche_detail(request, slug):
    """Members see the working draft; everyone else (or `?vue=publiee`) the latest published version."""
    fiche = _fiche(slug)
    latest = FicheVersion.objects.latest_of(fiche)
    if _is_member(request.user) and request.GET.get("vue") != "publiee":
        sections = Section.objects.of(fiche).with_current().with_open_suggestion_count()
        context = {
            "fiche": fiche,
            "sections": sections,
            "latest": latest,
            "following": _follows(request.user, fiche=fiche),
        }
        return render(request, "fiches/fiche_draft.html", context)
    if latest is None:
        return render(request, "fiches/fiche_unpublished.html", {"fiche": fiche}, status=404)
    return _render_version(request, latest, is_latest=True)


def _render_version(request, version, *, is_latest=False):
    entries = version.entries.select_related("revision").order_by("order", "pk")
    versions = FicheVersion.objects.of(version.fiche).only("label", "published_at", "fiche_id")
    context = {"fiche": version.fiche, "version": version, "entries": entries, "versions": versions}
    context["is_latest"] = is_latest or (versions and versions[0].pk == version.pk)
    return render(request, "fiches/version_detail.html", context)


@public
def version_list(request, slug):
    fiche = _fiche(slug)
    versions = FicheVersion.objects.of(fiche).select_related("published_by")
    return render(request, "fiches/version_list.html", {"fiche": fiche, "versions": versions})


@public
def version_detail(request, slug, label):
    version = get_object_or_404(FicheVersion.objects.select_related("fiche"), fiche__slug=slug, label=label)
    return _render_version(request, version)


@public
def version_compare(request, slug):
    """Any two published versions, section by section."""
    fiche = _fiche(slug)
    versions = list(FicheVersion.objects.of(fiche))
    by_label = {version.label: version for version in versions}
    old = by_label.get(request.GET.get("de", ""))
    new = by_label.get(request.GET.get("a", ""))
    if old is None and len(versions) > 1:
        old = versions[1]
    if new is None and versions:
        new = versions[0]
    rows = []
    if old and new:
        old_entries = {e.section_id: e for e in VersionEntry.objects.filter(version=old).select_related("revision")}
        new_entries = {e.section_id: e for e in VersionEntry.objects.filter(version=new).select_related("revision")}
        order = sorted(
            set(old_entries) | set(new_entries),
            key=lambda pk: ((new_entries.get(pk) or old_entries[pk]).order, pk),
        )
        for pk in order:
            before, after = old_entries.get(pk), new_entries.get(pk)
            rows.append(
                {
                    "title": (after or before).title,
                    "old": before.revision.body if before else "",
                    "new": after.revision.body if after else "",
                    "changed": (before.revision_id if before else None) != (after.revision_id if after else None),
                }
            )
    context = {"fiche": fiche, "versions": versions, "old": old, "new": new, "rows": rows}
    return render(request, "fiches/version_compare.html", context)


@curator_required
def version_publish(request, slug):
    fiche = _fiche(slug)
    form = PublishForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.version_publish(
                fiche_id=fiche.pk,
                label=form.cleaned_data["label"],
                summary=form.cleaned_data["summary"],
                actor=request.user,
            )
        except services.FicheError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("La version %(label)s est publiée.") % {"label": version.label})
            return redirect(version)
    sections = Section.objects.of(fiche).with_open_suggestion_count()
    context = {"fiche": fiche, "form": form, "latest": FicheVersion.objects.latest_of(fiche), "sections": sections}
    return render(request, "fiches/version_publish.html", context)


# Sections, history -------------------------------------------------------------------------------


def section_detail(request, slug, pk):
    section = _section(slug, pk)
    suggestions = list(Suggestion.objects.filter(section=section).with_details())
    context = {
        "fiche": section.fiche,
        "section": section,
        "open_suggestions": [s for s in suggestions if s.is_open],
        "closed_suggestions": [s for s in suggestions if not s.is_open],
        "following": _follows(request.user, section=section),
    }
    return render(request, "fiches/section_detail.html", context)


@curator_required
def section_edit(request, slug, pk):
    """Direct editing with conflict detection: the form carries the revision it was written on."""
    section = _section(slug, pk)
    conflict = None
    if request.method == "POST":
        form = SectionEditForm(request.POST, section=section)
        if form.is_valid():
            try:
                services.section_edit(
                    section_id=section.pk,
                    base_revision_id=form.cleaned_data["base_revision"],
                    body=form.cleaned_data["body"],
                    summary=form.cleaned_data["summary"],
                    actor=request.user,
                )
            except services.EditConflict as error:
                conflict = error.current
                # The next save applies on top of the revision now shown; the editor's text stays as typed.
                data = request.POST.copy()
                data["base_revision"] = conflict.pk if conflict else ""
                form = SectionEditForm(data, section=section)
            except services.FicheError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("La section « %(title)s » est enregistrée.") % {"title": section.title})
                return redirect(section)
    else:
        form = SectionEditForm(
            initial={"body": section.current_body, "base_revision": section.current_revision_id}, section=section
        )
    context = {
        "fiche": section.fiche,
        "section": section,
        "form": form,
        "conflict": conflict,
        "framework": _framework_for(section),
    }
    return render(request, "fiches/section_edit.html", context)


def section_history(request, slug, pk):
    section = _section(slug, pk)
    revisions = list(section.revisions.select_related("author", "committed_by").order_by("-number"))
    context = {"fiche": section.fiche, "section": section, "revisions": revisions}
    return render(request, "fiches/section_history.html", context)


def revision_compare(request, slug, pk):
    """A word-level diff between any two revisions of a section, inline or side by side."""
    section = _section(slug, pk)
    revisions = {r.number: r for r in section.revisions.select_related("author", "committed_by")}
    if not revisions:
        raise Http404
    current = section.current_revision.number if section.current_revision else max(revisions)

    def pick(name, default):
        try:
            return revisions[int(request.GET.get(name, default))]
        except (KeyError, ValueError):
            return revisions.get(default) or revisions[current]

    new = pick("a", current)
    old = pick("de", new.parent.number if new.parent_id and new.parent else new.number)
    mode = "cote" if request.GET.get("mode") == "cote" else "ligne"
    context = {
        "fiche": section.fiche,
        "section": section,
        "old": old,
        "new": new,
        "mode": mode,
        "numbers": sorted(revisions, reverse=True),
    }
    return render(request, "fiches/revision_compare.html", context)


@curator_required
@require_POST
def revision_restore(request, pk):
    revision = get_object_or_404(Revision.objects.select_related("section__fiche"), pk=pk)
    try:
        services.revision_restore(revision_id=revision.pk, actor=request.user)
    except services.FicheError as error:
        _error_messages(request, error)
    else:
        messages.success(
            request, _("La révision %(number)s est restaurée comme nouvelle révision.") % {"number": revision.number}
        )
    return redirect("fiches:section_history", slug=revision.section.fiche.slug, pk=revision.section_id)


def fiche_history(request, slug):
    """Every revision of the fiche, newest first, with the list of contributors."""
    fiche = _fiche(slug)
    revisions = Revision.objects.of_fiche(fiche).with_people()
    page = Paginator(revisions, 50).get_page(request.GET.get("page"))
    contributors = (
        Revision.objects.filter(section__fiche=fiche, author__isnull=False)
        .values("author", "author__first_name", "author__last_name", "author__email", "author__erased_at")
        .annotate(count=Count("pk"))
        .order_by("-count", "author__last_name")
    )
    context = {"fiche": fiche, "page": page, "contributors": contributors}
    return render(request, "fiches/fiche_history.html", context)


def activity_feed(request, slug):
    """Recent contributions: revisions, suggestions and comments, newest first."""
    fiche = _fiche(slug)
    items = []
    for revision in Revision.objects.of_fiche(fiche).with_people()[:30]:
        items.append({"when": revision.created_at, "kind": "revision", "object": revision})
    for suggestion in Suggestion.objects.filter(section__fiche=fiche).select_related("author", "section")[:30]:
        items.append({"when": suggestion.created_at, "kind": "suggestion", "object": suggestion})
    comments = (
        # The feed lists live comments only (it shows no message, moderators included).
        Comment.objects.not_hidden()
        .filter(suggestion__section__fiche=fiche)
        .select_related("author", "suggestion__section")
        .order_by("-created_at")[:30]
    )
    for comment in comments:
        items.append({"when": comment.created_at, "kind": "comment", "object": comment})
    items.sort(key=lambda item: item["when"], reverse=True)
    return render(request, "fiches/activity_feed.html", {"fiche": fiche, "items": items[:40]})


# Suggestions -----------------------------------------------------------------------------------


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
            initial={"body": section.current_body, "base_revision": section.current_revision_id}, section=section
        )
    base_body = changed.current.body if changed else section.current_body
    context = {
        "fiche": section.fiche,
        "section": section,
        "form": form,
        **(_preview(form, status) if request.method == "POST" else {"preview_body": None, "preview_error": ""}),
        "base_body": base_body,
        "changed": changed,
        "changed_message": _changed_message(changed),
        "typed_body": request.POST.get("body") if changed else None,
        "framework": _framework_for(section),
    }
    return render(request, "fiches/suggestion_form.html", context, status=status)


def _preview(form, status: int = 200) -> dict:
    """What the preview shows: the proposed text once the form's checks on it pass (its length
    first: a refused text is never compared), else why there is no preview."""
    if status == 429:
        return {"preview_body": None, "preview_error": PREVIEW_LIMIT_MESSAGE}
    if form.is_bound and form.has_error("body"):
        return {"preview_body": None, "preview_error": form.errors["body"][0]}
    return {"preview_body": form["body"].value(), "preview_error": ""}


def _rebased_data(data, changed: services.SectionChanged):
    """The form again, written on the current revision: the rebased text when it merged, else as typed."""
    data = data.copy()
    data["base_revision"] = changed.current.pk
    if changed.merge.clean:
        data["body"] = changed.merge.text
    return data


@require_POST
def suggestion_preview(request, slug, pk):
    """The diff between the section's current text and the text being written (htmx partial)."""
    if not request.htmx:
        # Without JavaScript the form's own "Prévisualiser" button does this job.
        return redirect("fiches:suggestion_create", slug=slug, pk=pk)
    section = _section(slug, pk)
    status = 200 if preview_allowed(request, "fiches.suggestion_preview") else 429
    # The form's own checks, the length first, before anything is compared.
    form = SuggestionForm(request.POST if status == 200 else None, section=section)
    context = {"base_body": section.current_body, "section": section, **_preview(form, status)}
    return render(request, "fiches/suggestion_form.html#preview", context, status=status)


def suggestion_detail(request, pk):
    suggestion = get_object_or_404(
        Suggestion.objects.with_details().select_related("base_revision", "decided_by"), pk=pk
    )
    threads = Comment.objects.filter(suggestion=suggestion).threads()
    user = request.user
    rebase = None
    if suggestion.is_outdated:
        # What accepting would give: its changes carried onto the current text, or where they collide.
        rebase = services.suggestion_rebase(
            base=suggestion.base_revision, body=suggestion.body, current=suggestion.section.current_revision
        )
    context = {
        "fiche": suggestion.section.fiche,
        "section": suggestion.section,
        "suggestion": suggestion,
        "threads": threads,
        "comment_form": CommentForm(),
        "reject_form": RejectForm(),
        "supported": suggestion.supports.filter(user=user).exists(),
        "following": _follows(user, suggestion=suggestion),
        "is_author": suggestion.author_id == user.pk,
        "accepted_revision": Revision.objects.filter(suggestion=suggestion).first(),
        "rebase": rebase,
    }
    return render(request, "fiches/suggestion_detail.html", context)


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
        if suggestion.is_outdated:
            merge = services.suggestion_rebase(
                base=suggestion.base_revision, body=suggestion.body, current=section.current_revision
            )
            changed = services.SectionChanged(
                base=suggestion.base_revision, current=section.current_revision, merge=merge
            )
            if merge.clean:
                body = merge.text
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
        **_preview(form, status),
        "base_body": changed.current.body if changed else section.current_body,
        "changed": changed,
        "changed_message": _stale_message(changed) if request.method == "GET" else _changed_message(changed),
        "typed_body": request.POST.get("body") if changed and request.method == "POST" else None,
        "conflict": conflict,
        "framework": _framework_for(section),
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
        _error_messages(request, error)
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


@require_POST
def comment_create(request, pk):
    suggestion = get_object_or_404(Suggestion, pk=pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            comment = services.comment_create(
                suggestion_id=suggestion.pk,
                author=request.user,
                body=form.cleaned_data["body"],
                parent_id=form.cleaned_data["parent"],
            )
        except services.FicheError as error:
            _error_messages(request, error)
        else:
            messages.success(request, _("Votre message est publié."))
            return redirect(suggestion.get_absolute_url() + f"#commentaire-{comment.pk}")
    else:
        messages.error(request, _("Votre message est vide ou trop long."))
    return redirect(suggestion)


# Moderation ------------------------------------------------------------------------------------


def comment_report(request, pk):
    # A hidden comment does not exist for members: its message is for the CNCD team only.
    comment = get_object_or_404(Comment.objects.visible_to(request.user).select_related("suggestion"), pk=pk)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.comment_report(comment_id=comment.pk, reporter=request.user, reason=form.cleaned_data["reason"])
        except services.FicheError as error:
            _error_messages(request, error)
        else:
            messages.success(request, _("Merci : l'équipe CNCD va examiner ce message."))
        return redirect(comment.suggestion)
    return render(request, "fiches/comment_moderate.html", {"comment": comment, "form": form, "action": "report"})


@curator_required
def comment_hide(request, pk):
    comment = get_object_or_404(Comment.objects.select_related("suggestion"), pk=pk)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.comment_hide(comment_id=comment.pk, actor=request.user, reason=form.cleaned_data["reason"])
        except services.FicheError as error:
            _error_messages(request, error)
        else:
            messages.success(request, _("Le message est masqué."))
        return redirect(comment.suggestion)
    return render(request, "fiches/comment_moderate.html", {"comment": comment, "form": form, "action": "hide"})


@curator_required
def moderation(request):
    """Reported comments still visible, for the CNCD team."""
    comments = (
        Comment.objects.not_hidden()
        .filter(reports__isnull=False)
        .select_related("author", "suggestion__section")
        .annotate(report_count=Count("reports"))
        .prefetch_related("reports__reporter")
        .order_by("-report_count", "-created_at")
    )
    return render(request, "fiches/moderation.html", {"comments": comments})


# Participation ---------------------------------------------------------------------------------


@require_POST
def follow_toggle(request, kind, pk):
    model = {"fiche": Fiche, "section": Section, "proposition": Suggestion}.get(kind)
    if model is None:
        raise Http404
    target = get_object_or_404(model, pk=pk)
    following = request.POST.get("suivre") == "1"
    services.follow_set(user=request.user, target=target, following=following)
    messages.success(request, _("Vous suivez désormais ces échanges.") if following else _("Vous ne suivez plus."))
    return redirect(target)


def notification_list(request):
    """The member's notifications; reading this page marks nothing read (only the POST actions below do)."""
    notifications = Notification.objects.for_user(request.user)
    page = Paginator(notifications, 30).get_page(request.GET.get("page"))
    form = NotificationSettingForm(request.POST or None, initial={"email_mode": email_mode_of(request.user)})
    if request.method == "POST" and form.is_valid():
        NotificationSetting.objects.update_or_create(
            user=request.user, defaults={"email_mode": form.cleaned_data["email_mode"]}
        )
        messages.success(request, _("Vos préférences sont enregistrées."))
        return redirect("fiches:notifications")
    context = {"page": page, "form": form, "has_unread": Notification.objects.for_user(request.user).unread().exists()}
    return render(request, "fiches/notification_list.html", context)


@require_POST
def notification_open(request, pk):
    """Mark one of the member's notifications read, then go where it points."""
    notification = notification_mark_read(user=request.user, notification_id=pk)
    if notification is None:
        raise Http404
    url = notification.url
    if not url_has_allowed_host_and_scheme(url, allowed_hosts=None):
        # Notifications point inside the site; anything else is not followed.
        url = reverse("fiches:notifications")
    return redirect(url)


@require_POST
def notifications_read_all(request):
    count = notifications_mark_all_read(user=request.user)
    if count:
        messages.success(request, _("Toutes vos notifications sont marquées comme lues."))
    return redirect("fiches:notifications")


# Ma fiche de poste ------------------------------------------------------------------------------


def _my_fiche(user):
    return (
        PersonalFiche.objects.select_related("source", "copied_from")
        .filter(owner=user, source__slug=COMMON_FICHE_SLUG)
        .first()
    )


def _profile_initial(user, fiche) -> dict:
    profile = Profile.objects.filter(user=user).select_related("council").first()
    if profile is None:
        return {"job_title": fiche.title}
    return {
        "job_title": profile.job_title or fiche.title,
        "employer": profile.employer or (profile.council.authority_name if profile.council else ""),
        "time_share": profile.time_share,
    }


def my_fiche(request):
    """The member's private copy of the common fiche, with the common changes they can take in."""
    fiche = _fiche(COMMON_FICHE_SLUG)
    personal = _my_fiche(request.user)
    if personal is None:
        form = PersonalFicheForm(request.POST or None, initial=_profile_initial(request.user, fiche))
        if request.method == "POST" and form.is_valid():
            try:
                services.personal_fiche_create(owner=request.user, fiche=fiche, **form.cleaned_data)
            except services.FicheError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Votre fiche de poste est créée : adaptez-la à votre poste."))
                return redirect("fiches:my_fiche")
        context = {"fiche": fiche, "form": form, "latest": FicheVersion.objects.latest_of(fiche)}
        return render(request, "fiches/my_fiche_create.html", context)
    latest = FicheVersion.objects.latest_of(fiche)
    latest_revisions = {
        entry.section_id: entry.revision
        for entry in VersionEntry.objects.filter(version=latest).select_related("revision")
    }
    sections = list(personal.sections.select_related("section", "base_revision").order_by("order", "pk"))
    for personal_section in sections:
        newer = latest_revisions.get(personal_section.section_id)
        personal_section.newer = newer if newer and newer.pk != personal_section.base_revision_id else None
    context = {"fiche": fiche, "personal": personal, "sections": sections, "latest": latest}
    return render(request, "fiches/my_fiche.html", context)


def my_fiche_edit(request):
    personal = _my_fiche(request.user)
    if personal is None:
        return redirect("fiches:my_fiche")
    form = PersonalFicheForm(request.POST or None, instance=personal)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.personal_fiche_update(
                personal_fiche=form.save(commit=False),
                owner=request.user,
                lock_version=form.cleaned_data["lock_version"],
            )
        except EditConflict as error:
            # Saved in another tab meanwhile: both versions shown, this one kept in the form.
            personal = error.current
            form = PersonalFicheForm(conflict_data(request.POST, personal.lock_version), instance=personal)
            conflict = conflict_for(error, form, PersonalFicheForm(instance=personal))
        except services.FicheError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Les informations de votre poste sont enregistrées."))
            return redirect("fiches:my_fiche")
    context = {"personal": personal, "form": form, "conflict": conflict}
    return render(request, "fiches/my_fiche_edit.html", context)


def my_section_edit(request, pk):
    personal_section = get_object_or_404(
        PersonalSection.objects.select_related("section__fiche", "base_revision", "personal_fiche"),
        pk=pk,
        personal_fiche__owner=request.user,
    )
    newer = None
    if request.GET.get("integrer") or request.POST.get("integrate_revision"):
        latest = FicheVersion.objects.latest_of(personal_section.section.fiche)
        entry = VersionEntry.objects.filter(version=latest, section=personal_section.section_id).first()
        if entry and entry.revision_id != personal_section.base_revision_id:
            newer = entry.revision
    conflict = None
    if request.method == "POST":
        form = PersonalSectionForm(request.POST, section=personal_section.section)
        if form.is_valid():
            try:
                services.personal_section_edit(
                    personal_section_id=personal_section.pk,
                    owner=request.user,
                    body=form.cleaned_data["body"],
                    integrate_revision_id=newer.pk if newer else None,
                    lock_version=form.cleaned_data["lock_version"],
                )
            except EditConflict as error:
                # Saved in another tab meanwhile: both versions shown, this one kept in the form.
                stored = error.current
                data = conflict_data(request.POST, stored.lock_version)
                form = PersonalSectionForm(data, section=personal_section.section)
                initial = {"body": stored.body}
                conflict = conflict_for(error, form, PersonalSectionForm(initial=initial, section=stored.section))
            except services.FicheError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request, _("La section « %(title)s » est enregistrée.") % {"title": personal_section.title}
                )
                return redirect("fiches:my_fiche")
    else:
        form = PersonalSectionForm(
            initial={
                "body": personal_section.body,
                "integrate_revision": newer.pk if newer else None,
                "lock_version": personal_section.lock_version,
            },
            section=personal_section.section,
        )
    context = {
        "personal_section": personal_section,
        "section": personal_section.section,
        "form": form,
        "conflict": conflict,
        "newer": newer,
        "framework": _framework_for(personal_section.section),
    }
    return render(request, "fiches/my_section_edit.html", context)


@require_POST
def my_section_integrate(request, pk):
    try:
        services.personal_section_integrate(personal_section_id=pk, owner=request.user)
    except services.FicheError as error:
        _error_messages(request, error)
    else:
        messages.success(request, _("Les changements de la fiche commune sont intégrés à votre section."))
    return redirect("fiches:my_fiche")


# PDF ------------------------------------------------------------------------------------------------


@public
def version_pdf(request, slug, label):
    """A published version as a PDF, for everyone."""
    version = get_object_or_404(FicheVersion.objects.select_related("fiche"), fiche__slug=slug, label=label)
    return fiche_pdf.version_pdf_response(request, version)


def draft_pdf(request, slug):
    """The working draft as a PDF marked "projet", for members."""
    return fiche_pdf.draft_pdf_response(request, _fiche(slug))


def my_fiche_pdf(request):
    """The member's own fiche as a PDF; nobody else's can be asked for."""
    personal = _my_fiche(request.user)
    if personal is None:
        raise Http404
    return fiche_pdf.personal_pdf_response(request, personal)
