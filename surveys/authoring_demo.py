"""The demo's questionnaire on practices, its closed 2025 campaign with generated answers, and the open 2026 one.

Called by surveys.demo._seed_authoring (devtools seed_demo); idempotent (found again by title). The 2025
campaign is anonymous: its responses have no respondent and no time, only a region and a category of
post drawn from the demo technicians' profiles; the same number of demo technicians have a participation
"envoyée" (which never points to a response). Answers follow the stored format of questions.py.
"""

from __future__ import annotations

import random
import zoneinfo
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from members.demo import demo_technician_emails
from members.models import Profile, User
from surveys.authoring import questionnaire_copy
from surveys.enums import CampaignStatus, ParticipationStatus, QuestionKind, QuestionSource
from surveys.models import Campaign, Participation, Question, Questionnaire, QuestionSection, Response

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
CURATOR = "equipe@demo.codev-reseau.fr"
TITLE = "Enquête sur les pratiques des technicien·nes de conseils de développement"
TITLE_2026 = "Enquête sur les pratiques des technicien·nes — édition 2026"
CAMPAIGN_2025 = "Enquête 2025"
CAMPAIGN_2026 = "Enquête 2026"
RESPONSES_2025 = 41
PUBLICATION_NOTE = (
    "Les résultats agrégés seront présentés aux membres du réseau et pourront être publiés dans une synthèse "
    "publique. Aucun chiffre ne portera sur un groupe de moins de 5 personnes ; les réponses libres ne sont lues "
    "que par l'équipe CNCD et ne seront citées qu'anonymisées."
)
INTRODUCTION = (
    "Cette enquête décrit le métier tel qu'il se pratique : comment votre temps se répartit entre les missions "
    "du référentiel, les tâches qui s'ajoutent à votre poste, vos outils, la place que prend l'intelligence "
    "artificielle, et ce que vous attendez du réseau.\n\n"
    "Comptez **dix à quinze minutes**. Vos réponses sont enregistrées en brouillon au fil de la saisie : vous "
    "pouvez vous arrêter et reprendre plus tard."
)


def _options(*pairs: tuple[str, str]) -> list[dict]:
    return [{"value": value, "label": label} for value, label in pairs]


