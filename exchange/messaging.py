"""Private messages between members: rules (services) and reads (selectors) of the "messages" area.

Who may write to whom (`write_refusal`), never anyone else:

- both members are approved accounts, not erased, and distinct;
- both accept private messages (`MessagingPreference`, off until the member turns it on): a member who turned
  messages off cannot be written to, and cannot write either (an answer they could not receive would be a trap);
  their past conversations stay readable;
- neither blocked the other (`Block`). The blocked member is never told: they read "Ce membre ne reçoit pas de
  messages", exactly as for a member who does not accept messages. The blocker is reminded of their own block.

One conversation per pair of members (`Conversation.pair`, "smaller id-larger id"); only its two members may read
it (the CNCD team too sees only the messages reported to it, in its moderation queue). Opening a conversation
marks it read for the reader (as in any messaging service); sending a message marks it read for its sender.

A new message notifies its recipient (fiches.notifications.notify) without its text nor its sender's name (e-mails
must not carry private content), once per series of unread messages: while the recipient has not read the
conversation, the next messages do not notify again.
"""

from dataclasses import dataclass
from datetime import UTC, datetime

from django.db import IntegrityError, transaction
from django.db.models import Count, DateTimeField, Exists, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core import generations
from core.header_counts import header_counts_changed
from exchange import ratelimits
from exchange.models import (
    MESSAGE_LENGTH,
    REASON_LENGTH,
    Block,
    Conversation,
    ConversationMember,
    Message,
    MessagingPreference,
    Report,
)
from exchange.moderation import ModerationError, report_create
from fiches.notifications import notify
from members.models import User


class MessagingError(Exception):
    """A messaging action refused, with a French message for the member."""


# --- Who may write to whom ---------------------------------------------------------------------------------

# What a member reads about one who does not accept messages, or who blocked them (never told apart).
NOT_RECEIVING = gettext_lazy("Ce membre ne reçoit pas de messages.")


def accepts_messages(user) -> bool:
    """True when `user` turned private messages on."""
    return MessagingPreference.objects.filter(user=user, accepts_messages=True).exists()


def _reachable(user) -> bool:
    return user is not None and user.is_approved and user.erased_at is None


def write_refusal(*, sender, recipient) -> str | None:
    """Why `sender` may not write to `recipient` (French), or None when they may. Never says "X blocked you"."""
    if not _reachable(sender):
        return _("Seuls les membres validés du réseau peuvent écrire des messages privés.")
    if recipient is None or recipient.pk == sender.pk:
        return _("Vous ne pouvez pas vous écrire à vous-même.")
    return _pair_refusal(sender, recipient, *_pair_facts(sender, recipient))


def _pair_facts(sender, recipient) -> tuple[dict[int, bool], set[int]]:
    """Of two members: who accepts messages ({id: accepts}), and who blocked the other (their ids)."""
    preferences = dict(
        MessagingPreference.objects.filter(user__in=[sender.pk, recipient.pk]).values_list(
            "user_id", "accepts_messages"
        )
    )
    blocks = set(
        Block.objects.filter(Q(blocker=sender, blocked=recipient) | Q(blocker=recipient, blocked=sender)).values_list(
            "blocker_id", flat=True
        )
    )
    return preferences, blocks


def _pair_refusal(sender, recipient, preferences: dict[int, bool], blocks: set[int]) -> str | None:
    """write_refusal's answer for two reachable, different members, from their `_pair_facts`."""
    if not preferences.get(sender.pk):
        return _(
            "Vos messages privés sont désactivés : activez-les dans vos préférences pour écrire à un membre "
            "(il doit pouvoir vous répondre)."
        )
    if sender.pk in blocks:
        return _("Vous avez bloqué ce membre : débloquez-le dans vos préférences de messagerie pour lui écrire.")
    if not _reachable(recipient) or not preferences.get(recipient.pk) or recipient.pk in blocks:
        return str(NOT_RECEIVING)
    return None


