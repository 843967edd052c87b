"""The meetings' demo content: the network's founding seminar, and the next meeting open for registration.

The seminar is the one the network held in May 2025 (docs: /work/shared/domain.md): sixteen technicians
in Paris, hosted by the Métropole du Grand Paris and its council, others joining by video in the
afternoon; world-café tables on the three missions of the référentiel, a moving debate on AI; the
attendance sheet, shared notes, minutes, documents, and what came out of it: a proposal on the common
fiche and a note for the référentiel team. The next meeting is announced, hybrid, with a few places
left on site and a waiting list for the video room. Everyone named is a demo account; created once.
"""

import zoneinfo
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Case, DateTimeField, F, Value, When
from django.utils import timezone

from fiches.models import COMMON_FICHE_SLUG, Section
from meetings import registration, services
from meetings.enums import (
    AttendanceMode,
    MeetingAudience,
    MeetingFormat,
    MeetingStatus,
    RegistrationStatus,
    WorkshopKind,
)
from meetings.models import Material, Meeting, Outcome, Registration, Workshop
from members.demo import demo_technician_emails
from members.models import User
from toolbox.models import Resource

TECHNICIAN = "technicienne@demo.codev-reseau.fr"
CURATOR = "equipe@demo.codev-reseau.fr"
KARIM = "karim.benali@demo.codev-reseau.fr"
SOPHIE = "sophie.lemoine@demo.codev-reseau.fr"
PARIS = zoneinfo.ZoneInfo("Europe/Paris")

SEMINAR_TITLE = "Séminaire fondateur du réseau des technicien·nes"
NEXT_TITLE = "Journée nationale des technicien·nes : la fiche de poste à l'épreuve du terrain"

SEMINAR = {
    "title": SEMINAR_TITLE,
    "summary": (
        "Une journée pour croiser nos pratiques, nommer les missions clés du métier et poser les bases d'un "
        "référentiel et d'une fiche de poste communs."
    ),
    "description": (
        "Seize technicien·nes de conseils de développement se retrouvent à Paris, accueilli·es par la Métropole "
        "du Grand Paris et son conseil de développement ; d'autres nous rejoignent en visioconférence l'après-midi.\n\n"
        "Nous partirons des réponses au questionnaire envoyé en amont (temps consacré à chaque mission, tâches "
        "périphériques, outils, usage de l'IA) pour travailler en sous-groupes sur les grandes missions du "
        "métier, puis débattre de la place de l'intelligence artificielle dans notre travail."
    ),
    "programme": (
        "- 9 h 30 — Accueil, café, émargement\n"
        "- 10 h — Ce que nous dit le questionnaire : présentation des réponses croisées\n"
        "- 10 h 45 — World café : trois tables, une par mission clé, trois rotations de vingt minutes\n"
        "- 12 h 30 — Déjeuner\n"
        "- 14 h — Ouverture de la visioconférence, restitution des tables\n"
        "- 14 h 45 — Débat mouvant : l'IA dans notre métier (en salle et à distance)\n"
        "- 16 h — Suites à donner : référentiel, fiche de poste, formation, partage d'outils\n"
        "- 17 h — Clôture"
    ),
    "format": MeetingFormat.HYBRID,
    "place": "Métropole du Grand Paris",
    "address": "Paris",
    "video_url": "https://visio.demo.codev-reseau.fr/seminaire-fondateur",
    "capacity_on_site": 20,
    "capacity_remote": 30,
    "audience": MeetingAudience.PUBLIC,
    "status": MeetingStatus.PUBLISHED,
}

