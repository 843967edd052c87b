"""Following a fiche, a section or a suggestion, and the notifications it brings."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fiches import services
from fiches.forms import NotificationSettingForm
from fiches.models import Fiche, Notification, Section, Suggestion
from fiches.notifications import email_mode_of, email_mode_set, notification_mark_read, notifications_mark_all_read

# The `kind` of the URL, in French like the rest of it.
FOLLOW_KINDS = {"fiche": Fiche, "section": Section, "proposition": Suggestion}


@require_POST
def follow_toggle(request, kind, pk):
    """Start (`suivre=1`) or stop following a fiche, a section or a suggestion."""
    model = FOLLOW_KINDS.get(kind)
    if model is None:
        raise Http404
    target = get_object_or_404(model, pk=pk)
    following = request.POST.get("suivre") == "1"
    services.follow_set(user=request.user, target=target, following=following)
    messages.success(request, _("Vous suivez désormais ces échanges.") if following else _("Vous ne suivez plus."))
    return redirect(target)


def notification_list(request):
    """The member's notifications; reading this page marks nothing read (only the POST actions below do)."""
    form = NotificationSettingForm(request.POST or None, initial={"email_mode": email_mode_of(request.user)})
    if request.method == "POST" and form.is_valid():
        email_mode_set(user=request.user, email_mode=form.cleaned_data["email_mode"])
        messages.success(request, _("Vos préférences sont enregistrées."))
        return redirect("fiches:notifications")
    notifications = Notification.objects.for_user(request.user).select_related("actor__profile")
    context = {
        "page": Paginator(notifications, 30).get_page(request.GET.get("page")),
        "form": form,
        "has_unread": notifications.unread().exists(),
    }
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
