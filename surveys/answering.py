"""Answering a campaign: reading what a member typed, keeping it as a draft, sending it (services and reads).

Answers are `{question.code: value}` (see surveys/questions.py and the models' docstring): single → option
value (str); multiple → list of option values; scale → int; number → Decimal as a string; split →
{option value: int} totalling 100; texts → str. Unanswered and hidden questions are absent.

Anonymity (read surveys/models.py): an anonymous response is created with no respondent and no time; the
participation is emptied of its draft in the same transaction and only says "has answered"; the audit
entry of sending names the campaign, never the response; nothing is logged.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit_log
from surveys.enums import CampaignStatus, ParticipationStatus, QuestionKind
from surveys.models import LONG_ANSWER, SHORT_ANSWER, Campaign, Participation, Question, Response
from surveys.questions import question_options, question_shown, questionnaire_structure, structure_questions

SPLIT_TOTAL = 100
# The digits of a number's whole part (as the questions' bounds: DecimalField(max_digits=12, decimal_places=2)).
NUMBER_DIGITS = 10


class AnswerRefused(Exception):
    """The campaign no longer accepts this member's answers (closed, or an anonymous answer already sent)."""


class AnswersInvalid(Exception):
    """Sending refused: some answers are missing or wrong; `errors` is {code: message}."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(errors)
        self.errors = errors


# Reading what was typed --------------------------------------------------------------------------


def raw_of(question: Question, data) -> object:
    """What the page posted for `question` (a QueryDict or a dict): str, list or {option: str}."""
    name = field_name(question)
    if question.kind == QuestionKind.MULTIPLE:
        return list(data.getlist(name)) if hasattr(data, "getlist") else list(data.get(name) or [])
    if question.kind == QuestionKind.SPLIT:
        return {value: str(data.get(f"{name}-{value}", "")).strip() for value, _label in question_options(question)}
    return str(data.get(name, "") or "")


def raw_from_answer(question: Question, value) -> object:
    """The stored answer as the form shows it (the reverse of `answer_clean`)."""
    if value is None:
        return {} if question.kind == QuestionKind.SPLIT else ([] if question.kind == QuestionKind.MULTIPLE else "")
    if question.kind == QuestionKind.MULTIPLE:
        return [str(item) for item in value] if isinstance(value, list) else []
    if question.kind == QuestionKind.SPLIT:
        return {str(key): str(share) for key, share in value.items()} if isinstance(value, dict) else {}
    return str(value)


def field_name(question: Question) -> str:
    return f"q-{question.code}"


def _is_empty(question: Question, raw) -> bool:
    if question.kind == QuestionKind.MULTIPLE:
        return not raw
    if question.kind == QuestionKind.SPLIT:
        return not any(share for share in raw.values())
    return not str(raw).strip()


@dataclass
class Cleaned:
    """A section read: the values to store, the errors ({code: message}), what was typed (to show again)."""

    answers: dict = field(default_factory=dict)
    errors: dict = field(default_factory=dict)
    raw: dict = field(default_factory=dict)
    # Codes whose value was invalid: kept as typed on the page, not stored.
    invalid: set = field(default_factory=set)


def answer_clean(question: Question, raw, *, complete: bool) -> tuple[object | None, str | None]:
    """(value to store or None when empty, error message or None). `complete` also checks a split's total."""
    if _is_empty(question, raw):
        return None, None
    kind = question.kind
    if kind in (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT):
        limit = SHORT_ANSWER if kind == QuestionKind.SHORT_TEXT else LONG_ANSWER
        text = str(raw).replace("\r\n", "\n").strip()
        if len(text) > limit:
            return None, _("Votre réponse tient en %(limit)d caractères au plus (vous en avez écrit %(count)d).") % {
                "limit": limit,
                "count": len(text),
            }
        return text, None
    if kind == QuestionKind.SINGLE:
        values = {value for value, _label in question_options(question)}
        if str(raw) not in values:
            return None, _("Choisissez l'une des réponses proposées.")
        return str(raw), None
    if kind == QuestionKind.MULTIPLE:
        options = [value for value, _label in question_options(question)]
        chosen = {str(item) for item in raw}
        if not chosen <= set(options):
            return None, _("Choisissez parmi les réponses proposées.")
        return [value for value in options if value in chosen], None
    if kind == QuestionKind.SCALE:
        try:
            step = int(str(raw).strip())
        except ValueError:
            step = None
        if step is None or not question.scale_min <= step <= question.scale_max:
            return None, _("Choisissez une valeur entre %(min)d et %(max)d.") % {
                "min": question.scale_min,
                "max": question.scale_max,
            }
        return step, None
    if kind == QuestionKind.NUMBER:
        text = str(raw).strip().replace(" ", "").replace("\u202f", "").replace("\xa0", "").replace(",", ".")
        try:
            number = Decimal(text) if len(text) <= 20 else None
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            return None, _("Écrivez un nombre, par exemple 12 ou 12,5.")
        if number.adjusted() >= NUMBER_DIGITS:
            return None, _("Écrivez un nombre de %(digits)d chiffres au plus avant la virgule.") % {
                "digits": NUMBER_DIGITS
            }
        if number.as_tuple().exponent < -2:
            return None, _("Écrivez un nombre avec deux décimales au plus.")
        if question.number_min is not None and number < question.number_min:
            return None, _("Écrivez un nombre supérieur ou égal à %(min)s.") % {"min": _decimal(question.number_min)}
        if question.number_max is not None and number > question.number_max:
            return None, _("Écrivez un nombre inférieur ou égal à %(max)s.") % {"max": _decimal(question.number_max)}
        return _decimal(number), None
    if kind == QuestionKind.SPLIT:
        shares = {}
        for value, _label in question_options(question):
            text = str(raw.get(value, "")).strip()
            if not text:
                continue
            if not text.isdigit() or len(text) > 3 or not 0 <= int(text) <= SPLIT_TOTAL:
                return None, _("Chaque part est un nombre entier entre 0 et 100.")
            shares[value] = int(text)
        if set(raw) - {value for value, _label in question_options(question)}:
            return None, _("Répartissez entre les réponses proposées.")
        total = sum(shares.values())
        if complete and total != SPLIT_TOTAL:
            return None, _("Les parts doivent totaliser exactement 100 %% (leur total est %(total)d %%).") % {
                "total": total
            }
        return shares, None
    return None, None