# The three world-café tables (one per mission clé), then the moving debate; notes as the tables left them.
# key, kind, title, topic, codes, fiche section key, notes
WORKSHOPS = [
    (
        "M1",
        WorkshopKind.TABLE,
        "Table 1 — Animer les travaux du CoDev",
        "Qu'est-ce qu'animer sans se substituer aux membres ? Quelles techniques, quelle posture ?",
        ["M1", "M1.A1", "M1.A2", "M1.A3", "M1.A4"],
        "missions",
        "- Le cœur du métier : **faciliter** le travail des bénévoles, jamais parler à leur place.\n"
        "- Techniques citées : world café, débat mouvant, photolangage, forum ouvert, porteur de parole.\n"
        "- Difficulté partagée : accompagner l'écriture des avis sans en devenir l'auteur·rice ; on propose des "
        "trames, on reformule, on relit — le texte reste celui du conseil.\n"
        "- L'hybride est devenu la norme depuis 2020 : il demande une préparation à part (coanimation, outils).\n"
        "- Idée : une activité « favoriser l'autonomie des membres » à faire apparaître explicitement.",
    ),
    (
        "M2",
        WorkshopKind.TABLE,
        "Table 2 — Coordination interne et lien aux institutions",
        "Comment faire circuler l'information et faire reconnaître le conseil dans la collectivité ?",
        ["M2", "M2.A1", "M2.A2", "M2.A3", "M2.A5"],
        "positionnement",
        "- Position de **tiers** : salarié·e de la collectivité et garant·e de l'indépendance du conseil. "
        "Tout le monde la vit, personne ne la voit écrite dans sa fiche de poste.\n"
        "- Le triangle présidence du conseil / élu·e référent·e / DGS : des points réguliers, à formaliser.\n"
        "- Anticiper les saisines : suivre l'agenda politique (SCoT, PLUi, PCAET, mobilités).\n"
        "- Le réseau (CNCD, CESER, autres conseils) est une ressource : y consacrer du temps est légitime.\n"
        "- À remonter : la posture de tiers mériterait une activité à part entière dans le référentiel.",
    ),
    (
        "M3",
        WorkshopKind.TABLE,
        "Table 3 — Valoriser les travaux",
        "Comment faire connaître les avis aux élu·es, aux services et aux habitant·es ?",
        ["M3", "M3.A1", "M3.A2", "M3.A4", "M3.A5"],
        "missions",
        "- Écrire pour des publics différents : un avis de trente pages ne se lit pas comme une synthèse d'une page.\n"
        "- Présenter l'avis en conseil communautaire : préparer les membres, pas parler à leur place.\n"
        "- Suivre ce que deviennent les avis : tableau de suivi, retour aux membres un an après.\n"
        "- Les retours d'expérience servent aussi à valoriser : les partager dans le réseau.",
    ),
    (
        "IA",
        WorkshopKind.DEBATE,
        "Débat mouvant — L'intelligence artificielle dans notre métier",
        "« L'IA peut m'aider à synthétiser la parole des membres. » D'accord, pas d'accord : on se déplace, "
        "on argumente ; les personnes à distance votent et prennent la parole en visioconférence.",
        ["C-TRA-02"],
        "evolution",
        "- Premier vote : un tiers d'accord, un tiers pas d'accord, un tiers au milieu.\n"
        "- Pour : gain de temps sur les transcriptions et les premières synthèses, accessibilité.\n"
        "- Contre : risque de lisser la parole, de perdre les nuances et les désaccords ; données des membres "
        "envoyées hors de la collectivité.\n"
        "- Conclusion commune : **outiller les technicien·nes sans dénaturer le cœur de leur mission** — l'outil "
        "prépare, la personne relit, le conseil décide.\n"
        "- Besoin de formation et de règles d'usage partagées.",
    ),
]

