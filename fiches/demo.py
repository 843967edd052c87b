"""The common fiche de poste v1, written for the demo: sections, suggestions, discussion, a version."""

from django.db import transaction

from core.enums import Role
from fiches import services
from fiches.enums import SectionKind
from fiches.models import COMMON_FICHE_SLUG, Fiche, FicheVersion, Section
from members.enums import AccountStatus
from members.models import User

INTRODUCTION = (
    "Une fiche de poste type, rédigée ensemble par les technicien·nes du réseau, que chaque collectivité "
    "peut adapter. Elle garde la transversalité du métier et limite les tâches périphériques."
)

# key, title, kind, body
SECTIONS = [
    (
        "intitule",
        "Intitulé du poste",
        SectionKind.TEXT,
        "**Technicien·ne de conseil de développement**\n\n"
        "Autres appellations : chargé·e de mission conseil de développement, animateur·rice de la "
        "participation citoyenne, coordinateur·rice du conseil de développement.",
    ),
    (
        "finalite",
        "Finalité du poste",
        SectionKind.TEXT,
        "Faire vivre le conseil de développement, instance de participation citoyenne rattachée à "
        "l'intercommunalité : permettre à ses membres bénévoles de travailler dans de bonnes conditions, "
        "de rendre des avis éclairés et d'être entendus.\n\n"
        "Le ou la technicien·ne accompagne le conseil **sans se substituer à ses membres** : les avis "
        "restent les leurs.",
    ),
    (
        "missions",
        "Missions et activités",
        SectionKind.MISSIONS,
        "M1\nM1.A1\nM1.A2\nM1.A3\nM1.A5\nM2\nM2.A1\nM2.A2\nM2.A3\nM2.A4\nM3\nM3.A1\nM3.A2\nM3.A4\nM3.A5",
    ),
    (
        "positionnement",
        "Positionnement hiérarchique",
        SectionKind.TEXT,
        "Placé·e sous l'autorité de la direction générale des services ou d'un·e directeur·rice "
        "(participation, prospective, développement territorial), selon l'organisation de la collectivité.\n\n"
        "Travaille au quotidien avec la présidence du conseil de développement, dont il ou elle "
        "n'est pas le ou la subordonné·e.",
    ),
    (
        "relations",
        "Relations internes et externes",
        SectionKind.TEXT,
        "- **En interne** : élu·e référent·e, direction générale, services porteurs des politiques "
        "soumises à avis (aménagement, mobilité, transition écologique), service communication.\n"
        "- **Avec le conseil** : présidence, bureau, membres bénévoles, groupes de travail.\n"
        "- **À l'extérieur** : autres conseils de développement, Coordination nationale des conseils de "
        "développement, CESER, partenaires associatifs, habitant·es.",
    ),
    (
        "competences",
        "Compétences requises",
        SectionKind.COMPETENCES,
        "C-ANI-01 3\nC-ANI-02 3\nC-ANI-03 3\nC-ANI-05 3\nC-INS-01 2\nC-INS-03 3\nC-VAL-02 2\nC-TRA-01 3",
    ),
    (
        "cadre",
        "Cadre statutaire",
        SectionKind.TEXT,
        "Filière administrative, **catégorie A** (cadre d'emplois des attaché·es territoriaux) ou "
        "**catégorie B** (rédacteur·rices territoriaux) selon l'étendue des responsabilités.\n\n"
        "Poste ouvert aux titulaires et aux contractuel·les. La part du temps de travail consacrée au "
        "conseil est précisée par chaque collectivité.",
    ),
    (
        "conditions",
        "Conditions d'exercice et contraintes",
        SectionKind.TEXT,
        "- Réunions fréquentes **en soirée** et parfois le samedi, pour s'adapter aux disponibilités des "
        "bénévoles ; récupération des heures selon le règlement de la collectivité.\n"
        "- **Déplacements** réguliers sur le territoire et ponctuels au niveau national (rencontres du réseau).\n"
        "- Posture de tiers : salarié·e de la collectivité et garant·e de l'indépendance du conseil.",
    ),
    (
        "moyens",
        "Moyens",
        SectionKind.TEXT,
        "Budget de fonctionnement du conseil, salles de réunion, outils de visioconférence, "
        "appui du service communication, accès aux documents de la collectivité soumis à avis.",
    ),
    (
        "indicateurs",
        "Indicateurs d'appréciation",
        SectionKind.TEXT,
        "- Nombre d'avis rendus, dont autosaisines.\n"
        "- Participation et renouvellement des membres.\n"
        "- Suites données aux avis par la collectivité.",
    ),
    (
        "evolution",
        "Perspectives d'évolution et de formation",
        SectionKind.TEXT,
        "Formations aux techniques d'animation et à la facilitation, formation-action du réseau avec le "
        "CNFPT, échanges entre pairs. Évolutions possibles vers des postes de chef·fe de projet "
        "participation ou développement territorial.",
    ),
]

