"""Authorization matrix rows of the exchange app's messages area (read by tests/core/test_authorization_matrix.py).

A conversation belongs to its two members only: the sample one is between the member and a correspondent outside
the matrix's roles, so the other member, the CNCD team and the administrators get a 404 (as for one that does not
exist) and never its text. "My" pages (the list, the preferences) show only the member's own conversations and
blocks.
"""

from tests.core.authorization import (
    LOGIN,
    MISSING,
    OK,
    PENDING,
    Case,
    members,
    members_post_only,
    redirect_to,
    row,
)

# The correspondent's display name: only the member's list of conversations may show it.
CORRESPONDENT = "Corentine Correspondante-privée-7315"
# A member the member blocked: only the member's preferences may show them.
BLOCKED = "Bertrand Bloqué-privé-8264"
# The text of a message of the sample conversation: only its two members read it.
MESSAGE_SECRET = "message-prive-de-la-conversation-5521"

CONVERSATION = {"uuid": "{messages_conversation}"}
PARTICIPANTS_ONLY = (LOGIN, PENDING, OK, MISSING, MISSING, MISSING)

CASES: dict[str, Case | tuple[Case, ...]] = {
    "exchange:conversations": (
        members(owner_only_text=CORRESPONDENT),
        members(query="archives=1"),
    ),
    "exchange:messaging_preferences": members(owner_only_text=BLOCKED),
    # Writing to the correspondent: the member already has a conversation with them, so goes on in it; the others
    # see the form, or why they cannot write (their own messages are off).
    "exchange:conversation_start": row(
        LOGIN,
        PENDING,
        redirect_to("/entraide/messages/{messages_conversation}/"),
        OK,
        OK,
        OK,
        kwargs={"user_id": "{messages_correspondent}"},
    ),
    "exchange:conversation": row(*PARTICIPANTS_ONLY, kwargs=CONVERSATION, owner_only_text=MESSAGE_SECRET),
    "exchange:conversation_archive": members_post_only(kwargs=CONVERSATION),
    # The correspondent's message, which the member may report; nobody else may even see the form.
    "exchange:message_report": row(
        *PARTICIPANTS_ONLY, kwargs={"message_id": "{messages_received}"}, owner_only_text=MESSAGE_SECRET
    ),
    "exchange:messaging_block": members_post_only(kwargs={"user_id": "{messages_correspondent}"}),
    "exchange:messaging_unblock": members_post_only(kwargs={"user_id": "{messages_blocked}"}),
}


def samples(users) -> dict:
    """A conversation of the member with a correspondent (one message each way); a member the member blocked."""
    from exchange.models import Block
    from tests.exchange.factories import conversation_between
    from tests.members.factories import ProfileFactory, UserFactory

    member = users["member"]
    correspondent = UserFactory(first_name="Corentine", last_name="Correspondante")
    ProfileFactory(user=correspondent, display_name=CORRESPONDENT)
    blocked = UserFactory(first_name="Bertrand", last_name="Bloqué")
    ProfileFactory(user=blocked, display_name=BLOCKED)
    Block.objects.create(blocker=member, blocked=blocked)
    conversation = conversation_between(
        member,
        correspondent,
        messages=[(member, "Bonjour, une question sur l'autosaisine."), (correspondent, MESSAGE_SECRET)],
    )
    received = conversation.messages.get(sender=correspondent)
    return {
        "messages_conversation": str(conversation.uuid),
        "messages_correspondent": correspondent.pk,
        "messages_blocked": blocked.pk,
        "messages_received": received.pk,
    }
