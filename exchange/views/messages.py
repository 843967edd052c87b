"""Views of the messages area (private messages, blocks). Thin views: the rules are in exchange.messaging.

Every page is for approved members (the default middleware). A conversation is seen only by its two members:
404 for anyone else, the CNCD team included, as for one that does not exist.
"""

from django.contrib import messages as flash
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from exchange import messaging
from exchange.forms_messages import MessageForm, PreferenceForm, ReportForm
from members.models import User

CONVERSATIONS_PER_PAGE = 20
MESSAGES_PER_PAGE = 50


def _back(request, default: str) -> str:
    """The page to go back to after an action: `next` when it is an address of this site, else `default`."""
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, {request.get_host()}, require_https=request.is_secure()):
        return back
    return default


def _member_or_404(user_id: int) -> User:
    """An approved member (their profile loaded); 404 for any other account."""
    members = User.objects.approved().filter(erased_at__isnull=True).select_related("profile")
    return get_object_or_404(members, pk=user_id)


# --- The list of conversations ------------------------------------------------------------------------------


@require_safe
def conversations(request):
    """My conversations, newest first, with their unread messages; the archived ones on their own tab."""
    archived = request.GET.get("archives") == "1"
    memberships = messaging.memberships_of(request.user, archived=archived)
    page = Paginator(memberships, CONVERSATIONS_PER_PAGE).get_page(request.GET.get("page"))
    others = messaging.others_by_id(request.user, [membership.conversation for membership in page.object_list])
    rows = []
    for membership in page.object_list:
        other = others.get(messaging.other_id(membership.conversation, request.user))
        rows.append({"membership": membership, "other_name": messaging.participant_name(other)})
    context = {
        "page": page,
        "rows": rows,
        "archived": archived,
        "query": "archives=1" if archived else "",
        "accepts": messaging.accepts_messages(request.user),
    }
    return render(request, "exchange/messages/conversations.html", context)


# --- One conversation ---------------------------------------------------------------------------------------


def _membership_or_404(request, uuid):
    membership = messaging.membership_of(request.user, uuid)
    if membership is None:
        raise Http404
    return membership


