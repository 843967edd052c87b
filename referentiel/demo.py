"""Demo référentiel: a published v1.0 written for this project and a draft v2.0 with a few changes."""

from django.db import transaction
from django.utils import timezone

from competences.enums import CompetenceKind, FrameworkStatus
from competences.models import Competence, Domain, FrameworkVersion
from members.models import User
from missions.models import Activity
from referentiel.framework import (
    ActivityData,
    AlignmentData,
    CompetenceData,
    DomainData,
    FrameworkData,
    LevelData,
    MissionData,
    framework_build,
)
from referentiel.services import draft_create_from, self_assessment_save

SAVOIR, FAIRE, ETRE = CompetenceKind.KNOWLEDGE, CompetenceKind.SKILL, CompetenceKind.BEHAVIOUR

SCALE = [
    LevelData(1, "Notions", "Connaît les notions de base et sait les repérer dans une situation simple."),
    LevelData(2, "Application", "Met en œuvre avec l'appui d'un·e collègue ou d'une méthode éprouvée."),
    LevelData(3, "Maîtrise", "Agit en autonomie et adapte sa pratique aux situations nouvelles.", proficient=True),
    LevelData(4, "Expertise", "Fait référence, conseille ses pairs et transmet sa pratique.", proficient=True),
]

DOMAINS = [
    DomainData("D-ANI", "Animation et facilitation", "Concevoir et conduire le travail collectif des membres.", 1),
    DomainData(
        "D-INS", "Cadre institutionnel et coordination", "Comprendre l'intercommunalité et y situer le conseil.", 2
    ),
    DomainData("D-VAL", "Communication et valorisation", "Rendre visibles les travaux et leurs effets.", 3),
    DomainData("D-TRA", "Compétences transversales", "Ce qui sert dans toutes les missions du poste.", 4),
]

