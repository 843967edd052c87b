"""Writing questionnaires (the CNCD team): parts, questions of every kind, conditions, order, copies.

Every change of structure (parts, questions, options, codes, kinds, conditions, order) is refused once
the questionnaire is frozen (`questions.questionnaire_frozen`: someone took part in one of its campaigns):
the team copies it for next year instead ("Copier pour l'an prochain"). Only the title and the
introduction stay editable then. A question's `code` is made from its text, unique in the questionnaire,
editable until frozen, and kept by copies (what compares two campaigns).
"""

from __future__ import annotations

import re

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.audit import audit_log
from core.concurrency import version_claim
from surveys.enums import QuestionKind, QuestionSource
from surveys.models import Question, Questionnaire, QuestionSection
from surveys.questions import (
    CHOICE_KINDS,
    CONDITION_KINDS,
    OPTION_KINDS,
    question_options,
    questionnaire_frozen,
    questionnaire_structure,
    structure_questions,
)

CODE_LENGTH = 40
CODE_PATTERN = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")
MAX_OPTIONS = 60
OPTION_LABEL_LENGTH = 200
OPTION_VALUE_LENGTH = 40
MAX_QUESTIONS = 200
MAX_SECTIONS = 40
SCALE_BOUNDS = (0, 10)
COPY_SUFFIX = " (copie)"

QUESTIONNAIRE_FIELDS = ("title", "introduction")
SECTION_FIELDS = ("title", "description")
# Settings of a question a form may send (those that do not apply to its kind are reset).
QUESTION_FIELDS = (
    "section",
    "code",
    "text",
    "help_text",
    "required",
    "source",
    "options",
    "scale_min",
    "scale_max",
    "scale_min_label",
    "scale_max_label",
    "number_min",
    "number_max",
    "condition_question",
    "condition_values",
)


class AuthoringError(ValidationError):
    """A change the rules refuse; the message says why (in French)."""


def frozen_message() -> str:
    return _(
        "Des membres ont déjà participé à une campagne de ce questionnaire : sa structure (parties, questions, "
        "options, codes, conditions, ordre) ne peut plus changer, sinon les réponses ne seraient plus "
        "comparables. Utilisez « Copier pour l'an prochain » pour préparer une nouvelle version."
    )


def _check_not_frozen(questionnaire: Questionnaire) -> None:
    if questionnaire_frozen(questionnaire):
        raise AuthoringError(frozen_message(), code="frozen")


def _locked(questionnaire_id: int) -> Questionnaire:
    """The questionnaire under a row lock: concurrent structure changes run one after the other."""
    return Questionnaire.objects.select_for_update().get(pk=questionnaire_id)


# Codes -------------------------------------------------------------------------------------------


def _slug(text: str) -> str:
    """A slug where apostrophes separate words (« l'IA » → « l-ia »)."""
    return slugify(re.sub(r"['’]", " ", text or ""))


def code_from_text(text: str) -> str:
    """A code made from a question's text: its first words, as a slug."""
    words = _slug(text).split("-")
    code = ""
    for word in words:
        candidate = f"{code}-{word}" if code else word
        if len(candidate) > CODE_LENGTH - 4:  # room for a "-NN" suffix
            break
        code = candidate
    return code or "question"


def _unique_code(base: str, taken: set[str]) -> str:
    if base not in taken:
        return base
    number = 2
    while True:
        suffix = f"-{number}"
        candidate = base[: CODE_LENGTH - len(suffix)].rstrip("-") + suffix
        if candidate not in taken:
            return candidate
        number += 1


def _codes(questionnaire: Questionnaire, *, excluding: int | None = None) -> set[str]:
    rows = Question.objects.filter(section__questionnaire=questionnaire)
    if excluding is not None:
        rows = rows.exclude(pk=excluding)
    return set(rows.values_list("code", flat=True))


# Options -----------------------------------------------------------------------------------------


def parse_options(text: str) -> list[dict]:
    """Options written one per line, « valeur | libellé » or just « libellé » (the value is then made from it)."""
    options = []
    seen = set()
    for number, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        if "|" in line:
            value, label = (part.strip() for part in line.split("|", 1))
        else:
            value, label = "", line
        label = label or value
        value = _slug(value or label)[:OPTION_VALUE_LENGTH].strip("-")
        if not value:
            raise AuthoringError(
                _("Ligne %(number)s : écrivez un libellé (et, si vous voulez, une valeur avant « | »).")
                % {"number": number}
            )
        if len(label) > OPTION_LABEL_LENGTH:
            raise AuthoringError(
                _("Ligne %(number)s : un libellé tient en %(max)s caractères au plus.")
                % {"number": number, "max": OPTION_LABEL_LENGTH}
            )
        if value in seen:
            raise AuthoringError(
                _("Ligne %(number)s : la valeur « %(value)s » est déjà celle d'une autre option.")
                % {"number": number, "value": value}
            )
        seen.add(value)
        options.append({"value": value, "label": label})
    if len(options) > MAX_OPTIONS:
        raise AuthoringError(_("Une question a au plus %(max)s options.") % {"max": MAX_OPTIONS})
    return options