# --- Preferences and blocks -------------------------------------------------------------------------------


@transaction.atomic
def preference_set(*, user, accepts: bool) -> MessagingPreference:
    """Turn `user`'s private messages on or off (past conversations stay readable either way)."""
    preference, _created = MessagingPreference.objects.update_or_create(
        user=user, defaults={"accepts_messages": bool(accepts)}
    )
    return preference


@transaction.atomic
def block_create(*, blocker, blocked) -> Block:
    """`blocker` no longer receives messages from `blocked`, nor writes to them; `blocked` is not told."""
    if blocked is None or blocked.pk == blocker.pk:
        raise MessagingError(_("Vous ne pouvez pas vous bloquer vous-même."))
    block, _created = Block.objects.get_or_create(blocker=blocker, blocked=blocked)
    return block


@transaction.atomic
def block_remove(*, blocker, blocked_id: int) -> bool:
    """Lift `blocker`'s block on the member `blocked_id`; False when there was none."""
    deleted, _by_model = Block.objects.filter(blocker=blocker, blocked_id=blocked_id).delete()
    return bool(deleted)


def has_blocked(*, blocker, blocked) -> bool:
    return Block.objects.filter(blocker=blocker, blocked=blocked).exists()


def blocked_members(user) -> list[User]:
    """The members `user` blocked, by name (their profiles loaded)."""
    blocked = User.objects.filter(pk__in=Block.objects.filter(blocker=user).values("blocked_id"))
    return sorted(blocked.select_related("profile"), key=lambda member: participant_name(member).lower())


# --- Conversations ----------------------------------------------------------------------------------------


def pair_of(first_id: int, second_id: int) -> str:
    low, high = sorted([first_id, second_id])
    return f"{low}-{high}"


def other_id(conversation: Conversation, user) -> int:
    """The id of the other member of `conversation`, read from its pair (it outlives an erased account)."""
    low, high = (int(part) for part in conversation.pair.split("-"))
    return high if low == user.pk else low


def participant_name(user) -> str:
    """How a conversation names a member: their display name (seen by every member), never their address."""
    if user is None or user.erased_at is not None:
        return str(_("Ancien·ne membre"))
    return user.display_name or str(_("Membre du réseau"))


# Before any message: a conversation never read counts every message of the other member.
_NEVER = datetime(1970, 1, 1, tzinfo=UTC)


def memberships_of(user, *, archived: bool = False):
    """`user`'s conversations (their ConversationMember rows) newest first, with `unread` (messages of the other
    member not read yet) — one query."""
    unread = (
        Message.objects.filter(conversation=OuterRef("conversation_id"))
        .exclude(sender_id=user.pk)
        .filter(created_at__gt=Coalesce(OuterRef("last_read_at"), Value(_NEVER, output_field=DateTimeField())))
        .order_by()
        .values("conversation")
        .annotate(n=Count("pk"))
        .values("n")
    )
    memberships = (
        ConversationMember.objects.filter(user=user, conversation__last_message_at__isnull=False)
        .select_related("conversation")
        .annotate(unread=Coalesce(Subquery(unread), 0))
        .order_by("-conversation__last_message_at", "-conversation_id")
    )
    if archived:
        return memberships.filter(archived_at__isnull=False)
    return memberships.filter(archived_at__isnull=True)


def unread_memberships(user):
    """`user`'s conversations in their list (not archived) holding a message they have not read (their own messages
    mark it read)."""
    memberships = ConversationMember.objects.filter(
        user=user, conversation__last_message_at__isnull=False, archived_at__isnull=True
    )
    return memberships.filter(Q(last_read_at__isnull=True) | Q(conversation__last_message_at__gt=F("last_read_at")))


def unread_conversation_count(user) -> int:
    """How many of `user`'s conversations hold an unread message (one cheap query)."""
    if user is None or not user.is_authenticated or not user.is_approved:
        return 0
    return unread_memberships(user).count()