# (part title, description, [question settings])
STRUCTURE = [
    (
        "Votre poste",
        "Quelques questions sur le temps que vous consacrez au conseil de développement.",
        [
            {
                "code": "temps-missions",
                "kind": QuestionKind.SPLIT,
                "source": QuestionSource.MISSIONS,
                "text": "Comment votre temps de travail se répartit-il entre les trois missions du référentiel ?",
                "help_text": "En pourcentage de votre temps consacré au conseil ; le total doit faire 100.",
                "required": True,
            },
            {
                "code": "quotite",
                "kind": QuestionKind.SINGLE,
                "text": "Quelle part de votre temps de travail est consacrée au conseil de développement ?",
                "required": True,
                "options": _options(
                    ("temps-plein", "Un temps plein"),
                    ("trois-quarts", "Environ trois quarts"),
                    ("mi-temps", "Environ un mi-temps"),
                    ("moins", "Moins d'un mi-temps"),
                ),
            },
            {
                "code": "seances",
                "kind": QuestionKind.NUMBER,
                "text": "Combien de séances (plénières, bureaux, groupes de travail) animez-vous par an ?",
                "help_text": "Une estimation suffit.",
                "number_min": 0,
                "number_max": 400,
            },
        ],
    ),
    (
        "Les tâches périphériques",
        "Ce qui s'ajoute à vos missions et réduit le temps passé avec les membres du conseil.",
        [
            {
                "code": "taches-peripheriques",
                "kind": QuestionKind.MULTIPLE,
                "text": "Quelles tâches, hors des missions du conseil, vous sont confiées ?",
                "options": _options(
                    ("secretariat", "Secrétariat d'autres instances de la collectivité"),
                    ("evenements", "Logistique d'événements de la collectivité"),
                    ("communication", "Communication générale de la collectivité"),
                    ("concertations", "Concertations réglementaires pour d'autres services"),
                    ("budget", "Suivi budgétaire et marchés publics"),
                    ("aucune", "Aucune"),
                ),
            },
            {
                "code": "poids-peripherique",
                "kind": QuestionKind.SCALE,
                "text": "Ces tâches pèsent-elles sur votre travail auprès du conseil ?",
                "scale_min_label": "Pas du tout",
                "scale_max_label": "Énormément",
            },
        ],
    ),
    (
        "Outils et intelligence artificielle",
        "",
        [
            {
                "code": "outils",
                "kind": QuestionKind.MULTIPLE,
                "text": "Quels outils utilisez-vous avec les membres du conseil ?",
                "options": _options(
                    ("visio", "Visioconférence"),
                    ("plateforme", "Plateforme de participation en ligne"),
                    ("documents-partages", "Documents partagés"),
                    ("messagerie", "Messagerie instantanée"),
                    ("tableau-blanc", "Tableau blanc en ligne"),
                    ("lettre", "Lettre d'information"),
                    ("reseaux-sociaux", "Réseaux sociaux"),
                ),
            },
            {
                "code": "ia",
                "kind": QuestionKind.SINGLE,
                "text": "Utilisez-vous des outils d'intelligence artificielle dans votre travail ?",
                "required": True,
                "options": _options(
                    ("souvent", "Oui, régulièrement"),
                    ("parfois", "Oui, de temps en temps"),
                    ("non", "Non"),
                    ("interdit", "Non, ma collectivité ne l'autorise pas"),
                ),
            },
            {
                "code": "ia-usages",
                "kind": QuestionKind.MULTIPLE,
                "text": "Pour quels usages ?",
                "options": _options(
                    ("syntheses", "Synthèses de contributions"),
                    ("comptes-rendus", "Comptes rendus de réunion"),
                    ("redaction", "Rédaction d'avis ou de courriers"),
                    ("falc", "Facile à lire et à comprendre, traduction"),
                    ("animation", "Préparation d'animations"),
                ),
                "condition": ("ia", ["souvent", "parfois"]),
            },
            {
                "code": "ia-reserves",
                "kind": QuestionKind.LONG_TEXT,
                "text": "Qu'est-ce qui vous retient d'utiliser l'intelligence artificielle ?",
                "condition": ("ia", ["non", "interdit"]),
            },
        ],
    ),
    (
        "Satisfaction et reconnaissance",
        "",
        [
            {
                "code": "satisfaction-moyens",
                "kind": QuestionKind.SCALE,
                "text": "Êtes-vous satisfait·e des moyens dont dispose le conseil ?",
                "scale_min_label": "Pas du tout",
                "scale_max_label": "Tout à fait",
            },
            {
                "code": "reconnaissance",
                "kind": QuestionKind.SCALE,
                "text": "Votre rôle est-il reconnu par les élu·es et les services ?",
                "scale_min_label": "Pas du tout",
                "scale_max_label": "Tout à fait",
            },
            {
                "code": "outil-recommande",
                "kind": QuestionKind.SHORT_TEXT,
                "text": "Un outil ou une méthode que vous recommanderiez à vos pairs ?",
            },
            {
                "code": "attentes-reseau",
                "kind": QuestionKind.LONG_TEXT,
                "text": "Qu'attendez-vous du réseau national dans l'année qui vient ?",
            },
        ],
    ),
]