MINUTES = """\
**Séminaire fondateur du réseau des technicien·nes de conseils de développement — compte rendu**

Seize technicien·nes se sont retrouvé·es à Paris, accueilli·es par la Métropole du Grand Paris et son \
conseil de développement ; huit autres nous ont rejoint·es en visioconférence l'après-midi. L'équipe de la \
Coordination nationale des conseils de développement (CNCD) animait la journée.

**Nos pratiques, d'après le questionnaire**

Le poste est souvent une part d'emploi (la moitié des répondant·es y consacrent un mi-temps ou moins), \
placé selon les collectivités auprès de la direction générale, d'un service participation ou d'une \
direction du développement. Les tâches périphériques (logistique d'autres services, communication \
générale de la collectivité) pèsent sur le temps consacré au conseil.

**Trois missions clés**

Le world café a fait émerger trois missions, reprises comme colonne vertébrale du futur référentiel :

1. **Animer les travaux du CoDev**, en favorisant l'autonomie des membres, sans jamais se substituer à eux ;
2. **Coordination interne et lien aux institutions** : faire circuler l'information et faire reconnaître \
le rôle du conseil dans la collectivité ;
3. **Valoriser les travaux** auprès des élu·es, des services et des habitant·es.

**Débat mouvant sur l'intelligence artificielle**

Les positions étaient partagées au départ. Le groupe s'est accordé sur une ligne : outiller les \
technicien·nes sans dénaturer le cœur de leur mission. L'outil peut préparer (transcription, première \
synthèse) ; la personne relit et reste garante de la fidélité à la parole des membres ; le conseil décide.

**Suites**

- Écrire ensemble un référentiel des missions et des compétences (l'équipe CNCD prépare une première version) ;
- Écrire une fiche de poste commune qui garde la transversalité du métier et limite les tâches périphériques ;
- Construire avec le CNFPT une formation-action et une reconnaissance du métier ;
- Partager nos outils : méthodes d'animation, trames, retours d'expérience.

Prochain rendez-vous : une journée nationale pour mettre la fiche commune à l'épreuve du terrain.
"""

NEXT = {
    "title": NEXT_TITLE,
    "summary": (
        "Un an après le séminaire fondateur : adapter la fiche commune à nos postes, nous auto-évaluer sur le "
        "référentiel et préparer la formation-action avec le CNFPT."
    ),
    "description": (
        "Accueillie par la Métropole Alpes-Lumière et son conseil de développement, la journée est ouverte à "
        "toutes et tous les technicien·nes du réseau, sur place ou à distance.\n\n"
        "La participation à distance est limitée à vingt personnes pour que les ateliers en sous-groupes "
        "restent vivants en visioconférence ; au-delà, vous êtes inscrit·e sur liste d'attente et prévenu·e "
        "dès qu'une place se libère."
    ),
    "programme": (
        "- 9 h 30 — Accueil et émargement\n"
        "- 10 h — Où en sont le référentiel et la fiche commune ? (équipe CNCD)\n"
        "- 10 h 45 — Ateliers au choix (sur place et à distance)\n"
        "- 12 h 30 — Déjeuner\n"
        "- 14 h — Restitution des ateliers et propositions sur la fiche\n"
        "- 15 h 30 — La formation-action avec le CNFPT : attentes et calendrier\n"
        "- 16 h 30 — Clôture"
    ),
    "format": MeetingFormat.HYBRID,
    "place": "Maison de la Métropole Alpes-Lumière",
    "address": "12 rue des Alpes, 38000 Grenoble",
    "video_url": "https://visio.demo.codev-reseau.fr/journee-nationale",
    "capacity_on_site": 30,
    "capacity_remote": 20,
    "audience": MeetingAudience.MEMBERS,
    "status": MeetingStatus.PUBLISHED,
}
NEXT_ON_SITE = 27  # three places left on site
NEXT_REMOTE = 20  # the video room is full...
NEXT_WAITING = 2  # ...and two people wait for a place

NEXT_WORKSHOPS = [
    (
        WorkshopKind.WORKSHOP,
        "Atelier — Adapter la fiche commune à mon poste",
        "Partir de la fiche commune v1.0 et écrire sa fiche personnelle : ce qui change d'une collectivité à "
        "l'autre, ce qui doit rester commun.",
        ["M1", "M2", "M3"],
        "missions",
        15,
    ),
    (
        WorkshopKind.WORKSHOP,
        "Atelier — M'auto-évaluer sur le référentiel",
        "Prendre en main l'auto-évaluation, choisir ses éléments de preuve, préparer son entretien professionnel "
        "annuel.",
        ["C-ANI-02", "C-INS-03", "C-TRA-02"],
        "competences",
        15,
    ),
]