def others_by_id(user, conversations) -> dict[int, User]:
    """The other member of each conversation, by id (one query, profiles loaded)."""
    ids = {other_id(conversation, user) for conversation in conversations}
    return {member.pk: member for member in User.objects.filter(pk__in=ids).select_related("profile")}


def membership_of(user, uuid) -> ConversationMember | None:
    """`user`'s membership of the conversation `uuid`, or None when they are not one of its two members."""
    if user is None or not user.is_authenticated:
        return None
    return ConversationMember.objects.select_related("conversation").filter(user=user, conversation__uuid=uuid).first()


def conversation_between(first, second) -> Conversation | None:
    return Conversation.objects.filter(pair=pair_of(first.pk, second.pk)).first()


@dataclass(frozen=True)
class MessageView:
    """One message as a member of the conversation may read it."""

    pk: int
    mine: bool
    sender_name: str
    created_at: datetime
    text: str  # "" when hidden from the reader, or erased with its author's account
    hidden: bool
    hidden_reason: str  # only for its sender
    erased: bool
    reportable: bool


def message_views(messages, *, viewer, names: dict[int, str]) -> list[MessageView]:
    """What `viewer` reads of each message: a hidden one is a placeholder for the other member, and keeps its text
    with the team's reason for its sender."""
    views = []
    for message in messages:
        mine = message.sender_id == viewer.pk
        hidden = message.hidden_at is not None
        erased = not message.body
        views.append(
            MessageView(
                pk=message.pk,
                mine=mine,
                sender_name=names.get(message.sender_id, str(_("Ancien·ne membre"))),
                created_at=message.created_at,
                text="" if (hidden and not mine) or erased else message.body,
                hidden=hidden,
                hidden_reason=message.hidden_reason if (hidden and mine) else "",
                erased=erased,
                reportable=not mine and not hidden and not erased,
            )
        )
    return views


def _clean_body(body: str) -> str:
    body = (body or "").replace("\r\n", "\n").strip()
    if not body:
        raise MessagingError(_("Écrivez votre message."))
    if len(body) > MESSAGE_LENGTH:
        raise MessagingError(_("Le message ne peut dépasser %(n)s caractères.") % {"n": MESSAGE_LENGTH})
    return body


def _conversation_for_pair(first, second) -> Conversation:
    """The pair's conversation, created with its two members when it does not exist yet (safe under races)."""
    pair = pair_of(first.pk, second.pk)
    conversation = Conversation.objects.select_for_update().filter(pair=pair).first()
    if conversation is None:
        try:
            with transaction.atomic():
                conversation = Conversation.objects.create(pair=pair)
        except IntegrityError:
            conversation = Conversation.objects.select_for_update().get(pair=pair)
    for member in (first, second):
        ConversationMember.objects.get_or_create(conversation=conversation, user=member)
    return conversation


def message_send(*, sender, recipient, body: str) -> Message:
    """`sender` writes `body` to `recipient`: in their conversation, started when needed. Refused (MessagingError)
    when they may not write to each other, or by the rate limit of new accounts. Notifies the recipient."""
    body = _clean_body(body)
    refusal = write_refusal(sender=sender, recipient=recipient)
    if refusal:
        raise MessagingError(refusal)
    # New accounts may start only so many conversations a day, and send only so many messages.
    starting = not Conversation.objects.filter(pair=pair_of(sender.pk, recipient.pk)).exists()
    for action in [ratelimits.CONVERSATION] * starting + [ratelimits.MESSAGE]:
        refusal = ratelimits.posting_refusal(sender, action)
        if refusal:
            raise MessagingError(refusal)
    with transaction.atomic():
        conversation = _conversation_for_pair(sender, recipient)
        reader = ConversationMember.objects.select_for_update().get(conversation=conversation, user=recipient)
        # Already waiting for the recipient: they were told of the first unread message, not of each one.
        had_unread = conversation.last_message_at is not None and (
            reader.last_read_at is None or conversation.last_message_at > reader.last_read_at
        )
        message = Message.objects.create(conversation=conversation, sender=sender, body=body)
        conversation.last_message_at = message.created_at
        conversation.save(update_fields=["last_message_at"])
        # A new message brings the conversation back into both lists; writing is reading what came before.
        ConversationMember.objects.filter(conversation=conversation, user=sender).update(
            archived_at=None, last_read_at=message.created_at
        )
        ConversationMember.objects.filter(conversation=conversation, user=recipient).update(archived_at=None)
        header_counts_changed(sender.pk, recipient.pk)  # the updates above send no signal
        if not had_unread:
            notify(
                user_ids={recipient.pk},
                actor=None,  # not even the sender's name in an e-mail
                message=_("Nouveau message privé de la part d'un membre"),
                url=conversation.get_absolute_url(),
            )
    return message


