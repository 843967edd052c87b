"""Business rules of the entraide's spaces: asking, answering, editing with history, quoting, "utile" marks,
the accepted answer, and what the lists show without counting each time (counts, last activity, search text).

Every write is atomic; every edit claims the post's `lock_version` (core.concurrency): of two people saving at
once, one gets the conflict page with what they typed kept. Before a post is saved, the rate limits for new
accounts (exchange.ratelimits) may refuse it; after it is saved, its @mentions are recorded (exchange.mentions)
and the interested members notified (exchange.notifications).
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core import concurrency
from core.audit import audit_log
from core.fulltext import FullText
from core.search import search_key
from exchange import caching, mentions, notifications, ratelimits
from exchange.enums import SpaceKind, TagKind
from exchange.models import (
    BODY_LENGTH,
    TITLE_LENGTH,
    Answer,
    AnswerUseful,
    PostRevision,
    Question,
    QuestionResource,
    QuestionTag,
    Space,
)
from fiches.rendering import render_markdown

# Questions: the title weighs most, then the body, then the folded whole (answers included).
QUESTION_SEARCH = FullText(title="title", summary="body")


class ExchangeError(ValidationError):
    """A business rule refused the operation; the message is for the user."""


@dataclass(frozen=True)
class TagData:
    kind: str
    code: str
    title: str = ""


# Rights --------------------------------------------------------------------------------------


def is_member(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_approved)


def is_team(user) -> bool:
    return bool(is_member(user) and user.is_curator)


def can_edit_question(user, question: Question) -> bool:
    """The asker while the thread is open and shown; the team always."""
    if is_team(user):
        return True
    return is_member(user) and question.author_id == user.pk and not question.is_locked and not question.is_hidden


def can_edit_answer(user, answer: Answer, question: Question | None = None) -> bool:
    question = question or answer.question
    if is_team(user):
        return True
    return is_member(user) and answer.author_id == user.pk and not question.is_locked and not answer.is_hidden


def can_answer(user, question: Question) -> bool:
    if is_team(user):
        return True
    return is_member(user) and not question.is_locked and not question.is_hidden and question.space.is_active


def can_accept(user, question: Question) -> bool:
    """The asker (or the team) marks the answer that helped; a discussion has none."""
    if question.is_discussion:
        return False
    return is_team(user) or (is_member(user) and question.author_id == user.pk and not question.is_locked)


# Rendering and search ------------------------------------------------------------------------


def render_body(body: str) -> str:
    """The site's safe markup, then the @mentions linked."""
    return mentions.mentions_render(render_markdown(body))


def search_document(question: Question) -> str:
    """The folded text of the title, the body and the visible answers."""
    answers = Answer.objects.filter(question_id=question.pk, hidden_at__isnull=True).values_list("body", flat=True)
    tags = QuestionTag.objects.filter(question_id=question.pk).values_list("code", "title")
    parts = [question.title, question.body, *answers, *(f"{code} {title}" for code, title in tags)]
    return search_key("\n".join(part for part in parts if part))


def search_refresh(question: Question) -> None:
    """Store the folded text (every database) and, on PostgreSQL, the weighted French vector."""
    text = search_document(question)
    Question.objects.filter(pk=question.pk).update(search_text=text)
    question.search_text = text
    QUESTION_SEARCH.vector_refresh(Question.objects.filter(pk=question.pk))


def question_counts_refresh(question_id: int) -> None:
    """answer_count (visible answers) and last_activity_at (the question, or its latest visible answer)."""
    question = Question.objects.get(pk=question_id)
    stats = Answer.objects.filter(question_id=question_id, hidden_at__isnull=True).aggregate(
        count=Count("pk"), last=Max("created_at")
    )
    last = max(filter(None, [question.created_at, stats["last"]]))
    Question.objects.filter(pk=question_id).update(answer_count=stats["count"], last_activity_at=last)
    caching.question_changed(question)


def space_counts_refresh(space_id: int) -> None:
    """question_count (questions not hidden) and last_activity_at of a space."""
    stats = Question.objects.filter(space_id=space_id, hidden_at__isnull=True).aggregate(
        count=Count("pk"), last=Max("last_activity_at")
    )
    Space.objects.filter(pk=space_id).update(question_count=stats["count"], last_activity_at=stats["last"])
    caching.space_changed(space_id)


def post_hidden_changed(post) -> None:
    """Called by moderation after hiding or restoring a question or an answer: the counts and search follow."""
    question = post if isinstance(post, Question) else post.question
    question_counts_refresh(question.pk)
    search_refresh(question)
    space_counts_refresh(question.space_id)


# Spaces --------------------------------------------------------------------------------------


