"""Demo accounts, one per role, and a fictional network of councils and technicians.

Every council, authority and person here is invented; only the départements are real.
"""

import random
import unicodedata
from datetime import date

from allauth.account.models import EmailAddress
from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from core import generations
from core.enums import Role
from members.directory import PROFILES
from members.enums import AccountStatus, Category, EmploymentStatus, Filiere, PostPlacement, TerritoryKind, Visibility
from members.models import Council, Department, Profile, User, search_key

DEMO_PASSWORD = "codev-demo-2026"  # noqa: S105 - printed on purpose for the demo
# The authenticator-app secret (base32) of the demo's staff accounts, which must use two-factor
# authentication: add it to an authenticator app to get their codes. scripts/bench.py has a copy.
DEMO_TOTP_SECRET = "RESEAUCODEVDEMO2"  # noqa: S105 - printed on purpose for the demo

DEMO_ACCOUNTS = [
    # email, first name, last name, role, status
    ("admin@demo.codev-reseau.fr", "Anne", "Admin", Role.ADMIN, AccountStatus.APPROVED),
    ("equipe@demo.codev-reseau.fr", "Claire", "Morvan", Role.CURATOR, AccountStatus.APPROVED),
    ("technicienne@demo.codev-reseau.fr", "Léa", "Fontaine", Role.MEMBER, AccountStatus.APPROVED),
    ("en-attente@demo.codev-reseau.fr", "Hugo", "Perrin", Role.MEMBER, AccountStatus.PENDING),
]


def seed() -> None:
    """Create the demo accounts, councils and technicians, leaving existing ones as they are."""
    _seed_accounts()
    councils = _seed_councils()
    _seed_team_profiles(councils)
    _seed_technicians(councils)


