"""The discussion of a suggestion: comments, and their moderation by the CNCD team."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.permissions import curator_required
from fiches import selectors, services
from fiches.forms import CommentForm, ReasonForm
from fiches.models import Comment, Suggestion
from fiches.views.common import show_errors


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
            show_errors(request, error)
        else:
            messages.success(request, _("Votre message est publié."))
            return redirect(suggestion.get_absolute_url() + f"#commentaire-{comment.pk}")
    else:
        messages.error(request, _("Votre message est vide ou trop long."))
    return redirect(suggestion)


def comment_report(request, pk):
    # A hidden comment does not exist for members: its message is for the CNCD team only.
    comment = get_object_or_404(Comment.objects.visible_to(request.user).select_related("suggestion"), pk=pk)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.comment_report(comment_id=comment.pk, reporter=request.user, reason=form.cleaned_data["reason"])
        except services.FicheError as error:
            show_errors(request, error)
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
            show_errors(request, error)
        else:
            messages.success(request, _("Le message est masqué."))
        return redirect(comment.suggestion)
    return render(request, "fiches/comment_moderate.html", {"comment": comment, "form": form, "action": "hide"})


# The moderation actions of the CNCD team on a comment besides hiding it: each asks for a reason, kept in
# the audit log, and goes back to the moderation page.
TEAM_ACTIONS = {
    "dismiss": (
        services.comment_reports_dismiss,
        gettext_lazy("Les signalements sont classés sans suite ; le message reste visible."),
    ),
    "restore": (services.comment_restore, gettext_lazy("Le message est rétabli : les membres le lisent à nouveau.")),
}


def _team_action(request, pk, action):
    comment = get_object_or_404(Comment.objects.select_related("suggestion__section"), pk=pk)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        service, done = TEAM_ACTIONS[action]
        try:
            service(comment_id=comment.pk, actor=request.user, reason=form.cleaned_data["reason"])
        except services.FicheError as error:
            show_errors(request, error)
        else:
            messages.success(request, str(done))
            return redirect("fiches:moderation")
    return render(request, "fiches/comment_moderate.html", {"comment": comment, "form": form, "action": action})


@curator_required
def comment_dismiss(request, pk):
    return _team_action(request, pk, "dismiss")


@curator_required
def comment_restore(request, pk):
    return _team_action(request, pk, "restore")


@curator_required
def moderation(request):
    """Reported comments still visible, and the latest hidden ones, for the CNCD team."""
    context = {"comments": selectors.moderation_queue(), "hidden": selectors.hidden_comments()}
    return render(request, "fiches/moderation.html", context)
