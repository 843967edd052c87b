"""Data at the scale of a national network, for the benchmark (`manage.py seed_scale`).

Everything is fictional and generated from a seeded random source, so that two runs with the same
options write the same rows. Rows are written with `bulk_create` in batches: thousands of members
take seconds. The rules the services enforce are kept: codes unique per version, revisions numbered
and chained to their parent, accepted suggestions credited on the revision they became, one
published référentiel version, time shares within 0–100 %.

What is written, next to the demo data (which stays usable):
- `--members` approved technicians (plus a few pending and refused accounts) with profiles spread
  over ~300 councils in every région, territory kinds, time shares and visibility choices, their
  self-assessments and declared missions;
- two référentiel versions of `--competences` competences: `v8.0-echelle` (archived) and
  `v9.0-echelle` (published, replacing the demo v1.0, which is archived: only one version may be
  published). Both contain every code of the demo v1.0, so the common fiche's structured sections
  and the demo member's ratings still resolve;
- on the common fiche, `--revisions` revisions across its free-text sections, `--suggestions`
  suggestions (open, outdated, accepted, rejected, withdrawn) with comments, replies and supports,
  and a new published version `v2.0-echelle`;
- a separate fiche `fiche-echelle` with one ~5,000-word section in two revisions (two published
  versions), for the diff benchmark;
- `--resources` toolbox resources of every kind (most published, some drafts, submitted or sent back),
  linked to the published référentiel, with "utile" marks, uses, comments and a first revision, their
  search text and French vector filled as the services do.
"""

import random
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth.hashers import make_password
from django.db import connection
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from competences.enums import CompetenceKind, FrameworkStatus
from competences.models import AssessmentSharing, FrameworkVersion, SelfAssessment
from core.enums import Role
from fiches.enums import RevisionSource, SectionKind, SuggestionStatus
from fiches.models import (
    COMMON_FICHE_SLUG,
    Comment,
    Fiche,
    FicheVersion,
    Revision,
    Section,
    Suggestion,
    Support,
    VersionEntry,
)
from fiches.rendering import render_markdown
from members.enums import AccountStatus, Category, EmploymentStatus, Filiere, PostPlacement, TerritoryKind, Visibility
from members.models import Council, Department, Profile, User, search_key
from missions.models import MissionDeclaration
from referentiel.demo import v1_data
from referentiel.framework import (
    ActivityData,
    CompetenceData,
    DomainData,
    FrameworkData,
    MissionData,
    framework_build,
    framework_check,
)
from toolbox import services as toolbox_services
from toolbox.enums import Audience, Hosting, Licence, LinkKind, ResourceKind, ResourceStatus, TemplateKind
from toolbox.models import Resource, ResourceComment, ResourceLink, ResourceRevision, ResourceUse, UsefulMark
from toolbox.search import vector_refresh
from toolbox.selectors import catalogue_changed

SCALE_EMAIL_DOMAIN = "echelle.codev-reseau.fr"
OLD_LABEL, NEW_LABEL = "v8.0-echelle", "v9.0-echelle"
FICHE_VERSION_LABEL = "v2.0-echelle"
LONG_FICHE_SLUG = "fiche-echelle"
LONG_SECTION_KEY = "texte-long"
BATCH = 2000


@dataclass
class ScaleOptions:
    members: int = 5000
    competences: int = 500
    revisions: int = 5000
    suggestions: int = 1000
    long_words: int = 5000
    resources: int = 2000
    trainings: int = 300
    # The entraide: questions and answers (about 20,000 posts).
    exchange_questions: int = 5000
    exchange_answers: int = 15000
    # The vitrine: validated councils with a published page, and their published works.
    council_pages: int = 1000
    works: int = 10000
    seed: int = 1


def scale_loaded() -> bool:
    """True when seed_scale has already written its data in this database."""
    return User.objects.filter(email__endswith="@" + SCALE_EMAIL_DOMAIN).exists()


def scale_seed(options: ScaleOptions, log=print) -> dict:
    """Write every part in dependency order (the demo data must be there); returns counts per part."""
    rng = random.Random(options.seed)  # noqa: S311 - fictional data, reproducible on purpose
    curator = User.objects.filter(email="equipe@demo.codev-reseau.fr").first()
    if curator is None or not Fiche.objects.filter(slug=COMMON_FICHE_SLUG).exists():
        raise RuntimeError("Load the demo data first: python manage.py seed_demo")
    counts = {}
    councils = _councils(rng)
    counts["councils"] = len(councils)
    log(f"  {len(councils)} conseils")
    users = _members(rng, options.members, councils)
    counts["members"] = len(users)
    log(f"  {len(users)} comptes et profils")
    version, framework_counts = _frameworks(rng, options.competences)
    counts |= framework_counts
    log(f"  référentiels {OLD_LABEL} et {NEW_LABEL} : {framework_counts['competences']} compétences chacun")
    approved = [user for user in users if user.status == AccountStatus.APPROVED]
    counts["self_assessments"] = _self_assessments(rng, approved, version)
    counts["mission_declarations"] = _declarations(rng, approved, version)
    log(f"  {counts['self_assessments']} auto-évaluations, {counts['mission_declarations']} missions déclarées")
    fiche_counts = _common_fiche(rng, options, approved, curator)
    counts |= fiche_counts
    log(
        f"  fiche commune : {fiche_counts['revisions']} révisions, {fiche_counts['suggestions']} propositions, "
        f"{fiche_counts['comments']} commentaires, {fiche_counts['supports']} soutiens"
    )
    counts["long_section_words"] = _long_fiche(rng, options.long_words, curator)
    log(f"  fiche {LONG_FICHE_SLUG} : une section de {counts['long_section_words']} mots en deux révisions")
    toolbox_counts = _toolbox(rng, options.resources, approved, curator, version)
    counts |= toolbox_counts
    log(
        f"  boîte à outils : {toolbox_counts['resources']} ressources, {toolbox_counts['resource_links']} liens, "
        f"{toolbox_counts['useful_marks']} « utile », {toolbox_counts['resource_comments']} commentaires"
    )
    training_counts = _training_catalogue(rng, options.trainings, approved, curator, version)
    counts |= training_counts
    log(
        f"  parcours : {training_counts['trainings']} formations, {training_counts['training_sessions']} sessions, "
        f"{training_counts['training_completions']} « suivie »"
    )
    exchange_counts = _exchange(rng, options.exchange_questions, options.exchange_answers, approved, version)
    counts |= exchange_counts
    log(
        f"  entraide : {exchange_counts['exchange_questions']} questions, "
        f"{exchange_counts['exchange_answers']} réponses, {exchange_counts['exchange_useful']} « utile »"
    )
    mentoring_counts = _mentoring(rng, approved, version)
    counts |= mentoring_counts
    log(
        f"  accompagnement : {mentoring_counts['mentor_offers']} propositions d'aide, "
        f"{mentoring_counts['mentoring_requests']} demandes"
    )
    showcase_counts = _showcase(rng, options.council_pages, options.works)
    counts |= showcase_counts
    log(
        f"  vitrine : {showcase_counts['council_pages']} pages de conseils publiées, "
        f"{showcase_counts['works']} travaux publiés"
    )
    return counts


@contextmanager
def _explicit_timestamps(*fields):
    """Let bulk_create keep the dates we give instead of auto_now(_add) overwriting them with now."""
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    try:
        for f in fields:
            f.auto_now = f.auto_now_add = False
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def _field(model, name):
    return model._meta.get_field(name)


# --- Members ----------------------------------------------------------------------------------------