def options_text(options: list[dict]) -> str:
    """Options as the form shows them: one per line, « valeur | libellé »."""
    return "\n".join(f"{option['value']} | {option['label']}" for option in options or [])


# Questionnaires ----------------------------------------------------------------------------------


@transaction.atomic
def questionnaire_create(*, actor, values: dict) -> Questionnaire:
    questionnaire = Questionnaire.objects.create(
        title=values["title"], introduction=values.get("introduction", ""), created_by=actor
    )
    audit_log(actor=actor, action="surveys.questionnaire.created", target=questionnaire)
    return questionnaire


@transaction.atomic
def questionnaire_update(*, questionnaire_id: int, actor, values: dict, lock_version: int | None) -> Questionnaire:
    """The title and the introduction (allowed even once frozen: they change no answer's meaning)."""
    questionnaire = Questionnaire.objects.get(pk=questionnaire_id)
    version_claim(questionnaire, expected=lock_version)
    changed = [name for name in QUESTIONNAIRE_FIELDS if getattr(questionnaire, name) != values.get(name, "")]
    for name in QUESTIONNAIRE_FIELDS:
        setattr(questionnaire, name, values.get(name, ""))
    questionnaire.save(update_fields=[*QUESTIONNAIRE_FIELDS, "updated_at"])
    audit_log(actor=actor, action="surveys.questionnaire.edited", target=questionnaire, data={"fields": changed})
    return questionnaire


@transaction.atomic
def questionnaire_delete(*, questionnaire_id: int, actor) -> None:
    """Only a questionnaire no campaign uses."""
    questionnaire = _locked(questionnaire_id)
    if questionnaire.campaigns.exists():
        raise AuthoringError(
            _("Ce questionnaire sert à au moins une campagne : supprimez d'abord les campagnes en préparation.")
        )
    audit_log(actor=actor, action="surveys.questionnaire.deleted", target=questionnaire)
    questionnaire.delete()


@transaction.atomic
def questionnaire_copy(*, questionnaire_id: int, actor) -> Questionnaire:
    """A new questionnaire with the same parts, questions, codes and conditions, to edit for next year."""
    source = Questionnaire.objects.get(pk=questionnaire_id)
    title = source.title
    if len(title) + len(COPY_SUFFIX) > Questionnaire._meta.get_field("title").max_length:
        title = title[: Questionnaire._meta.get_field("title").max_length - len(COPY_SUFFIX)].rstrip()
    copy = Questionnaire.objects.create(
        title=title + COPY_SUFFIX, introduction=source.introduction, based_on=source, created_by=actor
    )
    sections = questionnaire_structure(source)
    new_questions: dict[int, Question] = {}
    conditions: list[tuple[Question, int]] = []
    for section in sections:
        new_section = QuestionSection.objects.create(
            questionnaire=copy, title=section.title, description=section.description, order=section.order
        )
        for question in section.questions.all():
            new = Question.objects.create(
                section=new_section,
                code=question.code,
                kind=question.kind,
                source=question.source,
                text=question.text,
                help_text=question.help_text,
                required=question.required,
                options=question.options,
                scale_min=question.scale_min,
                scale_max=question.scale_max,
                scale_min_label=question.scale_min_label,
                scale_max_label=question.scale_max_label,
                number_min=question.number_min,
                number_max=question.number_max,
                condition_values=question.condition_values,
                order=question.order,
            )
            new_questions[question.pk] = new
            if question.condition_question_id is not None:
                conditions.append((new, question.condition_question_id))
    for new, condition_id in conditions:
        if condition_id in new_questions:
            new.condition_question = new_questions[condition_id]
            new.save(update_fields=["condition_question"])
    audit_log(
        actor=actor, action="surveys.questionnaire.copied", target=copy, data={"from": source.pk, "title": str(source)}
    )
    return copy


# Parts -------------------------------------------------------------------------------------------


def _next_order(rows) -> int:
    return (rows.aggregate(top=Max("order"))["top"] or 0) + 1