DEMO_PEOPLE = [
    ("karim.benali@demo.codev-reseau.fr", "Karim", "Benali"),
    ("sophie.lemoine@demo.codev-reseau.fr", "Sophie", "Lemoine"),
]


def _demo_user(email, first_name, last_name) -> User:
    user, _created = User.objects.get_or_create(
        email=email,
        defaults={
            "first_name": first_name,
            "last_name": last_name,
            "role": Role.MEMBER,
            "status": AccountStatus.APPROVED,
        },
    )
    return user


@transaction.atomic
def seed() -> None:
    """Create the common fiche with its sections, some suggestions and the published v1.0 (once)."""
    if Fiche.objects.filter(slug=COMMON_FICHE_SLUG).exists():
        return
    curator = User.objects.filter(email="equipe@demo.codev-reseau.fr").first()
    technician = User.objects.filter(email="technicienne@demo.codev-reseau.fr").first()
    karim, sophie = (_demo_user(*person) for person in DEMO_PEOPLE)
    fiche = Fiche.objects.create(
        slug=COMMON_FICHE_SLUG, title="Technicien·ne de conseil de développement", introduction=INTRODUCTION
    )
    for order, (key, title, kind, body) in enumerate(SECTIONS, 1):
        services.section_create(fiche=fiche, key=key, title=title, kind=kind, body=body, order=order, actor=curator)
    sections = {section.key: section for section in Section.objects.of(fiche)}

    # An accepted suggestion: the indicators gain a qualitative line.
    accepted = services.suggestion_create(
        section_id=sections["indicateurs"].pk,
        author=karim,
        body=sections["indicateurs"].current_revision.body
        + "\n- Qualité des échanges perçue par les membres (questionnaire annuel).",
        rationale="Les chiffres ne disent pas tout : il manque un indicateur sur la qualité du travail collectif.",
    )
    services.suggestion_support(suggestion_id=accepted.pk, user=sophie)
    if curator:
        services.suggestion_accept(suggestion_id=accepted.pk, actor=curator)
        services.version_publish(
            fiche_id=fiche.pk,
            label="v1.0",
            summary="Première version commune, issue du séminaire du réseau et des propositions des membres.",
            actor=curator,
        )

    # Open suggestions, discussed and supported.
    conditions = sections["conditions"]
    conditions.refresh_from_db()
    open_one = services.suggestion_create(
        section_id=conditions.pk,
        author=technician or sophie,
        body=conditions.current_revision.body
        + "\n- Temps partagé fréquent : le poste est souvent une part d'emploi, à préciser dans la fiche.",
        rationale="Beaucoup d'entre nous sont à mi-temps sur le conseil ; la fiche doit le dire clairement.",
    )
    first = services.comment_create(
        suggestion_id=open_one.pk, author=karim, body="D'accord, c'est mon cas : 40 % de mon temps."
    )
    services.comment_create(
        suggestion_id=open_one.pk,
        author=sophie,
        body="Peut-être ajouter qu'il faut alors protéger ce temps des tâches périphériques ?",
        parent_id=first.pk,
    )
    services.suggestion_support(suggestion_id=open_one.pk, user=karim)
    services.suggestion_support(suggestion_id=open_one.pk, user=sophie)

    finalite = sections["finalite"]
    finalite.refresh_from_db()
    second = services.suggestion_create(
        section_id=finalite.pk,
        author=sophie,
        body=finalite.current_revision.body.replace(
            "de rendre des avis éclairés", "de rendre des avis éclairés, y compris en autosaisine,"
        ),
        rationale="L'autosaisine est une part importante du travail des conseils.",
    )
    services.comment_create(
        suggestion_id=second.pk, author=karim, body="Oui, et c'est souvent là que le conseil est le plus libre."
    )
    if FicheVersion.objects.filter(fiche=fiche).exists() and curator:
        services.follow_set(user=curator, target=fiche, following=True)