# code, domain, title, description, kind, transversal
COMPETENCES = [
    (
        "C-ANI-01",
        "D-ANI",
        "Concevoir des séances participatives",
        "Choisir objectifs, déroulé, supports et formats adaptés au sujet et au groupe.",
        FAIRE,
        False,
    ),
    (
        "C-ANI-02",
        "D-ANI",
        "Maîtriser des techniques d'animation variées",
        "World Café, débat mouvant, photolangage, forum ouvert : savoir lequel choisir et le conduire.",
        FAIRE,
        False,
    ),
    (
        "C-ANI-03",
        "D-ANI",
        "Adopter une posture d'animation neutre",
        "Garantir l'équité de parole sans orienter le contenu des échanges.",
        ETRE,
        False,
    ),
    (
        "C-ANI-04",
        "D-ANI",
        "Favoriser l'autonomie des membres",
        "Accompagner sans se substituer : les membres restent les auteurs de leurs travaux.",
        ETRE,
        False,
    ),
    (
        "C-ANI-05",
        "D-ANI",
        "Synthétiser une parole collective",
        "Restituer fidèlement la diversité des points de vue exprimés.",
        FAIRE,
        False,
    ),
    (
        "C-ANI-06",
        "D-ANI",
        "Accompagner la rédaction des avis",
        "Structurer un avis, relire, proposer des reformulations en laissant la plume aux membres.",
        FAIRE,
        False,
    ),
    (
        "C-ANI-07",
        "D-ANI",
        "Animer à distance et en format hybride",
        "Choisir les outils, préparer les participant·es et veiller à l'égalité entre présents et connectés.",
        FAIRE,
        False,
    ),
    (
        "C-ANI-08",
        "D-ANI",
        "Mobiliser des bénévoles aux profils divers",
        "Aller chercher de nouveaux membres et tenir compte des contraintes de chacun·e.",
        FAIRE,
        False,
    ),
    (
        "C-ANI-09",
        "D-ANI",
        "Connaître les méthodes de la participation citoyenne",
        "Repères sur les démarches de concertation, de consultation et de co-construction.",
        SAVOIR,
        False,
    ),
    (
        "C-INS-01",
        "D-INS",
        "Connaître le cadre juridique des conseils de développement",
        "Code général des collectivités territoriales, pacte de gouvernance, règlement intérieur.",
        SAVOIR,
        False,
    ),
    (
        "C-INS-02",
        "D-INS",
        "Comprendre le fonctionnement d'un EPCI",
        "Compétences, instances, circuits de décision et calendrier budgétaire de l'intercommunalité.",
        SAVOIR,
        False,
    ),
    (
        "C-INS-03",
        "D-INS",
        "Tenir une posture de tiers",
        "Être salarié·e de la collectivité tout en garantissant l'indépendance du conseil.",
        ETRE,
        False,
    ),
    (
        "C-INS-04",
        "D-INS",
        "Organiser la circulation de l'information",
        "Entre la présidence du conseil, l'élu·e référent·e, la direction générale et les services.",
        FAIRE,
        False,
    ),
    (
        "C-INS-05",
        "D-INS",
        "Assurer une veille sur l'agenda politique",
        "Repérer à temps les documents soumis à avis : SCoT, PLUi, PCAET, plan de mobilité.",
        FAIRE,
        False,
    ),
    (
        "C-INS-06",
        "D-INS",
        "Gérer les saisines et autosaisines",
        "Instruire une demande, en fixer le calendrier et les moyens avec les élu·es.",
        FAIRE,
        False,
    ),
    (
        "C-INS-07",
        "D-INS",
        "Gérer un budget et la logistique",
        "Prévoir, engager et suivre les dépenses ; organiser salles, repas et déplacements.",
        FAIRE,
        False,
    ),
    (
        "C-INS-08",
        "D-INS",
        "Travailler en réseau",
        "Coopérer avec la CNCD, le CESER, d'autres conseils et les acteurs du territoire.",
        ETRE,
        False,
    ),
    (
        "C-VAL-01",
        "D-VAL",
        "Écrire pour des publics variés",
        "Adapter le niveau de langue, la longueur et la forme au lectorat visé.",
        FAIRE,
        False,
    ),
    (
        "C-VAL-02",
        "D-VAL",
        "Élaborer un plan de communication",
        "Définir cibles, messages, canaux et calendrier pour faire connaître les travaux.",
        FAIRE,
        False,
    ),
    (
        "C-VAL-03",
        "D-VAL",
        "Concevoir des supports visuels",
        "Infographies, diaporamas, affiches : rendre un contenu lisible en un coup d'œil.",
        FAIRE,
        False,
    ),
    (
        "C-VAL-04",
        "D-VAL",
        "Organiser des événements publics",
        "Réunions publiques, restitutions, forums : de la conception au bilan.",
        FAIRE,
        False,
    ),
    (
        "C-VAL-05",
        "D-VAL",
        "Préparer la présentation des avis aux élu·es",
        "Aider les membres à présenter leurs avis en conseil communautaire ou en commission.",
        FAIRE,
        False,
    ),
    (
        "C-VAL-06",
        "D-VAL",
        "Suivre la prise en compte des avis",
        "Documenter ce que la collectivité a retenu et le faire savoir aux membres.",
        FAIRE,
        False,
    ),
    (
        "C-VAL-07",
        "D-VAL",
        "Partager outils et pratiques entre pairs",
        "Capitaliser ses outils et les mettre à disposition du réseau.",
        ETRE,
        False,
    ),
    (
        "C-TRA-01",
        "D-TRA",
        "Conduire un projet",
        "Planifier, répartir les tâches, suivre l'avancement et rendre compte.",
        FAIRE,
        True,
    ),
    (
        "C-TRA-02",
        "D-TRA",
        "Utiliser l'IA de façon raisonnée",
        "S'appuyer sur des outils d'IA sans dénaturer la parole des membres ni s'y substituer.",
        FAIRE,
        True,
    ),
    (
        "C-TRA-03",
        "D-TRA",
        "Protéger les données personnelles des membres",
        "Appliquer le RGPD aux fichiers, listes de diffusion et inscriptions.",
        SAVOIR,
        True,
    ),
    (
        "C-TRA-04",
        "D-TRA",
        "Évaluer de façon participative",
        "Construire avec les membres des critères et des indicateurs pour évaluer leurs travaux.",
        FAIRE,
        True,
    ),
    (
        "C-TRA-05",
        "D-TRA",
        "Organiser son temps sur un poste partagé",
        "Arbitrer entre les missions du conseil et les autres tâches du poste.",
        ETRE,
        True,
    ),
    (
        "C-TRA-06",
        "D-TRA",
        "Faire preuve d'écoute et de diplomatie",
        "Désamorcer les tensions et faire dialoguer des points de vue opposés.",
        ETRE,
        True,
    ),
]

