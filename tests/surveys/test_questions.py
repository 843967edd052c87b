"""The contract of surveys/questions.py that answering and results rely on."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from competences.enums import FrameworkStatus
from surveys.enums import ParticipationStatus, QuestionKind, QuestionSource
from surveys.models import Participation, Question
from surveys.questions import (
    option_label,
    question_options,
    question_shown,
    questionnaire_frozen,
    questionnaire_questions,
    questionnaire_structure,
)
from tests.members.factories import UserFactory
from tests.referentiel.factories import build_version, small_data
from tests.surveys.factories import make_campaign, make_questionnaire, make_response

pytestmark = pytest.mark.django_db


def _question(questionnaire, code):
    return Question.objects.get(section__questionnaire=questionnaire, code=code)


def test_structure_orders_parts_and_questions_in_two_queries():
    questionnaire = make_questionnaire()
    with CaptureQueriesContext(connection) as queries:
        sections = questionnaire_structure(questionnaire)
        codes = [[question.code for question in section.questions.all()] for section in sections]
        dependents = [q for s in sections for q in s.questions.all() if q.condition_question_id]
        assert dependents[0].condition_question.code == "ia"
    assert len(queries) == 2
    assert [section.title for section in sections] == ["Votre poste", "Vos pratiques"]
    assert codes == [["ia", "ia-usages", "temps"], ["satisfaction", "seances", "outil", "remarques"]]


def test_structure_follows_order_not_creation():
    questionnaire = make_questionnaire()
    _question(questionnaire, "temps").__class__.objects.filter(code="temps").update(order=0)
    assert [q.code for q in questionnaire_questions(questionnaire)][:3] == ["temps", "ia", "ia-usages"]


def test_options_written_by_the_team():
    questionnaire = make_questionnaire()
    question = _question(questionnaire, "ia-usages")
    assert question_options(question) == [
        ("synthese", "Synthèses"),
        ("courriers", "Courriers"),
        ("transcription", "Transcriptions"),
    ]
    assert option_label(question, "courriers") == "Courriers"
    assert option_label(question, "inconnu") == "inconnu"


def test_scale_options_are_its_steps_with_end_labels():
    question = _question(make_questionnaire(), "satisfaction")
    assert question_options(question) == [
        ("1", "1 — Pas du tout"),
        ("2", "2"),
        ("3", "3"),
        ("4", "4"),
        ("5", "5 — Tout à fait"),
    ]


def test_text_and_number_questions_have_no_options():
    questionnaire = make_questionnaire()
    assert question_options(_question(questionnaire, "seances")) == []
    assert question_options(_question(questionnaire, "remarques")) == []


def test_options_from_the_current_referentiel_by_code():
    build_version(small_data("v1.0", missions=3), status=FrameworkStatus.ARCHIVED)
    current = build_version(small_data("v2.0", missions=2))
    questionnaire = make_questionnaire()
    question = _question(questionnaire, "temps")
    question.source = QuestionSource.MISSIONS
    question.save()
    assert question_options(question) == [("M1", "Mission 1"), ("M2", "Mission 2")]
    competences = _question(questionnaire, "ia-usages")
    competences.source = QuestionSource.COMPETENCES
    competences.save()
    options = question_options(competences, version=current)
    assert options[0] == ("C-1-01", "C-1-01 Compétence 1.1") and len(options) == 6


def test_options_from_the_referentiel_are_empty_without_one():
    question = _question(make_questionnaire(), "temps")
    question.source = QuestionSource.MISSIONS
    assert question_options(question) == []


def test_shown_without_condition():
    assert question_shown(_question(make_questionnaire(), "temps"), {}) is True


def test_shown_on_single_choice_condition():
    question = _question(make_questionnaire(), "ia-usages")
    assert question_shown(question, {"ia": "oui"}) is True
    assert question_shown(question, {"ia": "non"}) is False
    assert question_shown(question, {}) is False


def test_shown_on_multiple_choice_and_scale_conditions():
    questionnaire = make_questionnaire()
    question = _question(questionnaire, "remarques")
    question.condition_question = _question(questionnaire, "ia-usages")
    question.condition_values = ["courriers", "transcription"]
    question.save()
    assert question_shown(question, {"ia": "oui", "ia-usages": ["synthese", "courriers"]}) is True
    assert question_shown(question, {"ia": "oui", "ia-usages": ["synthese"]}) is False
    question.condition_question = _question(questionnaire, "satisfaction")
    question.condition_values = ["1", "2"]
    assert question_shown(question, {"satisfaction": 2}) is True
    assert question_shown(question, {"satisfaction": 4}) is False


def test_conditions_chain():
    questionnaire = make_questionnaire()
    question = _question(questionnaire, "remarques")
    question.condition_question = _question(questionnaire, "ia-usages")
    question.condition_values = ["courriers"]
    question.save()
    questions = {q.code: q for q in questionnaire_questions(questionnaire)}
    # "ia-usages" is hidden when "ia" is "non": a stale answer to it does not show "remarques".
    assert question_shown(questions["remarques"], {"ia": "non", "ia-usages": ["courriers"]}) is False
    assert question_shown(questions["remarques"], {"ia": "oui", "ia-usages": ["courriers"]}) is True


def test_frozen_once_anyone_took_part():
    questionnaire = make_questionnaire()
    assert questionnaire_frozen(questionnaire) is False
    campaign = make_campaign(questionnaire)
    assert questionnaire_frozen(questionnaire) is False
    Participation.objects.create(campaign=campaign, user=UserFactory(), status=ParticipationStatus.STARTED)
    assert questionnaire_frozen(questionnaire) is True


def test_frozen_by_a_response_alone():
    questionnaire = make_questionnaire()
    make_response(make_campaign(questionnaire), {"ia": "non"})
    assert questionnaire_frozen(questionnaire) is True
    assert questionnaire_frozen(make_questionnaire(title="Autre")) is False


def test_split_kind_uses_options():
    question = _question(make_questionnaire(), "temps")
    assert question.kind == QuestionKind.SPLIT
    assert [value for value, _label in question_options(question)] == ["animer", "accompagner", "valoriser"]


def test_options_follow_a_changed_setting_of_the_same_instance():
    question = _question(make_questionnaire(), "satisfaction")
    assert len(question_options(question)) == 5
    question.scale_max = 3
    assert [value for value, _label in question_options(question)] == ["1", "2", "3"]
