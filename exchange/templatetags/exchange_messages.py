"""The unread private messages count of the header's "Mon espace" menu (one cheap query per page, kept on the
request)."""

from django import template

from exchange.messaging import unread_conversation_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_conversations(context) -> int:
    """How many conversations of the logged-in, approved member hold unread messages (0 otherwise)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_approved:
        return 0
    if not hasattr(request, "_exchange_unread_conversations"):
        request._exchange_unread_conversations = unread_conversation_count(user)
    return request._exchange_unread_conversations