LEVELS = {
    "C-ANI-02": {
        1: "Connaît deux ou trois techniques et leur principe.",
        2: "Anime une technique connue avec un déroulé préparé.",
        3: "Choisit et adapte la technique au groupe et au sujet.",
        4: "Forme des pairs et invente des variantes.",
    },
    "C-INS-03": {
        1: "Sait que le conseil est indépendant de la collectivité.",
        2: "Repère les situations où cette indépendance est en jeu.",
        3: "Explique et défend la place du conseil auprès des élu·es et des services.",
        4: "Aide d'autres technicien·nes à trouver la bonne distance.",
    },
    "C-TRA-02": {
        1: "Connaît les usages possibles et les limites des outils d'IA.",
        2: "Utilise un outil pour une tâche simple et vérifie le résultat.",
        3: "Choisit quand ne pas l'utiliser pour préserver la parole des membres.",
        4: "Construit des règles d'usage partagées avec le conseil et le réseau.",
    },
}

MISSIONS = [
    (
        "M1",
        "Animer les travaux du CoDev",
        "Faciliter le travail des membres bénévoles en favorisant leur autonomie, sans jamais se substituer à eux.",
    ),
    (
        "M2",
        "Coordination interne et lien aux institutions",
        "Faire circuler l'information et faire reconnaître le rôle du conseil dans la collectivité et au-delà.",
    ),
    (
        "M3",
        "Valoriser les travaux",
        "Faire connaître les travaux du conseil aux élu·es, aux services et aux habitant·es.",
    ),
]