TOOLS_RECOMMENDED = [
    "Le débat mouvant",
    "Les ateliers en world café",
    "Un tableau blanc en ligne pour les groupes",
    "La méthode des six chapeaux",
    "Une lettre d'information trimestrielle",
    "Le porteur de parole",
    "Le photolangage",
]
EXPECTATIONS = [
    "Des échanges de pratiques réguliers entre pairs, en petits groupes.",
    "Une reconnaissance du métier auprès des associations d'élu·es.",
    "Des modèles de documents (règlement intérieur, charte, avis).",
    "Une formation sur l'animation de débats publics.",
    "Savoir comment les autres conseils utilisent l'IA, avec des règles claires.",
    "Une fiche de poste type à montrer à ma hiérarchie.",
]
AI_RESERVATIONS = [
    "Les données personnelles des membres : je ne sais pas où elles partent.",
    "Ma collectivité n'a pas encore de doctrine ; j'attends.",
    "Le risque de lisser la parole des bénévoles.",
    "Pas le temps de m'y former.",
]


def _create_structure(questionnaire: Questionnaire) -> None:
    by_code: dict[str, Question] = {}
    for section_order, (title, description, questions) in enumerate(STRUCTURE, start=1):
        section = QuestionSection.objects.create(
            questionnaire=questionnaire, title=title, description=description, order=section_order
        )
        for order, settings in enumerate(questions, start=1):
            settings = dict(settings)
            condition = settings.pop("condition", None)
            question = Question.objects.create(section=section, order=order, **settings)
            if condition is not None:
                question.condition_question = by_code[condition[0]]
                question.condition_values = condition[1]
                question.save(update_fields=["condition_question", "condition_values"])
            by_code[question.code] = question


def _pick(rng: random.Random, weighted: dict[str, float]) -> str:
    return rng.choices(list(weighted), weights=list(weighted.values()))[0]


def _split(rng: random.Random) -> dict[str, int]:
    """Time between the three missions: animating first, then coordination, valorisation last; totals 100."""
    animate = rng.choice(range(35, 71, 5))
    coordinate = rng.choice(range(15, min(45, 100 - animate - 5) + 1, 5))
    return {"M1": animate, "M2": coordinate, "M3": 100 - animate - coordinate}


def _answers(rng: random.Random) -> dict:
    answers: dict = {
        "temps-missions": _split(rng),
        "quotite": _pick(rng, {"temps-plein": 4, "trois-quarts": 2, "mi-temps": 3, "moins": 2}),
    }
    if rng.random() < 0.85:
        answers["seances"] = str(rng.choice([12, 15, 18, 20, 24, 30, 35, 40, 45, 60]))
    tasks = [
        value
        for value, share in (
            ("secretariat", 0.35),
            ("evenements", 0.45),
            ("communication", 0.3),
            ("concertations", 0.25),
            ("budget", 0.15),
        )
        if rng.random() < share
    ]
    answers["taches-peripheriques"] = tasks or ["aucune"]
    answers["poids-peripherique"] = min(5, max(1, len(tasks) + rng.choice([0, 1, 1, 2]))) if tasks else 1
    answers["outils"] = [
        value
        for value, share in (
            ("visio", 0.9),
            ("plateforme", 0.35),
            ("documents-partages", 0.7),
            ("messagerie", 0.4),
            ("tableau-blanc", 0.3),
            ("lettre", 0.5),
            ("reseaux-sociaux", 0.25),
        )
        if rng.random() < share
    ] or ["visio"]
    ai = _pick(rng, {"souvent": 2, "parfois": 4, "non": 3, "interdit": 1})
    answers["ia"] = ai
    if ai in ("souvent", "parfois"):
        usages = [
            value
            for value, share in (
                ("syntheses", 0.6),
                ("comptes-rendus", 0.55),
                ("redaction", 0.4),
                ("falc", 0.2),
                ("animation", 0.25),
            )
            if rng.random() < share
        ]
        answers["ia-usages"] = usages or ["syntheses"]
    elif rng.random() < 0.5:
        answers["ia-reserves"] = rng.choice(AI_RESERVATIONS)
    answers["satisfaction-moyens"] = _pick(rng, {"1": 1, "2": 3, "3": 4, "4": 3, "5": 1})
    answers["satisfaction-moyens"] = int(answers["satisfaction-moyens"])
    if rng.random() < 0.95:
        answers["reconnaissance"] = int(_pick(rng, {"1": 2, "2": 4, "3": 3, "4": 2, "5": 1}))
    if rng.random() < 0.4:
        answers["outil-recommande"] = rng.choice(TOOLS_RECOMMENDED)
    if rng.random() < 0.5:
        answers["attentes-reseau"] = rng.choice(EXPECTATIONS)
    return answers