def message_reply(*, membership: ConversationMember, body: str) -> Message:
    """The member of `membership` answers in their conversation (same rules as `message_send`)."""
    recipient = User.objects.filter(pk=other_id(membership.conversation, membership.user)).first()
    if recipient is None:
        raise MessagingError(str(NOT_RECEIVING))
    return message_send(sender=membership.user, recipient=recipient, body=body)


def conversation_mark_read(*, membership: ConversationMember) -> None:
    """Everything in the conversation is read by the member of `membership` (done when they open it)."""
    last = membership.conversation.last_message_at
    if last is not None and (membership.last_read_at is None or membership.last_read_at < last):
        now = timezone.now()
        ConversationMember.objects.filter(pk=membership.pk).update(last_read_at=now)
        membership.last_read_at = now
        header_counts_changed(membership.user_id)


@transaction.atomic
def conversation_archive(*, membership: ConversationMember, archived: bool) -> None:
    """Take the conversation out of the member's list (or put it back); a new message puts it back anyway."""
    membership.archived_at = timezone.now() if archived else None
    ConversationMember.objects.filter(pk=membership.pk).update(archived_at=membership.archived_at)
    header_counts_changed(membership.user_id)


# --- Reports ----------------------------------------------------------------------------------------------


def reportable_message(user, message_id: int) -> Message | None:
    """A message `user` may report: one the other member of their conversation wrote, not hidden, not erased."""
    if user is None or not user.is_authenticated:
        return None
    return (
        Message.objects.filter(
            pk=message_id,
            conversation__members__user=user,
            hidden_at__isnull=True,
        )
        .exclude(sender_id=user.pk)
        .exclude(body="")
        .select_related("conversation", "sender__profile")
        .first()
    )


def message_report(*, message: Message, reporter, reason: str) -> Report:
    """`reporter` reports a message they received to the CNCD team, once (through exchange.moderation)."""
    reason = (reason or "").replace("\r\n", "\n").strip()
    if not reason:
        raise MessagingError(_("Indiquez pourquoi ce message vous semble inapproprié."))
    if len(reason) > REASON_LENGTH:
        raise MessagingError(_("Le motif ne peut dépasser %(n)s caractères.") % {"n": REASON_LENGTH})
    if reportable_message(reporter, message.pk) is None:
        raise MessagingError(_("Ce message ne peut pas être signalé."))
    if Report.objects.filter(message=message, reporter=reporter).exists():
        raise MessagingError(_("Vous avez déjà signalé ce message : l'équipe CNCD va l'examiner."))
    # One way of reporting for the whole entraide: exchange.moderation audits the report (the message's number,
    # never its text) and notifies the CNCD team.
    try:
        return report_create(reporter=reporter, reason=reason, message=message)
    except ModerationError as error:
        raise MessagingError(str(error)) from error


def inbox_url() -> str:
    return reverse("exchange:conversations")


# --- The profile panel (core.panels "members.profile", registered by exchange.panels) ------------------------


