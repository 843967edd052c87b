"""Reads of the entraide's spaces: the list of spaces, a space's questions, a question's page, its history, search.

Each page runs a constant number of queries whatever the number of questions or answers (tests assert it): the
lists read the counts kept by the services, load authors with their profile, and prefetch tags per page.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Case, Exists, IntegerField, OuterRef, Prefetch, Value, When

from core.diff import compared_numbers
from core.fulltext import MAX_QUERY_LENGTH
from core.search import search_key
from exchange import services
from exchange.enums import SpaceKind
from exchange.models import Answer, AnswerUseful, PostRevision, Question, QuestionResource, QuestionTag, Space
from exchange.services import QUESTION_SEARCH

SLUG_LENGTH = 80  # Space.slug
TAG_CODE_LENGTH = 40  # QuestionTag.code

PER_PAGE = 20

FILTERS = {"": "toutes", "repondues": "repondues", "sans-reponse": "sans-reponse"}
SORTS = ("activite", "sans-reponse")


# What a list row shows: the wide texts (body, rendered body, search text and vector) stay in the database.
LIST_DEFERRED = ("body", "body_html", "search_text", "search_vector", "lock_reason", "hidden_reason")


def _list_questions(rows):
    return (
        rows.select_related("author__profile", "space")
        .defer(*LIST_DEFERRED)
        .prefetch_related(Prefetch("tags", queryset=QuestionTag.objects.order_by("kind", "code")))
    )


def _page_number(params) -> str:
    return params.get("page") or "1"


def spaces_page(*, user) -> dict:
    from exchange.follows import followed_space_ids

    spaces = list(Space.objects.active().select_related("region").order_by("position", "name"))
    followed = followed_space_ids(user)
    for space in spaces:
        space.is_followed = space.pk in followed
    regions = [space for space in spaces if space.kind == SpaceKind.REGION]
    # The regions one joined first, then by name as people read it ("Île-de-France" among the I's).
    regions.sort(key=lambda space: (not space.is_followed, search_key(space.name)))
    return {"themes": [space for space in spaces if space.kind == SpaceKind.THEME], "regions": regions}


def _viewer_follows(user, **target):
    """Whether the viewer follows the row (its follow button then asks nothing: exchange.follows.follow_state)."""
    from exchange.models import ExchangeFollow

    return Exists(ExchangeFollow.objects.filter(user_id=user.pk, **target))


def space_for_page(*, slug: str, user) -> Space | None:
    """The space of its page, with `viewer_follows` (one query)."""
    return Space.objects.filter(slug=slug).annotate(viewer_follows=_viewer_follows(user, space=OuterRef("pk"))).first()


def question_for_page(*, pk: int, user) -> Question | None:
    """A question `user` may read, with its space and `viewer_follows` (one query; its tags, author and texts are
    read only when its thread is rendered, exchange.caching)."""
    return (
        Question.objects.visible_to(user)
        .select_related("space")
        .annotate(viewer_follows=_viewer_follows(user, question=OuterRef("pk")))
        .defer("body", "body_html", "search_text", "search_vector")  # read only when the thread is rendered
        .filter(pk=pk)
        .first()
    )


def space_filters(params) -> tuple[str, str]:
    """The space page's filter and sort, as chosen (anything unknown falls back to the defaults)."""
    state = params.get("etat", "")
    state = state if state in FILTERS else ""
    sort = params.get("tri", "activite")
    sort = sort if sort in SORTS else "activite"
    return state, sort


def space_page(*, space: Space, user, params) -> dict:
    state, sort = space_filters(params)
    rows = Question.objects.visible_to(user).filter(space=space)
    if state == "repondues":
        rows = rows.filter(accepted_answer__isnull=False)
    elif state == "sans-reponse":
        rows = rows.filter(answer_count=0)
    if sort == "sans-reponse":
        rows = rows.order_by("answer_count", "-last_activity_at", "-pk")
    else:
        rows = rows.order_by("-last_activity_at", "-pk")
    page = Paginator(_list_questions(rows), PER_PAGE).get_page(_page_number(params))
    query = urlencode({name: value for name, value in (("etat", state), ("tri", sort)) if value})
    return {"space": space, "page": page, "questions": page.object_list, "state": state, "sort": sort, "query": query}


@dataclass
class AnswerView:
    answer: Answer
    marked_useful: bool
    is_accepted: bool
    can_edit: bool = False
    can_see: bool = True