def _conversation_page(request, membership, *, form=None, status=200):
    conversation = membership.conversation
    other = User.objects.filter(pk=messaging.other_id(conversation, request.user)).select_related("profile").first()
    thread = conversation.messages.order_by("created_at", "pk")
    paginator = Paginator(thread, MESSAGES_PER_PAGE)
    # The latest messages first shown; earlier pages hold the older ones.
    page = paginator.get_page(request.GET.get("page") or paginator.num_pages)
    names = {request.user.pk: messaging.participant_name(request.user)}
    if other is not None:
        names[other.pk] = messaging.participant_name(other)
    refusal = messaging.write_refusal(sender=request.user, recipient=other) if other is not None else None
    if other is None:
        refusal = str(messaging.NOT_RECEIVING)
    context = {
        "conversation": conversation,
        "membership": membership,
        "other": other,
        "other_name": names.get(other.pk) if other is not None else messaging.participant_name(None),
        "other_has_profile": other is not None and hasattr(other, "profile") and other.erased_at is None,
        "page": page,
        "thread": messaging.message_views(page.object_list, viewer=request.user, names=names),
        "refusal": refusal,
        "blocked": other is not None and messaging.has_blocked(blocker=request.user, blocked=other),
        "form": form or MessageForm(),
    }
    return render(request, "exchange/messages/conversation.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def conversation(request, uuid):
    """Read a conversation (which marks it read) and answer in it."""
    membership = _membership_or_404(request, uuid)
    if request.method == "POST":
        form = MessageForm(request.POST)
        if form.is_valid():
            try:
                message = messaging.message_reply(membership=membership, body=form.cleaned_data["body"])
            except messaging.MessagingError as error:
                form.add_error(None, str(error))
            else:
                flash.success(request, _("Votre message est envoyé."))
                return redirect(f"{membership.conversation.get_absolute_url()}#message-{message.pk}")
        return _conversation_page(request, membership, form=form, status=400)
    # Opening one's own conversation is reading it, as in any messaging service (docs/entraide.md).
    messaging.conversation_mark_read(membership=membership)
    return _conversation_page(request, membership)


@require_POST
def conversation_archive(request, uuid):
    membership = _membership_or_404(request, uuid)
    archived = request.POST.get("archiver") != "0"
    messaging.conversation_archive(membership=membership, archived=archived)
    if archived:
        flash.success(request, _("La conversation est archivée : un nouveau message la fera revenir dans votre liste."))
        return redirect("exchange:conversations")
    flash.success(request, _("La conversation est de retour dans votre liste."))
    return redirect(membership.conversation.get_absolute_url())


# --- Writing to a member ------------------------------------------------------------------------------------


def conversation_start(request, user_id):
    """Write a first message to a member; with a conversation already there, go on in it."""
    if user_id == request.user.pk:
        raise Http404
    recipient = _member_or_404(user_id)
    existing = messaging.conversation_between(request.user, recipient)
    if existing is not None and request.method != "POST":
        return redirect(existing.get_absolute_url())
    form = MessageForm(request.POST if request.method == "POST" else None)
    refusal = messaging.write_refusal(sender=request.user, recipient=recipient)
    if request.method == "POST" and form.is_valid():
        try:
            message = messaging.message_send(sender=request.user, recipient=recipient, body=form.cleaned_data["body"])
        except messaging.MessagingError as error:
            form.add_error(None, str(error))
        else:
            flash.success(request, _("Votre message est envoyé."))
            return redirect(f"{message.conversation.get_absolute_url()}#message-{message.pk}")
    context = {
        "recipient": recipient,
        "recipient_name": messaging.participant_name(recipient),
        "refusal": refusal,
        "form": form,
        "own_refusal": refusal is not None and not messaging.accepts_messages(request.user),
    }
    return render(request, "exchange/messages/start.html", context, status=400 if form.errors else 200)


# --- Preferences and blocks ---------------------------------------------------------------------------------


def preferences(request):
    """Turn private messages on or off; the members I blocked, to unblock."""
    accepts = messaging.accepts_messages(request.user)
    form = PreferenceForm(request.POST if request.method == "POST" else None, initial={"accepts_messages": accepts})
    if request.method == "POST" and form.is_valid():
        wanted = form.cleaned_data["accepts_messages"]
        messaging.preference_set(user=request.user, accepts=wanted)
        if wanted:
            flash.success(request, _("Les membres du réseau peuvent maintenant vous écrire."))
        else:
            flash.success(
                request,
                _("Plus personne ne peut vous écrire ; vos conversations restent lisibles dans vos messages."),
            )
        return redirect("exchange:messaging_preferences")
    blocked = [
        {"member": member, "name": messaging.participant_name(member)}
        for member in messaging.blocked_members(request.user)
    ]
    context = {"form": form, "accepts": accepts, "blocked": blocked}
    return render(request, "exchange/messages/preferences.html", context, status=400 if form.errors else 200)


@require_POST
def member_block(request, user_id):
    member = get_object_or_404(User, pk=user_id)
    try:
        messaging.block_create(blocker=request.user, blocked=member)
    except messaging.MessagingError as error:
        flash.error(request, str(error))
    else:
        flash.success(
            request,
            _(
                "Vous avez bloqué %(name)s : ce membre ne peut plus vous écrire et n'en est pas prévenu. Vous "
                "pouvez le débloquer dans vos préférences de messagerie."
            )
            % {"name": messaging.participant_name(member)},
        )
    return redirect(_back(request, reverse("exchange:messaging_preferences")))


@require_POST
def member_unblock(request, user_id):
    member = get_object_or_404(User, pk=user_id)
    if messaging.block_remove(blocker=request.user, blocked_id=member.pk):
        flash.success(request, _("%(name)s est débloqué·e.") % {"name": messaging.participant_name(member)})
    return redirect(_back(request, reverse("exchange:messaging_preferences")))


# --- Reporting a message ------------------------------------------------------------------------------------


def message_report(request, message_id):
    """Report a message I received to the CNCD team: the form, then the report."""
    message = messaging.reportable_message(request.user, message_id)
    if message is None:
        raise Http404
    form = ReportForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            messaging.message_report(message=message, reporter=request.user, reason=form.cleaned_data["reason"])
        except messaging.MessagingError as error:
            form.add_error(None, str(error))
        else:
            flash.success(request, _("Merci : le message est signalé à l'équipe CNCD, qui va l'examiner."))
            return redirect(f"{message.conversation.get_absolute_url()}#message-{message.pk}")
    context = {
        "message": message,
        "sender_name": messaging.participant_name(message.sender),
        "form": form,
    }
    return render(request, "exchange/messages/report.html", context, status=400 if form.errors else 200)
