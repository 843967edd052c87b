"""Moderation of the entraide: reports by members, the CNCD team's decisions, hiding, locking and moving.

Every change is made here, in a transaction, audited (`exchange.report.*`, `exchange.question.*`,
`exchange.answer.*`, `exchange.message.*`: sentences in exchange.journal) and notified:
- a member reports a question, an answer or a private message once, with a reason; the team is told;
- the team upholds a report (the post is hidden with a reason: every open report of that post is settled) or
  dismisses it with a note; the reporters learn the outcome (never the note), the author of a hidden post
  learns the reason;
- the team hides or restores a question or an answer directly, locks or unlocks a thread, moves a question to
  another space (the asker is told).

Counts: `Space.question_count` counts the questions members can see (hidden ones are not counted) and
`Question.answer_count` the answers members can see; exchange.services recounts them (and the question's search
text, made of the visible answers only) on every hide, restore (`post_hidden_changed`) and move.
A locked thread or a closed space is refused by exchange.services itself (`can_answer`, `can_edit_*`).

Editing a post with a moderation change moves its `lock_version` on (core.concurrency): an edit form opened
before the team hid or locked the post gets the conflict page instead of overwriting the decision.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit_log
from core.concurrency import version_claim
from exchange.enums import ReportStatus
from exchange.models import REASON_LENGTH, Answer, Message, Question, Report, Space
from exchange.services import ExchangeError as ModerationError
from exchange.services import post_hidden_changed, space_counts_refresh
from fiches.notifications import notify


def _reason(text: str, *, empty_message: str) -> str:
    text = " ".join((text or "").split())
    if not text:
        raise ModerationError(empty_message)
    if len(text) > REASON_LENGTH:
        raise ModerationError(_("Le motif dépasse %(max)s caractères : raccourcissez-le.") % {"max": REASON_LENGTH})
    return text


def _curators() -> set[int]:
    from members.models import User

    return set(User.objects.curators().values_list("pk", flat=True))


# Reads ------------------------------------------------------------------------------------------------


def reports_with_posts():
    """Reports with their post, its author, space or conversation, and the reporter (constant queries)."""
    return Report.objects.select_related(
        "reporter__profile",
        "question__space",
        "question__author__profile",
        "answer__question",
        "answer__author__profile",
        "message__conversation",
        "message__sender__profile",
        "decided_by__profile",
    )


def open_reports():
    """Open reports, oldest first, with what the queue shows."""
    return reports_with_posts().filter(status=ReportStatus.OPEN)


def open_report_count() -> int:
    return Report.objects.open().count()


def post_of(report: Report):
    """The question, answer or message `report` is about."""
    return report.question or report.answer or report.message


# Reports ----------------------------------------------------------------------------------------------


def _report_url(report: Report) -> str:
    from django.urls import reverse

    return reverse("exchange:moderation_report", args=[report.pk])


@transaction.atomic
def report_create(*, reporter, reason: str, question=None, answer=None, message=None) -> Report:
    """A member reports a question, an answer or a private message they can read, once, with a reason."""
    reason = _reason(reason, empty_message=_("Indiquez pourquoi ce contenu vous semble inapproprié."))
    targets = [target for target in (question, answer, message) if target is not None]
    if len(targets) != 1:
        raise ModerationError(_("Choisissez un seul contenu à signaler."))
    post = targets[0]
    if isinstance(post, Message):
        if not post.conversation.members.filter(user=reporter).exists():
            raise ModerationError(_("Ce message n'existe pas."))
        if post.sender_id == reporter.pk:
            raise ModerationError(_("Vous ne pouvez pas signaler votre propre message."))
    elif post.author_id == reporter.pk:
        raise ModerationError(_("Vous ne pouvez pas signaler votre propre message."))
    if post.hidden_at is not None:
        raise ModerationError(_("Ce contenu est déjà masqué par l'équipe CNCD."))
    field = {Question: "question", Answer: "answer", Message: "message"}[type(post)]
    if Report.objects.filter(reporter=reporter, **{field: post}).exists():
        raise ModerationError(_("Vous avez déjà signalé ce contenu : l'équipe CNCD l'examine."))
    report = Report.objects.create(reporter=reporter, reason=reason, **{field: post})
    audit_log(actor=reporter, action=f"exchange.{field}.reported", target=post, data={"report": report.pk})
    notify(
        user_ids=_curators(),
        actor=reporter,
        message=_("Un contenu de l'entraide a été signalé : %(reason)s") % {"reason": reason},
        url=_report_url(report),
    )
    return report


def _settle(post, *, status: str, actor, note: str) -> list[Report]:
    """Close the open reports of `post` with `status`; return them."""
    field = {Question: "question", Answer: "answer", Message: "message"}[type(post)]
    reports = list(Report.objects.select_for_update().open().filter(**{field: post}))
    Report.objects.filter(pk__in=[report.pk for report in reports]).update(
        status=status, decided_at=timezone.now(), decided_by=actor, decision_note=note
    )
    return reports


def _tell_reporters(reports, *, actor, upheld: bool, url: str) -> None:
    reporters = {report.reporter_id for report in reports if report.reporter_id}
    if not reporters:
        return
    message = (
        _("Merci pour votre signalement : l'équipe CNCD a masqué le contenu.")
        if upheld
        else _("Merci pour votre signalement : l'équipe CNCD l'a examiné et a laissé le contenu visible.")
    )
    notify(user_ids=reporters, actor=actor, message=message, url=url)


def _locked_report(report_id: int) -> Report:
    report = Report.objects.select_for_update().filter(pk=report_id).first()
    if report is None:
        raise ModerationError(_("Ce signalement n'existe pas."))
    if report.status != ReportStatus.OPEN:
        raise ModerationError(_("Ce signalement a déjà été traité."))
    return report


@transaction.atomic
def report_uphold(*, report_id: int, actor, reason: str):
    """The team upholds a report: the post is hidden with `reason` (its other open reports are settled too)."""
    report = _locked_report(report_id)
    post = post_of(report)
    return _hide(post, actor=actor, reason=reason)


@transaction.atomic
def report_dismiss(*, report_id: int, actor, note: str) -> int:
    """The team dismisses the open reports of a post with a note: the post stays visible."""
    note = _reason(note, empty_message=_("Indiquez pourquoi ce signalement est classé sans suite."))
    report = _locked_report(report_id)
    post = post_of(report)
    reports = _settle(post, status=ReportStatus.DISMISSED, actor=actor, note=note)
    field = {Question: "question", Answer: "answer", Message: "message"}[type(post)]
    audit_log(
        actor=actor,
        action=f"exchange.{field}.reports_dismissed",
        target=post,
        data={"reason": note, "reports": len(reports)},
    )
    _tell_reporters(reports, actor=actor, upheld=False, url=_public_url(post))
    return len(reports)


def _public_url(post) -> str:
    if isinstance(post, Message):
        return post.conversation.get_absolute_url()
    return post.get_absolute_url()


# Hide and restore ------------------------------------------------------------------------------------


def _hide(post, *, actor, reason: str):
    reason = _reason(reason, empty_message=_("Indiquez le motif du masquage : son auteur·rice le lira."))
    post = type(post).objects.select_for_update().get(pk=post.pk)
    if post.hidden_at is not None:
        raise ModerationError(_("Ce contenu est déjà masqué."))
    if not isinstance(post, Message):
        version_claim(post, expected=None)
    post.hidden_at, post.hidden_by, post.hidden_reason = timezone.now(), actor, reason
    post.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    field = {Question: "question", Answer: "answer", Message: "message"}[type(post)]
    reports = _settle(post, status=ReportStatus.UPHELD, actor=actor, note=reason)
    if not isinstance(post, Message):
        post_hidden_changed(post)
    if isinstance(post, Question):
        author_id, text = post.author_id, _("Votre question « %(title)s » a été masquée par l'équipe CNCD : %(reason)s")
    elif isinstance(post, Answer):
        author_id, text = (
            post.author_id,
            _("Votre réponse à « %(title)s » a été masquée par l'équipe CNCD : %(reason)s"),
        )
    else:
        author_id, text = post.sender_id, _("Votre message privé a été masqué par l'équipe CNCD : %(reason)s")
    title = post.title if isinstance(post, Question) else post.question.title if isinstance(post, Answer) else ""
    audit_log(
        actor=actor, action=f"exchange.{field}.hidden", target=post, data={"reason": reason, "reports": len(reports)}
    )
    if author_id:
        notify(
            user_ids={author_id}, actor=actor, message=text % {"title": title, "reason": reason}, url=_public_url(post)
        )
    _tell_reporters(reports, actor=actor, upheld=True, url=_public_url(post))
    return post


def _restore(post, *, actor, reason: str):
    reason = _reason(reason, empty_message=_("Indiquez pourquoi ce contenu est rétabli."))
    post = type(post).objects.select_for_update().get(pk=post.pk)
    if post.hidden_at is None:
        raise ModerationError(_("Ce contenu n'est pas masqué."))
    if not isinstance(post, Message):
        version_claim(post, expected=None)
    post.hidden_at, post.hidden_by, post.hidden_reason = None, None, ""
    post.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    field = {Question: "question", Answer: "answer", Message: "message"}[type(post)]
    if not isinstance(post, Message):
        post_hidden_changed(post)
    audit_log(actor=actor, action=f"exchange.{field}.restored", target=post, data={"reason": reason})
    author_id = post.sender_id if isinstance(post, Message) else post.author_id
    if author_id:
        notify(
            user_ids={author_id},
            actor=actor,
            message=_("L'équipe CNCD a rétabli votre message : %(reason)s") % {"reason": reason},
            url=_public_url(post),
        )
    return post


@transaction.atomic
def question_hide(*, question_id: int, actor, reason: str) -> Question:
    """The team hides a question (members no longer find it; its author reads the reason)."""
    return _hide(_get(Question, question_id), actor=actor, reason=reason)


@transaction.atomic
def question_restore(*, question_id: int, actor, reason: str) -> Question:
    """The team shows a hidden question again."""
    return _restore(_get(Question, question_id), actor=actor, reason=reason)


@transaction.atomic
def answer_hide(*, answer_id: int, actor, reason: str) -> Answer:
    """The team hides an answer (members see a placeholder; its author reads the reason)."""
    return _hide(_get(Answer, answer_id), actor=actor, reason=reason)


@transaction.atomic
def answer_restore(*, answer_id: int, actor, reason: str) -> Answer:
    """The team shows a hidden answer again."""
    return _restore(_get(Answer, answer_id), actor=actor, reason=reason)


@transaction.atomic
def message_restore(*, message_id: int, actor, reason: str) -> Message:
    """The team shows a private message it hid again (a message is hidden only through a report)."""
    return _restore(_get(Message, message_id), actor=actor, reason=reason)


def _get(model, pk):
    post = model.objects.filter(pk=pk).first()
    if post is None:
        raise ModerationError(_("Ce contenu n'existe pas."))
    return post


# Lock and move ---------------------------------------------------------------------------------------


def _locked_question(question_id: int) -> Question:
    question = Question.objects.select_for_update().select_related("space").filter(pk=question_id).first()
    if question is None:
        raise ModerationError(_("Cette question n'existe pas."))
    return question


@transaction.atomic
def question_lock(*, question_id: int, actor, reason: str) -> Question:
    """The team locks a thread: no new answer nor edit by members until it is unlocked."""
    reason = _reason(reason, empty_message=_("Indiquez le motif du verrouillage : les membres le liront."))
    question = _locked_question(question_id)
    if question.is_locked:
        raise ModerationError(_("Cette discussion est déjà verrouillée."))
    version_claim(question, expected=None)
    question.locked_at, question.locked_by, question.lock_reason = timezone.now(), actor, reason
    question.save(update_fields=["locked_at", "locked_by", "lock_reason"])
    audit_log(actor=actor, action="exchange.question.locked", target=question, data={"reason": reason})
    return question


@transaction.atomic
def question_unlock(*, question_id: int, actor, reason: str) -> Question:
    """The team unlocks a thread."""
    reason = _reason(reason, empty_message=_("Indiquez pourquoi la discussion est rouverte."))
    question = _locked_question(question_id)
    if not question.is_locked:
        raise ModerationError(_("Cette discussion n'est pas verrouillée."))
    version_claim(question, expected=None)
    question.locked_at, question.locked_by, question.lock_reason = None, None, ""
    question.save(update_fields=["locked_at", "locked_by", "lock_reason"])
    audit_log(actor=actor, action="exchange.question.unlocked", target=question, data={"reason": reason})
    return question


@transaction.atomic
def question_move(*, question_id: int, space_id: int, actor, reason: str) -> Question:
    """The team moves a question to another space (even a closed one: it is a team decision); the asker is told."""
    reason = _reason(reason, empty_message=_("Indiquez pourquoi la question change d'espace."))
    question = _locked_question(question_id)
    space = Space.objects.filter(pk=space_id).first()
    if space is None:
        raise ModerationError(_("Cet espace n'existe pas."))
    if space.pk == question.space_id:
        raise ModerationError(_("La question est déjà dans cet espace."))
    previous = question.space
    version_claim(question, expected=None)
    question.space = space
    question.save(update_fields=["space"])
    space_counts_refresh(previous.pk)
    space_counts_refresh(space.pk)
    audit_log(
        actor=actor,
        action="exchange.question.moved",
        target=question,
        data={"reason": reason, "from": previous.name, "to": space.name},
    )
    if question.author_id:
        notify(
            user_ids={question.author_id},
            actor=actor,
            message=_("L'équipe CNCD a déplacé votre question « %(title)s » vers l'espace « %(space)s » : %(reason)s")
            % {"title": question.title, "space": space.name, "reason": reason},
            url=question.get_absolute_url(),
        )
    return question
