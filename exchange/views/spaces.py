"""Views of the spaces area (spaces and questions, answers, mentions, peers, search).

Members only (approved accounts): the site's middlewares send visitors to log in and pending accounts to the
waiting page. A hidden question is a 404 for everyone but the team and its author.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.concurrency import EditConflict, conflict_data, conflict_for
from exchange import caching, selectors, services
from exchange.forms import AnswerForm, QuestionForm
from exchange.models import Answer, Question, QuestionTag, Space


def _question_or_404(request, pk, *, page=False) -> Question:
    if page:  # the question page: see selectors.question_for_page
        question = selectors.question_for_page(pk=pk, user=request.user)
        if question is None:
            raise Http404
        return question
    question = (
        Question.objects.visible_to(request.user)
        .select_related("space", "author__profile")
        .prefetch_related(Prefetch("tags", queryset=QuestionTag.objects.order_by("kind", "code")))
        .filter(pk=pk)
        .first()
    )
    if question is None:
        raise Http404
    return question


def _answer_or_404(request, pk) -> Answer:
    answer = get_object_or_404(Answer.objects.select_related("question__space", "author__profile"), pk=pk)
    if not Question.objects.visible_to(request.user).filter(pk=answer.question_id).exists():
        raise Http404
    return answer


def spaces(request):
    if not Space.objects.filter(kind="region").exists():
        services.region_spaces_ensure()
    return render(request, "exchange/spaces.html", selectors.spaces_page(user=request.user))


def space(request, slug):
    # A closed space stays readable (its page says it is closed; the services refuse new questions and answers).
    space = selectors.space_for_page(slug=slug, user=request.user)
    if space is None:
        raise Http404
    state, sort = selectors.space_filters(request.GET)
    # The list comes rendered (kept between changes: exchange.caching).
    questions = caching.space_questions(request, space, state=state, sort=sort, params=request.GET)
    return render(
        request, "exchange/space.html", {"space": space, "state": state, "sort": sort, "questions_html": questions}
    )


def ask(request):
    initial = {}
    chosen = Space.objects.active().filter(slug=request.GET.get("espace", "")).first()
    if chosen is not None:
        initial["space"] = chosen.pk
    form = QuestionForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            question = services.question_ask(
                user=request.user,
                space=data["space"],
                title=data["title"],
                body=data["body"],
                is_discussion=data["is_discussion"],
                tags=form.tags(),
                resources=data["resources"],
            )
        except services.ExchangeError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Votre question est publiée."))
            return redirect(question)
    return render(request, "exchange/question_form.html", {"form": form, "question": None, "space": chosen})


def question(request, pk):
    question = _question_or_404(request, pk, page=True)
    initial = {}
    quoted = None
    if request.GET.get("citer", "").isdigit():
        quoted = Answer.objects.filter(question=question, pk=int(request.GET["citer"]), hidden_at__isnull=True).first()
        if quoted is not None:
            initial = {"body": services.quote_markup(quoted), "quoted": quoted.pk}
    return _question_render(request, question, AnswerForm(initial=initial))


def _question_render(request, question, answer_form, status=200):
    # The thread and the side column's tags and resources come rendered (kept between changes: exchange.caching).
    context = {
        "question": question,
        "thread": caching.question_thread(request, question),
        "answer_form": answer_form,
        "can_answer": services.can_answer(request.user, question),
    }
    return render(request, "exchange/question.html", context, status=status)


def question_edit(request, pk):
    question = _question_or_404(request, pk)
    if not services.can_edit_question(request.user, question):
        raise PermissionDenied
    form = QuestionForm(request.POST or None, user=request.user, question=question)
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.question_edit(
                question=question,
                user=request.user,
                title=data["title"],
                body=data["body"],
                is_discussion=data["is_discussion"],
                tags=form.tags(),
                resources=data["resources"],
                lock_version=data["lock_version"],
            )
        except EditConflict as error:
            current = error.current
            if current is None:
                raise Http404 from error
            form = QuestionForm(conflict_data(request.POST, current.lock_version), user=request.user, question=current)
            form.is_valid()
            conflict = conflict_for(error, form, QuestionForm(user=request.user, question=current))
        except services.ExchangeError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Question modifiée."))
            return redirect(question)
    context = {"form": form, "question": question, "space": question.space, "conflict": conflict}
    return render(request, "exchange/question_form.html", context, status=409 if conflict else 200)


def question_history(request, pk):
    question = _question_or_404(request, pk)
    return render(request, "exchange/history.html", selectors.post_history(post=question, params=request.GET))


@require_POST
def answer_add(request, pk):
    question = _question_or_404(request, pk, page=True)
    form = AnswerForm(request.POST)
    if form.is_valid():
        quoted_id = form.cleaned_data.get("quoted")
        quoted = Answer.objects.filter(pk=quoted_id, question=question).first() if quoted_id else None
        try:
            answer = services.answer_post(
                question=question, user=request.user, body=form.cleaned_data["body"], quoted=quoted
            )
        except services.ExchangeError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Votre réponse est publiée."))
            return redirect(f"{question.get_absolute_url()}#reponse-{answer.pk}")
    return _question_render(request, question, form, status=400)


def answer_edit(request, pk):
    answer = _answer_or_404(request, pk)
    question = answer.question
    if not services.can_edit_answer(request.user, answer, question):
        raise PermissionDenied
    form = AnswerForm(request.POST or None, answer=answer)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_edit(
                answer=answer,
                user=request.user,
                body=form.cleaned_data["body"],
                lock_version=form.cleaned_data["lock_version"],
            )
        except EditConflict as error:
            current = error.current
            if current is None:
                raise Http404 from error
            form = AnswerForm(conflict_data(request.POST, current.lock_version), answer=current)
            form.is_valid()
            conflict = conflict_for(error, form, AnswerForm(answer=current))
        except services.ExchangeError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Réponse modifiée."))
            return redirect(answer.get_absolute_url())
    context = {"form": form, "answer": answer, "question": question, "conflict": conflict}
    return render(request, "exchange/answer_form.html", context, status=409 if conflict else 200)


def answer_history(request, pk):
    answer = _answer_or_404(request, pk)
    if answer.is_hidden and not (services.is_team(request.user) or answer.author_id == request.user.pk):
        raise Http404
    context = selectors.post_history(post=answer, params=request.GET) | {"question": answer.question}
    return render(request, "exchange/history.html", context)


@require_POST
def answer_useful(request, pk):
    answer = _answer_or_404(request, pk)
    try:
        marked = services.useful_toggle(answer=answer, user=request.user)
    except services.ExchangeError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("Réponse marquée utile.") if marked else _("Marque « utile » retirée."))
    return redirect(answer.get_absolute_url())


@require_POST
def answer_accept(request, pk):
    answer = _answer_or_404(request, pk)
    try:
        question = services.answer_accept(answer=answer, user=request.user)
    except services.ExchangeError as error:
        messages.error(request, error.messages[0])
    else:
        if question.accepted_answer_id == answer.pk:
            messages.success(request, _("Réponse retenue : elle apparaît en premier."))
        else:
            messages.success(request, _("Cette réponse n'est plus retenue."))
    return redirect(answer.get_absolute_url())


def search(request):
    return render(request, "exchange/search.html", selectors.search_page(user=request.user, params=request.GET))