@transaction.atomic
def section_create(*, questionnaire_id: int, actor, values: dict) -> QuestionSection:
    questionnaire = _locked(questionnaire_id)
    _check_not_frozen(questionnaire)
    if questionnaire.sections.count() >= MAX_SECTIONS:
        raise AuthoringError(_("Un questionnaire a au plus %(max)s parties.") % {"max": MAX_SECTIONS})
    section = QuestionSection.objects.create(
        questionnaire=questionnaire,
        title=values["title"],
        description=values.get("description", ""),
        order=_next_order(questionnaire.sections.all()),
    )
    audit_log(
        actor=actor,
        action="surveys.questionnaire.section_added",
        target=questionnaire,
        data={"section": section.title},
    )
    return section


@transaction.atomic
def section_update(*, section_id: int, actor, values: dict) -> QuestionSection:
    section = QuestionSection.objects.get(pk=section_id)
    questionnaire = _locked(section.questionnaire_id)
    _check_not_frozen(questionnaire)
    for name in SECTION_FIELDS:
        setattr(section, name, values.get(name, ""))
    section.save(update_fields=list(SECTION_FIELDS))
    audit_log(
        actor=actor,
        action="surveys.questionnaire.section_edited",
        target=questionnaire,
        data={"section": section.title},
    )
    return section


@transaction.atomic
def section_delete(*, section_id: int, actor) -> None:
    """A part and its questions; refused while a question elsewhere depends on one of them."""
    section = QuestionSection.objects.get(pk=section_id)
    questionnaire = _locked(section.questionnaire_id)
    _check_not_frozen(questionnaire)
    inside = set(section.questions.values_list("pk", flat=True))
    outside = Question.objects.filter(condition_question_id__in=inside).exclude(section=section).first()
    if outside is not None:
        raise AuthoringError(
            _(
                "La question « %(question)s », dans une autre partie, dépend d'une question de celle-ci : "
                "retirez d'abord cette condition."
            )
            % {"question": outside.text}
        )
    audit_log(
        actor=actor,
        action="surveys.questionnaire.section_deleted",
        target=questionnaire,
        data={"section": section.title, "questions": len(inside)},
    )
    section.delete()


def _check_conditions_order(questionnaire: Questionnaire) -> None:
    """Every condition still points to a question asked before the one it shows."""
    questions = structure_questions(questionnaire_structure(questionnaire))
    position = {question.pk: index for index, question in enumerate(questions)}
    for question in questions:
        if question.condition_question_id is None:
            continue
        if position.get(question.condition_question_id, len(questions)) >= position[question.pk]:
            raise AuthoringError(
                _("La question « %(question)s » dépend de « %(condition)s » : elle doit rester après elle.")
                % {"question": question.text, "condition": question.condition_question.text}
            )


def _swap(rows: list, item, direction: str) -> bool:
    index = next(i for i, row in enumerate(rows) if row.pk == item.pk)
    other = index - 1 if direction == "up" else index + 1
    if other < 0 or other >= len(rows):
        return False
    rows[index], rows[other] = rows[other], rows[index]
    return True


@transaction.atomic
def section_move(*, section_id: int, actor, direction: str) -> None:
    section = QuestionSection.objects.get(pk=section_id)
    questionnaire = _locked(section.questionnaire_id)
    _check_not_frozen(questionnaire)
    rows = list(questionnaire.sections.order_by("order", "pk"))
    if not _swap(rows, section, direction):
        return
    for order, row in enumerate(rows, start=1):
        QuestionSection.objects.filter(pk=row.pk).update(order=order)
    _check_conditions_order(questionnaire)
    audit_log(
        actor=actor,
        action="surveys.questionnaire.reordered",
        target=questionnaire,
        data={"section": section.title},
    )


# Questions ---------------------------------------------------------------------------------------


