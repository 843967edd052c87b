"""Authorization matrix rows of the exchange app's spaces area (read by tests/core/test_authorization_matrix.py).

The entraide is for members (approved accounts): visitors log in, pending accounts wait. A question is edited
by its author or the CNCD team (403 for other members); a hidden question is a 404 for other members.
"""

from tests.core.authorization import FORBIDDEN, LOGIN, MISSING, OK, PENDING, members, members_post_only, row

QUESTION = {"pk": "{exchange_question}"}
HIDDEN = {"pk": "{exchange_hidden_question}"}
ANSWER = {"pk": "{exchange_answer}"}
AUTHOR_OR_TEAM = (LOGIN, PENDING, OK, FORBIDDEN, OK, OK)

CASES: dict = {
    "exchange:spaces": members(),
    # A closed space stays readable by members (with a "fermé" note and no "ask" button).
    "exchange:space": (
        members(kwargs={"slug": "{exchange_space}"}),
        members(kwargs={"slug": "{exchange_closed_space}"}),
    ),
    "exchange:ask": (members(), members(query="espace={exchange_space}")),
    "exchange:search": (members(), members(query="q=autosaisine&espace={exchange_space}&etiquette=C-1-01")),
    "exchange:question": (
        members(kwargs=QUESTION),
        members(kwargs=QUESTION, query="citer={exchange_answer}"),
        row(LOGIN, PENDING, OK, MISSING, OK, OK, kwargs=HIDDEN),
    ),
    "exchange:question_edit": row(*AUTHOR_OR_TEAM, kwargs=QUESTION),
    "exchange:question_history": members(kwargs=QUESTION),
    "exchange:answer_add": members_post_only(kwargs=QUESTION),
    "exchange:answer_edit": row(*AUTHOR_OR_TEAM, kwargs=ANSWER),
    "exchange:answer_history": members(kwargs=ANSWER),
    "exchange:answer_useful": members_post_only(kwargs=ANSWER),
    "exchange:answer_accept": members_post_only(kwargs=ANSWER),
}


def samples(users) -> dict:
    """A space, a question by the member with an answer by the member, a hidden question by the member, and a
    closed space."""
    from django.utils import timezone

    from exchange import services
    from exchange.models import Space

    space, _created = Space.objects.get_or_create(
        slug="matrice-espaces", defaults={"kind": "theme", "name": "Espace de la matrice"}
    )
    member = users["member"]
    question = services.question_ask(
        user=member, space=space, title="Autosaisine ?", body="Comment faites-vous ?", rate_limited=False
    )
    answer = services.answer_post(question=question, user=member, body="Par le bureau.", rate_limited=False)
    hidden = services.question_ask(user=member, space=space, title="Masquée", body="Texte", rate_limited=False)
    type(hidden).objects.filter(pk=hidden.pk).update(hidden_at=timezone.now(), hidden_reason="Test")
    closed, _created = Space.objects.get_or_create(
        slug="matrice-espace-ferme",
        defaults={"kind": "theme", "name": "Espace fermé de la matrice", "is_active": False},
    )
    return {
        "exchange_space": space.slug,
        "exchange_closed_space": closed.slug,
        "exchange_question": question.pk,
        "exchange_hidden_question": hidden.pk,
        "exchange_answer": answer.pk,
    }
