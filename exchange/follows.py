"""Following in the entraide (owned by the "network" area): a space (following it is joining it: « Mes espaces »),
a question (the asker and whoever answers follow it on their own) or a référentiel tag, by its stable code.

New questions reach the followers of their space and tags, new answers the followers of their question
(exchange.notifications). Following is each member's own choice: it is not audited.
"""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from exchange.enums import FollowTarget
from exchange.models import ExchangeFollow, Question, QuestionTag, Space

CODE_LENGTH = 40


@dataclass(frozen=True)
class FollowState:
    """What a follow button shows: the target's kind and name, whether the member follows it, where to post."""

    target: str
    key: str
    name: str
    following: bool
    url: str
    # The follow button's id in the page (htmx swaps it in place).
    dom_id: str


def _lookup(user, target) -> dict:
    if isinstance(target, Space):
        return {"user": user, "space": target}
    if isinstance(target, Question):
        return {"user": user, "question": target}
    return {"user": user, "code": tag_code(target)}


def tag_code(target) -> str:
    """The référentiel code of a tag target: a QuestionTag, or the code itself."""
    code = target.code if isinstance(target, QuestionTag) else str(target or "")
    code = code.strip()
    if not code or len(code) > CODE_LENGTH:
        raise ValueError(code)
    return code


def target_kind(target) -> str:
    if isinstance(target, Space):
        return FollowTarget.SPACE
    if isinstance(target, Question):
        return FollowTarget.QUESTION
    return FollowTarget.TAG


def is_following(user, target) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return ExchangeFollow.objects.filter(**_lookup(user, target)).exists()


def follow_add(*, user, target) -> bool:
    """Follow `target` (a Space, a Question, a tag code); False when already followed."""
    try:
        with transaction.atomic():
            ExchangeFollow.objects.create(target=target_kind(target), **_lookup(user, target))
    except IntegrityError:
        return False
    return True


def follow_remove(*, user, target) -> bool:
    """Stop following `target`; False when it was not followed."""
    deleted, _by_model = ExchangeFollow.objects.filter(**_lookup(user, target)).delete()
    return bool(deleted)


def follow_set(*, user, target, following: bool) -> bool:
    """Make `user` follow `target` or not (idempotent: a second click changes nothing); returns the new state."""
    if following:
        follow_add(user=user, target=target)
    else:
        follow_remove(user=user, target=target)
    return following


def follow_state(user, target, *, following: bool | None = None) -> FollowState:
    """The follow button of `target` for `user` (one query, none when `following` is given)."""
    kind = target_kind(target)
    following = is_following(user, target) if following is None else following
    if kind == FollowTarget.SPACE:
        return FollowState(
            kind, target.slug, target.name, following, reverse("exchange:follow_space", args=[target.slug]),
            f"suivre-espace-{target.pk}",
        )  # fmt: skip
    if kind == FollowTarget.QUESTION:
        return FollowState(
            kind, str(target.pk), target.title, following, reverse("exchange:follow_question", args=[target.pk]),
            f"suivre-question-{target.pk}",
        )  # fmt: skip
    code = tag_code(target)
    name = target.title if isinstance(target, QuestionTag) and target.title else code
    safe = "".join(char if char.isalnum() else "-" for char in code)
    return FollowState(
        kind, code, name, following, reverse("exchange:follow_tag", args=[code]), f"suivre-etiquette-{safe}"
    )


def button_texts(state: FollowState) -> dict:
    """The button's label and the visible state, in French.

    A toggle button keeps its label whatever its state (`aria-pressed` says whether it is on): a label that
    changed with the state would contradict what screen readers announce.
    """
    if state.target == FollowTarget.SPACE:
        return {
            "label": _("Rejoindre l'espace"),
            "status": _("Vous avez rejoint cet espace : cliquez à nouveau pour le quitter.") if state.following else "",
        }
    if state.target == FollowTarget.QUESTION:
        return {
            "label": _("Suivre la question"),
            "status": _("Vous suivez cette question.") if state.following else "",
        }
    return {"label": _("Suivre %(code)s") % {"code": state.key}, "status": ""}


# Reads ------------------------------------------------------------------------------------------------------


def follows_of(user) -> dict:
    """The member's follows for « Mes abonnements »: spaces, questions and tags (three queries)."""
    base = ExchangeFollow.objects.filter(user=user)
    spaces = [
        follow.space
        for follow in base.filter(target=FollowTarget.SPACE).select_related("space").order_by("space__name")
    ]
    questions = [
        follow.question
        for follow in base.filter(target=FollowTarget.QUESTION)
        .select_related("question__space")
        .order_by("-question__last_activity_at", "-pk")
        if follow.question.hidden_at is None or follow.question.author_id == user.pk
    ]
    codes = list(base.filter(target=FollowTarget.TAG).order_by("code").values_list("code", flat=True))
    return {"spaces": spaces, "questions": questions, "codes": codes}


def followed_space_ids(user) -> set[int]:
    return set(ExchangeFollow.objects.filter(user=user, target=FollowTarget.SPACE).values_list("space_id", flat=True))


def tag_titles(codes) -> dict[str, str]:
    """The titles of the référentiel codes, as tagged on questions (one query)."""
    titles: dict[str, str] = {}
    for code, title in QuestionTag.objects.filter(code__in=list(codes)).exclude(title="").values_list("code", "title"):
        titles.setdefault(code, title)
    return titles