def _clean_question(questionnaire: Questionnaire, kind: str, values: dict, question: Question | None) -> dict:
    """The settings of a question of `kind`, checked; the settings its kind does not use are reset."""
    errors: dict[str, list[str]] = {}

    def error(field, message):
        errors.setdefault(field, []).append(message)

    clean = {
        "text": (values.get("text") or "").strip(),
        "help_text": (values.get("help_text") or "").strip(),
        "required": bool(values.get("required")),
        "source": QuestionSource.OPTIONS,
        "options": [],
        "scale_min": 1,
        "scale_max": 5,
        "scale_min_label": "",
        "scale_max_label": "",
        "number_min": None,
        "number_max": None,
        "condition_question": None,
        "condition_values": [],
    }
    if not clean["text"]:
        error("text", _("Écrivez la question."))
    if kind in OPTION_KINDS:
        source = values.get("source") or QuestionSource.OPTIONS
        clean["source"] = source
        if source == QuestionSource.OPTIONS:
            options = values.get("options") or []
            clean["options"] = options
            minimum = 2
            if len(options) < minimum:
                error(
                    "options",
                    _("Écrivez au moins deux options, une par ligne (« valeur | libellé » ou seulement le libellé)."),
                )
    if kind == QuestionKind.SCALE:
        low, high = values.get("scale_min"), values.get("scale_max")
        low = SCALE_BOUNDS[0] + 1 if low is None else low
        high = 5 if high is None else high
        if not (SCALE_BOUNDS[0] <= low <= SCALE_BOUNDS[1] and SCALE_BOUNDS[0] <= high <= SCALE_BOUNDS[1]):
            error(
                "scale_max",
                _("Les bornes d'une échelle vont de %(low)s à %(high)s.")
                % {"low": SCALE_BOUNDS[0], "high": SCALE_BOUNDS[1]},
            )
        elif low >= high:
            error("scale_max", _("Le maximum de l'échelle doit être plus grand que son minimum."))
        clean.update(
            scale_min=low,
            scale_max=high,
            scale_min_label=(values.get("scale_min_label") or "").strip(),
            scale_max_label=(values.get("scale_max_label") or "").strip(),
        )
    if kind == QuestionKind.NUMBER:
        low, high = values.get("number_min"), values.get("number_max")
        if low is not None and high is not None and low >= high:
            error("number_max", _("Le maximum doit être plus grand que le minimum."))
        clean.update(number_min=low, number_max=high)

    # The code: typed, or made from the text; unique in the questionnaire.
    taken = _codes(questionnaire, excluding=question.pk if question is not None else None)
    code = (values.get("code") or "").strip().lower()
    if code:
        if len(code) > CODE_LENGTH or not CODE_PATTERN.match(code):
            error(
                "code",
                _(
                    "Un code s'écrit en minuscules sans accents, chiffres et tirets (%(max)s caractères au plus), "
                    "par exemple « temps-missions »."
                )
                % {"max": CODE_LENGTH},
            )
        elif code in taken:
            error(
                "code", _("Le code « %(code)s » est déjà celui d'une autre question du questionnaire.") % {"code": code}
            )
    elif question is not None:
        code = question.code if question.code not in taken else _unique_code(question.code, taken)
    else:
        code = _unique_code(code_from_text(clean["text"]), taken)
    clean["code"] = code

    # The condition: an earlier choice or scale question of the same questionnaire, values among its options.
    condition = values.get("condition_question")
    wanted = [str(value) for value in values.get("condition_values") or []]
    if condition is not None:
        questions = structure_questions(questionnaire_structure(questionnaire))
        by_pk = {q.pk: q for q in questions}
        condition = by_pk.get(getattr(condition, "pk", condition))
        section = values.get("section") or (question.section if question is not None else None)
        position = _position_for(questions, question, section)
        if condition is None:
            error("condition_question", _("Choisissez une question de ce questionnaire."))
        elif question is not None and condition.pk == question.pk:
            error("condition_question", _("Une question ne peut pas dépendre d'elle-même."))
        elif condition.kind not in CONDITION_KINDS:
            error(
                "condition_question",
                _("Une condition porte sur une question à choix (unique ou multiples) ou sur une échelle."),
            )
        elif questions.index(condition) >= position:
            error(
                "condition_question",
                _(
                    "La question « %(condition)s » vient après celle-ci : une condition porte sur une question "
                    "posée avant."
                )
                % {"condition": condition.text},
            )
        else:
            allowed = {value for value, _label in question_options(condition)}
            unknown = [value for value in wanted if value not in allowed]
            if not wanted:
                error("condition_values", _("Cochez au moins une réponse qui affiche la question."))
            elif unknown:
                error(
                    "condition_values",
                    _("Ces valeurs ne sont pas des réponses possibles à « %(condition)s » : %(values)s.")
                    % {"condition": condition.text, "values": ", ".join(unknown)},
                )
            clean["condition_question"] = condition
            clean["condition_values"] = wanted
    elif wanted:
        error("condition_question", _("Choisissez la question dont dépend l'affichage."))
    if errors:
        raise AuthoringError(errors)
    return clean