def profile_panel(user, *, member, **subject):
    """On a member's profile: "Écrire un message" when the viewer may write to them, else why not; block/unblock."""
    from core.home import HomeBlock

    if user is None or not user.is_authenticated or not user.is_approved or member is None or member.pk == user.pk:
        return None
    if not _reachable(member):
        return None
    # What write_refusal, has_blocked and accepts_messages would read, read once for the three (and kept).
    preferences, blocks, conversation_url = _profile_pair_facts(user, member)
    if _reachable(user):
        refusal = _pair_refusal(user, member, preferences, blocks)
    else:
        refusal = write_refusal(sender=user, recipient=member)
    blocked = user.pk in blocks  # blocks: who of the two blocked the other
    start_url = conversation_url or reverse("exchange:conversation_start", args=[member.pk])
    return HomeBlock(
        "exchange-messages",
        _("Messages privés"),
        include="exchange/messages/_profile_panel.html",
        context={
            "can_write": refusal is None,
            "refusal": refusal or "",
            "own_off": refusal is not None and not blocked and not preferences.get(user.pk),
            "has_conversation": bool(conversation_url),
            "start_url": start_url,
            "blocked": blocked,
            "member_id": member.pk,
            "next": reverse("members:detail", args=[member.pk]),
        },
    )


# What a profile panel shows of two members' messaging, kept until either one's messaging changes: their
# preferences, a block between them, their conversation (saves and deletions bump `_messaging_of`, `connect`).
# Sending a message always checks write_refusal afresh.
PAIR_FACTS_SECONDS = 600


def _messaging_of(user_id) -> str:
    return f"exchange-messaging:{user_id}"


def _profile_pair_facts(user, member) -> tuple[dict[int, bool], set[int], str]:
    """`_pair_facts` of the two, and their conversation's address ("" when they have none)."""
    key = f"exchange:messaging-pair:v1:{pair_of(user.pk, member.pk)}"
    stamp, facts = generations.cached(key, [_messaging_of(user.pk), _messaging_of(member.pk)])
    if facts is None:
        conversation = conversation_between(user, member)
        facts = (*_pair_facts(user, member), conversation.get_absolute_url() if conversation is not None else "")
        generations.store(key, stamp, facts, PAIR_FACTS_SECONDS)
    return facts


def _preference_changed(sender, instance, **kwargs):
    generations.bump(_messaging_of(instance.user_id))


def _block_changed(sender, instance, **kwargs):
    generations.bump(_messaging_of(instance.blocker_id), _messaging_of(instance.blocked_id))


def _conversation_changed(sender, instance, **kwargs):
    generations.bump(*[_messaging_of(user_id) for user_id in instance.pair.split("-")])


def connect() -> None:
    """Bump the members' messaging generations on every save or deletion of what profiles show (ExchangeConfig)."""
    from django.db.models.signals import post_delete, post_save

    for model, receiver in [
        (MessagingPreference, _preference_changed),
        (Block, _block_changed),
        (Conversation, _conversation_changed),
    ]:
        uid = f"exchange.messaging.{model._meta.label_lower}"
        post_save.connect(receiver, sender=model, dispatch_uid=uid)
        post_delete.connect(receiver, sender=model, dispatch_uid=uid)


# --- The home block (core.home, registered by exchange.home) -------------------------------------------------

HOME_SHOWN = 5


def home_unread(user):
    """The member's conversations holding unread messages, newest first."""
    from core.home import HomeBlock, HomeLink

    waiting = memberships_of(user).filter(
        Q(last_read_at__isnull=True) | Q(conversation__last_message_at__gt=F("last_read_at"))
    )
    shown = [membership for membership in waiting[:HOME_SHOWN] if membership.unread]
    if not shown:
        return None
    others = others_by_id(user, [membership.conversation for membership in shown])
    links = [
        HomeLink(
            _("Conversation avec %(name)s") % {"name": participant_name(others.get(other_id(m.conversation, user)))},
            m.conversation.get_absolute_url(),
            ngettext("%(count)s message non lu", "%(count)s messages non lus", m.unread) % {"count": m.unread},
            when=m.conversation.last_message_at,
        )
        for m in shown
    ]
    return HomeBlock(
        "needs-exchange-messages",
        _("Messages privés non lus"),
        links,
        count=len(shown) if len(shown) < HOME_SHOWN else unread_conversation_count(user),
        more_url=reverse("exchange:conversations"),
        more_text=_("Tous mes messages"),
    )


