"""The training app's demo content (devtools seed_demo), idempotent. Each area seeds its own part."""

# The catalogue: (title, provider kind, provider, format, hours, cost, cost note, url, summary, codes,
# sessions as (days from the seeding day, length in days, place, INSEE region code or "")).
DEMO_TRAININGS = [
    (
        "Concevoir et animer une démarche de concertation",
        "cnfpt",
        "CNFPT – INSET de Dunkerque",
        "sur-place",
        21,
        0,
        "Gratuite pour les agents territoriaux (cotisation CNFPT)",
        "https://www.cnfpt.fr/",
        "Trois jours pour construire une démarche de concertation de bout en bout : objectifs, publics, "
        "méthodes, animation et restitution aux élu·es.",
        ["C-ANI-01", "C-ANI-09", "C-ANI-05"],
        [(-200, 2, "Dunkerque", "32"), (45, 2, "Dunkerque", "32"), (160, 2, "Montpellier", "76")],
    ),
    (
        "Techniques d'animation participative : world café, forum ouvert, débat mouvant",
        "cnfpt",
        "CNFPT – INSET d'Angers",
        "sur-place",
        14,
        0,
        "Gratuite pour les agents territoriaux",
        "https://www.cnfpt.fr/",
        "Pratiquer en petit groupe les techniques d'animation les plus utiles aux conseils de développement, "
        "et savoir laquelle choisir selon le sujet et le groupe.",
        ["C-ANI-02", "C-ANI-03"],
        [(-90, 1, "Angers", "52"), (30, 1, "Angers", "52"), (75, 1, "Rennes", "53")],
    ),
    (
        "Animer à distance et en format hybride",
        "cnfpt",
        "CNFPT – INSET de Nancy",
        "distance",
        7,
        0,
        "Gratuite pour les agents territoriaux",
        "https://www.cnfpt.fr/",
        "Deux demi-journées en classe virtuelle pour préparer les participant·es, choisir les outils et garder "
        "l'égalité entre présents et connectés.",
        ["C-ANI-07"],
        [(-30, 0, "En ligne", ""), (20, 0, "En ligne", ""), (110, 0, "En ligne", "")],
    ),
    (
        "DU Démocratie participative et concertation",
        "universite",
        "Université Lumière Lyon 2",
        "hybride",
        120,
        2900,
        "Tarif formation continue ; prise en charge possible par l'employeur",
        "https://www.univ-lyon2.fr/",
        "Un diplôme d'université d'un an, en alternance avec l'activité professionnelle : histoire et théorie de "
        "la participation, méthodes, évaluation, mémoire sur une démarche conduite.",
        ["C-ANI-09", "C-INS-01", "C-VAL-01", "C-TRA-01"],
        [(-330, 240, "Lyon", "84"), (60, 240, "Lyon", "84")],
    ),
    (
        "Master 2 Ingénierie de la concertation (formation continue)",
        "universite",
        "Université Paris 1 Panthéon-Sorbonne",
        "sur-place",
        350,
        5200,
        "Possible par validation des acquis de l'expérience",
        "https://www.pantheonsorbonne.fr/",
        "Un parcours complet sur la conduite de la concertation et du débat public, ouvert aux professionnel·les "
        "en reprise d'études.",
        ["C-ANI-01", "C-ANI-09", "C-INS-02", "C-TRA-02"],
        [(-100, 200, "Paris", "11"), (250, 200, "Paris", "11")],
    ),
    (
        "Webinaire du réseau : rédiger un avis avec les membres",
        "cncd",
        "Coordination nationale des conseils de développement",
        "distance",
        1.5,
        0,
        "Réservé aux membres du réseau",
        "https://www.conseils-de-developpement.fr/",
        "Une heure et demie d'échange entre technicien·nes : structurer un avis, relire, reformuler en laissant "
        "la plume aux membres. Avec le témoignage de deux conseils.",
        ["C-ANI-06", "C-ANI-04"],
        [(-60, 0, "En ligne", ""), (25, 0, "En ligne", "")],
    ),
    (
        "Webinaire du réseau : les conseils de développement et le pacte de gouvernance",
        "cncd",
        "Coordination nationale des conseils de développement",
        "distance",
        2,
        0,
        "Réservé aux membres du réseau",
        "https://www.conseils-de-developpement.fr/",
        "Ce que dit la loi, ce que font les intercommunalités : situer le conseil dans le pacte de gouvernance "
        "et préparer son renouvellement.",
        ["C-INS-01", "C-INS-02", "C-INS-03"],
        [(-150, 0, "En ligne", ""), (90, 0, "En ligne", "")],
    ),
    (
        "Webinaire du réseau : évaluer les effets d'un conseil de développement",
        "cncd",
        "Coordination nationale des conseils de développement",
        "distance",
        2,
        0,
        "Réservé aux membres du réseau",
        "https://www.conseils-de-developpement.fr/",
        "Quels indicateurs, quels récits pour montrer ce que les avis du conseil ont changé ? Retours "
        "d'expérience et outils partagés.",
        ["C-VAL-01", "C-VAL-02"],
        [(-20, 0, "En ligne", "")],
    ),
    (
        "Garant·e de la concertation : les fondamentaux",
        "autre",
        "Institut de la Concertation et de la Participation Citoyenne",
        "sur-place",
        14,
        980,
        "Tarif réduit pour les adhérent·es",
        "https://institutdelaconcertation.org/",
        "Deux jours pour comprendre le rôle de tiers garant, ses principes (neutralité, transparence, "
        "argumentation) et les situations délicates.",
        ["C-ANI-03", "C-ANI-09"],
        [(-45, 1, "Paris", "11"), (55, 1, "Lyon", "84"), (140, 1, "Bordeaux", "75")],
    ),
    (
        "Mobiliser des publics éloignés de la participation",
        "autre",
        "Institut de la Concertation et de la Participation Citoyenne",
        "hybride",
        10.5,
        650,
        "",
        "https://institutdelaconcertation.org/",
        "Aller vers les jeunes, les habitant·es des quartiers populaires et des territoires ruraux : méthodes, "
        "partenaires, erreurs à éviter.",
        ["C-ANI-08", "C-TRA-01"],
        [(35, 1, "Marseille", "93"), (95, 1, "Lille", "32")],
    ),
    (
        "Communiquer les travaux d'un conseil de développement",
        "cnfpt",
        "CNFPT – Délégation Grand Est",
        "sur-place",
        14,
        0,
        "Gratuite pour les agents territoriaux",
        "https://www.cnfpt.fr/",
        "Rendre visibles les avis et leurs suites : supports, réseaux sociaux, relations avec la presse locale "
        "et les services communication.",
        ["C-VAL-03", "C-VAL-04"],
        [(-120, 1, "Strasbourg", "44"), (70, 1, "Metz", "44")],
    ),
    (
        "Facilitation graphique : prendre des notes visuelles en réunion",
        "autre",
        "Scopic – coopérative de facilitation",
        "sur-place",
        14,
        720,
        "",
        "",
        "Apprendre à dessiner simplement pour restituer les échanges d'une séance et les rendre lisibles par tous.",
        ["C-ANI-05", "C-VAL-03"],
        [(-15, 1, "Nantes", "52"), (120, 1, "Toulouse", "76")],
    ),
    (
        "Conduite de projet et travail en mode coopératif",
        "cnfpt",
        "CNFPT – INSET de Montpellier",
        "hybride",
        21,
        0,
        "Gratuite pour les agents territoriaux",
        "https://www.cnfpt.fr/",
        "Planifier, répartir, suivre : les outils de la conduite de projet adaptés à un conseil de bénévoles et "
        "à ses partenaires.",
        ["C-TRA-02", "C-TRA-03", "C-INS-04"],
        [(-250, 2, "Montpellier", "76"), (40, 2, "Montpellier", "76")],
    ),
]
# Draft, to show the team's view (not in the public catalogue).
DEMO_DRAFT = (
    "Intelligence artificielle et participation : usages et vigilances",
    "cncd",
    "Coordination nationale des conseils de développement",
    "distance",
    3,
    0,
    "Réservé aux membres du réseau",
    "",
    "Un atelier en préparation sur les outils d'IA dans l'animation et la synthèse : ce qu'ils font, ce qu'ils "
    "ne font pas, les précautions.",
    ["C-ANI-05", "C-TRA-06"],
    [(100, 0, "En ligne", "")],
)
# (member e-mail or index of demo technicians, training title, days ago, review)
DEMO_COMPLETIONS = [
    (
        "technicienne@demo.codev-reseau.fr",
        "Techniques d'animation participative : world café, forum ouvert, débat mouvant",
        88,
        "Très concret : on pratique chaque technique entre stagiaires. Le débat mouvant m'a servi dès le "
        "conseil suivant.",
    ),
    (
        "technicienne@demo.codev-reseau.fr",
        "Webinaire du réseau : rédiger un avis avec les membres",
        58,
        "",
    ),
    (
        0,
        "Concevoir et animer une démarche de concertation",
        195,
        "Une bonne vue d'ensemble ; la journée sur la restitution aux élu·es est la plus utile. Prévoir du temps "
        "entre les sessions pour appliquer.",
    ),
    (
        1,
        "Concevoir et animer une démarche de concertation",
        190,
        "Formation dense, intervenant·es de terrain. Dommage que le cas des conseils de développement soit peu traité.",
    ),
    (
        2,
        "Garant·e de la concertation : les fondamentaux",
        40,
        "Éclairant sur la posture de neutralité, même si l'on n'est pas garant·e soi-même.",
    ),
    (3, "Animer à distance et en format hybride", 28, "Les conseils sur l'hybride sont précieux."),
    (4, "DU Démocratie participative et concertation", 300, ""),
]