PLACES = [
    "Val", "Mont", "Pays", "Plaine", "Côte", "Lac", "Bocage", "Causses", "Vallée", "Plateau", "Marches", "Forêt",
    "Rives", "Portes", "Coteaux", "Marais", "Monts", "Terres", "Bassin", "Estuaire",
]  # fmt: skip
PLACE_NAMES = [
    "Aubrac", "Bresse", "Cornouaille", "Dombes", "Forez", "Gâtinais", "Hurepoix", "Lauragais", "Livradois",
    "Morvan", "Perche", "Quercy", "Rouergue", "Sologne", "Thiérache", "Vexin", "Woëvre", "Xaintois", "Yvelines",
    "Limagne", "Vivarais", "Médoc", "Comminges", "Boulonnais", "Santerre", "Trégor", "Léon", "Bugey", "Chablais",
    "Diois",
]  # fmt: skip
KIND_WEIGHTS = {
    TerritoryKind.METROPOLE: 6,
    TerritoryKind.URBAN_COMMUNITY: 6,
    TerritoryKind.AGGLOMERATION: 30,
    TerritoryKind.COMMUNES: 30,
    TerritoryKind.PETR: 22,
    TerritoryKind.OTHER: 6,
}
KIND_AUTHORITY = {
    TerritoryKind.METROPOLE: "Métropole",
    TerritoryKind.URBAN_COMMUNITY: "Communauté urbaine",
    TerritoryKind.AGGLOMERATION: "Communauté d'agglomération",
    TerritoryKind.COMMUNES: "Communauté de communes",
    TerritoryKind.PETR: "PETR",
    TerritoryKind.OTHER: "Établissement public territorial",
}
FIRST_NAMES = [
    "Agathe", "Basile", "Camille", "Dominique", "Emma", "Fabien", "Garance", "Hugo", "Inès", "Jules", "Katell",
    "Lucas", "Manon", "Noé", "Olivia", "Paul", "Rose", "Sacha", "Théo", "Victoire", "Yanis", "Zélie", "Aurélien",
    "Bénédicte", "Clément", "Diane", "Éloïse", "Gabriel", "Héloïse", "Ismaël", "Joséphine", "Lina", "Maël",
    "Nathan", "Ophélie", "Pauline", "Quentin", "Rémi", "Salomé", "Tristan",
]  # fmt: skip
LAST_NAMES = [
    "Abadie", "Barthélemy", "Cazenave", "Daguerre", "Étchegaray", "Fournier", "Garnier", "Hébert", "Imbert",
    "Joly", "Kervella", "Lambert", "Mercier", "Nédélec", "Olivier", "Pélissier", "Quintin", "Renaud", "Simon",
    "Thomas", "Vidal", "Weber", "Le Goff", "Morin", "Roux", "Girard", "André", "Lefèvre", "Faure", "Rousseau",
    "Blanc", "Guérin", "Muller", "Henry", "Roussel", "Nicolas", "Perrin", "Dupuis", "Marchand", "Lemaire",
]  # fmt: skip
JOB_TITLES = [
    "Chargé·e de mission conseil de développement",
    "Animateur·rice du conseil de développement",
    "Chargé·e de mission participation citoyenne",
    "Coordinateur·rice du conseil de développement",
    "Chef·fe de projet démocratie participative",
    "Chargé·e de mission prospective",
]
SENTENCES = [
    "J'accompagne les membres bénévoles dans leurs groupes de travail.",
    "Je prépare les séances plénières avec la présidence du conseil.",
    "Je fais le lien entre le conseil, les élu·es et les services.",
    "Le poste est partagé avec le suivi du projet de territoire.",
    "J'organise les autosaisines et la restitution des avis.",
    "Je m'intéresse aux méthodes d'animation et d'évaluation participative.",
    "Nous travaillons en ce moment sur le plan climat et la mobilité.",
    "Je suis arrivé·e récemment sur le poste.",
]
TOPICS = ["forum ouvert", "débat mouvant", "rédaction d'avis", "animation hybride", "PCAET", "SCoT", "mobilisation"]
WISHES = ["facilitation graphique", "évaluation participative", "cadre juridique", "usage de l'IA", "prise de parole"]
# identity, post, about, contact, weight
VISIBILITY_CHOICES = [
    (Visibility.MEMBERS, Visibility.MEMBERS, Visibility.MEMBERS, Visibility.HIDDEN, 45),
    (Visibility.PUBLIC, Visibility.MEMBERS, Visibility.PUBLIC, Visibility.HIDDEN, 20),
    (Visibility.MEMBERS, Visibility.TEAM, Visibility.MEMBERS, Visibility.HIDDEN, 15),
    (Visibility.PUBLIC, Visibility.PUBLIC, Visibility.PUBLIC, Visibility.MEMBERS, 10),
    (Visibility.MEMBERS, Visibility.HIDDEN, Visibility.TEAM, Visibility.HIDDEN, 10),
]


def _councils(rng: random.Random) -> list[Council]:
    departments = list(Department.objects.order_by("code"))
    kinds, weights = list(KIND_WEIGHTS), list(KIND_WEIGHTS.values())
    councils, links = [], []
    for index in range(300):
        place = f"{PLACES[index % len(PLACES)]} {PLACE_NAMES[(index * 7) % len(PLACE_NAMES)]} {index // 60 + 1}"
        kind = rng.choices(kinds, weights)[0]
        authority = f"{KIND_AUTHORITY[kind]} {place}"
        name = f"Conseil de développement {place} (échelle)"
        council = Council(
            name=name,
            kind=kind,
            authority_name=authority,
            is_validated=rng.random() > 0.03,
            search_text=search_key(f"{name} {authority}"),
        )
        councils.append(council)
    Council.objects.bulk_create(councils, batch_size=BATCH)
    through = Council.departments.through
    for index, council in enumerate(councils):
        first = departments[index % len(departments)]
        links.append(through(council_id=council.pk, department_id=first.pk))
        neighbours = [d for d in departments if d.region_id == first.region_id and d.pk != first.pk]
        if council.kind == TerritoryKind.PETR and neighbours and rng.random() < 0.3:
            links.append(through(council_id=council.pk, department_id=rng.choice(neighbours).pk))
    through.objects.bulk_create(links, batch_size=BATCH)
    return councils


def _members(rng: random.Random, count: int, councils: list[Council]) -> list[User]:
    validated = [c for c in councils if c.is_validated]
    unusable = make_password(None)  # nobody logs in with these accounts
    now = timezone.now()
    users = []
    for index in range(count):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        roll = rng.random()
        status = (
            AccountStatus.APPROVED if roll < 0.95 else AccountStatus.PENDING if roll < 0.98 else AccountStatus.REFUSED
        )
        users.append(
            User(
                email=f"membre-{index:05d}@{SCALE_EMAIL_DOMAIN}",
                first_name=first,
                last_name=last,
                password=unusable,
                role=Role.CURATOR if index % 1000 == 999 else Role.MEMBER,
                status=status,
                status_changed_at=None if status == AccountStatus.PENDING else now,
                date_joined=now - timedelta(days=rng.randint(0, 900)),
            )
        )
    User.objects.bulk_create(users, batch_size=BATCH)
    visibilities, visibility_weights = (
        [choice[:4] for choice in VISIBILITY_CHOICES],
        [choice[4] for choice in VISIBILITY_CHOICES],
    )
    today = date.today()
    profiles = []
    for user in users:
        identity, post, about, contact = rng.choices(visibilities, visibility_weights)[0]
        category = rng.choices(list(Category), [60, 30, 10])[0]
        display_name = f"{user.first_name} {user.last_name}"
        profiles.append(
            Profile(
                user=user,
                display_name=display_name,
                search_text=search_key(display_name),
                job_title=rng.choice(JOB_TITLES),
                council=rng.choice(validated) if rng.random() < 0.97 else None,
                time_share=rng.choices([10, 20, 25, 30, 40, 50, 60, 80, 100, None], [5, 10, 8, 10, 8, 20, 6, 8, 20, 5])[
                    0
                ],
                employment_status=rng.choices(list(EmploymentStatus), [55, 40, 5])[0],
                category=category,
                filiere=rng.choices(list(Filiere), [70, 10, 12, 2, 2, 4])[0],
                grade="Attaché·e territorial·e" if category == Category.A else "",
                started_on=today - timedelta(days=rng.randint(30, 15 * 365)),
                placement=rng.choice(list(PostPlacement)),
                bio=" ".join(rng.sample(SENTENCES, rng.randint(0, 3))),
                help_topics=", ".join(rng.sample(TOPICS, rng.randint(0, 3))),
                training_wishes=", ".join(rng.sample(WISHES, rng.randint(0, 2))),
                open_to_exchange=rng.random() < 0.8,
                identity_visibility=identity,
                post_visibility=post,
                about_visibility=about,
                contact_visibility=contact,
            )
        )
    Profile.objects.bulk_create(profiles, batch_size=BATCH)
    return users


# --- Référentiel ------------------------------------------------------------------------------------

