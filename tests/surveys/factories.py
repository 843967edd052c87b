"""Questionnaires and campaigns for the surveys' tests: one question of each kind."""

from datetime import timedelta

from django.utils import timezone

from surveys.enums import CampaignStatus, QuestionKind
from surveys.models import Campaign, Question, Questionnaire, QuestionSection, Response


def make_questionnaire(*, title="Enquête sur les pratiques", created_by=None) -> Questionnaire:
    """A questionnaire of two parts holding every kind of question, one of them conditional."""
    questionnaire = Questionnaire.objects.create(
        title=title, introduction="Dix minutes pour décrire votre poste.", created_by=created_by
    )
    post = QuestionSection.objects.create(questionnaire=questionnaire, title="Votre poste", order=1)
    practices = QuestionSection.objects.create(questionnaire=questionnaire, title="Vos pratiques", order=2)
    ai = Question.objects.create(
        section=post,
        code="ia",
        kind=QuestionKind.SINGLE,
        text="Utilisez-vous des outils d'intelligence artificielle ?",
        required=True,
        options=[{"value": "oui", "label": "Oui"}, {"value": "non", "label": "Non"}],
        order=1,
    )
    Question.objects.create(
        section=post,
        code="ia-usages",
        kind=QuestionKind.MULTIPLE,
        text="Pour quels usages ?",
        options=[
            {"value": "synthese", "label": "Synthèses"},
            {"value": "courriers", "label": "Courriers"},
            {"value": "transcription", "label": "Transcriptions"},
        ],
        condition_question=ai,
        condition_values=["oui"],
        order=2,
    )
    Question.objects.create(
        section=post,
        code="temps",
        kind=QuestionKind.SPLIT,
        text="Comment votre temps se répartit-il ?",
        required=True,
        options=[
            {"value": "animer", "label": "Animer"},
            {"value": "accompagner", "label": "Accompagner"},
            {"value": "valoriser", "label": "Valoriser"},
        ],
        order=3,
    )
    Question.objects.create(
        section=practices,
        code="satisfaction",
        kind=QuestionKind.SCALE,
        text="Êtes-vous satisfait·e de vos moyens ?",
        scale_min=1,
        scale_max=5,
        scale_min_label="Pas du tout",
        scale_max_label="Tout à fait",
        order=1,
    )
    Question.objects.create(
        section=practices,
        code="seances",
        kind=QuestionKind.NUMBER,
        text="Combien de séances par an ?",
        number_min=0,
        number_max=500,
        order=2,
    )
    Question.objects.create(
        section=practices, code="outil", kind=QuestionKind.SHORT_TEXT, text="Votre outil préféré ?", order=3
    )
    Question.objects.create(
        section=practices, code="remarques", kind=QuestionKind.LONG_TEXT, text="Autre chose à nous dire ?", order=4
    )
    return questionnaire


def make_campaign(questionnaire=None, *, anonymous=True, open_now=True, **fields) -> Campaign:
    """A campaign of `questionnaire` open since yesterday for a month (or closed yesterday)."""
    now = timezone.now()
    questionnaire = questionnaire or make_questionnaire()
    values = {
        "title": "Enquête 2026",
        "opens_at": now - timedelta(days=1) if open_now else now - timedelta(days=40),
        "closes_at": now + timedelta(days=30) if open_now else now - timedelta(days=1),
        "status": CampaignStatus.OPEN if open_now else CampaignStatus.CLOSED,
        "anonymous": anonymous,
        "publication_note": "Les résultats agrégés seront publiés ; aucun groupe de moins de 5 personnes.",
        **fields,
    }
    return Campaign.objects.create(questionnaire=questionnaire, **values)


def make_response(campaign, answers: dict, *, region_code="53", category="A", respondent=None) -> Response:
    """A sent response to `campaign` (anonymous unless `respondent` is given), stored as answering would."""
    now = timezone.now() if respondent is not None else None
    return Response.objects.create(
        campaign=campaign,
        respondent=respondent,
        answers=answers,
        region_code=region_code,
        category=category,
        submitted_at=now,
        updated_at=now,
    )