def _paris(year, month, day, hour, minute=0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=PARIS)


def _users() -> dict[str, User]:
    emails = [TECHNICIAN, CURATOR, KARIM, SOPHIE, *demo_technician_emails()]
    return User.objects.in_bulk(emails, field_name="email")


def _technicians(users: dict[str, User]) -> list[User]:
    """The fictional technicians, in the order members.demo seeds them."""
    return [users[email] for email in demo_technician_emails() if email in users]


def _date(model, dates: dict[int, datetime], field: str = "created_at") -> None:
    """Set dates the services fill with the present moment to the demo's story, in one query."""
    if dates:
        whens = [When(pk=pk, then=Value(when)) for pk, when in dates.items()]
        model.objects.filter(pk__in=dates).update(**{field: Case(*whens, output_field=DateTimeField())})


def _sections() -> dict[str, Section]:
    return {section.key: section for section in Section.objects.filter(fiche__slug=COMMON_FICHE_SLUG)}


def _meeting_values(spec: dict, *, starts: datetime, ends: datetime, closes: datetime) -> dict:
    values = {name: value for name, value in spec.items() if name != "status"}
    return values | {
        "starts_at": starts,
        "ends_at": ends,
        "registration_closes_at": closes,
        "time_zone": "Europe/Paris",
        "region": None,
    }


def _announce(curator: User, values: dict) -> Meeting:
    """A meeting created by the CNCD team, then announced, as on the site."""
    meeting = services.meeting_create(actor=curator, values=values)
    return services.meeting_publish(meeting_id=meeting.pk, actor=curator)


@transaction.atomic
def seed() -> None:
    """Create the founding seminar and the next meeting, unless they exist already."""
    users = _users()
    curator, technician = users.get(CURATOR), users.get(TECHNICIAN)
    if curator is None or technician is None:
        return
    if not Meeting.objects.filter(title=SEMINAR_TITLE).exists():
        _seed_seminar(users, curator, technician)
    if not Meeting.objects.filter(title=NEXT_TITLE).exists():
        _seed_next(users, curator)


# The founding seminar ---------------------------------------------------------------------------------


def _seed_seminar(users: dict[str, User], curator: User, technician: User) -> Meeting:
    technicians = _technicians(users)
    starts = _paris(2025, 5, 22, 9, 30)
    meeting = _announce(
        curator,
        _meeting_values(SEMINAR, starts=starts, ends=_paris(2025, 5, 22, 17), closes=_paris(2025, 5, 19, 12)),
    )
    # A technician of the network organised it with the team.
    sophie = users.get(SOPHIE)
    if sophie is not None:
        services.organiser_add(meeting_id=meeting.pk, actor=curator, email=sophie.email)

    # Sixteen present in Paris (one more registered could not come), eight present by video of nine. The
    # registrations closed long ago: they are written as they were then.
    on_site = [technician, *(person for person in technicians if person != sophie)][:17]
    remote = [person for person in technicians if person not in on_site and person != sophie][:9]
    rows = [
        Registration(meeting=meeting, user=person, mode=mode, status=RegistrationStatus.CONFIRMED)
        for mode, people in ((AttendanceMode.ON_SITE, on_site), (AttendanceMode.REMOTE, remote))
        for person in people
    ]
    Registration.objects.bulk_create(rows)
    by_user = dict(meeting.registrations.values_list("user_id", "pk"))
    _date(
        Registration,
        {
            by_user[row.user_id]: starts - timedelta(days=40 - index % 30, hours=index % 7)
            for index, row in enumerate(rows)
        },
    )
    present_on_site, present_remote = on_site[:16], remote[:8]
    check_ins = {}
    for index, person in enumerate(present_on_site + present_remote):
        registration.check_in(registration_id=by_user[person.pk], organiser=curator, present=True)
        morning = index < len(present_on_site)
        check_ins[by_user[person.pk]] = (
            _paris(2025, 5, 22, 9, 10 + index) if morning else _paris(2025, 5, 22, 14, 2 + index % 6)
        )
    _date(Registration, check_ins, field="checked_in_at")

    workshops = _seed_seminar_workshops(meeting, curator, present_on_site, present_remote)
    _seed_seminar_materials(meeting, curator)
    _seed_seminar_outcomes(meeting, workshops, curator, sophie or curator)
    meeting.refresh_from_db()
    services.minutes_save(
        meeting_id=meeting.pk, actor=curator, minutes=MINUTES, lock_version=meeting.lock_version, publish=True
    )
    # Dated as the story goes: announced in March, documents shared the evening of the seminar, minutes and
    # outcomes two weeks later; the needs were erased the day after, the reminders sent the day before.
    Meeting.objects.filter(pk=meeting.pk).update(
        created_at=_paris(2025, 3, 28, 11),
        minutes_published_at=_paris(2025, 6, 5, 10),
        reminder_sent_at=_paris(2025, 5, 21, 8),
        needs_erased_at=_paris(2025, 5, 23, 3),
    )
    Material.objects.filter(meeting=meeting).update(created_at=_paris(2025, 5, 22, 18))
    Outcome.objects.filter(meeting=meeting).update(created_at=_paris(2025, 6, 5, 10, 30))
    return meeting