DOMAIN_TOPICS = [
    ("D-CON", "Concertation et dialogue territorial"),
    ("D-PRO", "Prospective et stratégie territoriale"),
    ("D-EVA", "Évaluation des politiques publiques"),
    ("D-NUM", "Outils numériques de la participation"),
    ("D-JUR", "Droit des collectivités et de la participation"),
    ("D-ENV", "Transitions écologiques et sociales"),
    ("D-RES", "Coopérations et réseaux"),
    ("D-ORG", "Organisation et pilotage"),
]
# Generated domains nest up to four levels deep, as imported Moodle or CASE frameworks do.
DOMAIN_PARENTS = {"D-PRO": "D-CON", "D-EVA": "D-PRO", "D-JUR": "D-NUM", "D-ENV": "D-JUR", "D-RES": "D-ENV"}
VERBS = [
    "Concevoir", "Conduire", "Animer", "Analyser", "Rédiger", "Coordonner", "Évaluer", "Mobiliser", "Présenter",
    "Accompagner", "Organiser", "Suivre", "Documenter", "Négocier", "Restituer", "Former",
]  # fmt: skip
OBJECTS = [
    "une démarche de concertation", "un diagnostic partagé", "un atelier de prospective", "une enquête en ligne",
    "un avis sur un document d'urbanisme", "une réunion publique", "un groupe de travail thématique",
    "une plateforme de participation", "un budget participatif", "une évaluation participative",
    "un partenariat avec les associations", "une consultation des jeunes", "un cahier d'acteurs",
    "un séminaire des membres", "une note aux élu·es", "un tableau de bord des avis",
]  # fmt: skip
CONTEXTS = [
    "à l'échelle intercommunale", "avec les services", "auprès des habitant·es", "dans un calendrier contraint",
    "en lien avec le CESER", "sur un territoire rural", "en format hybride", "avec des publics éloignés",
]  # fmt: skip
MISSION_TITLES = [
    ("M4", "Conduire des démarches de concertation", "Organiser la participation des habitant·es aux projets."),
    ("M5", "Éclairer la prospective du territoire", "Aider le conseil à regarder loin et à le dire."),
    ("M6", "Évaluer les politiques publiques", "Construire avec les membres des évaluations utiles."),
    ("M7", "Outiller la participation numérique", "Choisir et faire vivre des outils numériques ouverts."),
    ("M8", "Coopérer en réseau", "Travailler avec d'autres conseils et les têtes de réseau."),
    ("M9", "Piloter le conseil", "Programmer, budgéter et rendre compte de l'activité."),
    ("M10", "Accompagner les transitions", "Mettre la participation au service des transitions."),
]


def _framework_data(rng: random.Random, total: int, label: str) -> FrameworkData:
    """The demo v1.0 content plus generated domains, competences, missions and activities up to `total`."""
    data = v1_data()
    data.label = label
    data.summary = f"Référentiel à l'échelle ({total} compétences) pour les mesures de performance."
    for order, (code, title) in enumerate(DOMAIN_TOPICS, len(data.domains) + 1):
        parent = DOMAIN_PARENTS.get(code, "")
        data.domains.append(
            DomainData(code, title, f"Compétences liées à : {title.lower()}.", 1 if parent else order, parent=parent)
        )
    generated_domains = [code for code, _title in DOMAIN_TOPICS]
    orders = {d.code: max((c.order for c in data.competences if c.domain == d.code), default=0) for d in data.domains}
    kinds = list(CompetenceKind)
    index = 0
    while len(data.competences) < total:
        domain = generated_domains[index % len(generated_domains)]
        orders[domain] += 1
        code = f"C-{domain[2:]}-{orders[domain]:03d}"
        title = f"{rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(CONTEXTS)}"
        description = (
            f"{title} : savoir choisir la méthode, associer les membres du conseil et rendre compte des résultats "
            f"de façon claire et vérifiable ({rng.choice(CONTEXTS)})."
        )
        levels = (
            {value: f"Niveau {value} pour {code} : {rng.choice(SENTENCES)}" for value in range(1, 5)}
            if rng.random() < 0.1
            else {}
        )
        data.competences.append(
            CompetenceData(
                code,
                domain,
                title[:200],
                description,
                rng.choice(kinds),
                rng.random() < 0.1,
                orders[domain],
                "",
                levels,
            )
        )
        index += 1
    del data.competences[total:]
    codes = [c.code for c in data.competences]
    for order, (code, title, purpose) in enumerate(MISSION_TITLES, len(data.missions) + 1):
        data.missions.append(MissionData(code, title, purpose, order))
        for number in range(1, 9):
            data.activities.append(
                ActivityData(
                    f"{code}.A{number}",
                    code,
                    f"{rng.choice(VERBS)} {rng.choice(OBJECTS)}"[:200],
                    f"Activité {number} de la mission {code}, {rng.choice(CONTEXTS)}.",
                    number,
                    "",
                    sorted(rng.sample(codes, rng.randint(3, 8))),
                )
            )
    return data


def _changed(rng: random.Random, data: FrameworkData, label: str) -> FrameworkData:
    """A later version of `data`: a few titles and texts rewritten, competences renamed (replaces) or removed."""
    import copy

    new = copy.deepcopy(data)
    new.label = label
    new.summary = f"{data.summary} Mise à jour : reformulations, compétences renommées et retirées."
    demo_codes = {c.code for c in v1_data().competences}
    removed = set()
    for competence in new.competences:
        if competence.code in demo_codes:
            continue
        roll = rng.random()
        if roll < 0.05:
            competence.title = f"{competence.title} (reformulée)"[:200]
        elif roll < 0.08:
            competence.description += " Inclut la restitution aux habitant·es."
        elif roll < 0.09:
            competence.replaces = competence.code
            competence.code = f"{competence.code}B"
        elif roll < 0.10:
            removed.add(competence.code)
    new.competences = [c for c in new.competences if c.code not in removed]
    renamed = {c.replaces: c.code for c in new.competences if c.replaces}
    for activity in new.activities:
        activity.competences = sorted(renamed.get(code, code) for code in activity.competences if code not in removed)
    return new