def _decimal(number: Decimal) -> str:
    """A Decimal written without exponent or useless zeros: "12.5", "3"."""
    text = format(number, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


def section_clean(section, data, *, answers: dict, complete: bool) -> Cleaned:
    """Read the posted page of `section`, given the `answers` kept so far (other pages).

    A question whose condition is not met is neither required nor kept. `complete` (moving on, sending)
    checks that required questions are answered and splits total 100; a draft keeps whatever is valid.
    """
    cleaned = Cleaned()
    merged = dict(answers)
    for question in section.questions.all():
        merged.pop(question.code, None)
    for question in section.questions.all():
        raw = raw_of(question, data)
        cleaned.raw[question.code] = raw
        value, error = answer_clean(question, raw, complete=complete)
        if value is not None:
            merged[question.code] = value
        if not question_shown(question, merged):
            merged.pop(question.code, None)
            continue
        if error:
            cleaned.errors[question.code] = error
            cleaned.invalid.add(question.code)
        elif value is not None:
            cleaned.answers[question.code] = value
        elif complete and question.required:
            cleaned.errors[question.code] = _("Cette question demande une réponse.")
    return cleaned


def answers_prune(sections, answers: dict) -> dict:
    """Keep only the answers of questions that exist and are shown (in the order of the questionnaire)."""
    kept = {}
    for question in structure_questions(sections):
        if question.code in answers and question_shown(question, kept):
            kept[question.code] = answers[question.code]
    return kept


def answers_check(sections, answers: dict) -> dict[str, str]:
    """Errors of a complete set of answers ({code: message}), as sending sees them."""
    errors = {}
    for question in structure_questions(sections):
        if not question_shown(question, answers):
            continue
        value = answers.get(question.code)
        if value is None:
            if question.required:
                errors[question.code] = _("Cette question demande une réponse.")
            continue
        _value, error = answer_clean(question, raw_from_answer(question, value), complete=True)
        if error:
            errors[question.code] = error
    return errors


# State of a member in a campaign -----------------------------------------------------------------


def participation_of(campaign: Campaign, user) -> Participation | None:
    return Participation.objects.filter(campaign=campaign, user=user).first()


def attributed_response_of(campaign: Campaign, user) -> Response | None:
    """The member's own response to an attributed campaign (never looked for in an anonymous one)."""
    if campaign.anonymous:
        return None
    return Response.objects.filter(campaign=campaign, respondent=user).first()


def working_answers(campaign: Campaign, participation: Participation | None) -> dict:
    """The answers the form starts from: the draft, else (attributed, sent) the response sent."""
    if participation is None:
        return {}
    if participation.draft:
        return dict(participation.draft)
    if not campaign.anonymous and participation.status == ParticipationStatus.SUBMITTED:
        response = attributed_response_of(campaign, participation.user)
        return dict(response.answers) if response is not None else {}
    return {}


def may_answer(campaign: Campaign, participation: Participation | None, now=None) -> bool:
    """Whether the member may type answers now: the campaign accepts them and nothing forbids a change."""
    if not campaign.is_accepting(now):
        return False
    return not (
        participation is not None and participation.status == ParticipationStatus.SUBMITTED and campaign.anonymous
    )


# Changes -----------------------------------------------------------------------------------------


def _locked_participation(campaign: Campaign, user) -> Participation:
    """The member's participation, created once even when two requests race, locked for this transaction."""
    participation, _created = Participation.objects.get_or_create(campaign=campaign, user=user)
    return Participation.objects.select_for_update().get(pk=participation.pk)


def draft_save(*, campaign: Campaign, user, section, data) -> tuple[Participation, Cleaned]:
    """Keep the valid answers of one posted page in the member's draft (raises AnswerRefused)."""
    sections = questionnaire_structure(campaign.questionnaire)
    with transaction.atomic():
        if not campaign.is_accepting():
            raise AnswerRefused(_("Cette campagne n'accepte plus de réponses."))
        participation = _locked_participation(campaign, user)
        if participation.status == ParticipationStatus.SUBMITTED and campaign.anonymous:
            raise AnswerRefused(_("Votre réponse anonyme est déjà envoyée ; elle ne peut plus être modifiée."))
        answers = working_answers(campaign, participation)
        cleaned = section_clean(section, data, answers=answers, complete=False)
        for question in section.questions.all():
            answers.pop(question.code, None)
        answers.update(cleaned.answers)
        participation.draft = answers_prune(sections, answers)
        participation.save(update_fields=["draft"])
    return participation, cleaned


def _profile_figures(user) -> tuple[str, str]:
    """The member's region code and category of post at this moment (blank when unknown)."""
    from members.models import Profile, Region

    profile = Profile.objects.filter(user=user).select_related("council").first()
    if profile is None:
        return "", ""
    region = ""
    if profile.council_id is not None:
        region = (
            Region.objects.filter(departments__councils=profile.council_id)
            .order_by("code")
            .values_list("code", flat=True)
            .first()
        ) or ""
    return region, profile.category or ""


def answers_send(*, campaign: Campaign, user) -> Response | None:
    """Send the member's draft: one response, whatever the double clicks or tabs (raises AnswerRefused,
    AnswersInvalid).

    Anonymous: a response with no respondent and no time, the draft emptied; returns None (the caller is
    not to hold the response). Attributed: the member's response created or updated; returned.
    """
    sections = questionnaire_structure(campaign.questionnaire)
    with transaction.atomic():
        participation = _locked_participation(campaign, user)
        if not campaign.is_accepting():
            raise AnswerRefused(_("Cette campagne n'accepte plus de réponses."))
        if participation.status == ParticipationStatus.SUBMITTED and campaign.anonymous:
            raise AnswerRefused(_("Votre réponse anonyme est déjà envoyée ; elle ne peut plus être modifiée."))
        if participation.status == ParticipationStatus.SUBMITTED and not participation.draft:
            # Sent already, nothing changed since (a second click, another tab).
            return attributed_response_of(campaign, user)
        answers = answers_prune(sections, working_answers(campaign, participation))
        errors = answers_check(sections, answers)
        if errors:
            raise AnswersInvalid(errors)
        region_code, category = _profile_figures(user)
        response = None
        if campaign.anonymous:
            Response.objects.create(
                campaign=campaign, respondent=None, answers=answers, region_code=region_code, category=category
            )
        else:
            now = timezone.now()
            response = Response.objects.filter(campaign=campaign, respondent=user).first()
            if response is None:
                response = Response.objects.create(
                    campaign=campaign,
                    respondent=user,
                    answers=answers,
                    region_code=region_code,
                    category=category,
                    submitted_at=now,
                    updated_at=now,
                )
            else:
                response.answers = answers
                response.region_code = region_code
                response.category = category
                response.updated_at = now
                response.save(update_fields=["answers", "region_code", "category", "updated_at"])
        updated = participation.status == ParticipationStatus.SUBMITTED
        participation.draft = {}
        participation.status = ParticipationStatus.SUBMITTED
        participation.save(update_fields=["draft", "status"])
        # The campaign only: a response is never named in the audit log, and an anonymous sending keeps no
        # author (with its time, it would say who answered when, and the order of the responses would tell).
        audit_log(
            actor=None if campaign.anonymous else user,
            action="surveys.answers.updated" if updated else "surveys.answers.sent",
            target=campaign,
            data={"anonymous": campaign.anonymous},
        )
    return response


def draft_discard(*, campaign: Campaign, user) -> None:
    """Forget the changes typed since the last sending (attributed) or the whole draft."""
    with transaction.atomic():
        participation = Participation.objects.select_for_update().filter(campaign=campaign, user=user).first()
        if participation is None:
            return
        participation.draft = {}
        participation.save(update_fields=["draft"])


# Reads for the pages -----------------------------------------------------------------------------


@dataclass
class CampaignState:
    campaign: Campaign
    participation: Participation | None
    state: str  # "not-started", "draft", "sent", "sent-editing"
    label: str
    editable_until: object = None


def campaigns_for(user, now=None) -> list[CampaignState]:
    """The campaigns open now or programmed, with the member's state (three queries)."""
    now = now or timezone.now()
    campaigns = list(
        Campaign.objects.filter(status=CampaignStatus.OPEN, closes_at__gt=now)
        .select_related("questionnaire")
        .order_by("closes_at", "pk")
    )
    participations = {
        participation.campaign_id: participation
        for participation in Participation.objects.filter(campaign__in=campaigns, user=user)
    }
    rows = []
    for campaign in campaigns:
        participation = participations.get(campaign.pk)
        rows.append(campaign_state(campaign, participation))
    return rows


def campaign_state(campaign: Campaign, participation: Participation | None) -> CampaignState:
    if participation is None or (participation.status == ParticipationStatus.STARTED and not participation.draft):
        return CampaignState(campaign, participation, "not-started", _("Pas encore commencée"))
    if participation.status == ParticipationStatus.STARTED:
        return CampaignState(campaign, participation, "draft", _("Brouillon enregistré, pas encore envoyé"))
    if campaign.anonymous:
        return CampaignState(campaign, participation, "sent", _("Réponse anonyme envoyée"))
    if participation.draft:
        return CampaignState(
            campaign,
            participation,
            "sent-editing",
            _("Réponse envoyée ; modifications en cours, pas encore envoyées"),
            editable_until=campaign.closes_at,
        )
    return CampaignState(campaign, participation, "sent", _("Réponse envoyée"), editable_until=campaign.closes_at)


def state_of(campaign: Campaign, user) -> CampaignState:
    return campaign_state(campaign, participation_of(campaign, user))
