"""The entraide's space and question pages, kept rendered between two changes (issue 21: within 10× the floor
view at 20,000 posts).

What is kept (the rest of each page is rendered at every request: the header, the follow buttons, the peers
column, the answer form, the filters):
- a space's list of questions: its count, rows and pagination, per filter, sort and page, one rendering for the
  members and one for the CNCD team (who also see hidden questions);
- a question's thread (the question and its answers with their buttons) and the side column's tags and linked
  resources.

Freshness. Each entry is stamped with generations (training.generations: a number that changes whenever what
it stands for changes, bumped at once and again when the transaction commits; an entry stamped with an old
number is never read again):
- `space_generation(pk)`: what a space's list shows of its questions (titles, states, counts, activity, tags);
- `question_generation(pk)`: what a thread shows (the question, its answers, "utile" marks, the accepted
  answer, tags and resources);
- training's NETWORK: members' names as shown (accounts and profiles);
- the toolbox catalogue's generation (a linked resource renamed or unpublished).
The models' saves and deletions bump them (`connect`, at start-up: services, moderation, the admin, the
factories and erasure alike); the services' bulk updates (`QuerySet.update`: counts, the accepted answer) call
`question_changed` / `space_changed` themselves. An entry is also stamped with what the request reads anyway
(the space's counts, the question's state and dates), the language and the viewer's role, and lives ten
minutes at most.

Per-user parts. The members' list of a space is the same for every member, except for the author of a hidden
question there (who sees it, with its reason): the entry keeps those authors, whose list is rendered for them
alone. A thread is the same for every member who takes no part in it; the asker, the authors of its answers,
the members who marked an answer "utile" (their own buttons, links and marks) and the team (moderation tools)
get a rendering of their own, kept under their own key. The forms' CSRF token is a placeholder in what is kept,
replaced by the visitor's own token at each response.
"""

from django.db.models.signals import post_delete, post_save
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from core import generations
from training.generations import NETWORK

SECONDS = 600
CACHED_PAGES = 1000  # a space's pages kept: any page number beyond is rendered at each request
VERSION = "v2"  # change it when the kept templates change in a way the stamps do not see


def space_generation(space_id) -> str:
    return f"exchange-space:{space_id}"


def question_generation(question_id) -> str:
    return f"exchange-question:{question_id}"


# Bumping ----------------------------------------------------------------------------------------------------


def space_changed(*space_ids) -> None:
    """What the lists of these spaces show changed (now, and again when the transaction commits)."""
    generations.bump(*[space_generation(pk) for pk in space_ids if pk])


def question_changed(question, *, space_id=None) -> None:
    """What the page of `question` (a Question or its id) shows changed, and so did its space's list."""
    from exchange.models import Question

    if isinstance(question, Question):
        question_id, space_id = question.pk, space_id or question.space_id
    else:
        question_id = question
    if space_id is None:
        space_id = Question.objects.filter(pk=question_id).values_list("space_id", flat=True).first()
    generations.bump(question_generation(question_id), *([space_generation(space_id)] if space_id else []))


def _cached_relation(instance, name: str):
    """The related object already loaded on `instance` (no query), or None."""
    return instance._state.fields_cache.get(name)


def _question_saved(sender, instance, **kwargs):
    question_changed(instance)


def _answer_changed(sender, instance, **kwargs):
    question = _cached_relation(instance, "question")
    question_changed(instance.question_id, space_id=question.space_id if question is not None else None)


def _useful_changed(sender, instance, **kwargs):
    from exchange.models import Answer

    answer = _cached_relation(instance, "answer")
    question_id = (
        answer.question_id
        if answer is not None
        else Answer.objects.filter(pk=instance.answer_id).values_list("question_id", flat=True).first()
    )
    if question_id is not None:
        generations.bump(question_generation(question_id))  # a space's list shows no "utile" marks


def _tag_changed(sender, instance, **kwargs):
    question_changed(instance.question_id)


def _resource_link_changed(sender, instance, **kwargs):
    generations.bump(question_generation(instance.question_id))  # a space's list shows no resources


def _space_saved(sender, instance, **kwargs):
    space_changed(instance.pk)


def connect() -> None:
    """Bump the generations on every save or deletion of what the pages show (ExchangeConfig.ready)."""
    from exchange.models import Answer, AnswerUseful, Question, QuestionResource, QuestionTag, Space

    receivers = [
        (Question, _question_saved),
        (Answer, _answer_changed),
        (AnswerUseful, _useful_changed),
        (QuestionTag, _tag_changed),
        (QuestionResource, _resource_link_changed),
        (Space, _space_saved),
    ]
    for model, receiver in receivers:
        uid = f"exchange.caching.{model._meta.label_lower}"
        post_save.connect(receiver, sender=model, dispatch_uid=uid, weak=False)
        post_delete.connect(receiver, sender=model, dispatch_uid=uid, weak=False)


# Reading ----------------------------------------------------------------------------------------------------


def _is_team(user) -> bool:
    from exchange.services import is_team

    return is_team(user)


def _viewer(user) -> tuple:
    return (bool(user.is_curator), bool(user.is_approved))


def _page_key(value) -> str | None:
    """The page number as kept ("1" when absent or not a number, as the paginator reads it); None: not kept."""
    value = str(value or "1")
    if not value.isdigit():
        return "1"
    return value if 1 <= int(value) <= CACHED_PAGES else None