def question_page(*, question: Question, user) -> dict:
    """The question, its tags and resources, its answers (the accepted one first), the viewer's marks and rights."""
    from toolbox.models import Resource

    if question.get_deferred_fields():  # the page's light row (question_for_page): read the texts and the author
        question = Question.objects.select_related("space", "author__profile").get(pk=question.pk)
    tags = list(question.tags.order_by("kind", "code"))
    # Every viewer of a question is an approved member, who reads every published resource (toolbox's rule).
    resources = list(
        Resource.objects.published()
        .filter(pk__in=QuestionResource.objects.filter(question=question).values("resource_id"))
        .only("pk", "title")
        .order_by("title")
    )
    answers = list(
        Answer.objects.filter(question=question)
        .select_related("author__profile")
        .annotate(marked=Exists(AnswerUseful.objects.filter(answer=OuterRef("pk"), user_id=user.pk)))
        .annotate(
            first=Case(
                When(pk=question.accepted_answer_id or 0, then=Value(0)), default=Value(1), output_field=IntegerField()
            )
        )
        .order_by("first", "created_at", "pk")
    )
    team = services.is_team(user)
    views = [
        AnswerView(
            answer,
            marked_useful=answer.marked,
            is_accepted=answer.pk == question.accepted_answer_id,
            can_edit=services.can_edit_answer(user, answer, question),
            can_see=not answer.is_hidden or team or answer.author_id == user.pk,
        )
        for answer in answers
    ]
    return {
        "question": question,
        "tags": tags,
        "resources": resources,
        "answers": views,
        "can_answer": services.can_answer(user, question),
        "can_edit": services.can_edit_question(user, question),
        "can_accept": services.can_accept(user, question),
        "is_team": team,
    }


def post_history(*, post, params) -> dict:
    """A question's or an answer's versions (the kept revisions and the current text), and what changed between two.

    A revision keeps the post as it was before an edit: version n is revision n, the current text is the last one.
    """
    is_question = isinstance(post, Question)
    revisions = list(
        PostRevision.objects.filter(**({"question": post} if is_question else {"answer": post}))
        .select_related("author__profile")
        .order_by("number")
    )
    versions = [
        {"number": revision.number, "title": revision.title, "body": revision.body, "at": revision.created_at}
        for revision in revisions
    ]
    versions.append(
        {
            "number": len(revisions) + 1,
            "title": post.title if is_question else "",
            "body": post.body,
            "at": post.edited_at or post.created_at,
        }
    )
    # Who wrote each version: the first is the author's; revision n+1 was made by whoever edited revision n.
    authors = [post.author] + [revision.author for revision in revisions]
    for version, author in zip(versions, authors, strict=False):
        version["author"] = author
    by_number = {version["number"]: version for version in versions}

    old_number, new_number = compared_numbers(params, by_number)
    old = by_number.get(old_number, {"title": "", "body": ""})
    new = by_number[new_number]
    return {
        "post": post,
        "is_question": is_question,
        "versions": list(reversed(versions)),
        "old_number": old_number,
        "new_number": new_number,
        "old": old,
        "new": new,
    }


def search_page(*, user, params) -> dict:
    """Questions (answers included through search_text) matching `q`, narrowed by space and tag; answered first."""
    # Cut before any work (a search is free text sent by anyone): the full-text limit, a space's slug, a tag's code.
    query = (params.get("q") or "").strip()[:MAX_QUERY_LENGTH]
    space_slug = params.get("espace", "")[:SLUG_LENGTH]
    tag = (params.get("etiquette") or "").strip()[:TAG_CODE_LENGTH]
    spaces = list(Space.objects.active().order_by("kind", "position", "name").only("pk", "slug", "name", "kind"))
    space = next((item for item in spaces if item.slug == space_slug), None)
    page = None
    if query or tag:
        rows = Question.objects.visible_to(user)
        if space is not None:
            rows = rows.filter(space=space)
        if tag:
            rows = rows.filter(tags__code=tag)
        if query:
            rows, rank = QUESTION_SEARCH.matching(rows, query)
            rows = rows.annotate(rank=rank)
        else:
            rows = rows.annotate(rank=Value(0.0))
        answered = Case(
            When(accepted_answer__isnull=False, then=Value(0)), default=Value(1), output_field=IntegerField()
        )
        rows = rows.annotate(answered_first=answered).order_by("answered_first", "-rank", "-last_activity_at", "-pk")
        page = Paginator(_list_questions(rows), PER_PAGE).get_page(_page_number(params))
    filters = urlencode(
        {name: value for name, value in (("q", query), ("espace", space_slug), ("etiquette", tag)) if value}
    )
    return {"query": query, "space": space, "spaces": spaces, "tag": tag, "page": page, "filters": filters}


def tagged_questions(*, code: str, user, limit: int = 5) -> tuple[list[Question], int]:
    rows = Question.objects.visible_to(user).filter(tags__code=code).order_by("-last_activity_at", "-pk")
    shown = list(rows.select_related("space")[:limit])
    count = len(shown) if len(shown) < limit else rows.count()
    return shown, count
