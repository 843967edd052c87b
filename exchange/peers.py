"""Reaching the right peers (owned by the "network" area): on a question tagged with competences, the members
who can help (training.mentoring.peers_who_can_help: those who declared they can, or rated themselves highly
and opted in; never anyone else, each shown as they chose), and the asker's invitations to answer.

An invitation (`AnswerInvitation`) is one per peer and question; the peer is notified with a link, the
invitation is audited, and the peer sees it on the question and on their home until they answer.
"""

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from core.audit import audit_log
from exchange.models import Answer, AnswerInvitation, Block, Question
from exchange.notifications import competence_codes

# How many peers the side column suggests per competence, and how many invitations a question may send.
PEERS_PER_CODE = 5
MAX_INVITATIONS = 10


class InvitationError(Exception):
    """An invitation refused, with a French message for the member."""


@dataclass
class SuggestedPeer:
    """A peer suggested on a question: who (as the viewer may see them), for which codes, invited or not."""

    peer: object  # training.mentoring.Peer (its profile reduced to what the viewer may see)
    codes: list[str] = field(default_factory=list)
    invited: bool = False

    @property
    def user_id(self) -> int:
        return self.peer.user_id


@dataclass
class PeersBox:
    """What the question page's side column shows about peers."""

    codes: list[str]
    peers: list[SuggestedPeer]
    is_asker: bool
    invited_me: bool
    invitations_left: int


def _blocked_between(viewer_id: int, user_ids) -> set[int]:
    """The ids among `user_ids` who blocked the viewer or whom the viewer blocked (one query)."""
    rows = Block.objects.filter(blocker_id=viewer_id, blocked_id__in=user_ids).values_list("blocked_id", flat=True)
    rows_back = Block.objects.filter(blocked_id=viewer_id, blocker_id__in=user_ids).values_list("blocker_id", flat=True)
    return set(rows.union(rows_back))


def suggested_peers(question: Question, *, viewer, codes=None) -> list[SuggestedPeer]:
    """The peers `viewer` may see who can help on the question's competences, each once (constant queries)."""
    from training.mentoring import peers_who_can_help

    codes = codes if codes is not None else competence_codes(question)
    if not codes or viewer is None or not viewer.is_authenticated:
        return []
    by_code = peers_who_can_help(codes=codes, viewer=viewer, limit_per_code=PEERS_PER_CODE)
    found: dict[int, SuggestedPeer] = {}
    for code in codes:
        for peer in by_code.get(code, []):
            if peer.user_id == question.author_id:
                continue
            found.setdefault(peer.user_id, SuggestedPeer(peer=peer)).codes.append(code)
    if not found:
        return []
    blocked = _blocked_between(viewer.pk, list(found))
    invited = set(
        AnswerInvitation.objects.filter(question=question, invited_id__in=list(found)).values_list(
            "invited_id", flat=True
        )
    )
    peers = []
    for pk, suggestion in found.items():
        if pk in blocked:
            continue
        suggestion.invited = pk in invited
        peers.append(suggestion)
    return peers


def peers_box(question: Question, *, viewer) -> PeersBox | None:
    """The side column's peers for `viewer` on `question`; None when there is nothing to show."""
    if viewer is None or not viewer.is_authenticated or not viewer.is_approved:
        return None
    codes = competence_codes(question)
    invited_me = AnswerInvitation.objects.filter(question=question, invited=viewer).exists()
    if not codes and not invited_me:
        return None
    is_asker = question.author_id == viewer.pk
    peers = suggested_peers(question, viewer=viewer, codes=codes) if codes else []
    sent = AnswerInvitation.objects.filter(question=question).count() if is_asker and peers else 0
    return PeersBox(
        codes=codes,
        peers=peers,
        is_asker=is_asker,
        invited_me=invited_me,
        invitations_left=max(MAX_INVITATIONS - sent, 0),
    )


def can_invite(user, question: Question) -> bool:
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_approved
        and question.author_id == user.pk
        and question.hidden_at is None
        and question.locked_at is None
    )


def invitation_send(*, question: Question, invited, actor) -> AnswerInvitation:
    """The asker invites a suggested peer to answer: one invitation per peer and question, notified, audited."""
    from fiches.notifications import notify

    if not can_invite(actor, question):
        raise InvitationError(_("Seule la personne qui a posé la question peut inviter des pairs à y répondre."))
    suggested = {peer.user_id for peer in suggested_peers(question, viewer=actor)}
    if invited.pk not in suggested:
        raise InvitationError(_("Ce membre ne fait pas partie des pairs suggérés pour cette question."))
    with transaction.atomic():
        Question.objects.select_for_update().filter(pk=question.pk).first()
        if AnswerInvitation.objects.filter(question=question).count() >= MAX_INVITATIONS:
            raise InvitationError(
                _("Vous avez déjà invité %(n)s pairs sur cette question : attendez leurs réponses.")
                % {"n": MAX_INVITATIONS}
            )
        try:
            with transaction.atomic():
                invitation = AnswerInvitation.objects.create(question=question, invited=invited, invited_by=actor)
        except IntegrityError as error:
            raise InvitationError(_("Ce membre est déjà invité·e à répondre à cette question.")) from error
        audit_log(actor=actor, action="exchange.invitation.sent", target=question, data={"invited": invited.pk})
        notify(
            user_ids={invited.pk},
            actor=actor,
            message=_("Vous invite à répondre à la question « %(title)s ».")
            % {"title": question.title if len(question.title) <= 120 else question.title[:119] + "…"},
            url=question.get_absolute_url(),
        )
    return invitation


def invitations_waiting(user, *, limit: int = 5):
    """The invitations `user` received on visible questions they have not answered yet, newest first."""
    answered = Answer.objects.filter(question=OuterRef("question"), author=user)
    return (
        AnswerInvitation.objects.filter(invited=user, question__hidden_at__isnull=True)
        .exclude(Exists(answered))
        .select_related("question__space")
        .order_by("-created_at", "-pk")[:limit]
    )
