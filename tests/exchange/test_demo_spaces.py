"""The entraide's demo threads (exchange/demo.py, spaces area): thematic and regional spaces, realistic threads,
some answered, tags and toolbox links, and nothing new on a second run."""

from io import StringIO

import pytest
from django.core.management import call_command

from exchange.enums import SpaceKind
from exchange.models import Answer, AnswerUseful, Question, QuestionResource, QuestionTag, Space
from members.models import Region

pytestmark = pytest.mark.django_db


def _counts():
    return tuple(
        model.objects.count() for model in (Space, Question, Answer, AnswerUseful, QuestionTag, QuestionResource)
    )


def test_demo_threads_in_several_spaces_some_answered_and_idempotent(client):
    call_command("seed_demo", stdout=StringIO())
    themes = Space.objects.filter(kind=SpaceKind.THEME)
    assert {"Animation et méthodes participatives", "Premiers pas dans le poste"} <= set(
        themes.values_list("name", flat=True)
    )
    assert Space.objects.filter(kind=SpaceKind.REGION).count() == Region.objects.count()
    questions = Question.objects.all()
    assert 8 <= questions.count() <= 12
    assert questions.values("space").distinct().count() >= 4
    assert questions.filter(accepted_answer__isnull=False).count() >= 4
    assert QuestionTag.objects.exists() and QuestionResource.objects.exists() and AnswerUseful.objects.exists()
    for question in questions:
        assert question.answer_count == question.answers.filter(hidden_at__isnull=True).count()
        assert question.search_text
    before = _counts()
    from exchange import demo

    demo._seed_spaces()
    assert _counts() == before
    from members.models import User

    client.force_login(User.objects.get(email="technicienne@demo.codev-reseau.fr"))
    assert client.get("/entraide/").status_code == 200
    question = questions.filter(accepted_answer__isnull=False).first()
    assert client.get(question.get_absolute_url()).status_code == 200