def region_spaces_ensure() -> int:
    """One space per region (members.Region), created if missing; returns how many were created."""
    from members.models import Region

    existing = set(Space.objects.filter(kind=SpaceKind.REGION).values_list("region_id", flat=True))
    created = 0
    for region in Region.objects.exclude(pk__in=existing).order_by("name"):
        slug = slugify(f"region-{region.name}")[:80]
        if Space.objects.filter(slug=slug).exists():
            slug = f"{slug[:70]}-{region.pk}"
        Space.objects.create(
            kind=SpaceKind.REGION,
            region=region,
            slug=slug,
            name=region.name,
            description=_("L'espace des technicien·nes de la région %(region)s.") % {"region": region.name},
        )
        created += 1
    return created


# Writing -------------------------------------------------------------------------------------


def _refuse_if_limited(user, action: str) -> None:
    refusal = ratelimits.posting_refusal(user, action)
    if refusal:
        raise ExchangeError(refusal)


def _check_text(title: str | None, body: str) -> None:
    if title is not None:
        if not title.strip():
            raise ExchangeError(_("Donnez un titre à votre question."))
        if len(title) > TITLE_LENGTH:
            raise ExchangeError(_("Le titre est trop long."))
    if not (body or "").strip():
        raise ExchangeError(_("Écrivez votre message."))
    if len(body) > BODY_LENGTH:
        raise ExchangeError(_("Le message est trop long."))


def _tags_set(question: Question, tags) -> None:
    wanted = {tag.code: tag for tag in tags if tag.kind in TagKind.values}
    question.tags.exclude(code__in=list(wanted)).delete()
    existing = set(question.tags.values_list("code", flat=True))
    QuestionTag.objects.bulk_create(
        QuestionTag(question=question, kind=tag.kind, code=code, title=tag.title[:300])
        for code, tag in wanted.items()
        if code not in existing
    )


def _resources_set(question: Question, resources) -> None:
    wanted = {resource.pk for resource in resources}
    question.resource_links.exclude(resource_id__in=wanted).delete()
    existing = set(question.resource_links.values_list("resource_id", flat=True))
    QuestionResource.objects.bulk_create(
        QuestionResource(question=question, resource_id=pk) for pk in wanted if pk not in existing
    )


@transaction.atomic
def question_ask(
    *,
    user,
    space: Space,
    title: str,
    body: str,
    is_discussion: bool = False,
    tags=(),
    resources=(),
    rate_limited: bool = True,
) -> Question:
    """A member asks in `space`. `rate_limited=False` only for seeded content (the demo), never for a request."""
    if not is_member(user):
        raise ExchangeError(_("Seuls les membres peuvent poser une question."))
    if not space.is_active:
        raise ExchangeError(_("Cet espace est fermé : il n'accepte plus de nouvelles questions."))
    _check_text(title, body)
    if rate_limited:
        _refuse_if_limited(user, ratelimits.QUESTION)
    now = timezone.now()
    question = Question.objects.create(
        space=space,
        author=user,
        title=title.strip(),
        body=body,
        body_html=render_body(body),
        is_discussion=is_discussion,
        last_activity_at=now,
    )
    _tags_set(question, tags)
    _resources_set(question, resources)
    search_refresh(question)
    Space.objects.filter(pk=space.pk).update(question_count=F("question_count") + 1, last_activity_at=now)
    audit_log(actor=user, action="exchange.question.asked", target=question, data={"space": space.slug})
    mentions.mentions_apply(question, actor=user)
    notifications.question_posted(question, actor=user)
    return question


def _revision_add(*, question=None, answer=None, author) -> PostRevision:
    """Keep the post as it was before an edit."""
    post = question or answer
    number = post.revision_count + 1
    revision = PostRevision.objects.create(
        question=question,
        answer=answer,
        number=number,
        title=question.title if question else "",
        body=post.body,
        author=post.author if number == 1 else author,
    )
    type(post).objects.filter(pk=post.pk).update(revision_count=number)
    post.revision_count = number
    return revision


@transaction.atomic
def question_edit(
    *,
    question: Question,
    user,
    title: str,
    body: str,
    is_discussion: bool,
    tags=(),
    resources=(),
    lock_version: int | None,
) -> Question:
    if not can_edit_question(user, question):
        raise ExchangeError(_("Vous ne pouvez pas modifier cette question."))
    _check_text(title, body)
    concurrency.version_claim(question, expected=lock_version)
    before = Question.objects.select_for_update().get(pk=question.pk)
    changed = before.title != title.strip() or before.body != body
    if changed:
        _revision_add(question=before, author=user)
    before.title = title.strip()
    before.body = body
    before.body_html = render_body(body)
    before.is_discussion = is_discussion
    if is_discussion:
        before.accepted_answer = None
    if changed:
        before.edited_at = timezone.now()
    before.save()
    _tags_set(before, tags)
    _resources_set(before, resources)
    search_refresh(before)
    audit_log(
        actor=user, action="exchange.question.edited", target=before, data={"by_author": user.pk == before.author_id}
    )
    mentions.mentions_apply(before, actor=user)
    return before


