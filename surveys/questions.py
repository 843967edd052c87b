"""What a questionnaire asks, read the same way by the team's pages, answering and results.

The contract between the surveys' areas:

- `questionnaire_structure(questionnaire)`: its parts in order, each with its questions prefetched in order
  (`section.questions.all()` runs no query); conditions point at the questions of the same structure.
- `questionnaire_questions(questionnaire)` / `structure_questions(sections)`: the questions in the order a
  respondent meets them.
- `question_options(question, version=None)`: the options a respondent chooses from, `[(value, label)]`:
  the team's options, or the référentiel's missions or competences (by their stable code) of `version`
  (the current référentiel when None); for a scale, its steps ("1", "2", …) so that a condition or a
  count can name them.
- `question_shown(question, answers)`: whether a question is asked, given the answers so far
  ({code: value}, a multiple choice being a list). A question whose condition question is itself not
  shown is not shown either.
- `questionnaire_frozen(questionnaire)`: whether anyone took part in a campaign of it (then its structure
  may no longer change; the team copies it).
"""

from __future__ import annotations

from django.db.models import Prefetch

from surveys.enums import QuestionKind, QuestionSource
from surveys.models import Participation, Question, Questionnaire, QuestionSection, Response

# Kinds whose answer is one or several of the question's options.
CHOICE_KINDS = frozenset({QuestionKind.SINGLE, QuestionKind.MULTIPLE})
# Kinds whose options are a list (written, or taken from the référentiel).
OPTION_KINDS = frozenset({QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.SPLIT})
# Kinds an other question may depend on.
CONDITION_KINDS = frozenset({QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.SCALE})
TEXT_KINDS = frozenset({QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT})

_OPTIONS_CACHE = "_surveys_options"
_CONDITION_DEPTH = 20


def _framework_options(source: str, version) -> list[tuple[str, str]]:
    from competences.models import Competence, FrameworkVersion
    from missions.models import Mission

    if version is None:
        version = FrameworkVersion.objects.current()
    if version is None:
        return []
    if source == QuestionSource.MISSIONS:
        rows = Mission.objects.filter(version=version).order_by("order", "code").values_list("code", "title")
    else:
        rows = (
            Competence.objects.filter(version=version)
            .order_by("domain__order", "order", "code")
            .values_list("code", "title")
        )
    return [(code, f"{code} {title}" if source == QuestionSource.COMPETENCES else title) for code, title in rows]


def question_options(question: Question, *, version=None) -> list[tuple[str, str]]:
    """The options of `question` as (value, label), in order (see the module's docstring)."""
    # Cached on the instance, keyed by what the options depend on (a changed setting is never served stale).
    key = (
        getattr(version, "pk", None),
        question.kind,
        question.source,
        question.scale_min,
        question.scale_max,
        question.scale_min_label,
        question.scale_max_label,
        repr(question.options),
    )
    cache = getattr(question, _OPTIONS_CACHE, None)
    if cache is not None and key in cache:
        return cache[key]
    if question.kind == QuestionKind.SCALE:
        options = []
        for step in range(question.scale_min, question.scale_max + 1):
            label = str(step)
            if step == question.scale_min and question.scale_min_label:
                label = f"{step} — {question.scale_min_label}"
            elif step == question.scale_max and question.scale_max_label:
                label = f"{step} — {question.scale_max_label}"
            options.append((str(step), label))
    elif question.kind not in OPTION_KINDS:
        options = []
    elif question.source in (QuestionSource.MISSIONS, QuestionSource.COMPETENCES):
        options = _framework_options(question.source, version)
    else:
        options = [
            (str(option.get("value", "")), str(option.get("label", "")))
            for option in question.options or []
            if isinstance(option, dict) and option.get("value") not in (None, "")
        ]
    if cache is None:
        cache = {}
        setattr(question, _OPTIONS_CACHE, cache)
    cache[key] = options
    return options


def _matches(answer, values: list) -> bool:
    wanted = {str(value) for value in values}
    if answer is None:
        return False
    if isinstance(answer, list):
        return any(str(item) in wanted for item in answer)
    if isinstance(answer, dict):
        return any(str(item) in wanted for item, share in answer.items() if share)
    return str(answer) in wanted


def question_shown(question: Question, answers: dict) -> bool:
    """Whether `question` is asked given `answers` ({code: value}); conditions chain."""
    depth = 0
    current = question
    while current.condition_question_id is not None:
        depth += 1
        if depth > _CONDITION_DEPTH:
            return False
        condition = current.condition_question
        if condition is None:
            return True
        if not _matches(answers.get(condition.code), current.condition_values or []):
            return False
        current = condition
    return True


def questionnaire_frozen(questionnaire: Questionnaire) -> bool:
    """Whether anyone took part in (or answered) a campaign of `questionnaire`."""
    if questionnaire.pk is None:
        return False
    return (
        Participation.objects.filter(campaign__questionnaire=questionnaire).exists()
        or Response.objects.filter(campaign__questionnaire=questionnaire).exists()
    )


def questionnaire_structure(questionnaire: Questionnaire) -> list[QuestionSection]:
    """The parts of `questionnaire` in order, their questions prefetched in order (two queries)."""
    sections = list(
        QuestionSection.objects.filter(questionnaire=questionnaire)
        .order_by("order", "pk")
        .prefetch_related(Prefetch("questions", queryset=Question.objects.order_by("order", "pk")))
    )
    by_pk = {question.pk: question for section in sections for question in section.questions.all()}
    for section in sections:
        section.questionnaire = questionnaire
        for question in section.questions.all():
            question.section = section
            if question.condition_question_id is not None:
                condition = by_pk.get(question.condition_question_id)
                if condition is not None:
                    question.condition_question = condition
    return sections


def structure_questions(sections: list[QuestionSection]) -> list[Question]:
    """The questions of a structure in the order a respondent meets them."""
    return [question for section in sections for question in section.questions.all()]


def questionnaire_questions(questionnaire: Questionnaire) -> list[Question]:
    """The questions of `questionnaire` in order (see questionnaire_structure)."""
    return structure_questions(questionnaire_structure(questionnaire))


def option_label(question: Question, value, *, version=None) -> str:
    """The label of one option value of `question` (the value itself when unknown)."""
    return dict(question_options(question, version=version)).get(str(value), str(value))
