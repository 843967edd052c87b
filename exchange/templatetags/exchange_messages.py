"""The unread private messages count of the header's "Mon espace" menu (kept per member until a message arrives or
their read state changes: core.header_counts)."""

from django import template

from core.header_counts import header_count
from exchange.messaging import unread_conversation_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_conversations(context) -> int:
    """How many conversations of the logged-in, approved member hold unread messages (0 otherwise)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_approved:
        return 0
    return header_count(request, "conversations", unread_conversation_count)