def _position_for(questions: list[Question], question: Question | None, section: QuestionSection | None) -> int:
    """Where `question` stands (or would stand, appended to `section`) among `questions`."""
    if question is not None and (section is None or section.pk == question.section_id):
        return next(i for i, q in enumerate(questions) if q.pk == question.pk)
    if section is None:
        return len(questions)
    # Appended at the end of `section`: after its last question, before the next part's first.
    last = -1
    for index, q in enumerate(questions):
        if q.section_id == section.pk:
            last = index
        elif q.section.order < section.order or (q.section.order == section.order and q.section_id < section.pk):
            last = max(last, index)
    return last + 1


@transaction.atomic
def question_create(*, section_id: int, actor, kind: str, values: dict) -> Question:
    section = QuestionSection.objects.get(pk=section_id)
    questionnaire = _locked(section.questionnaire_id)
    _check_not_frozen(questionnaire)
    if kind not in QuestionKind.values:
        raise AuthoringError(_("Choisissez un type de question."))
    if Question.objects.filter(section__questionnaire=questionnaire).count() >= MAX_QUESTIONS:
        raise AuthoringError(_("Un questionnaire a au plus %(max)s questions.") % {"max": MAX_QUESTIONS})
    clean = _clean_question(questionnaire, kind, {**values, "section": section}, None)
    question = Question.objects.create(section=section, kind=kind, order=_next_order(section.questions.all()), **clean)
    audit_log(
        actor=actor,
        action="surveys.questionnaire.question_added",
        target=questionnaire,
        data={"code": question.code, "kind": kind},
    )
    return question


@transaction.atomic
def question_update(*, question_id: int, actor, values: dict) -> Question:
    question = Question.objects.select_related("section").get(pk=question_id)
    questionnaire = _locked(question.section.questionnaire_id)
    _check_not_frozen(questionnaire)
    target_section = values.get("section") or question.section
    if target_section.questionnaire_id != questionnaire.pk:
        raise AuthoringError({"section": [_("Choisissez une partie de ce questionnaire.")]})
    clean = _clean_question(questionnaire, question.kind, {**values, "section": target_section}, question)
    old_code = question.code
    for name, value in clean.items():
        setattr(question, name, value)
    if target_section.pk != question.section_id:
        question.section = target_section
        question.order = _next_order(target_section.questions.all())
    question.save()
    # The questions that depend on this one keep only values it still offers.
    allowed = {value for value, _label in question_options(question)}
    for dependent in question.dependents.all():
        stale = [value for value in dependent.condition_values if value not in allowed]
        if stale:
            raise AuthoringError(
                {
                    NON_FIELD_ERRORS: [
                        _(
                            "La question « %(dependent)s » s'affiche selon les réponses %(values)s, que cette question "
                            "n'offre plus : changez d'abord sa condition."
                        )
                        % {"dependent": dependent.text, "values": ", ".join(stale)}
                    ]
                }
            )
    _check_conditions_order(questionnaire)
    audit_log(
        actor=actor,
        action="surveys.questionnaire.question_edited",
        target=questionnaire,
        data={"code": question.code, **({"old_code": old_code} if old_code != question.code else {})},
    )
    return question


@transaction.atomic
def question_delete(*, question_id: int, actor) -> None:
    question = Question.objects.select_related("section").get(pk=question_id)
    questionnaire = _locked(question.section.questionnaire_id)
    _check_not_frozen(questionnaire)
    dependent = question.dependents.first()
    if dependent is not None:
        raise AuthoringError(
            _("La question « %(dependent)s » s'affiche selon la réponse à celle-ci : retirez d'abord sa condition.")
            % {"dependent": dependent.text}
        )
    audit_log(
        actor=actor,
        action="surveys.questionnaire.question_deleted",
        target=questionnaire,
        data={"code": question.code},
    )
    question.delete()


@transaction.atomic
def question_move(*, question_id: int, actor, direction: str) -> None:
    question = Question.objects.select_related("section").get(pk=question_id)
    questionnaire = _locked(question.section.questionnaire_id)
    _check_not_frozen(questionnaire)
    rows = list(question.section.questions.order_by("order", "pk"))
    if not _swap(rows, question, direction):
        return
    for order, row in enumerate(rows, start=1):
        Question.objects.filter(pk=row.pk).update(order=order)
    _check_conditions_order(questionnaire)
    audit_log(
        actor=actor,
        action="surveys.questionnaire.reordered",
        target=questionnaire,
        data={"code": question.code},
    )


def kind_uses_options(kind: str) -> bool:
    return kind in OPTION_KINDS


def kind_is_choice(kind: str) -> bool:
    return kind in CHOICE_KINDS
