"""Views of the moderation area (reports, hide/restore, lock, move, rate limits) and the team's spaces.

Members (approved accounts; the site's middlewares send visitors to log in and pending accounts to the waiting
page) report what they can read; everything else is for the CNCD team (`curator_required`). Every page works
without JavaScript: a GET shows the form, a POST acts and goes back to the post or to the queue.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.permissions import curator_required
from exchange import moderation, spaces_admin
from exchange.enums import SpaceKind
from exchange.models import Answer, Message, Question, Report, Space
from exchange.moderation_forms import DecisionForm, MoveForm, ReasonForm, ReportForm, SpaceForm
from exchange.services import ExchangeError

RECENT = 20


def _refused(form, error: ExchangeError) -> None:
    for message in error.messages:
        form.add_error(None, message)


# Reports by members ------------------------------------------------------------------------------------


def _report(request, *, post, kind: str, back: str):
    form = ReportForm(request.POST or None)
    already = Report.objects.filter(reporter=request.user, **{kind: post}).exists()
    if request.method == "POST" and form.is_valid():
        try:
            moderation.report_create(reporter=request.user, reason=form.cleaned_data["reason"], **{kind: post})
        except ExchangeError as error:
            _refused(form, error)
        else:
            messages.success(request, _("Merci : votre signalement est transmis à l'équipe CNCD, qui va l'examiner."))
            return redirect(back)
    context = {"form": form, "post": post, "kind": kind, "back": back, "already": already}
    return render(request, "exchange/moderation/report_form.html", context)


def question_report(request, pk):
    question = (
        Question.objects.visible_to(request.user)
        .not_hidden()
        .exclude(author=request.user)
        .select_related("space", "author__profile")
        .filter(pk=pk)
        .first()
    )
    if question is None:
        raise Http404
    return _report(request, post=question, kind="question", back=question.get_absolute_url())


def answer_report(request, pk):
    answer = (
        Answer.objects.not_hidden()
        .exclude(author=request.user)
        .filter(pk=pk, question__in=Question.objects.visible_to(request.user).not_hidden())
        .select_related("question__space", "author__profile")
        .first()
    )
    if answer is None:
        raise Http404
    return _report(request, post=answer, kind="answer", back=answer.get_absolute_url())


# The team's queue and decisions ----------------------------------------------------------------------


@curator_required
def queue(request):
    """Open reports (questions, answers, private messages), then what the team hid or locked lately."""
    context = {
        "reports": list(moderation.open_reports()),
        "hidden_questions": list(
            Question.objects.filter(hidden_at__isnull=False)
            .select_related("space", "hidden_by__profile")
            .order_by("-hidden_at")[:RECENT]
        ),
        "hidden_answers": list(
            Answer.objects.filter(hidden_at__isnull=False)
            .select_related("question", "hidden_by__profile")
            .order_by("-hidden_at")[:RECENT]
        ),
        "hidden_messages": list(
            Message.objects.filter(hidden_at__isnull=False)
            .select_related("hidden_by__profile")
            .order_by("-hidden_at")[:RECENT]
        ),
        "locked_questions": list(
            Question.objects.filter(locked_at__isnull=False)
            .select_related("space", "locked_by__profile")
            .order_by("-locked_at")[:RECENT]
        ),
    }
    return render(request, "exchange/moderation/queue.html", context)


@curator_required
def report_decide(request, pk):
    """One report (and the other open reports of the same post): hide the post with a reason, or dismiss."""
    report = get_object_or_404(moderation.reports_with_posts(), pk=pk)
    post = moderation.post_of(report)
    kind = "question" if report.question_id else "answer" if report.answer_id else "message"
    others = list(
        Report.objects.filter(**{kind: post}).exclude(pk=report.pk).select_related("reporter__profile", "decided_by")
    )
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        reason = form.cleaned_data["reason"]
        try:
            if form.cleaned_data["decision"] == DecisionForm.UPHOLD:
                moderation.report_uphold(report_id=report.pk, actor=request.user, reason=reason)
                done = _("Le contenu est masqué ; son auteur·rice est prévenu·e du motif.")
            else:
                moderation.report_dismiss(report_id=report.pk, actor=request.user, note=reason)
                done = _("Le signalement est classé sans suite ; le contenu reste visible.")
        except ExchangeError as error:
            _refused(form, error)
        else:
            messages.success(request, done)
            return redirect("exchange:moderation")
    context = {"report": report, "post": post, "kind": kind, "others": others, "form": form}
    return render(request, "exchange/moderation/report_decide.html", context)


# Direct actions of the team ----------------------------------------------------------------------------

ACTIONS = {
    # action: (title, explanation, button, done)
    "question_hide": (
        gettext_lazy("Masquer une question"),
        gettext_lazy(
            "Les membres ne la trouveront plus (ni dans les listes, ni dans la recherche) ; son auteur·rice la voit "
            "encore, avec le motif, qui lui est aussi envoyé en notification."
        ),
        gettext_lazy("Masquer la question"),
        gettext_lazy("La question est masquée ; son auteur·rice est prévenu·e du motif."),
    ),
    "question_restore": (
        gettext_lazy("Rétablir une question"),
        gettext_lazy("Les membres la liront et la trouveront de nouveau. Son auteur·rice est prévenu·e."),
        gettext_lazy("Rétablir la question"),
        gettext_lazy("La question est rétablie."),
    ),
    "question_lock": (
        gettext_lazy("Verrouiller une discussion"),
        gettext_lazy(
            "Plus personne, hors l'équipe CNCD, ne pourra y répondre ni modifier la question ou ses réponses. "
            "Le motif est affiché aux membres."
        ),
        gettext_lazy("Verrouiller"),
        gettext_lazy("La discussion est verrouillée."),
    ),
    "question_unlock": (
        gettext_lazy("Déverrouiller une discussion"),
        gettext_lazy("Les membres pourront de nouveau y répondre. Votre motif est enregistré dans le journal."),
        gettext_lazy("Déverrouiller"),
        gettext_lazy("La discussion est rouverte."),
    ),
    "answer_hide": (
        gettext_lazy("Masquer une réponse"),
        gettext_lazy(
            "Les membres verront « Message masqué par l'équipe » à sa place ; son auteur·rice la voit encore, avec "
            "le motif, qui lui est aussi envoyé en notification."
        ),
        gettext_lazy("Masquer la réponse"),
        gettext_lazy("La réponse est masquée ; son auteur·rice est prévenu·e du motif."),
    ),
    "answer_restore": (
        gettext_lazy("Rétablir une réponse"),
        gettext_lazy("Les membres la liront de nouveau. Son auteur·rice est prévenu·e."),
        gettext_lazy("Rétablir la réponse"),
        gettext_lazy("La réponse est rétablie."),
    ),
    "message_restore": (
        gettext_lazy("Rétablir un message privé"),
        gettext_lazy("Les deux membres de la conversation le liront de nouveau. Son auteur·rice est prévenu·e."),
        gettext_lazy("Rétablir le message"),
        gettext_lazy("Le message est rétabli."),
    ),
}

SERVICES = {
    "question_hide": lambda post, **kw: moderation.question_hide(question_id=post.pk, **kw),
    "question_restore": lambda post, **kw: moderation.question_restore(question_id=post.pk, **kw),
    "question_lock": lambda post, **kw: moderation.question_lock(question_id=post.pk, **kw),
    "question_unlock": lambda post, **kw: moderation.question_unlock(question_id=post.pk, **kw),
    "answer_hide": lambda post, **kw: moderation.answer_hide(answer_id=post.pk, **kw),
    "answer_restore": lambda post, **kw: moderation.answer_restore(answer_id=post.pk, **kw),
    "message_restore": lambda post, **kw: moderation.message_restore(message_id=post.pk, **kw),
}


def _team_action(request, *, post, action: str, back: str):
    title, explanation, button, done = ACTIONS[action]
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            SERVICES[action](post, actor=request.user, reason=form.cleaned_data["reason"])
        except ExchangeError as error:
            _refused(form, error)
        else:
            messages.success(request, str(done))
            return redirect(back)
    context = {
        "form": form,
        "post": post,
        "kind": action.split("_")[0],
        "title": title,
        "explanation": explanation,
        "button": button,
        "back": back,
    }
    return render(request, "exchange/moderation/action_form.html", context)


def _question(pk) -> Question:
    return get_object_or_404(Question.objects.select_related("space", "author__profile"), pk=pk)


def _answer(pk) -> Answer:
    return get_object_or_404(Answer.objects.select_related("question__space", "author__profile"), pk=pk)


@curator_required
def question_hide(request, pk):
    question = _question(pk)
    return _team_action(request, post=question, action="question_hide", back=question.get_absolute_url())


@curator_required
def question_restore(request, pk):
    question = _question(pk)
    return _team_action(request, post=question, action="question_restore", back=question.get_absolute_url())


@curator_required
def question_lock(request, pk):
    question = _question(pk)
    return _team_action(request, post=question, action="question_lock", back=question.get_absolute_url())


@curator_required
def question_unlock(request, pk):
    question = _question(pk)
    return _team_action(request, post=question, action="question_unlock", back=question.get_absolute_url())


@curator_required
def answer_hide(request, pk):
    answer = _answer(pk)
    return _team_action(request, post=answer, action="answer_hide", back=answer.get_absolute_url())


@curator_required
def answer_restore(request, pk):
    answer = _answer(pk)
    return _team_action(request, post=answer, action="answer_restore", back=answer.get_absolute_url())


@curator_required
def message_restore(request, pk):
    # The team reopens only a message it hid (after a report): other private messages stay closed to it.
    message = get_object_or_404(
        Message.objects.filter(hidden_at__isnull=False).select_related("conversation", "sender__profile"), pk=pk
    )
    return _team_action(request, post=message, action="message_restore", back="exchange:moderation")


@curator_required
def question_move(request, pk):
    question = _question(pk)
    form = MoveForm(request.POST or None, question=question)
    if request.method == "POST" and form.is_valid():
        try:
            moderation.question_move(
                question_id=question.pk,
                space_id=form.cleaned_data["space"].pk,
                actor=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ExchangeError as error:
            _refused(form, error)
        else:
            messages.success(
                request,
                _("La question est déplacée vers l'espace « %(space)s » ; son auteur·rice est prévenu·e.")
                % {"space": form.cleaned_data["space"].name},
            )
            return redirect(question)
    return render(request, "exchange/moderation/move_form.html", {"form": form, "question": question})


# The team's spaces ----------------------------------------------------------------------------------


@curator_required
def team_spaces(request):
    spaces = Space.objects.select_related("region").order_by("kind", "position", "name")
    context = {
        "themes": [space for space in spaces if space.kind == SpaceKind.THEME],
        "regions": [space for space in spaces if space.kind == SpaceKind.REGION],
    }
    return render(request, "exchange/moderation/spaces.html", context)


@curator_required
def team_space_create(request):
    form = SpaceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            space = spaces_admin.space_create(actor=request.user, **form.cleaned_data)
        except ExchangeError as error:
            _refused(form, error)
        else:
            messages.success(request, _("L'espace « %(space)s » est créé.") % {"space": space.name})
            return redirect("exchange:team_spaces")
    return render(request, "exchange/moderation/space_form.html", {"form": form, "space": None})


@curator_required
def team_space_edit(request, pk):
    space = get_object_or_404(Space.objects.select_related("region"), pk=pk)
    region = space.kind == SpaceKind.REGION
    initial = {
        "name": space.name,
        "slug": space.slug,
        "description": space.description,
        "position": space.position,
        "is_active": space.is_active,
    }
    form = SpaceForm(request.POST or None, initial=initial, region=region)
    if request.method == "POST" and form.is_valid():
        try:
            spaces_admin.space_edit(space_id=space.pk, actor=request.user, **form.cleaned_data)
        except ExchangeError as error:
            _refused(form, error)
        else:
            messages.success(request, _("L'espace « %(space)s » est enregistré.") % {"space": space.name})
            return redirect("exchange:team_spaces")
    return render(request, "exchange/moderation/space_form.html", {"form": form, "space": space})