# --- Personal data (core.personal_data, registered by exchange.personal_data) --------------------------------


def _iso(value):
    return value.isoformat() if value is not None else None


def preference_export(user) -> list[dict]:
    return [
        {"accepte_les_messages": preference.accepts_messages, "modifie_le": _iso(preference.updated_at)}
        for preference in MessagingPreference.objects.filter(user=user)
    ]


def preference_erase(user) -> None:
    MessagingPreference.objects.filter(user=user).delete()


def blocks_export(user) -> list[dict]:
    """The members the person blocked. Who blocked them is the others' private choice: never exported."""
    rows = Block.objects.filter(blocker=user).select_related("blocked__profile").order_by("created_at", "pk")
    return [{"membre_bloque": participant_name(block.blocked), "depuis_le": _iso(block.created_at)} for block in rows]


def blocks_erase(user) -> None:
    """Every block made by or against the person: the account is gone."""
    Block.objects.filter(Q(blocker=user) | Q(blocked=user)).delete()


def conversations_export(user) -> list[dict]:
    """One row per conversation of the person: the other member, its dates, how many messages each wrote."""
    memberships = list(
        ConversationMember.objects.filter(user=user)
        .select_related("conversation")
        .annotate(
            sent=Count("conversation__messages", filter=Q(conversation__messages__sender_id=user.pk), distinct=True),
            total=Count("conversation__messages", distinct=True),
        )
        .order_by("conversation__created_at", "conversation_id")
    )
    others = others_by_id(user, [membership.conversation for membership in memberships])
    return [
        {
            "conversation": str(m.conversation.uuid),
            "autre_membre": participant_name(others.get(other_id(m.conversation, user))),
            "commencee_le": _iso(m.conversation.created_at),
            "dernier_message_le": _iso(m.conversation.last_message_at),
            "lue_jusqu_au": _iso(m.last_read_at),
            "archivee_le": _iso(m.archived_at),
            "messages_envoyes": m.sent,
            "messages_recus": m.total - m.sent,
        }
        for m in memberships
    ]


def messages_export(user) -> list[dict]:
    """The messages the person wrote, with their conversation; the other member's texts are theirs (not exported)."""
    rows = Message.objects.filter(sender=user).select_related("conversation").order_by("created_at", "pk")
    rows = list(rows)
    others = others_by_id(user, {message.conversation for message in rows})
    return [
        {
            "conversation": str(message.conversation.uuid),
            "a": participant_name(others.get(other_id(message.conversation, user))),
            "envoye_le": _iso(message.created_at),
            "message": message.body,
            "masque_le": _iso(message.hidden_at),
            "motif_du_masquage": message.hidden_reason,
        }
        for message in rows
    ]


def messages_erase(user) -> None:
    """The person's messages lose their text: the other member reads "Message effacé avec le compte de son
    auteur·rice" in its place, and the conversation stays whole for them with their own messages."""
    Message.objects.filter(sender=user).update(body="")


def memberships_erase(user) -> None:
    """The person leaves their conversations; a conversation left without members goes, with its messages."""
    conversation_ids = list(ConversationMember.objects.filter(user=user).values_list("conversation_id", flat=True))
    ConversationMember.objects.filter(user=user).delete()
    Conversation.objects.filter(pk__in=conversation_ids).exclude(
        Exists(ConversationMember.objects.filter(conversation=OuterRef("pk")))
    ).delete()