# code, title, description, competences
ACTIVITIES = [
    (
        "M1.A1",
        "Préparer les séances plénières et les groupes de travail",
        "Ordre du jour, déroulé, supports et invitations.",
        ["C-ANI-01", "C-ANI-09", "C-TRA-01"],
    ),
    (
        "M1.A2",
        "Animer les réunions avec des techniques participatives",
        "Choisir le format qui fait participer chacun·e.",
        ["C-ANI-02", "C-ANI-03", "C-TRA-06"],
    ),
    (
        "M1.A3",
        "Accompagner les membres dans la rédaction des avis",
        "De la prise de notes à la version adoptée par le conseil.",
        ["C-ANI-05", "C-ANI-06", "C-ANI-04"],
    ),
    (
        "M1.A4",
        "Organiser des séances à distance ou hybrides",
        "Pour permettre à tous les membres de participer.",
        ["C-ANI-07"],
    ),
    (
        "M1.A5",
        "Renouveler et diversifier les membres",
        "Campagnes d'appel à candidatures, accueil des nouveaux membres.",
        ["C-ANI-08", "C-VAL-01"],
    ),
    (
        "M1.A6",
        "Expliquer aux membres les compétences de la collectivité",
        "Fiches, visites, interventions des services.",
        ["C-INS-02", "C-ANI-04"],
    ),
    (
        "M1.A7",
        "Rédiger les comptes rendus des séances",
        "Garder une trace fidèle des échanges et des décisions.",
        ["C-ANI-05", "C-TRA-02"],
    ),
    (
        "M2.A1",
        "Assurer le lien avec l'élu·e référent·e et la direction générale",
        "Points réguliers, notes et préparation des arbitrages.",
        ["C-INS-03", "C-INS-04"],
    ),
    (
        "M2.A2",
        "Suivre l'agenda des documents soumis à avis",
        "SCoT, PLUi, PCAET, mobilité : anticiper les consultations.",
        ["C-INS-05", "C-INS-01"],
    ),
    (
        "M2.A3",
        "Instruire les saisines et les autosaisines",
        "Cadrer la demande, le calendrier et les moyens.",
        ["C-INS-06", "C-INS-02"],
    ),
    ("M2.A4", "Gérer le budget et la logistique du conseil", "Commandes, salles, défraiements.", ["C-INS-07"]),
    (
        "M2.A5",
        "Représenter le conseil dans les réseaux",
        "CNCD, CESER, autres conseils de développement.",
        ["C-INS-08", "C-VAL-07"],
    ),
    ("M2.A6", "Tenir à jour les fichiers des membres", "Coordonnées, présences, consentements.", ["C-TRA-03"]),
    (
        "M3.A1",
        "Concevoir le plan de communication du conseil",
        "Cibles, messages, canaux et calendrier.",
        ["C-VAL-02", "C-TRA-01"],
    ),
    (
        "M3.A2",
        "Produire des supports de restitution accessibles",
        "Synthèses, infographies, vidéos courtes.",
        ["C-VAL-01", "C-VAL-03", "C-TRA-02"],
    ),
    (
        "M3.A3",
        "Organiser des événements publics",
        "Restitutions, forums et rencontres avec les habitant·es.",
        ["C-VAL-04", "C-ANI-02"],
    ),
    (
        "M3.A4",
        "Préparer la présentation des avis aux instances",
        "Conseil communautaire, commissions, bureau.",
        ["C-VAL-05", "C-INS-02"],
    ),
    (
        "M3.A5",
        "Suivre et faire connaître les suites données aux avis",
        "Tableau de suivi et retour aux membres.",
        ["C-VAL-06", "C-TRA-04"],
    ),
]


# Competences that go together; the relation is symmetric, so each pair is listed on both sides, as the
# stored version reads back.
RELATED = {"C-ANI-01": ["C-ANI-02"], "C-ANI-02": ["C-ANI-01"], "C-INS-01": ["C-INS-02"], "C-INS-02": ["C-INS-01"]}

# Links to the national job repertoire (ROME 4.0 of France Travail), entered by the CNCD team.
ALIGNMENTS = {
    "C-INS-02": [
        AlignmentData(
            "close",
            "rome",
            "https://candidat.francetravail.fr/metierscope/fiche-metier/K1802",
            "K1802",
            "Développement local",
        )
    ],
}


def v1_data() -> FrameworkData:
    """The content of the demo v1.0."""
    orders: dict[str, int] = {}

    def next_order(parent):
        orders[parent] = orders.get(parent, 0) + 1
        return orders[parent]

    return FrameworkData(
        label="v1.0",
        summary="Première version, issue du séminaire national de mai 2025 : trois missions, "
        "les activités qui les composent et les compétences qu'elles mobilisent.",
        scale=list(SCALE),
        domains=list(DOMAINS),
        competences=[
            CompetenceData(
                code,
                domain,
                title,
                text,
                kind,
                transversal,
                next_order(domain),
                "",
                LEVELS.get(code, {}),
                related=RELATED.get(code, []),
                alignments=ALIGNMENTS.get(code, []),
            )
            for code, domain, title, text, kind, transversal in COMPETENCES
        ],
        missions=[MissionData(code, title, purpose, i) for i, (code, title, purpose) in enumerate(MISSIONS, 1)],
        activities=[
            ActivityData(code, code.split(".")[0], title, text, next_order(code.split(".")[0]), "", sorted(links))
            for code, title, text, links in ACTIVITIES
        ],
    )