def _seed_accounts() -> None:
    for email, first_name, last_name, role, status in DEMO_ACCOUNTS:
        user, created = User.objects.get_or_create(
            email=email,
            defaults={
                "first_name": first_name,
                "last_name": last_name,
                "role": role,
                "status": status,
                "is_staff": role == Role.ADMIN,
                "is_superuser": role == Role.ADMIN,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
        if role != Role.MEMBER:
            _seed_totp(user)


def _seed_totp(user: User) -> None:
    """An authenticator app on DEMO_TOTP_SECRET, and recovery codes; put back if SECRET_KEY changed."""
    adapter = get_mfa_adapter()
    totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if totp is None:
        totp = Authenticator(user=user, type=Authenticator.Type.TOTP)
    elif _decrypts_to(adapter, totp.data.get("secret"), DEMO_TOTP_SECRET):
        return
    totp.data = {"secret": adapter.encrypt(DEMO_TOTP_SECRET)}
    totp.save()
    # Recovery codes encrypted under another key would be unreadable as well: start them afresh.
    Authenticator.objects.filter(user=user, type=Authenticator.Type.RECOVERY_CODES).delete()
    RecoveryCodes.activate(user)


def _decrypts_to(adapter, encrypted: str | None, expected: str) -> bool:
    try:
        return adapter.decrypt(encrypted or "") == expected
    except (ImproperlyConfigured, ValueError):  # encrypted under another SECRET_KEY: rewrite it
        return False


K = TerritoryKind
# name, kind, authority, département codes, validated
DEMO_COUNCILS = [
    ("Conseil de développement de la Métropole Rives-de-Loire", K.METROPOLE, "Métropole Rives-de-Loire", ["44"], True),
    (
        "Conseil de développement de Val-d'Armor Agglomération",
        K.AGGLOMERATION,
        "Val-d'Armor Agglomération",
        ["22"],
        True,
    ),
    (
        "Conseil de développement du Pays des Trois Vallées",
        K.PETR,
        "PETR du Pays des Trois Vallées",
        ["12", "46"],
        True,
    ),
    (
        "Conseil de développement de Seine-et-Falaises",
        K.URBAN_COMMUNITY,
        "Communauté urbaine Seine-et-Falaises",
        ["76"],
        True,
    ),
    ("Conseil de développement du Haut-Bocage", K.COMMUNES, "Communauté de communes du Haut-Bocage", ["85"], True),
    ("Conseil de développement de la Métropole Garonne-Océan", K.METROPOLE, "Métropole Garonne-Océan", ["33"], True),
    (
        "Conseil de développement du Grand Plateau comtois",
        K.AGGLOMERATION,
        "Grand Plateau comtois Agglomération",
        ["25"],
        True,
    ),
    (
        "Conseil de développement des Monts du Forez",
        K.COMMUNES,
        "Communauté de communes des Monts du Forez",
        ["42"],
        True,
    ),
    ("Conseil de développement du PETR Cœur de Beauce", K.PETR, "PETR Cœur de Beauce", ["28", "45"], True),
    ("Conseil de développement de la Métropole Alpes-Lumière", K.METROPOLE, "Métropole Alpes-Lumière", ["38"], True),
    (
        "Conseil de développement de Côte d'Opale Sud",
        K.AGGLOMERATION,
        "Communauté d'agglomération Côte d'Opale Sud",
        ["62"],
        True,
    ),
    ("Conseil de développement de Moselle-Orne", K.URBAN_COMMUNITY, "Communauté urbaine Moselle-Orne", ["57"], True),
    ("Conseil de développement du Pays Cévennes-Garrigues", K.PETR, "PETR Cévennes-Garrigues", ["30"], True),
    (
        "Conseil de développement de Sainte-Baume-Argens",
        K.AGGLOMERATION,
        "Agglomération Sainte-Baume-Argens",
        ["83"],
        True,
    ),
    (
        "Conseil de développement des Boucles-de-Marne",
        K.OTHER,
        "Établissement public territorial Boucles-de-Marne",
        ["94"],
        True,
    ),
    ("Conseil de développement du Bocage normand", K.COMMUNES, "Bocage normand Communauté", ["50", "61"], True),
    ("Conseil de développement du Pays de Brie champenoise", K.PETR, "PETR de Brie champenoise", ["77", "51"], True),
    ("Conseil de développement de Lac-et-Montagnes", K.AGGLOMERATION, "Agglomération Lac-et-Montagnes", ["74"], True),
    ("Conseil de développement du Grand Auxois", K.COMMUNES, "Communauté de communes du Grand Auxois", ["21"], True),
    (
        "Conseil de développement de Cap Caraïbes",
        K.AGGLOMERATION,
        "Communauté d'agglomération Cap Caraïbes",
        ["971"],
        True,
    ),
    (
        "Conseil de développement des Hauts-de-l'Île",
        K.AGGLOMERATION,
        "Communauté d'agglomération des Hauts-de-l'Île",
        ["974"],
        True,
    ),
    (
        "Conseil de développement de Têt-Méditerranée",
        K.URBAN_COMMUNITY,
        "Communauté urbaine Têt-Méditerranée",
        ["66"],
        True,
    ),
    ("Conseil de développement du Sud-Ouest corse", K.PETR, "Pays du Sud-Ouest corse", ["2A"], True),
    (
        "Conseil de développement de Sologne-Val-de-Cher",
        K.COMMUNES,
        "Communauté de communes Sologne-Val-de-Cher",
        ["41"],
        True,
    ),
    ("Conseil de développement des Hautes-Vosges boisées", K.PETR, "PETR des Hautes-Vosges boisées", ["88"], True),
    (
        "Conseil de développement du Marais mouillé",
        K.AGGLOMERATION,
        "Agglomération du Marais mouillé",
        ["79", "17"],
        False,
    ),
]

FIRST_NAMES = [
    "Amandine", "Bastien", "Capucine", "Damien", "Élodie", "Florent", "Gaëlle", "Hervé", "Isaure", "Julien",
    "Karima", "Loïc", "Margaux", "Nicolas", "Océane", "Pierrick", "Quitterie", "Romain", "Solène", "Thibault",
    "Ursule", "Valentin", "Wassila", "Xavier", "Yasmine", "Zoé", "Adrien", "Bérénice", "Cyril", "Delphine",
    "Étienne", "Fanny", "Grégoire", "Hélène", "Ilyes", "Jeanne", "Kévin", "Laure", "Mathis", "Nadia",
    "Aurélien", "Blandine", "Corentin", "Diane", "Erwan", "Faustine", "Gaspard", "Héloïse", "Inès", "Jordan",
    "Lison", "Maël", "Noémie", "Olivier", "Pauline", "Rachid", "Sabine", "Tristan", "Victoire", "Yann",
    "Agathe", "Bruno", "Coline", "Dorian",
]  # fmt: skip
LAST_NAMES = [
    "Aubriot", "Berthelin", "Carrade", "Delorme", "Escoffier", "Fayolle", "Guérineau", "Hamelin", "Issartel",
    "Jourdanet", "Kerhervé", "Lachaume", "Marsollier", "Noblecourt", "Ollivaud", "Pradelle", "Quéméner",
    "Rivaton", "Saulnier", "Tessandier", "Urbain", "Vasseur", "Wimmer", "Yvinec", "Zaragoza", "Amblard",
    "Bouvarel", "Chassagne", "Dumoulin", "Estève", "Faucheux", "Gaudichon", "Hoarau", "Ibanez", "Jacquemin",
    "Lebreton", "Mériadec", "Nectoux", "Orsini", "Peyrache",
    "Abadie", "Bellec", "Cazenave", "Daguerre", "Euzet", "Frémont", "Giraudet", "Huchet", "Ithurbide",
    "Jouanneau", "Lavergne", "Maillochon", "Naudin", "Ollier", "Pignol", "Raffarin", "Sabatier", "Tréguier",
    "Vidalenc", "Yverneau", "Arbogast", "Brossard", "Castagné", "Denoyelle",
]  # fmt: skip
JOB_TITLES = [
    "Chargé·e de mission conseil de développement",
    "Animateur·rice du conseil de développement",
    "Chargé·e de mission participation citoyenne",
    "Chef·fe de projet démocratie participative",
    "Chargé·e de mission prospective et conseil de développement",
    "Coordinateur·rice du conseil de développement",
]
BIOS = [
    "J'accompagne les membres bénévoles du conseil dans leurs groupes de travail et la rédaction de leurs avis.",
    "Après un parcours en développement local, j'anime le conseil à mi-temps, à côté du suivi du projet de territoire.",
    "Je fais le lien entre le conseil, les élu·es et les services, et je prépare les séances plénières.",
    "Je suis arrivé·e récemment sur le poste et je découvre le fonctionnement du conseil avec enthousiasme.",
    "J'organise les autosaisines du conseil et la présentation de ses contributions en conseil communautaire.",
]
HELP_TOPICS = [
    "Forum ouvert, débat mouvant, photolangage",
    "Rédaction d'avis et restitution aux élu·es",
    "Mobiliser des bénévoles variés, renouveler le conseil",
    "Animation à distance et réunions hybrides",
    "Consultation sur le SCoT et le PCAET",
    "Rapport d'activité et communication du conseil",
]
TRAINING_WISHES = [
    "Facilitation graphique",
    "Évaluation participative",
    "Usage raisonné de l'IA pour les synthèses",
    "Cadre juridique des conseils de développement",
    "",
    "Posture de médiation en cas de conflit",
    "Conduite de projet et budget du conseil",
    "Mobiliser les jeunes et les publics éloignés",
    "Valoriser les avis sur les réseaux sociaux",
    "Comprendre le PCAET et le SCoT",
    "",
    "Réunions hybrides et outils de visio",
    "RGPD et données personnelles des membres",
]
GRADES = {
    Category.A: "Attaché·e territorial·e",
    Category.B: "Rédacteur·rice principal·e",
    Category.C: "Adjoint·e administratif·ve",
}
PLACEMENTS = list(PostPlacement)
V = Visibility
# identity, post, about, contact: each technician picks one of these combinations.
VISIBILITY_CHOICES = [
    (V.MEMBERS, V.MEMBERS, V.MEMBERS, V.HIDDEN),
    (V.PUBLIC, V.MEMBERS, V.PUBLIC, V.HIDDEN),
    (V.MEMBERS, V.TEAM, V.MEMBERS, V.HIDDEN),
    (V.PUBLIC, V.PUBLIC, V.PUBLIC, V.MEMBERS),
    (V.MEMBERS, V.MEMBERS, V.TEAM, V.MEMBERS),
]


def _seed_councils() -> list[Council]:
    councils = []
    departments = {department.code: department for department in Department.objects.all()}
    for name, kind, authority, codes, validated in DEMO_COUNCILS:
        council, created = Council.objects.get_or_create(
            name=name,
            defaults={"kind": kind, "authority_name": authority, "is_validated": validated},
        )
        if created:
            council.departments.set([departments[code] for code in codes])
        councils.append(council)
    return councils


def _seed_team_profiles(councils: list[Council]) -> None:
    technician = User.objects.get(email="technicienne@demo.codev-reseau.fr")
    Profile.objects.get_or_create(
        user=technician,
        defaults={
            "display_name": "Léa Fontaine",
            "pronouns": "elle",
            "job_title": "Chargée de mission conseil de développement",
            "council": councils[0],
            "time_share": 50,
            "employment_status": EmploymentStatus.CONTRACTUEL,
            "category": Category.A,
            "filiere": Filiere.ADMINISTRATIVE,
            "grade": "Attachée territoriale",
            "started_on": date(2021, 9, 1),
            "placement": PostPlacement.PARTICIPATION,
            "bio": "J'anime le conseil de développement à mi-temps, l'autre moitié de mon poste porte sur la "
            "concertation du plan climat.",
            "help_topics": "Animation de plénières, forum ouvert, lien avec les services",
            "training_wishes": "Animation à distance, évaluation participative",
            "about_visibility": Visibility.PUBLIC,
        },
    )
    curator = User.objects.get(email="equipe@demo.codev-reseau.fr")
    Profile.objects.get_or_create(
        user=curator,
        defaults={
            "display_name": "Claire Morvan",
            "job_title": "Chargée d'animation du réseau, équipe CNCD",
            "employer": "Coordination nationale des conseils de développement",
            "bio": "J'anime le réseau des technicien·nes et les groupes de travail sur le référentiel.",
            "identity_visibility": Visibility.PUBLIC,
            "contact_visibility": Visibility.MEMBERS,
        },
    )
    pending = User.objects.get(email="en-attente@demo.codev-reseau.fr")
    undeclared = councils[-1]
    if undeclared.declared_by_id is None:
        undeclared.declared_by = pending
        undeclared.save(update_fields=["declared_by"])
    Profile.objects.get_or_create(
        user=pending,
        defaults={"display_name": "Hugo Perrin", "job_title": "Chargé de mission participation", "council": undeclared},
    )


# The fictional technicians' attributes are drawn from this seed: the same demo on every machine.
DEMO_SEED = 2026
# Some councils have a few technicians (a metropolis, a large agglomeration), most have one or two.
COUNCIL_WEIGHTS = [5, 2, 3, 2, 3, 4, 2, 2, 3, 4, 2, 2, 2, 3, 3, 1, 1, 2, 1, 1, 1, 2, 1, 1, 1]
# (identity, post, about, contact), weight: most show their post to members, a few to the team only or nobody.
WEIGHTED_VISIBILITIES = [
    (choice, weight) for choice, weight in zip(VISIBILITY_CHOICES, [30, 15, 12, 15, 20], strict=True)
]
WEIGHTED_VISIBILITIES.append(((V.MEMBERS, V.HIDDEN, V.MEMBERS, V.HIDDEN), 8))


def demo_technician_emails() -> list[str]:
    """The e-mail addresses of the fictional technicians, in the order they are seeded."""
    return [
        f"{_ascii(first_name)}.{_ascii(last_name)}@demo.codev-reseau.fr"
        for first_name, last_name in zip(FIRST_NAMES, LAST_NAMES, strict=True)
    ]


def _technician_profile(index: int, user: User, validated: list[Council], rng: random.Random) -> Profile:
    """The profile of the `index`th technician, drawn from `rng` (the same draws whatever exists already)."""
    weights = [COUNCIL_WEIGHTS[position % len(COUNCIL_WEIGHTS)] for position in range(len(validated))]
    council = rng.choices(validated, weights)[0]
    time_share = rng.choices([10, 20, 25, 30, 40, 50, 60, 80, 100], [5, 12, 6, 10, 8, 22, 8, 10, 19])[0]
    status = rng.choices(list(EmploymentStatus), [48, 36, 16])[0]
    category = rng.choices([Category.A, Category.B, Category.C], [55, 33, 12])[0]
    (identity, post, about, contact), _weight = rng.choices(
        WEIGHTED_VISIBILITIES, [weight for _choice, weight in WEIGHTED_VISIBILITIES]
    )[0]
    years = rng.choices([0, 1, 2, 3, 4, 6, 8, 12, 15], [8, 12, 12, 12, 10, 14, 12, 12, 8])[0]
    display_name = f"{user.first_name} {user.last_name}"
    return Profile(
        user=user,
        display_name=display_name,
        search_text=search_key(display_name),
        job_title=JOB_TITLES[index % len(JOB_TITLES)],
        council=council,
        time_share=time_share,
        employment_status=status,
        category=category,
        filiere=Filiere.ADMINISTRATIVE if index % 6 else Filiere.ANIMATION,
        grade=GRADES[category] if category and index % 3 else "",
        started_on=date(2025 - years, 1 + index % 12, 1),
        placement=PLACEMENTS[index % len(PLACEMENTS)],
        bio=BIOS[index % len(BIOS)],
        help_topics=HELP_TOPICS[index % len(HELP_TOPICS)],
        training_wishes=_training_wishes(index),
        open_to_exchange=index % 4 != 3,
        identity_visibility=identity,
        post_visibility=post,
        about_visibility=about,
        contact_visibility=contact,
    )


def _training_wishes(index: int) -> str:
    """One or two training wishes (or none), so that most themes of the dashboard come up."""
    first = TRAINING_WISHES[index % len(TRAINING_WISHES)]
    second = TRAINING_WISHES[(index * 5 + 3) % len(TRAINING_WISHES)]
    return ", ".join(dict.fromkeys(wish for wish in (first, second) if wish)) if first else ""


def _seed_technicians(councils: list[Council]) -> None:
    """The fictional technicians, written in bulk; those already there are left as they are."""
    validated = [council for council in councils if council.is_validated]
    emails = demo_technician_emails()
    existing = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
    unusable = make_password(None)  # nobody logs in with these accounts
    User.objects.bulk_create(
        [
            User(
                email=email,
                first_name=first_name,
                last_name=last_name,
                password=unusable,
                status=AccountStatus.APPROVED,
                status_changed_at=timezone.now(),
            )
            for email, first_name, last_name in zip(emails, FIRST_NAMES, LAST_NAMES, strict=True)
            if email not in existing
        ]
    )
    users = User.objects.in_bulk(emails, field_name="email")
    with_profile = set(Profile.objects.filter(user__email__in=emails).values_list("user__email", flat=True))
    rng = random.Random(DEMO_SEED)  # noqa: S311 - demo data, not a secret
    profiles = []
    for index, email in enumerate(emails):
        profile = _technician_profile(index, users[email], validated, rng)  # drawn for everyone: stable draws
        if email not in with_profile:
            profiles.append(profile)
    Profile.objects.bulk_create(profiles)
    generations.bump(PROFILES)  # bulk writes send no signal: the directory's count is told here


def _ascii(text: str) -> str:
    normalised = unicodedata.normalize("NFKD", text)
    return "".join(char for char in normalised if char.isascii() and char.isalnum()).lower()


def demo_second_factor_hint() -> str:
    """What to type at the two-factor step of the staff demo accounts, for the set-up command to print."""
    staff = ", ".join(
        email for email, _first, _last, role, _status in DEMO_ACCOUNTS if role in {Role.CURATOR, Role.ADMIN}
    )
    app = (
        f"ajoutez la clé {DEMO_TOTP_SECRET} dans une application d'authentification "
        "(FreeOTP, Aegis, Google Authenticator…) et saisissez le code à 6 chiffres qu'elle affiche"
    )
    # allauth accepts the bypass code only with DEBUG (and fails loudly otherwise): don't promise it then.
    bypass = settings.MFA_TOTP_INSECURE_BYPASS_CODE if settings.DEBUG else None
    what = f"saisissez le code de démonstration {bypass}, ou {app}" if bypass else app
    return f"Les comptes de l'équipe ({staff}) demandent un second facteur après le mot de passe : {what}."


def demo_logins() -> list[tuple[str, str]]:
    """(role label, email) of each demo account, for the set-up command to print."""
    return [
        (str(Role(role).label) + ("" if status == AccountStatus.APPROVED else " (en attente)"), email)
        for email, _first, _last, role, status in DEMO_ACCOUNTS
    ]