def _seed_seminar_workshops(meeting: Meeting, curator: User, on_site: list[User], remote: list[User]):
    sections = _sections()
    workshops = {}
    notes_dates = {}
    for order, (key, kind, title, topic, codes, section_key, notes) in enumerate(WORKSHOPS, 1):
        workshop = services.workshop_create(
            meeting_id=meeting.pk,
            actor=curator,
            values={
                "kind": kind,
                "title": title,
                "topic": topic,
                "order": order,
                "capacity": None,
                "open_choice": False,  # the organisers shared people among the tables
                "referentiel_codes": codes,
                "fiche_section": sections.get(section_key),
            },
        )
        # The tables, in the morning in Paris; the debate in the afternoon, in the room and by video.
        people = on_site[order - 1 :: 3] if kind == WorkshopKind.TABLE else [*on_site, *remote]
        services.workshop_assign(workshop_id=workshop.pk, actor=curator, user_ids=[person.pk for person in people])
        # Who held the pen: the table's first participant, the first person by video for the debate.
        scribe = people[0] if kind == WorkshopKind.TABLE or not remote else remote[0]
        workshop.refresh_from_db()
        workshop = services.workshop_notes_save(
            workshop_id=workshop.pk, actor=scribe, notes=notes, lock_version=workshop.lock_version
        )
        notes_dates[workshop.pk] = _paris(2025, 5, 22, 12 if kind == WorkshopKind.TABLE else 16, 20 + order)
        workshops[key] = workshop
    _date(Workshop, notes_dates, field="notes_updated_at")
    return workshops


def _seed_seminar_materials(meeting: Meeting, curator: User) -> None:
    services.material_add_link(
        meeting_id=meeting.pk,
        actor=curator,
        title="Le site de la Coordination nationale des conseils de développement",
        url="https://conseils-de-developpement.fr/",
    )
    published = Resource.objects.published()
    for title in (
        "World café : faire travailler une plénière en petites tables",
        "Débat mouvant : prendre position en se déplaçant",
    ):
        resource = published.filter(title=title).first()
        if resource is not None:
            services.material_add_resource(meeting_id=meeting.pk, actor=curator, resource_id=resource.pk)