def _seed_catalogue() -> None:
    """At least twelve realistic trainings with sessions (past and upcoming), competences, and a few marks."""
    from datetime import timedelta
    from decimal import Decimal

    from django.db import transaction
    from django.utils import timezone

    from members.demo import demo_technician_emails
    from members.models import Region, User
    from training import services
    from training.enums import TrainingStatus
    from training.models import Training, TrainingCompetence, TrainingCompletion, TrainingSession

    today = timezone.localdate()
    curator = User.objects.filter(email="equipe@demo.codev-reseau.fr").first()
    regions = dict(Region.objects.values_list("code", "pk"))
    entries = [(item, TrainingStatus.PUBLISHED) for item in DEMO_TRAININGS] + [(DEMO_DRAFT, TrainingStatus.DRAFT)]
    with transaction.atomic():
        for item, status in entries:
            title, kind, provider, training_format, hours, cost, note, url, summary, codes, sessions = item
            if Training.objects.filter(title=title).exists():
                continue
            training = Training.objects.create(
                title=title,
                summary=summary,
                description=summary,
                provider_kind=kind,
                provider=provider,
                format=training_format,
                duration_hours=Decimal(str(hours)),
                cost_euros=Decimal(cost),
                cost_note=note,
                url=url,
                status=status,
                created_by=curator,
            )
            TrainingCompetence.objects.bulk_create(TrainingCompetence(training=training, code=code) for code in codes)
            for offset, length, place, region in sessions:
                starts = today + timedelta(days=offset)
                TrainingSession.objects.create(
                    training=training,
                    starts_on=starts,
                    ends_on=starts + timedelta(days=length) if length else None,
                    place=place,
                    region_id=regions.get(region),
                    registration_url=url if offset > 0 else "",
                )
        technicians = demo_technician_emails()
        touched = set()
        for who, title, days_ago, review in DEMO_COMPLETIONS:
            email = who if isinstance(who, str) else (technicians[who] if who < len(technicians) else None)
            user = User.objects.filter(email=email).first() if email else None
            training = Training.objects.filter(title=title).first()
            if user is None or training is None:
                continue
            TrainingCompletion.objects.get_or_create(
                training=training,
                user=user,
                defaults={"completed_on": today - timedelta(days=days_ago), "review": review},
            )
            touched.add(training.pk)
        services.completion_count_refresh(touched)