def _apply_v2_changes(draft: FrameworkVersion) -> None:
    """The draft v2.0: a sub-domain and two competences added, one renamed, one text changed, one activity
    moved, one removed."""
    online = Domain.objects.create(
        version=draft,
        parent=Domain.objects.get(version=draft, code="D-ANI"),
        code="D-ANI-NUM",
        order=1,
        title="Participation en ligne",
        description="Ouvrir les travaux du conseil au-delà des réunions, avec des outils numériques choisis.",
    )
    Competence.objects.create(
        version=draft,
        domain=online,
        code="C-ANI-10",
        order=1,
        kind=CompetenceKind.SKILL,
        title="Conduire une consultation en ligne",
        description="Choisir une plateforme respectueuse des données, rédiger les questions et restituer les "
        "contributions aux membres.",
    )
    domain = Domain.objects.get(version=draft, code="D-TRA")
    added = Competence.objects.create(
        version=draft,
        domain=domain,
        code="C-TRA-07",
        order=7,
        kind=CompetenceKind.BEHAVIOUR,
        transversal=True,
        title="Prendre soin de l'intelligence collective",
        description="Veiller au climat du groupe, à la convivialité et à la reconnaissance de l'engagement bénévole.",
    )
    renamed = Competence.objects.get(version=draft, code="C-ANI-08")
    renamed.title = "Mobiliser et fidéliser des bénévoles aux profils divers"
    renamed.save()
    changed = Competence.objects.get(version=draft, code="C-TRA-02")
    changed.description = (
        "S'appuyer sur des outils d'IA avec discernement, sans dénaturer la parole des membres "
        "ni se substituer à leur réflexion."
    )
    changed.save()
    moved = Activity.objects.get(version=draft, code="M2.A5")
    moved.mission = draft.mission_set.get(code="M3")
    moved.order = 6
    moved.save()
    Activity.objects.get(version=draft, code="M2.A6").delete()
    Activity.objects.get(version=draft, code="M1.A6").competences.add(added)


DEMO_MEMBER_RATINGS = {
    "C-ANI-01": (3, "Conception des plénières depuis trois ans."),
    "C-ANI-02": (3, "World Café et débat mouvant lors des ateliers PLUi."),
    "C-ANI-03": (4, ""),
    "C-ANI-05": (2, ""),
    "C-ANI-06": (3, "Avis sur le PCAET adopté en 2025."),
    "C-INS-02": (2, ""),
    "C-INS-03": (3, ""),
    "C-INS-05": (1, ""),
    "C-VAL-01": (3, ""),
    "C-VAL-03": (2, ""),
    "C-TRA-02": (1, ""),
}


def _seed_member_ratings(version: FrameworkVersion) -> None:
    member = User.objects.filter(email="technicienne@demo.codev-reseau.fr").first()
    if member is None:
        return
    self_assessment_save(
        user=member,
        version=version,
        ratings={code: (level, False, evidence) for code, (level, evidence) in DEMO_MEMBER_RATINGS.items()}
        | {"C-INS-07": (None, True, "Budget géré par la direction.")},
    )


@transaction.atomic
def seed() -> None:
    """Create the demo v1.0 (published) and draft v2.0 unless a référentiel already exists."""
    if FrameworkVersion.objects.exists():
        return
    # Created published (bulk inserts fill it): only one draft may exist at a time, v2.0 below.
    v1 = FrameworkVersion.objects.create(
        label="v1.0", summary=v1_data().summary, status=FrameworkStatus.PUBLISHED, published_at=timezone.now()
    )
    framework_build(data=v1_data(), version=v1)
    _seed_member_ratings(v1)
    draft = draft_create_from(source=v1, label="v2.0", actor=None)
    _apply_v2_changes(draft)