def _seed_seminar_outcomes(meeting: Meeting, workshops: dict[str, Workshop], curator: User, author: User) -> None:
    # The moving debate's conclusion, proposed on the fiche's section on training.
    evolution = _sections().get("evolution")
    if evolution is not None and evolution.current_revision_id is not None:
        services.outcome_propose(
            meeting_id=meeting.pk,
            actor=author,
            section_id=evolution.pk,
            workshop_id=workshops["IA"].pk,
            title="Former à un usage raisonné de l'IA",
            body=evolution.current_revision.body.rstrip()
            + "\n\nFormation à un usage raisonné des outils numériques et de l'intelligence artificielle : "
            "outiller le ou la technicien·ne sans dénaturer la parole des membres ni se substituer à eux.",
            rationale=services.default_rationale(meeting, workshops["IA"])
            + " Conclusion du débat mouvant : l'IA est déjà là, le métier a besoin de formation et de règles "
            "d'usage partagées.",
        )
    # The second table's wish, for the team that curates the référentiel.
    services.outcome_note(
        meeting_id=meeting.pk,
        actor=curator,
        workshop_id=workshops["M2"].pk,
        title="La posture de tiers, une activité à part entière",
        body=(
            "Toute la table s'est reconnue dans la position de tiers : salarié·e de la collectivité et garant·e "
            "de l'indépendance du conseil. Elle n'apparaît aujourd'hui qu'à travers des compétences ; nous "
            "proposons d'en faire une activité de la mission 2 (« Préserver l'indépendance du conseil dans ses "
            "relations avec la collectivité »), avec ses situations concrètes : saisines, calendrier des avis, "
            "présentation aux élu·es."
        ),
        referentiel_codes=["M2", "M2.A1"],
    )


# The next meeting ----------------------------------------------------------------------------------------


def _seed_next(users: dict[str, User], curator: User) -> Meeting:
    """The next national day, six weeks ahead: three places left on site, the video room full, two waiting."""
    technicians = _technicians(users)
    day = timezone.localtime(timezone.now(), PARIS).date() + timedelta(days=45)
    starts = datetime(day.year, day.month, day.day, 9, 30, tzinfo=PARIS)
    meeting = _announce(
        curator,
        _meeting_values(
            NEXT, starts=starts, ends=starts.replace(hour=16, minute=30), closes=starts - timedelta(days=7)
        ),
    )
    karim = users.get(KARIM)
    if karim is not None:
        services.organiser_add(meeting_id=meeting.pk, actor=curator, email=karim.email)
    # Registered through the site, in order: on site first, then by video until the room is full, then two
    # wait for a place. The demo technician is not among them: she can try registering herself.
    people = [person for person in technicians[5:] if person != karim]
    on_site = people[:NEXT_ON_SITE]
    remote = people[NEXT_ON_SITE : NEXT_ON_SITE + NEXT_REMOTE + NEXT_WAITING]
    needs = {0: "Je me déplace en fauteuil roulant : merci de prévoir une place accessible en salle."}
    for index, person in enumerate(on_site):
        registration.register(
            meeting_id=meeting.pk, user=person, mode=AttendanceMode.ON_SITE, needs=needs.get(index, "")
        )
    for person in remote:
        registration.register(meeting_id=meeting.pk, user=person, mode=AttendanceMode.REMOTE)
    now = timezone.now()
    registered = list(meeting.registrations.order_by("pk").values_list("pk", flat=True))
    _date(
        Registration,
        {pk: now - timedelta(days=20 - index // 3, minutes=7 * index) for index, pk in enumerate(registered)},
    )
    meeting.registrations.filter(status=RegistrationStatus.WAITING).update(waiting_since=F("created_at"))

    sections = _sections()
    for order, (kind, title, topic, codes, section_key, capacity) in enumerate(NEXT_WORKSHOPS, 1):
        workshop = services.workshop_create(
            meeting_id=meeting.pk,
            actor=curator,
            values={
                "kind": kind,
                "title": title,
                "topic": topic,
                "order": order,
                "capacity": capacity,
                "open_choice": True,
                "referentiel_codes": codes,
                "fiche_section": sections.get(section_key),
            },
        )
        # The first people registered chose their workshop already.
        for position, person in enumerate(on_site[:12]):
            if position % 2 == order - 1:
                services.workshop_join(workshop_id=workshop.pk, user=person)
    services.material_add_link(
        meeting_id=meeting.pk,
        actor=curator,
        title="Le site de la Coordination nationale des conseils de développement",
        url="https://conseils-de-developpement.fr/",
    )
    return meeting