# The demo member's plan: priorities (code, note) and actions (title, kind, code, training title, target date
# in days from the seeding day, status, done how many days ago, note).
DEMO_PLAN_PRIORITIES = [
    ("C-ANI-05", "Le conseil veut se saisir de la révision du SCoT : je dois savoir conduire la concertation."),
    ("C-TRA-01", "Pour mieux travailler avec les services de l'agglomération."),
    ("C-INS-05", ""),
]
DEMO_PLAN_ACTIONS = [
    (
        "Concevoir et animer une démarche de concertation",
        "formation",
        "C-ANI-05",
        "Concevoir et animer une démarche de concertation",
        45,
        "prevue",
        None,
        "Demander l'accord de ma directrice avant la fin du mois ; inscription ouverte jusqu'à trois semaines avant.",
    ),
    (
        "Essayer une méthode de la boîte à outils lors du prochain atelier",
        "ressource",
        "C-ANI-05",
        "",
        -6,
        "en-cours",
        None,
        "Prévue pour l'atelier mobilité, reporté : à caler avec la présidente.",
    ),
    (
        "Échanger avec une technicienne qui a conduit une concertation sur un SCoT",
        "echange",
        "C-ANI-05",
        "",
        30,
        "prevue",
        None,
        "",
    ),
    (
        "Relire les avis rendus par le conseil depuis 2022",
        "autre",
        "C-INS-05",
        "",
        -20,
        "faite",
        18,
        "Fait : une note de deux pages pour le bureau.",
    ),
]


