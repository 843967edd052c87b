"""Who hears of what in the entraide (through fiches.notifications.notify: site, and e-mail at once or in the
daily digest as each member chose). Called by the services after a post is saved (inside their transaction).

Owned by the "network" area: followers of a space / question / tag, the asker when answered, invited peers.
The messages name nobody: the notification list shows who acted. Members who blocked the author
(exchange.models.Block) are not told of what they post. The asker follows their question, and whoever answers
follows it from then on (exchange.follows).
"""

from django.db.models import Q
from django.utils.translation import gettext as _

from exchange.enums import FollowTarget, TagKind
from exchange.models import Block, ExchangeFollow


def _short(title: str, length: int = 120) -> str:
    return title if len(title) <= length else title[: length - 1] + "…"


def _without_blockers(user_ids: set[int], author_id: int | None) -> set[int]:
    if not user_ids or author_id is None:
        return user_ids
    blockers = set(
        Block.objects.filter(blocked_id=author_id, blocker_id__in=user_ids).values_list("blocker_id", flat=True)
    )
    return user_ids - blockers


def _notify(user_ids: set[int], *, actor, author_id, message: str, url: str) -> None:
    from fiches.notifications import notify

    user_ids = _without_blockers(set(user_ids) - {author_id}, author_id)
    if user_ids:
        notify(user_ids=user_ids, actor=actor, message=message, url=url)


def _follow_question(user_id: int | None, question) -> None:
    if user_id is not None:
        ExchangeFollow.objects.get_or_create(
            user_id=user_id, question=question, defaults={"target": FollowTarget.QUESTION}
        )


def question_posted(question, *, actor) -> None:
    """A new question: tell the followers of its space and of its tags; the asker follows it."""
    _follow_question(question.author_id, question)
    codes = list(question.tags.values_list("code", flat=True))
    followers = set(
        ExchangeFollow.objects.filter(
            Q(target=FollowTarget.SPACE, space_id=question.space_id) | Q(target=FollowTarget.TAG, code__in=codes)
        ).values_list("user_id", flat=True)
    )
    _notify(
        followers,
        actor=actor,
        author_id=question.author_id,
        message=_("Nouvelle question dans l'espace « %(space)s » : « %(title)s ».")
        % {"space": question.space.name, "title": _short(question.title)},
        url=question.get_absolute_url(),
    )


def answer_posted(answer, *, actor) -> None:
    """A new answer: tell the asker and the followers of the question (not those of its space: too noisy)."""
    question = answer.question
    _follow_question(answer.author_id, question)
    followers = set(
        ExchangeFollow.objects.filter(target=FollowTarget.QUESTION, question=question).values_list("user_id", flat=True)
    )
    if question.author_id is not None:
        followers.add(question.author_id)
    _notify(
        followers,
        actor=actor,
        author_id=answer.author_id,
        message=_("Nouvelle réponse à la question « %(title)s ».") % {"title": _short(question.title)},
        url=answer.get_absolute_url(),
    )


def answer_accepted(answer, *, actor) -> None:
    """The asker marked `answer` as the one that helped: tell its author."""
    if answer.author_id is None:
        return
    _notify(
        {answer.author_id},
        actor=actor,
        author_id=actor.pk if actor is not None else None,
        message=_("Votre réponse à « %(title)s » a été retenue comme celle qui a aidé.")
        % {"title": _short(answer.question.title)},
        url=answer.get_absolute_url(),
    )


def competence_codes(question) -> list[str]:
    """The competence codes a question is tagged with (the ones peers can help on)."""
    return [tag.code for tag in question.tags.all() if tag.kind == TagKind.COMPETENCE]
