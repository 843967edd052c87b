"""The answering page of one section: each question as the template draws it, with what was typed and its error.

The page is a plain form (it works without JavaScript); `static/js/surveys.js` hides the questions whose
condition, on the same page, is not met and shows a split's running total. The rules (what is valid, what
is kept) live in surveys/answering.py.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from surveys.answering import field_name, raw_from_answer
from surveys.enums import QuestionKind
from surveys.models import LONG_ANSWER, SHORT_ANSWER, Question
from surveys.questions import option_label, question_options, question_shown


@dataclass
class Choice:
    value: str
    label: str
    checked: bool = False
    share: str = ""  # a split's typed share
    input_id: str = ""


@dataclass
class AnswerField:
    question: Question
    name: str
    input_id: str
    kind: str
    raw: object
    error: str = ""
    choices: list[Choice] = field(default_factory=list)
    max_length: int = 0
    # A condition on a question of the same page: the script shows this question live.
    condition_name: str = ""
    condition_values: list[str] = field(default_factory=list)
    condition_text: str = ""

    @property
    def value(self) -> str:
        return self.raw if isinstance(self.raw, str) else ""

    @property
    def condition_json(self) -> str:
        return json.dumps(self.condition_values)

    @property
    def split_total(self) -> int:
        total = 0
        for choice in self.choices:
            if choice.share.isdigit():
                total += int(choice.share)
        return total

    @property
    def is_group(self) -> bool:
        """Drawn as a fieldset (several inputs) rather than one labelled input."""
        return self.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.SCALE, QuestionKind.SPLIT)


def section_fields(section, *, answers: dict, raw: dict | None = None, errors: dict | None = None) -> list[AnswerField]:
    """The questions of `section` to draw, given the answers kept (all pages) and what was just typed.

    A question whose condition (on an earlier page) is not met is left out; one whose condition is on
    this page is drawn with the condition named, hidden by the script while it is not met.
    """
    raw = raw or {}
    errors = errors or {}
    on_page = {question.pk for question in section.questions.all()}
    fields = []
    for question in section.questions.all():
        condition = question.condition_question if question.condition_question_id else None
        same_page = condition is not None and condition.pk in on_page
        visible = question_shown(condition, answers) if same_page else question_shown(question, answers)
        if not visible:
            continue
        typed = raw[question.code] if question.code in raw else raw_from_answer(question, answers.get(question.code))
        name = field_name(question)
        answer_field = AnswerField(
            question=question,
            name=name,
            input_id=f"id_{name}",
            kind=question.kind,
            raw=typed,
            error=errors.get(question.code, ""),
        )
        if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.SCALE):
            chosen = set(typed) if isinstance(typed, list) else {typed}
            answer_field.choices = [
                Choice(value, label, checked=value in chosen, input_id=f"id_{name}_{index}")
                for index, (value, label) in enumerate(question_options(question))
            ]
        elif question.kind == QuestionKind.SPLIT:
            shares = typed if isinstance(typed, dict) else {}
            answer_field.choices = [
                Choice(value, label, share=str(shares.get(value, "")), input_id=f"id_{name}_{index}")
                for index, (value, label) in enumerate(question_options(question))
            ]
        elif question.kind == QuestionKind.SHORT_TEXT:
            answer_field.max_length = SHORT_ANSWER
        elif question.kind == QuestionKind.LONG_TEXT:
            answer_field.max_length = LONG_ANSWER
        if same_page:
            answer_field.condition_name = field_name(condition)
            answer_field.condition_values = [str(value) for value in question.condition_values or []]
            answer_field.condition_text = ", ".join(
                f"« {option_label(condition, value)} »" for value in answer_field.condition_values
            )
        fields.append(answer_field)
    return fields


@dataclass
class ReviewRow:
    question: Question
    text: str
    missing: bool = False
    error: str = ""


def review_rows(sections, answers: dict, errors: dict) -> list[tuple[object, list[ReviewRow]]]:
    """Each section with its shown questions and the answer as read: the review page before sending."""
    rows = []
    for section in sections:
        section_rows = []
        for question in section.questions.all():
            if not question_shown(question, answers):
                continue
            value = answers.get(question.code)
            section_rows.append(
                ReviewRow(
                    question=question,
                    text=answer_text(question, value),
                    missing=value is None,
                    error=errors.get(question.code, ""),
                )
            )
        rows.append((section, section_rows))
    return rows


def answer_text(question: Question, value) -> str:
    """An answer as a sentence-less text: labels of the options, "40 % Animer", the number, the text."""
    if value is None:
        return ""
    if question.kind == QuestionKind.MULTIPLE:
        return " ; ".join(option_label(question, item) for item in value)
    if question.kind == QuestionKind.SPLIT:
        # In the order of the options (the database keeps a JSON object's keys in its own order).
        order = {option: index for index, (option, _label) in enumerate(question_options(question))}
        shares = sorted(value.items(), key=lambda item: order.get(item[0], len(order)))
        return " ; ".join(f"{option_label(question, key)} : {share} %" for key, share in shares)
    if question.kind in (QuestionKind.SINGLE, QuestionKind.SCALE):
        return option_label(question, value)
    if question.kind == QuestionKind.NUMBER:
        return str(value).replace(".", ",")
    return str(value)