def _seed_plans() -> None:
    """The demo member's plan: three priorities and four actions (one overdue), once."""
    from datetime import timedelta

    from django.db import transaction
    from django.utils import timezone

    from competences.models import FrameworkVersion
    from members.demo import demo_technician_emails
    from members.models import User
    from toolbox.models import Resource
    from training.models import DevelopmentPlan, PlanAction, PlanPriority, Training

    member = User.objects.filter(email="technicienne@demo.codev-reseau.fr").first()
    version = FrameworkVersion.objects.current()
    if member is None or version is None:
        return
    known = set(version.competence_set.values_list("code", flat=True))
    today = timezone.localdate()
    with transaction.atomic():
        plan, created = DevelopmentPlan.objects.get_or_create(user=member)
        if not created and (plan.priorities.exists() or plan.actions.exists()):
            return  # seeded already, or the member's own since
        for order, (code, note) in enumerate(DEMO_PLAN_PRIORITIES, start=1):
            if code in known:
                PlanPriority.objects.get_or_create(plan=plan, code=code, defaults={"note": note, "order": order})
        peer = User.objects.filter(email__in=demo_technician_emails()[:1]).first()
        for title, kind, code, training_title, days, status, done_ago, note in DEMO_PLAN_ACTIONS:
            training = resource = None
            if kind == "formation":
                training = Training.objects.published().filter(title=training_title).first()
                if training is None:
                    continue  # the catalogue is not there: skip it
            if kind == "ressource":
                resource = Resource.objects.published().filter(links__code=code).order_by("-useful_count", "pk").first()
                if resource is None:
                    kind = "autre"
            if kind == "echange" and peer is None:
                kind = "autre"
            PlanAction.objects.create(
                plan=plan,
                code=code if code in known else "",
                kind=kind,
                title=title,
                training=training,
                resource=resource,
                peer=peer if kind == "echange" else None,
                target_date=today + timedelta(days=days),
                status=status,
                done_on=today - timedelta(days=done_ago) if done_ago is not None else None,
                note=note,
            )


# The newcomers' path: (title, description, URL name and its arguments).
DEMO_WELCOME_STEPS = [
    (
        "Compléter mon profil",
        "Votre nom, votre conseil de développement et votre poste : c'est ainsi que vos pairs vous trouvent dans "
        "l'annuaire. Vous choisissez qui voit chaque partie.",
        "members:profile_edit",
        (),
    ),
    (
        "Lire la fiche de poste commune",
        "La fiche écrite ensemble par le réseau : les missions du poste, les compétences attendues et leur "
        "niveau. Une base pour votre propre fiche et pour en parler avec votre employeur.",
        "fiches:detail",
        ("fiche-commune",),
    ),
    (
        "Faire mon auto-évaluation",
        "Situez-vous sur chaque compétence du référentiel, de **Notions** à **Expertise**. Elle reste privée, "
        "sauf si vous choisissez d'être trouvable dans l'annuaire.",
        "referentiel:self_assessment",
        (),
    ),
    (
        "Rencontrer un·e pair qui peut m'accompagner",
        "Choisissez une compétence sur laquelle vous débutez : des technicien·nes expérimenté·es proposent leur "
        "aide. Vos coordonnées ne sont échangées que si la personne accepte.",
        "training:mentors",
        (),
    ),
    (
        "Découvrir la boîte à outils",
        "Méthodes d'animation, modèles d'avis, retours d'expérience : les ressources partagées par le réseau. "
        "Commencez par le *kit d'installation d'un conseil*.",
        "toolbox:catalogue",
        (),
    ),
    (
        "M'inscrire à une rencontre du réseau",
        "Séminaire national, journées régionales, webinaires : le meilleur moyen de connaître vos pairs.",
        "meetings:list",
        (),
    ),
    (
        "Repérer mes voisin·es dans l'annuaire",
        "Les technicien·nes des conseils de votre région : à qui demander un retour d'expérience près de chez vous.",
        "members:directory",
        (),
    ),
]
# Demo technicians (index in members.demo) who offer help, on which codes, and their level there.
DEMO_MENTORS = [
    (0, ["C-ANI-05", "C-VAL-03"]),
    (1, ["C-ANI-05", "C-INS-05"]),
    (2, ["C-TRA-02", "C-INS-02"]),
    (3, ["C-VAL-03"]),
    (4, ["C-INS-05", "C-TRA-02"]),
]
# Demo technicians found by their shared self-assessment only (no offer): level 4 on these codes.
DEMO_RATED_PEERS = [(5, ["C-ANI-05", "C-VAL-03"]), (6, ["C-INS-02"])]
# The demo member's own offers: where she rated herself highest.
DEMO_MEMBER_OFFERS = ["C-ANI-03", "C-ANI-06"]
DEMO_MEMBER = "technicienne@demo.codev-reseau.fr"