def _frameworks(rng: random.Random, total: int) -> tuple[FrameworkVersion, dict]:
    # v9 must have `total` competences: v8 gets a few more, since v9 removes some.
    old_data = _framework_data(rng, total + max(1, total // 20), OLD_LABEL)
    new_data = _changed(rng, old_data, NEW_LABEL)
    del new_data.competences[total:]
    kept = {c.code for c in new_data.competences}
    for activity in new_data.activities:
        activity.competences = [code for code in activity.competences if code in kept]
    for data in (old_data, new_data):
        problems = framework_check(data)
        if problems:
            raise RuntimeError("; ".join(str(p) for p in problems[:5]))
    now = timezone.now()
    current = FrameworkVersion.objects.current()
    # As framework_publish does, but for two versions at once: the one in force is archived first.
    if current is not None:
        current.status = FrameworkStatus.ARCHIVED
        current.save(update_fields=["status"])
    # Created in their final status (bulk inserts fill them): the demo's draft stays the only draft.
    old = FrameworkVersion.objects.create(
        label=OLD_LABEL,
        summary=old_data.summary,
        based_on=current,
        status=FrameworkStatus.ARCHIVED,
        published_at=now - timedelta(minutes=1),
    )
    framework_build(data=old_data, version=old)
    new = FrameworkVersion.objects.create(
        label=NEW_LABEL, summary=new_data.summary, based_on=old, status=FrameworkStatus.PUBLISHED, published_at=now
    )
    framework_build(data=new_data, version=new)
    return new, {"competences": len(new_data.competences), "activities": len(new_data.activities)}


def _self_assessments(rng: random.Random, users: list[User], version: FrameworkVersion) -> int:
    codes = list(version.competence_set.values_list("code", flat=True))
    rows, sharing = [], []
    for user in users:
        if rng.random() > 0.7:
            continue
        # About half of those who answer agree to be found in the directory by level (off by default).
        if rng.random() < 0.5:
            sharing.append(AssessmentSharing(user=user, in_directory=True))
        for code in rng.sample(codes, min(len(codes), rng.randint(5, 40))):
            not_concerned = rng.random() < 0.07
            rows.append(
                SelfAssessment(
                    user=user,
                    code=code,
                    level=None if not_concerned else rng.choices([1, 2, 3, 4], [20, 35, 30, 15])[0],
                    not_concerned=not_concerned,
                    version=version,
                )
            )
    SelfAssessment.objects.bulk_create(rows, batch_size=BATCH)
    AssessmentSharing.objects.bulk_create(sharing, batch_size=BATCH)
    return len(rows)


def _declarations(rng: random.Random, users: list[User], version: FrameworkVersion) -> int:
    codes = list(version.mission_set.values_list("code", flat=True))
    rows = []
    for user in users:
        if rng.random() > 0.6:
            continue
        chosen = rng.sample(codes, rng.randint(1, 4))
        budget = 100
        for code in chosen:
            share = rng.randint(0, min(40, budget))
            budget -= share
            rows.append(MissionDeclaration(user=user, mission_code=code, time_share=share))
    MissionDeclaration.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


# --- Fiches -----------------------------------------------------------------------------------------

EDITS = [
    "Préciser le rôle du conseil dans les consultations obligatoires.",
    "Ajouter la coopération avec les autres conseils du département.",
    "Mentionner le temps partagé, fréquent sur ce poste.",
    "Distinguer l'animation des séances et la rédaction des avis.",
    "Rappeler la posture de tiers vis-à-vis des élu·es.",
    "Citer l'évaluation participative des travaux du conseil.",
    "Indiquer les outils numériques de la participation.",
    "Prévoir la formation continue au sein du réseau.",
]
COMMENTS = [
    "D'accord avec cette proposition, c'est aussi le cas chez nous.",
    "Je nuancerais : cela dépend beaucoup de la taille de l'intercommunalité.",
    "Peut-on reformuler pour que ce soit moins long ?",
    "Très utile pour les collègues qui arrivent sur le poste.",
    "Attention à ne pas alourdir la fiche avec des tâches périphériques.",
    "Je soutiens, avec une réserve sur le vocabulaire employé.",
]


def _common_fiche(rng: random.Random, options: ScaleOptions, users: list[User], curator: User) -> dict:
    fiche = Fiche.objects.get(slug=COMMON_FICHE_SLUG)
    sections = list(Section.objects.of(fiche).filter(kind=SectionKind.TEXT).select_related("current_revision"))
    authors = rng.sample(users, min(len(users), 400)) or [curator]
    start = timezone.now() - timedelta(days=540)
    step = timedelta(days=540) / max(options.revisions, 1)
    # How the suggestions split: accepted ones each become a revision.
    accepted_count = min(options.suggestions * 35 // 100, options.revisions)
    # The demo's revisions and version were written a moment ago: date them before the generated ones.
    Revision.objects.filter(section__fiche=fiche).update(created_at=start - timedelta(days=1))
    FicheVersion.objects.filter(fiche=fiche).update(published_at=start - timedelta(days=1))
    demo_current = {s.pk: s.current_revision_id for s in sections}

    # 1. Revisions, section after section, each text growing a little from the previous one.
    texts = {s.pk: s.current_revision.body for s in sections}
    numbers = {s.pk: s.current_revision.number for s in sections}
    plan = [rng.choice(sections) for _ in range(options.revisions)]
    accepted_at = set(rng.sample(range(options.revisions), accepted_count))
    html_cache = {}
    revisions = []
    for index, section in enumerate(plan):
        lines = texts[section.pk].split("\n")
        edit = f"- {rng.choice(EDITS)} (modification {index + 1})"
        # Texts grow to about 30 lines, then edits rewrite lines instead of adding them.
        if len(lines) > 30 or (len(lines) > 12 and rng.random() < 0.5):
            lines[rng.randrange(2, len(lines))] = edit
        else:
            lines.append(edit)
        body = "\n".join(lines)
        texts[section.pk] = body
        numbers[section.pk] += 1
        if body not in html_cache:
            html_cache[body] = render_markdown(body)
        is_suggestion = index in accepted_at
        author = rng.choice(authors)
        revisions.append(
            Revision(
                section=section,
                number=numbers[section.pk],
                body=body,
                body_html=html_cache.pop(body),
                summary=edit[2:80],
                source=RevisionSource.SUGGESTION if is_suggestion else RevisionSource.EDIT,
                author=author if is_suggestion else curator,
                committed_by=curator,
                created_at=start + step * index,
            )
        )
    with _explicit_timestamps(_field(Revision, "created_at")):
        Revision.objects.bulk_create(revisions, batch_size=500)
    # Chain each revision to the one before it in its section (the demo's last one for the first).
    previous_number = Revision.objects.filter(section=OuterRef("section"), number=OuterRef("number") - 1)
    Revision.objects.filter(section__in=sections, parent__isnull=True, number__gt=1).update(
        parent=Subquery(previous_number.values("pk")[:1])
    )
    by_section = {}
    for revision in revisions:
        by_section.setdefault(revision.section_id, []).append(revision)
    for section in sections:
        if section.pk in by_section:
            section.current_revision = by_section[section.pk][-1]
    Section.objects.bulk_update(sections, ["current_revision"])

    # 2. Suggestions: the accepted ones (one per accepted revision), then open, rejected, withdrawn.
    previous = {}
    for section in sections:
        chain = by_section.get(section.pk, [])
        for before_pk, after in zip([demo_current[section.pk]] + [r.pk for r in chain], chain, strict=False):
            previous[after.pk] = before_pk
    suggestions = []
    accepted_revisions = [revisions[i] for i in sorted(accepted_at)]
    for revision in accepted_revisions:
        suggestions.append(
            Suggestion(
                section_id=revision.section_id,
                author=revision.author,
                base_revision_id=previous[revision.pk],
                body=revision.body,
                rationale=rng.choice(EDITS),
                status=SuggestionStatus.ACCEPTED,
                decided_by=curator,
                decided_at=revision.created_at,
                created_at=revision.created_at - timedelta(days=rng.randint(1, 20)),
                updated_at=revision.created_at,
            )
        )
    others = options.suggestions - len(suggestions)
    statuses = rng.choices(
        [SuggestionStatus.OPEN, SuggestionStatus.REJECTED, SuggestionStatus.WITHDRAWN], [60, 25, 15], k=max(others, 0)
    )
    now = timezone.now()
    for status in statuses:
        section = rng.choice(sections)
        chain = by_section.get(section.pk) or [section.current_revision]
        # Most open ones are on the current text; the others are outdated (written on an older one).
        base = chain[-1] if status == SuggestionStatus.OPEN and rng.random() < 0.7 else rng.choice(chain)
        created = base.created_at + (now - base.created_at) * rng.random()
        suggestions.append(
            Suggestion(
                section_id=section.pk,
                author=rng.choice(authors),
                base_revision_id=base.pk,
                body=base.body + f"\n- {rng.choice(EDITS)} (proposition)",
                rationale=rng.choice(EDITS) + " " + rng.choice(COMMENTS),
                status=status,
                decided_by=curator if status == SuggestionStatus.REJECTED else None,
                decided_at=None if status == SuggestionStatus.OPEN else created + timedelta(days=3),
                decision_reason="Hors du champ de la fiche commune." if status == SuggestionStatus.REJECTED else "",
                created_at=created,
                updated_at=created,
            )
        )
    with _explicit_timestamps(_field(Suggestion, "created_at"), _field(Suggestion, "updated_at")):
        Suggestion.objects.bulk_create(suggestions, batch_size=500)
    for revision, suggestion in zip(accepted_revisions, suggestions, strict=False):
        revision.suggestion = suggestion
    Revision.objects.bulk_update(accepted_revisions, ["suggestion"], batch_size=500)

    # 3. Supports and comments (top-level first, then replies to them).
    supports, threads = [], []
    for suggestion in suggestions:
        for user in rng.sample(authors, min(len(authors), rng.choices([0, 1, 3, 8, 20], [20, 30, 30, 15, 5])[0])):
            if user.pk != suggestion.author_id:
                supports.append(Support(suggestion=suggestion, user=user, created_at=suggestion.created_at))
        for number in range(rng.choices([0, 1, 2, 4, 8], [25, 30, 25, 15, 5])[0]):
            hidden = rng.random() < 0.01
            threads.append(
                Comment(
                    suggestion=suggestion,
                    author=rng.choice(authors),
                    body=rng.choice(COMMENTS),
                    created_at=suggestion.created_at + timedelta(hours=number + 1),
                    hidden_at=now if hidden else None,
                    hidden_by=curator if hidden else None,
                    hidden_reason="Hors sujet." if hidden else "",
                )
            )
    created_field = _field(Support, "created_at")
    with _explicit_timestamps(created_field, _field(Comment, "created_at")):
        Support.objects.bulk_create(supports, batch_size=BATCH)
        Comment.objects.bulk_create(threads, batch_size=BATCH)
        replies = [
            Comment(
                suggestion_id=comment.suggestion_id,
                parent=comment,
                author=rng.choice(authors),
                body=rng.choice(COMMENTS),
                created_at=comment.created_at + timedelta(minutes=30),
            )
            for comment in threads
            if rng.random() < 0.3
        ]
        Comment.objects.bulk_create(replies, batch_size=BATCH)

    # 4. A published version freezing the current text of every section.
    _publish(fiche, FICHE_VERSION_LABEL, "Version à l'échelle, après de nombreuses contributions.", curator)
    return {
        "revisions": len(revisions),
        "suggestions": len(suggestions),
        "open_suggestions": sum(1 for s in suggestions if s.status == SuggestionStatus.OPEN),
        "comments": len(threads) + len(replies),
        "supports": len(supports),
    }


def _publish(fiche: Fiche, label: str, summary: str, actor: User) -> FicheVersion:
    version = FicheVersion.objects.create(
        fiche=fiche, label=label, summary=summary, published_at=timezone.now(), published_by=actor
    )
    VersionEntry.objects.bulk_create(
        VersionEntry(version=version, section=s, revision_id=s.current_revision_id, title=s.title, order=position)
        for position, s in enumerate(Section.objects.of(fiche), 1)
    )
    return version


WORDS = (  # noqa: SIM905 - a sentence is easier to read than a list of words
    "le conseil de développement accompagne les membres bénévoles dans la préparation des avis sur les "
    "documents de planification du territoire en lien avec les services de la collectivité et les élus "
    "référents chaque séance plénière fait l'objet d'un compte rendu partagé avec les habitants qui "
    "souhaitent suivre les travaux du conseil et contribuer à la réflexion collective sur l'avenir"
).split()


def long_text(rng: random.Random, words: int) -> str:
    """Paragraphs of Markdown of `words` words in all."""
    paragraphs, written = [], 0
    while written < words:
        size = min(words - written, rng.randint(60, 140))
        sentence = " ".join(rng.choice(WORDS) for _ in range(size))
        paragraphs.append(sentence[:1].upper() + sentence[1:] + ".")
        written += size
    return "\n\n".join(paragraphs)


def long_text_edited(rng: random.Random, text: str) -> str:
    """`text` with about one paragraph in ten changed in a few words, and one paragraph added."""
    paragraphs = text.split("\n\n")
    for index in range(len(paragraphs)):
        if rng.random() < 0.1:
            words = paragraphs[index].split(" ")
            for _ in range(5):
                words[rng.randrange(len(words))] = rng.choice(WORDS)
            paragraphs[index] = " ".join(words)
    paragraphs.insert(len(paragraphs) // 2, "Paragraphe ajouté dans la seconde révision du texte long.")
    return "\n\n".join(paragraphs)


def _long_fiche(rng: random.Random, words: int, curator: User) -> int:
    # A fiche of its own: 5,000 words is more than the 20,000 characters the editing form accepts,
    # and on the common fiche it would distort the measures of the fiche page.
    fiche = Fiche.objects.create(
        slug=LONG_FICHE_SLUG,
        title="Fiche de mesure à l'échelle",
        introduction="Fiche générée par seed_scale : une section très longue pour mesurer la comparaison.",
    )
    section = Section.objects.create(fiche=fiche, key=LONG_SECTION_KEY, title="Texte long", order=1)
    first_body = long_text(rng, words)
    second_body = long_text_edited(rng, first_body)
    first = Revision.objects.create(
        section=section,
        number=1,
        body=first_body,
        body_html=render_markdown(first_body),
        summary="Rédaction initiale",
        source=RevisionSource.CREATED,
        author=curator,
        committed_by=curator,
    )
    section.current_revision = first
    section.save(update_fields=["current_revision"])
    _publish(fiche, "v1.0", "Texte initial.", curator)
    second = Revision.objects.create(
        section=section,
        number=2,
        parent=first,
        body=second_body,
        body_html=render_markdown(second_body),
        summary="Relecture",
        source=RevisionSource.EDIT,
        author=curator,
        committed_by=curator,
    )
    section.current_revision = second
    section.save(update_fields=["current_revision"])
    _publish(fiche, "v2.0", "Texte relu.", curator)
    return len(first_body.split())


# --- Toolbox ----------------------------------------------------------------------------------------

METHOD_NAMES = [
    "Débat mouvant", "Forum ouvert", "World café", "Porteur de parole", "Photolangage", "Théâtre-forum",
    "Arpentage", "Balade urbaine", "Jeu de rôle", "Fresque du climat", "Atelier de scénarios",
    "Conférence de citoyens", "Cartographie sensible", "Marché aux idées", "Six chapeaux de réflexion",
]  # fmt: skip
REPORT_TOPICS = [
    "Une saisine sur la mobilité", "L'avis sur le plan climat", "Un budget participatif jeunesse",
    "La révision du SCoT", "Le projet alimentaire territorial", "Les énergies renouvelables",
    "L'accueil des nouveaux membres", "Un cahier d'acteurs sur l'eau", "La consultation des jeunes",
    "Une autosaisine sur le logement", "La concertation sur le PLUi", "Le bilan de mandat du conseil",
]  # fmt: skip
TOOL_NAMES = [
    "Decidim", "Framadate", "Transcription automatique des séances", "Assistant de rédaction par IA",
    "Tableau blanc collaboratif", "Questionnaire en ligne", "Cartographie participative", "Visioconférence libre",
    "Synthèse de contributions par IA", "Pad d'écriture collaborative",
]  # fmt: skip
EXTERNAL_TITLES = [
    "Guide de la concertation locale", "Étude sur les conseils de développement", "Article L5211-10-1 du CGCT",
    "Rapport sur la participation citoyenne", "Repères pour évaluer une politique publique",
    "Fiches pratiques de la démocratie participative", "Panorama des outils numériques de participation",
]  # fmt: skip
FEEDBACKS = [
    "Très utile pour préparer la plénière.", "Adapté à notre conseil rural.", "À simplifier pour les jeunes.",
    "Nous l'avons fait en format hybride.", "Fonctionne bien avec 20 personnes.", "",
]  # fmt: skip


def _toolbox(rng: random.Random, count: int, users: list[User], curator: User, version: FrameworkVersion) -> dict:
    """`count` resources of every kind and status, linked to the published référentiel, with marks, uses,
    comments and a first revision; their search text and vector filled as the services do."""
    # Where each member works: their council's region (its first département), for the region facet.
    council_of = dict(Profile.objects.filter(user__in=users).values_list("user_id", "council_id"))
    region_of = {}
    for council_id, region_id in (
        Department.objects.filter(councils__isnull=False).order_by("-code").values_list("councils", "region_id")
    ):
        region_of[council_id] = region_id  # the lowest code is written last
    items = (
        [(LinkKind.MISSION, code, title) for code, title in version.mission_set.values_list("code", "title")]
        + [(LinkKind.ACTIVITY, code, title) for code, title in version.activity_set.values_list("code", "title")]
        + [(LinkKind.COMPETENCE, code, title) for code, title in version.competence_set.values_list("code", "title")]
    )
    kinds = list(ResourceKind)
    statuses = [ResourceStatus.PUBLISHED] * 88 + [ResourceStatus.DRAFT] * 5 + [ResourceStatus.SUBMITTED] * 4
    statuses += [ResourceStatus.CHANGES] * 3
    now = timezone.now()
    resources, planned = [], []
    for index in range(count):
        kind = kinds[index % len(kinds)]
        owner = rng.choice(users)
        status = rng.choice(statuses)
        published = status == ResourceStatus.PUBLISHED
        public = rng.random() < 0.45
        created = now - timedelta(days=rng.randint(1, 1000), minutes=rng.randint(0, 1440))
        context = rng.choice(CONTEXTS)
        resource = Resource(
            kind=kind,
            summary=f"{rng.choice(VERBS)} {rng.choice(OBJECTS)} {context}.",
            description="\n\n".join([rng.choice(SENTENCES), long_text(rng, rng.randint(40, 160))]),
            licence=rng.choice(list(Licence)),
            audience=Audience.PUBLIC if public else Audience.MEMBERS,
            public_approved=public and published and rng.random() < 0.9,
            status=status,
            owner=owner,
            created_at=created,
            updated_at=created,
            submitted_at=created if status != ResourceStatus.DRAFT else None,
            published_at=created + timedelta(days=rng.randint(0, 10)) if published else None,
            decided_by=curator if status in (ResourceStatus.PUBLISHED, ResourceStatus.CHANGES) else None,
        )
        if kind == ResourceKind.METHOD:
            resource.title = f"{rng.choice(METHOD_NAMES)} {context}"
            resource.purpose = f"{rng.choice(VERBS)} {rng.choice(OBJECTS)}."
            resource.group_min = rng.randint(5, 15)
            resource.group_max = resource.group_min + rng.randint(0, 80)
            resource.duration_minutes = rng.choice([45, 60, 90, 120, 180])
            resource.materials = "Feutres, grandes feuilles, gommettes, minuteur."
            resource.steps = long_text(rng, rng.randint(30, 90))
        elif kind == ResourceKind.REPORT:
            resource.title = f"{rng.choice(REPORT_TOPICS)} {context}"
            resource.council_id = council_of.get(owner.pk)
            resource.territory = f"{rng.choice(PLACES)} {rng.choice(PLACE_NAMES)}"
            resource.context, resource.actions = rng.choice(SENTENCES), long_text(rng, rng.randint(30, 90))
            resource.results, resource.pitfalls = rng.choice(SENTENCES), rng.choice(SENTENCES)
        elif kind == ResourceKind.TEMPLATE:
            template_kind = rng.choice(list(TemplateKind))
            resource.template_kind = template_kind
            resource.title = f"Modèle : {template_kind.label.lower()} {context}"
        elif kind == ResourceKind.TOOL:
            resource.title = f"{rng.choice(TOOL_NAMES)} {context}"
            resource.tool_url = f"https://outil-{index}.example.org/"
            resource.is_ai = "IA" in resource.title
            resource.use_purpose, resource.data_flows = rng.choice(SENTENCES), "Les contributions sont stockées."
            resource.hosting = rng.choice(list(Hosting))
            resource.human_part = "La synthèse et les choix restent ceux du conseil."
            resource.cost, resource.vigilance = rng.choice(["Gratuit", "Sur devis", "50 € par mois"]), "Le RGPD."
        else:
            resource.title = f"{rng.choice(EXTERNAL_TITLES)} ({rng.randint(2005, 2026)})"
            resource.url = f"https://ressource-{index}.example.org/"
            resource.publisher, resource.year = "Éditeur fictif", rng.randint(2005, 2026)
        resource.title = resource.title[:200]
        council = resource.council_id or council_of.get(owner.pk)
        resource.region_id = region_of.get(council)
        resources.append(resource)
        planned.append(rng.sample(items, rng.randint(0, 4)))
    fields = [_field(Resource, "created_at"), _field(Resource, "updated_at")]
    with _explicit_timestamps(*fields):
        Resource.objects.bulk_create(resources, batch_size=BATCH)
    ResourceLink.objects.bulk_create(
        (
            ResourceLink(resource=resource, kind=kind, code=code, title=title[:300])
            for resource, links in zip(resources, planned, strict=True)
            for kind, code, title in links
        ),
        batch_size=BATCH,
    )

    marks, uses, comments = [], [], []
    for resource in resources:
        if resource.status != ResourceStatus.PUBLISHED:
            continue
        markers = rng.sample(users, min(len(users), int(rng.paretovariate(1.2)) - 1, 60))
        marks += [UsefulMark(resource=resource, user=user) for user in markers]
        resource.useful_count = len(markers)
        users_of = rng.sample(users, min(len(users), int(rng.paretovariate(1.5)) - 1, 30))
        uses += [ResourceUse(resource=resource, user=user, feedback=rng.choice(FEEDBACKS)) for user in users_of]
        resource.use_count = len(users_of)
        if rng.random() < 0.25:
            comments += [
                ResourceComment(resource=resource, author=rng.choice(users), body=rng.choice(COMMENTS))
                for _ in range(rng.randint(1, 12))
            ]
    UsefulMark.objects.bulk_create(marks, batch_size=BATCH)
    ResourceUse.objects.bulk_create(uses, batch_size=BATCH)
    ResourceComment.objects.bulk_create(comments, batch_size=BATCH)

    # As the services keep them: the folded search text, the first revision of a published resource.
    revisions = []
    ids = [resource.pk for resource in resources]
    counts = {resource.pk: (resource.useful_count, resource.use_count) for resource in resources}
    stored = list(Resource.objects.filter(pk__in=ids).select_related("council").prefetch_related("links"))
    for resource in stored:
        resource.search_text = toolbox_services.search_document(resource)
        resource.useful_count, resource.use_count = counts[resource.pk]
        if resource.status == ResourceStatus.PUBLISHED:
            fields = toolbox_services.resource_fields(resource)
            revisions.append(
                ResourceRevision(resource=resource, number=1, fields=fields, summary="Publication", author=curator)
            )
            resource.revision_count = 1
    Resource.objects.bulk_update(
        stored, ["search_text", "useful_count", "use_count", "revision_count"], batch_size=BATCH // 4
    )
    ResourceRevision.objects.bulk_create(revisions, batch_size=BATCH)
    vector_refresh(Resource.objects.filter(pk__in=ids))
    if connection.vendor == "postgresql":
        # What autovacuum does later: merge the GIN index's pending entries (if fastupdate is on), which every
        # search would otherwise scan one by one.
        with connection.cursor() as cursor:
            cursor.execute("SELECT gin_clean_pending_list('toolbox_resource_search')")
    catalogue_changed()  # bulk writes bypass the services: forget any catalogue rendered before
    return {
        "resources": len(resources),
        "resource_links": sum(len(links) for links in planned),
        "useful_marks": len(marks),
        "resource_uses": len(uses),
        "resource_comments": len(comments),
    }


# --- Timed actions (bench.py --actions) --------------------------------------------------------------


TRAINING_TOPICS = [
    "Animer une concertation",
    "Techniques d'animation participative",
    "Animer à distance et en hybride",
    "Rédiger un avis avec les membres",
    "Démocratie participative",
    "Évaluer une démarche participative",
    "Communiquer les travaux d'un conseil",
    "Mobiliser des publics éloignés",
    "Conduite de projet coopérative",
    "Facilitation graphique",
]
TRAINING_PROVIDERS = [
    ("cnfpt", "CNFPT – INSET de Dunkerque"),
    ("cnfpt", "CNFPT – INSET d'Angers"),
    ("cnfpt", "CNFPT – INSET de Nancy"),
    ("cnfpt", "CNFPT – INSET de Montpellier"),
    ("universite", "Université Lumière Lyon 2"),
    ("universite", "Université de Lille"),
    ("cncd", "Coordination nationale des conseils de développement"),
    ("autre", "Institut de la Concertation et de la Participation Citoyenne"),
]


def _training_catalogue(
    rng: random.Random, count: int, users: list[User], curator: User, version: FrameworkVersion
) -> dict:
    """`count` trainings (most published), each with 0–6 sessions in several regions, 1–5 competences of the
    published référentiel, and "suivie" marks by members (with a review for some)."""
    from members.models import Region
    from training.enums import TrainingFormat, TrainingStatus
    from training.models import Training, TrainingCompetence, TrainingCompletion, TrainingSession
    from training.services import completion_count_refresh

    codes = list(version.competence_set.values_list("code", flat=True))
    regions = list(Region.objects.values_list("pk", flat=True))
    statuses = [TrainingStatus.PUBLISHED] * 85 + [TrainingStatus.DRAFT] * 10 + [TrainingStatus.ARCHIVED] * 5
    today = timezone.localdate()
    trainings = []
    for index in range(count):
        kind, provider = rng.choice(TRAINING_PROVIDERS)
        trainings.append(
            Training(
                title=f"{rng.choice(TRAINING_TOPICS)} {rng.choice(CONTEXTS)} ({index + 1})",
                summary=f"{rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(CONTEXTS)}.",
                description=long_text(rng, rng.randint(40, 160)),
                provider_kind=kind,
                provider=provider,
                format=rng.choice(list(TrainingFormat)),
                duration_hours=rng.choice([2, 7, 14, 21, 35, 120]),
                cost_euros=rng.choice([0, 0, 0, 250, 450, 980, 2900]),
                status=rng.choice(statuses),
                created_by=curator,
            )
        )
    Training.objects.bulk_create(trainings, batch_size=500)
    links, sessions, completions = [], [], []
    for training in trainings:
        for code in rng.sample(codes, min(len(codes), rng.randint(1, 5))):
            links.append(TrainingCompetence(training=training, code=code))
        for _index in range(rng.randint(0, 6)):
            starts = today + timedelta(days=rng.randint(-500, 400))
            sessions.append(
                TrainingSession(
                    training=training,
                    starts_on=starts,
                    ends_on=starts + timedelta(days=rng.randint(0, 3)),
                    place=rng.choice(PLACE_NAMES),
                    region_id=rng.choice(regions) if regions and rng.random() < 0.8 else None,
                )
            )
        if training.status != TrainingStatus.DRAFT:
            for user in rng.sample(users, min(len(users), rng.randint(0, 12))):
                completions.append(
                    TrainingCompletion(
                        training=training,
                        user=user,
                        completed_on=today - timedelta(days=rng.randint(1, 900)),
                        review=rng.choice(SENTENCES) if rng.random() < 0.3 else "",
                    )
                )
    TrainingCompetence.objects.bulk_create(links, batch_size=2000)
    TrainingSession.objects.bulk_create(sessions, batch_size=2000)
    TrainingCompletion.objects.bulk_create(completions, batch_size=2000)
    completion_count_refresh([training.pk for training in trainings])
    return {
        "trainings": len(trainings),
        "training_competences": len(links),
        "training_sessions": len(sessions),
        "training_completions": len(completions),
    }


EXCHANGE_QUESTIONS = [
    "Comment gérez-vous {topic} avec les élu·es ?",
    "Qui a déjà organisé {topic} dans un conseil rural ?",
    "Vos retours sur {topic} : ça marche vraiment ?",
    "Faut-il une convention pour {topic} ?",
    "Par quoi commencer pour {topic} ?",
]


def _exchange(rng: random.Random, questions: int, answers: int, users: list[User], version: FrameworkVersion) -> dict:
    """The entraide: `questions` questions and about `answers` answers spread over the spaces (theme and region),
    some accepted, "utile" marks, référentiel tags; counts, search text and (PostgreSQL) vectors kept as the
    services keep them, written in bulk."""
    from django.utils.html import escape

    from core.search import search_key
    from exchange import services as exchange_services
    from exchange.enums import SpaceKind, TagKind
    from exchange.models import Answer, AnswerUseful, Question, QuestionTag, Space

    exchange_services.region_spaces_ensure()
    if not Space.objects.filter(kind=SpaceKind.THEME).exists():
        Space.objects.create(kind=SpaceKind.THEME, slug="animation", name="Animation et méthodes participatives")
    spaces = list(Space.objects.all())
    codes = list(version.competence_set.values_list("code", flat=True))
    now = timezone.now()
    # How many answers each question gets: a quarter none, the rest shared out to reach `answers`.
    shares = [0 if rng.random() < 0.25 else rng.random() for _index in range(questions)]
    total = sum(shares) or 1
    per_question = [round(share * answers / total) for share in shares]
    rows, answer_rows, tags = [], [], []
    for index in range(questions):
        topic = rng.choice(TOPICS + WISHES)
        title = f"{rng.choice(EXCHANGE_QUESTIONS).format(topic=topic)} ({index + 1})"
        body = " ".join(rng.choice(SENTENCES) for _sentence in range(rng.randint(2, 6)))
        created = now - timedelta(days=rng.randint(1, 900), minutes=rng.randint(0, 1440))
        bodies = [
            " ".join(rng.choice(SENTENCES + COMMENTS) for _sentence in range(rng.randint(1, 4)))
            for _answer in range(per_question[index])
        ]
        dates = sorted(created + timedelta(hours=rng.randint(1, 24 * 60)) for _answer in bodies)
        question = Question(
            space=rng.choice(spaces),
            author=rng.choice(users),
            title=title,
            body=body,
            body_html=f"<p>{escape(body)}</p>",
            created_at=created,
            updated_at=created,
            answer_count=len(bodies),
            last_activity_at=dates[-1] if dates else created,
            search_text=search_key("\n".join([title, body, *bodies])),
        )
        rows.append(question)
        answer_rows.append(list(zip(bodies, dates, strict=True)))
        if codes and rng.random() < 0.7:
            for code in rng.sample(codes, min(len(codes), rng.randint(1, 2))):
                tags.append((index, code))
    with _explicit_timestamps(_field(Question, "created_at"), _field(Question, "updated_at")):
        Question.objects.bulk_create(rows, batch_size=BATCH)
    answer_objects = []
    for question, pairs in zip(rows, answer_rows, strict=True):
        for body, created in pairs:
            answer_objects.append(
                Answer(
                    question=question,
                    author=rng.choice(users),
                    body=body,
                    body_html=f"<p>{escape(body)}</p>",
                    created_at=created,
                    updated_at=created,
                    useful_count=0,
                )
            )
    marks = []
    for answer in answer_objects:
        if rng.random() < 0.3:
            markers = {user.pk for user in rng.sample(users, min(len(users), rng.randint(1, 4)))}
            markers.discard(answer.author_id)
            answer.useful_count = len(markers)
            marks.extend((answer, user_id) for user_id in markers)
    with _explicit_timestamps(_field(Answer, "created_at"), _field(Answer, "updated_at")):
        Answer.objects.bulk_create(answer_objects, batch_size=BATCH)
    AnswerUseful.objects.bulk_create(
        (AnswerUseful(answer=answer, user_id=user_id) for answer, user_id in marks), batch_size=BATCH
    )
    QuestionTag.objects.bulk_create(
        (QuestionTag(question=rows[index], kind=TagKind.COMPETENCE, code=code) for index, code in tags),
        batch_size=BATCH,
    )
    # Half of the answered questions have an accepted answer (their first one).
    first_answers = {}
    for answer in answer_objects:
        first_answers.setdefault(answer.question_id, answer.pk)
    accepted = [question for question in rows if question.pk in first_answers and rng.random() < 0.5]
    for question in accepted:
        question.accepted_answer_id = first_answers[question.pk]
    Question.objects.bulk_update(accepted, ["accepted_answer"], batch_size=BATCH)
    pks = [question.pk for question in rows]
    for start in range(0, len(pks), BATCH):
        exchange_services.QUESTION_SEARCH.vector_refresh(Question.objects.filter(pk__in=pks[start : start + BATCH]))
    for space in spaces:
        exchange_services.space_counts_refresh(space.pk)
    return {
        "exchange_questions": len(rows),
        "exchange_answers": len(answer_objects),
        "exchange_useful": len(marks),
        "exchange_tags": len(tags),
    }


def time_actions(repeat: int = 5) -> list[dict]:
    """Time, in this process, what is not a page: the word diff, export and import of the large version.

    Each action runs `repeat` times; writes happen inside a transaction that is rolled back.
    """
    import statistics
    import time

    from django.db import transaction

    from core.diff import word_diff
    from referentiel import services
    from referentiel.formats import get_format, read_file
    from referentiel.framework import framework_snapshot

    def measure(name, function, target_ms, note=""):
        durations = []
        for _ in range(repeat):
            started = time.perf_counter()
            function()
            durations.append((time.perf_counter() - started) * 1000)
        return {
            "action": name,
            "median_ms": statistics.median(durations),
            "max_ms": max(durations),
            "target_ms": target_ms,
            "met": max(durations) < target_ms,
            "note": note,
        }

    section = Section.objects.select_related("current_revision").get(fiche__slug=LONG_FICHE_SLUG, key=LONG_SECTION_KEY)
    old, new = section.revisions.order_by("number")[:2]
    version = FrameworkVersion.objects.get(label=NEW_LABEL)
    rows = version.competence_set.count() + version.activity_set.count() + version.mission_set.count()
    # Every registered format: the project's table, CASE and Moodle (the tree of generated domains is 4 deep).
    formats = ("csv", "xlsx", "case", "moodle")
    files = {fmt: get_format(fmt).writer(framework_snapshot(version)) for fmt in formats}
    results = [
        measure(
            "word_diff, two 5,000-word revisions",
            lambda: word_diff(old.body, new.body),
            200,
            f"{len(old.body.split())} → {len(new.body.split())} words",
        )
    ]
    for fmt in formats:
        writer = get_format(fmt).writer
        results.append(
            measure(
                f"export {fmt} ({NEW_LABEL})", lambda w=writer: w(framework_snapshot(version)), 1000, f"{rows} rows"
            )
        )

    def import_whole(raw, fmt):
        # Preview (read and check the file) then confirm (write the draft); rolled back afterwards.
        with transaction.atomic():
            result = read_file(raw=raw, file_format=fmt)
            assert not result.problems, result.problems[:3]
            FrameworkVersion.objects.drafts().delete()  # one draft at a time: the demo's v2.0 steps aside
            services.draft_create_from_data(data=result.data, label="v99.0-mesure", actor=None, source_name=fmt)
            transaction.set_rollback(True)

    for fmt, raw in files.items():
        content = raw.encode() if isinstance(raw, str) else raw
        results.append(
            measure(
                f"import {fmt} with preview ({rows} rows)",
                lambda c=content, f=fmt: import_whole(c, f),
                3000,
                "read + check + create the draft, rolled back",
            )
        )
    results += _time_toolbox(measure)
    return results


def _time_toolbox(measure) -> list[dict]:
    """The toolbox's search alone (the 20 best matches and their count), then the catalogue's whole read."""
    from toolbox.search import search
    from toolbox.selectors import catalogue

    member = User.objects.filter(role=Role.MEMBER, status=AccountStatus.APPROVED).order_by("pk").first()
    published = Resource.objects.published()
    note = f"{published.count()} published resources"
    results = []
    for query in ("concertation", "forum ouvert", '"débat mouvant" -climat'):

        def run(query=query):
            matched = search(published, query)
            list(matched.order_by("-rank", "-pk").values_list("pk", flat=True)[:20])
            matched.count()

        results.append(measure(f"toolbox search « {query} »", run, 100, note))
    results.append(
        measure(
            "toolbox catalogue read (search « concertation », 5 facets, page 1)",
            lambda: catalogue(user=member, params={"q": "concertation"}),
            100,
            note + ", as a member",
        )
    )
    return results


def _mentoring(rng: random.Random, users: list[User], version: FrameworkVersion) -> dict:
    """Peer mentoring (tmentor): 8 % of members offer help on 1–4 competences; requests between members."""
    from training.enums import RequestStatus
    from training.models import MentoringRequest, MentorOffer

    codes = list(version.competence_set.values_list("code", flat=True))
    offers, requests, seen = [], [], set()
    mentors = [user for user in users if rng.random() < 0.08]
    for user in mentors:
        for code in rng.sample(codes, min(len(codes), rng.randint(1, 4))):
            offers.append(MentorOffer(user=user, code=code))
    statuses = [RequestStatus.PENDING, RequestStatus.ACCEPTED, RequestStatus.DECLINED, RequestStatus.WITHDRAWN]
    for offer in rng.sample(offers, min(len(offers), len(offers) // 2)):
        requester = rng.choice(users)
        if requester.pk == offer.user.pk or (requester.pk, offer.user.pk, offer.code) in seen:
            continue
        seen.add((requester.pk, offer.user.pk, offer.code))
        requests.append(
            MentoringRequest(
                requester=requester,
                mentor=offer.user,
                code=offer.code,
                message="Bonjour, pourriez-vous me raconter comment vous vous y prenez ?",
                status=rng.choices(statuses, [40, 35, 15, 10])[0],
            )
        )
    MentorOffer.objects.bulk_create(offers, batch_size=BATCH)
    MentoringRequest.objects.bulk_create(requests, batch_size=BATCH)
    return {"mentor_offers": len(offers), "mentoring_requests": len(requests)}


# --- La vitrine (showcase) ------------------------------------------------------------------------------

SHOWCASE_THEMES = [
    ("mobilite", "Mobilité"),
    ("logement", "Logement"),
    ("transition-ecologique", "Transition écologique"),
    ("budget", "Budget"),
    ("alimentation", "Alimentation"),
    ("sante", "Santé"),
    ("jeunesse", "Jeunesse"),
    ("economie", "Économie et emploi"),
    ("amenagement", "Aménagement du territoire"),
    ("democratie", "Démocratie participative"),
    ("eau", "Eau et biodiversité"),
    ("culture", "Culture"),
]
WORK_SUBJECTS = [
    "le plan de mobilité",
    "le programme local de l'habitat",
    "le plan climat-air-énergie territorial",
    "le budget participatif",
    "le projet alimentaire territorial",
    "le contrat local de santé",
    "la politique jeunesse",
    "le schéma de cohérence territoriale",
    "la gestion de l'eau",
    "le projet de territoire",
    "la stratégie économique",
    "la politique culturelle",
]
WORK_OPENINGS = {
    "avis": "Avis sur",
    "contribution": "Contribution au débat sur",
    "rapport": "Rapport sur",
    "autosaisine": "Autosaisine :",
    "saisine": "Réponse à la saisine sur",
}
WORK_SUMMARIES = [
    "Le conseil recommande des navettes entre les bourgs et la ville centre, et un meilleur accès au train.",
    "Après six mois d'ateliers, les membres proposent de réserver une part des logements aux jeunes actifs.",
    "Le conseil demande un suivi annuel des engagements et une évaluation partagée avec les habitant·es.",
    "Les membres ont rencontré des agriculteurs et des cantines : ils proposent un approvisionnement local.",
    "L'avis insiste sur la sobriété foncière et sur la concertation avec les communes rurales.",
    "Le rapport rassemble les témoignages recueillis lors de trois forums ouverts dans le territoire.",
]
FOLLOWUP_NOTES = [
    "Le président a répondu par courrier et présenté l'avis en conseil communautaire.",
    "Plusieurs propositions ont été reprises dans la délibération finale.",
    "La collectivité a annoncé un groupe de travail commun avec le conseil.",
    "",
]


def _showcase(rng: random.Random, pages: int, works: int) -> dict:
    """The vitrine: `pages` validated councils with a published page (the existing ones first, new councils for
    the rest) and `works` published works spread over them (a few councils publish most), with themes, the page's
    region, follow-ups, the folded search text and, on PostgreSQL, the French vector (core.fulltext)."""
    from django.utils.text import slugify

    from core.fulltext import FullText
    from members.models import Region
    from showcase.enums import FollowUpAnswer, PageStatus, SelectionMethod, Uptake, WorkKind, WorkLicence, WorkStatus
    from showcase.models import CouncilPage, Theme, Work

    themes = list(Theme.objects.active())
    if len(themes) < 6:
        taken = set(Theme.objects.values_list("slug", flat=True)) | set(Theme.objects.values_list("name", flat=True))
        Theme.objects.bulk_create(
            Theme(slug=slug, name=name, position=index)
            for index, (slug, name) in enumerate(SHOWCASE_THEMES)
            if slug not in taken and name not in taken
        )
        themes = list(Theme.objects.active())

    councils = list(Council.objects.filter(is_validated=True, showcase_page__isnull=True).order_by("pk")[:pages])
    missing = pages - len(councils)
    if missing > 0:
        departments = list(Department.objects.order_by("code"))
        kinds, weights = list(KIND_WEIGHTS), list(KIND_WEIGHTS.values())
        created = []
        for index in range(missing):
            place = f"{PLACES[index % len(PLACES)]} {PLACE_NAMES[(index * 11) % len(PLACE_NAMES)]} V{index + 1}"
            kind = rng.choices(kinds, weights)[0]
            name, authority = f"Conseil de développement {place} (vitrine)", f"{KIND_AUTHORITY[kind]} {place}"
            created.append(
                Council(
                    name=name,
                    kind=kind,
                    authority_name=authority,
                    is_validated=True,
                    search_text=search_key(f"{name} {authority}"),
                )
            )
        Council.objects.bulk_create(created, batch_size=BATCH)
        through = Council.departments.through
        through.objects.bulk_create(
            (
                through(council_id=council.pk, department_id=departments[(index * 7) % len(departments)].pk)
                for index, council in enumerate(created)
            ),
            batch_size=BATCH,
        )
        councils += created
    # A council's region: its lowest-coded département's (as the services keep it).
    region_of = {}
    rows = Council.departments.through.objects.filter(council__in=[council.pk for council in councils])
    for council_id, region_id in rows.values_list("council_id", "department__region_id").order_by(
        "council_id", "-department__code"
    ):
        region_of[council_id] = region_id
    now = timezone.now()
    council_pages = []
    for council in councils:
        council_pages.append(
            CouncilPage(
                council=council,
                slug=f"{slugify(council.name)[:100]}-{council.pk}",
                presentation=" ".join(rng.sample(SENTENCES, 3)),
                territory=council.authority_name,
                member_count=rng.randint(20, 250),
                founded_year=rng.randint(1999, 2024),
                selection_method=rng.choice(list(SelectionMethod)),
                website=f"https://conseil-{council.pk}.example.org/",
                region_id=region_of.get(council.pk),
                status=PageStatus.PUBLISHED,
                submitted_at=now,
                published_at=now,
                checked_at=now,
            )
        )
    CouncilPage.objects.bulk_create(council_pages, batch_size=BATCH)

    # A few councils publish most: Pareto-distributed weights.
    weights = [rng.paretovariate(1.3) for _page in council_pages]
    authors = council_pages and rng.choices(council_pages, weights, k=works)
    regions = {region.pk: region for region in Region.objects.all()}
    kinds = list(WorkKind)
    answers = [FollowUpAnswer.UNKNOWN, FollowUpAnswer.WAITING, FollowUpAnswer.ANSWERED, FollowUpAnswer.NO_ANSWER]
    uptakes = [Uptake.FULLY, Uptake.PARTLY, Uptake.NOT, Uptake.UNKNOWN]
    today = timezone.localdate()
    rows, chosen = [], []
    for index, page in enumerate(authors or []):
        kind = rng.choices(kinds, [45, 20, 15, 12, 8])[0]
        subject = rng.choice(WORK_SUBJECTS)
        title = f"{WORK_OPENINGS[kind]} {subject} ({index + 1})"
        summary = rng.choice(WORK_SUMMARIES)
        issued = today - timedelta(days=rng.randint(0, 10 * 365))
        answer = rng.choices(answers, [25, 15, 45, 15])[0]
        answered = answer == FollowUpAnswer.ANSWERED
        uptake = rng.choices(uptakes, [25, 45, 20, 10])[0] if answered else Uptake.UNKNOWN
        note = rng.choice(FOLLOWUP_NOTES) if answered else ""
        work_themes = rng.sample(themes, min(len(themes), rng.randint(1, 3)))
        region = regions.get(page.region_id)
        text = " ".join([title, summary, page.council.name, *(theme.name for theme in work_themes), note])
        rows.append(
            Work(
                page=page,
                kind=kind,
                title=title,
                slug=slugify(title)[:120],
                summary=summary,
                issued_on=issued,
                licence=rng.choice(list(WorkLicence)),
                followup_answer=answer,
                followup_by="Le président de la collectivité" if answered else "",
                followup_on=issued + timedelta(days=rng.randint(15, 200)) if answered else None,
                followup_uptake=uptake,
                followup_note=note,
                followup_updated_at=now if answer != FollowUpAnswer.UNKNOWN else None,
                status=WorkStatus.PUBLISHED,
                published_at=now,
                region=region,
                search_text=search_key(text),
            )
        )
        chosen.append(work_themes)
    Work.objects.bulk_create(rows, batch_size=BATCH)
    through = Work.themes.through
    through.objects.bulk_create(
        (
            through(work_id=work.pk, theme_id=theme.pk)
            for work, picked in zip(rows, chosen, strict=True)
            for theme in picked
        ),
        batch_size=BATCH,
    )
    counts_of: dict[int, int] = {}
    for work in rows:
        counts_of[work.page_id] = counts_of.get(work.page_id, 0) + 1
    for page in council_pages:
        page.work_count = counts_of.get(page.pk, 0)
    CouncilPage.objects.bulk_update(council_pages, ["work_count"], batch_size=BATCH)
    FullText(title="title", summary="summary").vector_refresh(Work.objects.filter(pk__in=[work.pk for work in rows]))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT gin_clean_pending_list('showcase_work_search')")
    return {"council_pages": len(council_pages), "works": len(rows), "work_themes": sum(map(len, chosen))}
