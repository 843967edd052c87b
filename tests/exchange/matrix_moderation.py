"""Authorization matrix rows of the exchange app's moderation area (read by tests/core/test_authorization_matrix.py).

Members report what they can read and did not write (their own post is a 404 to them); everything else — the
queue, the decisions, hiding, restoring, locking, moving, and the spaces' management — is for the CNCD team.
"""

from tests.core.authorization import LOGIN, MISSING, OK, PENDING, Case, curators, row

QUESTION = {"pk": "{moderation_question}"}
ANSWER = {"pk": "{moderation_answer}"}
NOT_ONE_S_OWN = (LOGIN, PENDING, MISSING, OK, OK, OK)

CASES: dict[str, Case | tuple[Case, ...]] = {
    "exchange:moderation_question_report": row(*NOT_ONE_S_OWN, kwargs=QUESTION),
    "exchange:moderation_answer_report": row(*NOT_ONE_S_OWN, kwargs=ANSWER),
    "exchange:moderation": curators(),
    "exchange:moderation_report": curators(kwargs={"pk": "{moderation_report}"}),
    "exchange:moderation_question_hide": curators(kwargs=QUESTION),
    "exchange:moderation_question_restore": curators(kwargs=QUESTION),
    "exchange:moderation_question_lock": curators(kwargs=QUESTION),
    "exchange:moderation_question_unlock": curators(kwargs=QUESTION),
    "exchange:moderation_question_move": curators(kwargs=QUESTION),
    "exchange:moderation_answer_hide": curators(kwargs=ANSWER),
    "exchange:moderation_answer_restore": curators(kwargs=ANSWER),
    "exchange:moderation_message_restore": curators(kwargs={"pk": "{moderation_hidden_message}"}),
    "exchange:team_spaces": curators(),
    "exchange:team_space_create": curators(),
    "exchange:team_space_edit": curators(kwargs={"pk": "{moderation_space}"}),
}


def samples(users) -> dict:
    """A question and an answer by the member, reported by the other member; a hidden private message."""
    from django.utils import timezone

    from exchange.models import Report
    from tests.exchange.factories import AnswerFactory, QuestionFactory, SpaceFactory, conversation_between

    member, other = users["member"], users["other"]
    space = SpaceFactory(name="Espace de la matrice de modération")
    question = QuestionFactory(space=space, author=member)
    answer = AnswerFactory(question=question, author=member)
    report = Report.objects.create(answer=answer, reporter=other, reason="Propos blessants")
    conversation = conversation_between(other, member, messages=[(other, "Un message privé masqué")])
    message = conversation.messages.get()
    message.hidden_at, message.hidden_by, message.hidden_reason = timezone.now(), users["curator"], "Insultes"
    message.save()
    return {
        "moderation_question": question.pk,
        "moderation_answer": answer.pk,
        "moderation_report": report.pk,
        "moderation_hidden_message": message.pk,
        "moderation_space": space.pk,
    }