@transaction.atomic
def answer_post(
    *, question: Question, user, body: str, quoted: Answer | None = None, rate_limited: bool = True
) -> Answer:
    question = Question.objects.select_for_update().select_related("space").get(pk=question.pk)
    if not can_answer(user, question):
        if question.is_locked:
            raise ExchangeError(_("Cette question est verrouillée : elle n'accepte plus de réponse."))
        raise ExchangeError(_("Vous ne pouvez pas répondre à cette question."))
    _check_text(None, body)
    if rate_limited:
        _refuse_if_limited(user, ratelimits.ANSWER)
    if quoted is not None and quoted.question_id != question.pk:
        quoted = None
    answer = Answer.objects.create(
        question=question, author=user, body=body, body_html=render_body(body), quoted=quoted
    )
    Question.objects.filter(pk=question.pk).update(
        answer_count=F("answer_count") + 1, last_activity_at=answer.created_at
    )
    Space.objects.filter(pk=question.space_id).update(last_activity_at=answer.created_at)
    search_refresh(question)
    audit_log(actor=user, action="exchange.answer.posted", target=answer, data={"question": question.pk})
    mentions.mentions_apply(answer, actor=user)
    notifications.answer_posted(answer, actor=user)
    return answer


@transaction.atomic
def answer_edit(*, answer: Answer, user, body: str, lock_version: int | None) -> Answer:
    if not can_edit_answer(user, answer):
        raise ExchangeError(_("Vous ne pouvez pas modifier cette réponse."))
    _check_text(None, body)
    concurrency.version_claim(answer, expected=lock_version)
    before = Answer.objects.select_for_update().select_related("question").get(pk=answer.pk)
    if before.body != body:
        _revision_add(answer=before, author=user)
        before.edited_at = timezone.now()
    before.body = body
    before.body_html = render_body(body)
    before.save()
    search_refresh(before.question)
    audit_log(actor=user, action="exchange.answer.edited", target=before, data={"question": before.question_id})
    mentions.mentions_apply(before, actor=user)
    return before


def quote_markup(answer: Answer) -> str:
    """The answer as a Markdown blockquote, with who wrote it, to start a reply."""
    name = (answer.author.credit_name() if answer.author_id else None) or _("un·e membre")
    quoted = "\n".join(f"> {line}" if line.strip() else ">" for line in answer.body.strip().splitlines())
    return _("%(name)s a écrit :") % {"name": name} + "\n" + quoted + "\n\n"


@transaction.atomic
def useful_toggle(*, answer: Answer, user) -> bool:
    """Mark (or unmark) `answer` as useful; True when it is now marked. Not one's own answer."""
    if not is_member(user):
        raise ExchangeError(_("Seuls les membres peuvent marquer une réponse utile."))
    if answer.author_id == user.pk:
        raise ExchangeError(_("Vous ne pouvez pas marquer votre propre réponse comme utile."))
    if answer.is_hidden:
        raise ExchangeError(_("Cette réponse est masquée."))
    deleted, _rows = AnswerUseful.objects.filter(answer=answer, user=user).delete()
    if deleted:
        Answer.objects.filter(pk=answer.pk).update(useful_count=F("useful_count") - 1)
        return False
    try:
        with transaction.atomic():
            AnswerUseful.objects.create(answer=answer, user=user)
    except IntegrityError:
        return True
    Answer.objects.filter(pk=answer.pk).update(useful_count=F("useful_count") + 1)
    return True


@transaction.atomic
def answer_accept(*, answer: Answer, user) -> Question:
    """The asker (or the team) marks `answer` as the one that helped; accepting it again takes the mark back."""
    question = Question.objects.select_for_update().get(pk=answer.question_id)
    if not can_accept(user, question):
        raise ExchangeError(_("Seule la personne qui a posé la question peut retenir une réponse."))
    if answer.is_hidden:
        raise ExchangeError(_("Une réponse masquée ne peut pas être retenue."))
    if question.accepted_answer_id == answer.pk:
        question.accepted_answer = None
        Question.objects.filter(pk=question.pk).update(accepted_answer=None)
        caching.question_changed(question)
        audit_log(actor=user, action="exchange.answer.unaccepted", target=answer, data={"question": question.pk})
        return question
    question.accepted_answer = answer
    Question.objects.filter(pk=question.pk).update(accepted_answer=answer)
    caching.question_changed(question)
    audit_log(actor=user, action="exchange.answer.accepted", target=answer, data={"question": question.pk})
    notifications.answer_accepted(answer, actor=user)
    return question