def _region_code(profile: Profile | None) -> str:
    if profile is None or profile.council_id is None:
        return ""
    department = profile.council.departments.select_related("region").order_by("code").first()
    return department.region.code if department is not None else ""


@transaction.atomic
def seed() -> None:
    curator = User.objects.filter(email=CURATOR).first()
    questionnaire = Questionnaire.objects.filter(title=TITLE).first()
    if questionnaire is None:
        questionnaire = Questionnaire.objects.create(title=TITLE, introduction=INTRODUCTION, created_by=curator)
        _create_structure(questionnaire)

    closed = Campaign.objects.filter(questionnaire=questionnaire, title=CAMPAIGN_2025).first()
    if closed is None:
        opens_at = datetime(2025, 3, 3, 9, 0, tzinfo=PARIS)
        closed = Campaign.objects.create(
            questionnaire=questionnaire,
            title=CAMPAIGN_2025,
            opens_at=opens_at,
            closes_at=datetime(2025, 4, 11, 18, 0, tzinfo=PARIS),
            status=CampaignStatus.CLOSED,
            anonymous=True,
            publication_note=PUBLICATION_NOTE,
            invitations_sent_at=opens_at,
            reminder_sent_at=datetime(2025, 4, 4, 8, 0, tzinfo=PARIS),
            created_by=curator,
        )
        rng = random.Random(2025)  # noqa: S311 - demo data, reproducible
        users = list(
            User.objects.filter(email__in=demo_technician_emails())
            .approved()
            .select_related("profile__council")
            .order_by("pk")[:RESPONSES_2025]
        )
        participations = [
            Participation(campaign=closed, user=user, status=ParticipationStatus.SUBMITTED) for user in users
        ]
        Participation.objects.bulk_create(participations)
        # The responses are shuffled apart from the participations: nothing orders one like the other.
        profiles = [getattr(user, "profile", None) for user in users]
        rng.shuffle(profiles)
        Response.objects.bulk_create(
            [
                Response(
                    campaign=closed,
                    answers=_answers(rng),
                    region_code=_region_code(profile),
                    category=(profile.category if profile is not None else "") or "",
                )
                for profile in profiles
            ]
        )

    copy = Questionnaire.objects.filter(title=TITLE_2026).first()
    if copy is None:
        copy = questionnaire_copy(questionnaire_id=questionnaire.pk, actor=curator)
        copy.title = TITLE_2026
        copy.save(update_fields=["title"])
        # Next year's copy asks one question more: whether the référentiel helps (same codes elsewhere).
        last = copy.sections.order_by("-order").first()
        Question.objects.create(
            section=last,
            code="referentiel-utile",
            kind=QuestionKind.SCALE,
            text="Le référentiel métier vous aide-t-il à présenter votre poste ?",
            scale_min_label="Pas du tout",
            scale_max_label="Beaucoup",
            order=last.questions.count() + 1,
        )
    if not Campaign.objects.filter(questionnaire=copy, title=CAMPAIGN_2026).exists():
        now = timezone.now()
        opens_at = (now - timedelta(days=10)).replace(minute=0, second=0, microsecond=0)
        Campaign.objects.create(
            questionnaire=copy,
            title=CAMPAIGN_2026,
            opens_at=opens_at,
            closes_at=(now + timedelta(days=25)).replace(minute=0, second=0, microsecond=0),
            status=CampaignStatus.OPEN,
            anonymous=True,
            publication_note=PUBLICATION_NOTE,
            invitations_sent_at=opens_at,
            created_by=curator,
        )