def space_questions(request, space, *, state: str, sort: str, params) -> str:
    """The rendered list of `space`'s questions (count, rows, pagination) for the person asking."""
    from exchange import selectors
    from exchange.models import Question

    user = request.user

    def rendered() -> str:
        context = selectors.space_page(space=space, user=user, params=params)
        return render_to_string("exchange/space_questions.html", context, request=request)

    page = _page_key(params.get("page"))
    if page is None:
        return mark_safe(rendered())  # noqa: S308 - rendered by our template
    team = _is_team(user)
    audience = "equipe" if team else "membres"
    key = f"exchange:space-questions:{VERSION}:{space.pk}:{audience}:{get_language()}:{state}:{sort}:{page}"
    facts = (space.question_count, space.last_activity_at, space.is_active, _viewer(user))
    stamp, found = generations.cached(key, [space_generation(space.pk), NETWORK], facts=facts)
    if found is not None:
        hidden_authors, html = found
        if team or user.pk not in hidden_authors:
            return mark_safe(generations.unpacked(html))  # noqa: S308 - rendered by our template
        return mark_safe(rendered())  # noqa: S308 - the author of a hidden question sees it, for them alone
    hidden_authors = (
        frozenset()
        if team
        else frozenset(
            Question.objects.filter(space=space, hidden_at__isnull=False)
            .exclude(author=None)
            .values_list("author_id", flat=True)
        )
    )
    html = rendered()
    if team or user.pk not in hidden_authors:
        generations.store(key, stamp, (hidden_authors, generations.packed(html)), SECONDS)
    return mark_safe(html)  # noqa: S308 - rendered by our template


def _thread_facts(question, user) -> tuple:
    return (
        question.updated_at,
        question.edited_at,
        question.answer_count,
        question.accepted_answer_id,
        question.last_activity_at,
        question.hidden_at,
        question.locked_at,
        question.is_discussion,
        question.space_id,
        question.space.is_active,
        _viewer(user),
    )


def _involved(question) -> frozenset:
    """Whose view of the thread is their own: the asker, the answers' authors, who marked an answer "utile"."""
    from exchange.models import Answer, AnswerUseful

    authors = Answer.objects.filter(question=question).order_by().values_list("author_id", flat=True)
    markers = AnswerUseful.objects.filter(answer__question=question).order_by().values_list("user_id", flat=True)
    return frozenset([question.author_id, *authors.union(markers).order_by()]) - {None}


def _attach_tags(question, tags) -> None:
    """Give `question` its tags as if prefetched: the peers column reads them (exchange.peers) with no query."""
    rows = question.tags.all()
    rows._result_cache, rows._prefetch_done = list(tags), True
    question._prefetched_objects_cache = {**getattr(question, "_prefetched_objects_cache", {}), "tags": rows}


def question_thread(request, question) -> dict:
    """The rendered thread of `question` for the person asking: "main" (the question and its answers), "aside"
    (its tags and linked resources) and "form" (the blank answer form). The question gets its tags too."""
    from exchange import selectors
    from exchange.forms import AnswerForm
    from toolbox.selectors import GENERATION_KEY as TOOLBOX_GENERATION_KEY

    user = request.user

    def rendered(involved=frozenset()) -> dict:
        context = selectors.question_page(question=question, user=user) | {"csrf_token": generations.CSRF_PLACEHOLDER}
        parts = {
            "main": render_to_string("exchange/question_thread.html", context, request=request),
            "aside": render_to_string("exchange/question_aside.html", context, request=request),
            "form": render_to_string("exchange/question_answer_form.html", {"answer_form": AnswerForm()}),
        }
        return {"involved": involved, "tags": context["tags"], "parts": parts}

    def shown(entry, *, packed: bool) -> dict:
        _attach_tags(question, entry["tags"])
        parts = entry["parts"]
        token = generations.with_csrf_token
        return {name: token(request, generations.unpacked(html) if packed else html) for name, html in parts.items()}

    def kept(key, stamp, entry) -> None:
        parts = {name: generations.packed(html) for name, html in entry["parts"].items()}
        generations.store(key, stamp, entry | {"parts": parts}, SECONDS)

    names = [question_generation(question.pk), NETWORK]
    cache_keys = [TOOLBOX_GENERATION_KEY]
    facts = _thread_facts(question, user)
    prefix = f"exchange:thread:{VERSION}:{question.pk}:{get_language()}"
    # A hidden question is shown to the team and its author only: both have a thread of their own.
    own = _is_team(user) or question.author_id == user.pk or question.hidden_at is not None
    if not own:
        key = f"{prefix}:membres"
        stamp, found = generations.cached(key, names, cache_keys=cache_keys, facts=facts)
        if found is not None:
            if user.pk not in found["involved"]:
                return shown(found, packed=True)
        else:
            involved = _involved(question)
            if user.pk not in involved:
                entry = rendered(involved)
                kept(key, stamp, entry)
                return shown(entry, packed=False)
    key = f"{prefix}:u{user.pk}"
    stamp, found = generations.cached(key, names, cache_keys=cache_keys, facts=facts)
    if found is not None:
        return shown(found, packed=True)
    entry = rendered()
    kept(key, stamp, entry)
    return shown(entry, packed=False)
