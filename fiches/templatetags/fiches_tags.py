from django import template
from django.utils.translation import gettext as _

from core.header_counts import header_count
from fiches.models import Notification

register = template.Library()


@register.filter
def person(user) -> str:
    """A contributor's name as they chose to be credited (User.credit_name); never their email address."""
    if user is None:
        return _("Ancien·ne membre")
    return user.credit_name() or _("Membre du réseau")


@register.filter
def person_for_team(user) -> str:
    """A person's full name whatever their credit choice: for the CNCD team's moderation pages only."""
    if user is None:
        return _("Ancien·ne membre")
    return user.credit_name(moderation=True) or _("Membre du réseau")


@register.filter
def body_for(comment, user) -> str:
    """A comment's message as `user` may read it (empty when hidden from them): see Comment.body_for."""
    return comment.body_for(user)


@register.simple_tag(takes_context=True)
def unread_notification_count(context) -> int:
    """Unread fiche notifications of the logged-in, approved member (0 otherwise)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_approved:
        return 0
    # Kept per member until a notification of theirs is created, read or deleted (core.header_counts).
    return header_count(request, "notifications", _unread_notifications)


def _unread_notifications(user) -> int:
    return Notification.objects.filter(recipient=user).unread().count()