def _seed_mentoring() -> None:
    """Welcome steps, peers offering help (opted in, rated high), requests involving the demo member."""
    from django.db import transaction
    from django.urls import reverse

    from competences.models import FrameworkVersion, SelfAssessment
    from members.demo import demo_technician_emails
    from members.models import User
    from referentiel.services import assessment_sharing_set, self_assessment_save
    from training import mentoring, welcome
    from training.enums import RequestStatus
    from training.models import MentoringRequest, MentorOffer, WelcomeStep

    with transaction.atomic():
        for order, (title, description, url_name, args) in enumerate(DEMO_WELCOME_STEPS, start=1):
            WelcomeStep.objects.get_or_create(
                title=title,
                defaults={"description": description, "link": reverse(url_name, args=args), "order": order * 10},
            )
    version = FrameworkVersion.objects.current()
    member = User.objects.filter(email=DEMO_MEMBER).first()
    if version is None or member is None:
        return
    emails = demo_technician_emails()
    known = set(version.competence_set.values_list("code", flat=True))

    def technician(index):
        if index >= len(emails):
            return None
        return User.objects.filter(email=emails[index], status="approved", profile__isnull=False).first()

    def rate_high(user, codes):
        codes = [code for code in codes if code in known]
        levels = dict(SelfAssessment.objects.filter(user=user, code__in=codes).values_list("code", "level"))
        low = {code: (4, False, "") for code in codes if (levels.get(code) or 0) < 4}
        with transaction.atomic():
            if low:
                self_assessment_save(user=user, version=version, ratings=low, part=True)
            assessment_sharing_set(user=user, in_directory=True)

    mentors = {}
    for index, codes in DEMO_MENTORS:
        user = technician(index)
        if user is None:
            continue
        mentors[index] = user
        rate_high(user, codes)
        for code in codes:
            MentorOffer.objects.get_or_create(user=user, code=code)
    for index, codes in DEMO_RATED_PEERS:
        user = technician(index)
        if user is not None:
            rate_high(user, codes)
    for code in DEMO_MEMBER_OFFERS:
        MentorOffer.objects.get_or_create(user=member, code=code)
    # Her first steps on the path.
    for step in WelcomeStep.objects.filter(title__in=[t for t, *_rest in DEMO_WELCOME_STEPS[:3]]):
        welcome.step_check(user=member, step=step, done=True)

    def once(requester, mentor, code, message):
        if requester is None or mentor is None:
            return None
        if MentoringRequest.objects.filter(requester=requester, mentor=mentor, code=code).exists():
            return None
        return mentoring.request_create(requester=requester, mentor=mentor, code=code, message=message)

    accepted = once(
        member,
        mentors.get(0),
        "C-ANI-05",
        "Bonjour, je dois préparer un atelier de prospective avec le conseil en mars et je n'ai jamais animé ce "
        "format. Auriez-vous une heure pour me raconter comment vous vous y prenez ?",
    )
    if accepted is not None:
        mentoring.request_accept(
            request_obj=accepted,
            mentor=mentors[0],
            response="Avec plaisir ! Je vous propose un appel la semaine prochaine ; je vous envoie mes supports.",
        )
    once(
        member,
        mentors.get(3),
        "C-VAL-03",
        "Bonjour, notre avis sur le SCoT sort dans deux mois : pourriez-vous relire notre plan de diffusion ?",
    )
    once(
        technician(7),
        member,
        "C-ANI-03",
        "Bonjour Léa, j'arrive dans un conseil tout juste créé. Vos retours sur l'animation des plénières "
        "m'aideraient beaucoup !",
    )
    if not MentoringRequest.objects.filter(status=RequestStatus.DECLINED).exists():
        declined = once(
            mentors.get(2),
            mentors.get(1),
            "C-INS-05",
            "Bonjour, pourriez-vous m'expliquer comment vous suivez le budget du conseil ?",
        )
        if declined is not None:
            mentoring.request_decline(
                request_obj=declined,
                mentor=mentors[1],
                response="Je pars en congé deux mois ; redemandez-moi à la rentrée, avec plaisir.",
            )


def _seed_portfolio() -> None:
    pass


def seed() -> None:
    _seed_catalogue()
    _seed_plans()
    _seed_mentoring()
    _seed_portfolio()
