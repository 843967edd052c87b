"""What the surveys app keeps about a person (core.personal_data), registered in its AppConfig.ready().

Each area declares the kinds of its own models in its function below; `register()` joins them. The guard
test (tests/core/test_personal_data_registry.py) fails for any model about people left undeclared.
"""

from core.personal_data import personal_data_register


def _authoring_kinds() -> list:
    """Questionnaires and campaigns are the CNCD team's work for the network, not data about a person."""
    from django.utils.translation import gettext_lazy as _

    from core.personal_data import personal_data_exempt
    from surveys.models import Campaign, Questionnaire

    reason = _(
        "Les questionnaires et les campagnes d'enquête sont rédigés par l'équipe CNCD pour le réseau ; le compte "
        "qui les a créés n'y est gardé que pour l'équipe et il est effacé (mis à vide) avec le compte."
    )
    personal_data_exempt(Questionnaire, reason=reason)
    personal_data_exempt(Campaign, reason=reason)
    return []


# --- Answering (sanswer): participations and attributed responses ------------------------------------------
# An anonymous response is not personal data: no link from it to a person is stored (no respondent, no
# time, a random key; the participation's draft is emptied when it is sent). It is neither exported nor
# erased with an account: nothing could find it. An attributed response is exported; erasing the account
# turns it into an anonymous one (no respondent, no time, its free texts deleted, as they may name the
# person), so that the statistics of the campaign stay right.


def _answering_iso(value):
    return value.isoformat() if value is not None else None


def _participations_export(user) -> list[dict]:
    from surveys.models import Participation

    return [
        {
            "campaign": participation.campaign.title,
            "status": str(participation.get_status_display()),
            "anonymous": participation.campaign.anonymous,
            "draft": participation.draft or None,
            "invited_at": _answering_iso(participation.invited_at),
            "reminded_at": _answering_iso(participation.reminded_at),
        }
        for participation in Participation.objects.filter(user=user).select_related("campaign").order_by("pk")
    ]


def _participations_erase(user) -> None:
    from surveys.models import Participation

    Participation.objects.filter(user=user).delete()


def _attributed_export(user) -> list[dict]:
    from surveys.answer_forms import answer_text
    from surveys.models import Response
    from surveys.questions import questionnaire_questions

    rows = []
    for response in (
        Response.objects.filter(respondent=user)
        .select_related("campaign__questionnaire")
        .order_by("submitted_at", "pk")
    ):
        questions = {question.code: question for question in questionnaire_questions(response.campaign.questionnaire)}
        for code, value in response.answers.items():
            question = questions.get(code)
            rows.append(
                {
                    "campaign": response.campaign.title,
                    "question": question.text if question is not None else code,
                    "answer": answer_text(question, value) if question is not None else str(value),
                    "submitted_at": _answering_iso(response.submitted_at),
                    "updated_at": _answering_iso(response.updated_at),
                }
            )
    return rows


def _attributed_erase(user) -> None:
    from surveys.models import Response
    from surveys.questions import TEXT_KINDS, questionnaire_questions

    for response in Response.objects.filter(respondent=user).select_related("campaign__questionnaire"):
        texts = {
            question.code
            for question in questionnaire_questions(response.campaign.questionnaire)
            if question.kind in TEXT_KINDS
        }
        response.answers = {code: value for code, value in response.answers.items() if code not in texts}
        response.respondent = None
        response.submitted_at = None
        response.updated_at = None
        response.save(update_fields=["answers", "respondent", "submitted_at", "updated_at"])


def _answering_kinds() -> list:
    from django.utils.translation import gettext_lazy as _

    from core.personal_data import PersonalDataKind
    from surveys.models import Participation, Response

    participations = PersonalDataKind(
        key="enquetes-participations",
        label=_("Participation aux enquêtes"),
        description=_(
            "Les campagnes d'enquête auxquelles vous avez commencé à répondre ou répondu : l'état (commencée, "
            "envoyée), le brouillon de vos réponses tant qu'il n'est pas envoyé, les dates d'invitation et de "
            "relance. Dans une enquête anonyme, le brouillon est vidé à l'envoi : il ne reste que « a répondu »."
        ),
        source=_("Enregistrées quand vous répondez à une enquête."),
        purpose=_("Garder vos réponses en cours, et ne plus relancer les personnes qui ont répondu."),
        legal_basis=_(
            "Intérêt légitime (RGPD, article 6.1.f) : la mission d'intérêt général de la CNCD, connaître les "
            "pratiques du réseau ; répondre est facultatif."
        ),
        retention=_("Tant que votre compte existe ; supprimées avec lui."),
        recipients=_("Vous seul·e (brouillon) ; l'équipe CNCD sait qui a répondu, pour les relances."),
        models=(Participation,),
        export=_participations_export,
        erase=_participations_erase,
        order=700,
        columns=("campaign", "status", "anonymous", "draft", "invited_at", "reminded_at"),
    )
    attributed = PersonalDataKind(
        key="enquetes-reponses-nominatives",
        label=_("Réponses nominatives aux enquêtes"),
        description=_(
            "Vos réponses aux enquêtes nominatives (l'équipe CNCD les voit avec votre nom). Vos réponses aux "
            "enquêtes anonymes n'y figurent pas : rien ne les relie à vous, elles ne sont donc pas des données "
            "personnelles et ne peuvent être ni retrouvées ni exportées. À la suppression de votre compte, une "
            "réponse nominative devient anonyme (plus de nom ni de date, réponses libres supprimées) pour que "
            "les statistiques de la campagne restent justes."
        ),
        source=_("Saisies par vous en répondant à une enquête nominative."),
        purpose=_("Connaître les pratiques du réseau et en publier des résultats agrégés."),
        legal_basis=_(
            "Intérêt légitime (RGPD, article 6.1.f) : la mission d'intérêt général de la CNCD ; répondre est "
            "facultatif et la campagne dit, avant la première question, que les réponses sont nominatives."
        ),
        retention=_(
            "Tant que votre compte existe ; à sa suppression, la réponse est rendue anonyme (sans nom, sans "
            "date, sans réponses libres)."
        ),
        recipients=_("L'équipe CNCD ; les résultats publiés sont agrégés, sans aucun nom."),
        models=(Response,),
        export=_attributed_export,
        erase=_attributed_erase,
        order=710,
        columns=("campaign", "question", "answer", "submitted_at", "updated_at"),
    )
    return [participations, attributed]


def _results_kinds() -> list:
    return []


def register() -> None:
    for kind in [
        *_authoring_kinds(),
        *_answering_kinds(),
        *_results_kinds(),
    ]:
        personal_data_register(kind)
