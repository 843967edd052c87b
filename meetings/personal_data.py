"""What the meetings keep about a person (core.personal_data), registered in MeetingsConfig.ready().

A registration, its sensitive needs, a follow, the calendar feed's secret address and a place in a
sub-group are the person's alone: they are deleted with the account (a place freed in an upcoming
meeting goes to the first person waiting). What they did for the network stays with the meeting, as
the common fiche's texts do: meetings they created or organised (once held), the shared notes they
last edited, the documents they added, the outcomes they wrote or handled, the check-ins they made
as organisers — credited to the anonymised account row (members), which every page shows as
"Ancien·ne membre". A draft meeting nobody else organises never reached the network: it is deleted.
An erased account stops organising the meetings still to come that others organise with them (a
meeting always keeps one organiser; the team may edit any meeting).
"""

from django.db.models import Q
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.personal_data import PersonalDataKind, StoredFile, personal_data_register
from meetings.enums import MeetingStatus, RegistrationStatus
from meetings.models import CalendarFeed, Material, Meeting, MeetingFollow, Outcome, Registration, Workshop
from meetings.registration import places_fill

ARCHIVE_DIR = "fichiers/rencontres/"


def _iso(value):
    return value.isoformat() if value is not None else None


def _keep(user) -> None:
    """Keep the rows: they belong to the meeting; the account's anonymisation hides who did it."""
    # The author fields keep pointing to the anonymised account row (members), shown as "Ancien·ne membre".


# Registrations ----------------------------------------------------------------------------------


def registrations_export(user) -> list[dict]:
    """`user`'s registrations, cancelled ones included, with their place in line and their check-in."""
    return [
        {
            "meeting": registration.meeting.title,
            "starts_at": _iso(registration.meeting.starts_at),
            "ends_at": _iso(registration.meeting.ends_at),
            "mode": str(registration.get_mode_display()),
            "status": str(registration.get_status_display()),
            "registered_at": _iso(registration.created_at),
            "waiting_since": _iso(registration.waiting_since),
            "promoted_at": _iso(registration.promoted_at),
            "cancelled_at": _iso(registration.cancelled_at),
            "checked_in_at": _iso(registration.checked_in_at),
        }
        for registration in Registration.objects.filter(user=user)
        .select_related("meeting")
        .order_by("meeting__starts_at", "pk")
    ]


def _promote_after(meetings: list[Meeting]) -> None:
    """Give the places freed in upcoming meetings to the people waiting, as a cancellation would."""
    for meeting in meetings:
        places_fill(meeting_id=meeting.pk)


def registrations_erase(user) -> None:
    """Delete `user`'s registrations; a confirmed place in a meeting still to come goes to the next in line."""
    registrations = Registration.objects.filter(user=user)
    freed = list(
        Meeting.objects.filter(
            pk__in=registrations.filter(status=RegistrationStatus.CONFIRMED).values("meeting_id"),
            starts_at__gt=timezone.now(),
            status=MeetingStatus.PUBLISHED,
        )
    )
    registrations.delete()
    _promote_after(freed)


def needs_export(user) -> list[dict]:
    """The particular needs `user` told the organisers, while they are kept (until the day after the meeting)."""
    return [
        {
            "meeting": registration.meeting.title,
            "starts_at": _iso(registration.meeting.starts_at),
            "needs": registration.needs,
        }
        for registration in Registration.objects.filter(user=user)
        .exclude(needs="")
        .select_related("meeting")
        .order_by("meeting__starts_at", "pk")
    ]


def needs_erase(user) -> None:
    """Empty the needs of `user`'s registrations (the registrations themselves go with `registrations_erase`)."""
    Registration.objects.filter(user=user).exclude(needs="").update(needs="")


# Follows and calendar feed -----------------------------------------------------------------------


def follows_export(user) -> list[dict]:
    """The meetings `user` follows without being registered."""
    return [
        {
            "meeting": follow.meeting.title,
            "starts_at": _iso(follow.meeting.starts_at),
            "created_at": _iso(follow.created_at),
        }
        for follow in MeetingFollow.objects.filter(user=user).select_related("meeting").order_by("created_at", "pk")
    ]


def follows_erase(user) -> None:
    """Delete what `user` follows."""
    MeetingFollow.objects.filter(user=user).delete()


def calendar_feed_export(user) -> list[dict]:
    """That `user` has a personal calendar address, and since when; the address itself is a secret, not copied."""
    return [
        {
            "calendar_feed": gettext("Adresse personnelle d'agenda créée (son jeton secret n'est pas recopié)"),
            "created_at": _iso(feed.created_at),
        }
        for feed in CalendarFeed.objects.filter(user=user)
    ]


def calendar_feed_erase(user) -> None:
    """Delete `user`'s calendar address: a calendar still subscribed to it gets nothing more."""
    CalendarFeed.objects.filter(user=user).delete()


# Sub-groups --------------------------------------------------------------------------------------


def workshops_export(user) -> list[dict]:
    """The sub-groups `user` took part in, and those whose shared notes they edited last."""
    rows = [
        {
            "meeting": workshop.meeting.title,
            "workshop": workshop.title,
            "kind": str(workshop.get_kind_display()),
            "role": gettext("participant·e"),
            "date": _iso(workshop.meeting.starts_at),
        }
        for workshop in Workshop.objects.filter(participants=user).select_related("meeting").order_by("pk")
    ]
    rows += [
        {
            "meeting": workshop.meeting.title,
            "workshop": workshop.title,
            "kind": str(workshop.get_kind_display()),
            "role": gettext("dernière modification des notes partagées"),
            "date": _iso(workshop.notes_updated_at),
        }
        for workshop in Workshop.objects.filter(notes_updated_by=user).select_related("meeting").order_by("pk")
    ]
    return rows


def workshops_erase(user) -> None:
    """Take `user` out of the sub-groups' participants; the shared notes stay, credited to the anonymised account."""
    Workshop.participants.through.objects.filter(user=user).delete()


# What they organised -------------------------------------------------------------------------------


def _drafts_alone(user):
    """Draft meetings `user` created and nobody else organises: they never reached the network."""
    shared = Meeting.organisers.through.objects.exclude(user=user).values("meeting_id")
    return Meeting.objects.filter(created_by=user, status=MeetingStatus.DRAFT).exclude(pk__in=shared)


def organised_export(user) -> list[dict]:
    """The meetings `user` created or organises, whatever their state."""
    organised = set(Meeting.organisers.through.objects.filter(user=user).values_list("meeting_id", flat=True))
    meetings = Meeting.objects.filter(Q(created_by=user) | Q(pk__in=organised)).distinct().order_by("starts_at", "pk")
    return [
        {
            "meeting": meeting.title,
            "role": ", ".join(
                role
                for role, yes in (
                    (gettext("créée par vous"), meeting.created_by_id == user.pk),
                    (gettext("organisateur·rice"), meeting.pk in organised),
                )
                if yes
            ),
            "status": str(meeting.get_status_display()),
            "format": str(meeting.get_format_display()),
            "starts_at": _iso(meeting.starts_at),
            "ends_at": _iso(meeting.ends_at),
            "place": meeting.place,
            "created_at": _iso(meeting.created_at),
            "minutes_published_at": _iso(meeting.minutes_published_at),
        }
        for meeting in meetings
    ]


def organised_erase(user) -> None:
    """Delete the drafts only `user` organises; stop them organising meetings still to come that others organise
    too; keep the rest (meetings held, a meeting to come they organise alone), credited to the anonymised row."""
    _drafts_alone(user).delete()
    # A meeting always keeps one organiser (meetings.services.organiser_remove); the team may edit any meeting.
    shared = Meeting.organisers.through.objects.exclude(user=user).values("meeting_id")
    Meeting.organisers.through.objects.filter(
        user=user, meeting__ends_at__gt=timezone.now(), meeting_id__in=shared
    ).delete()


# Documents and outcomes ---------------------------------------------------------------------------


def _archive_name(material: Material) -> str:
    return f"{ARCHIVE_DIR}{material.pk}-{get_valid_filename(material.file_name or material.title) or 'document'}"


def materials_export(user) -> list[dict]:
    """The documents `user` added to meetings: files, links, toolbox resources."""
    return [
        {
            "meeting": material.meeting.title,
            "title": material.title,
            "file_name": material.file_name,
            "content_type": material.content_type,
            "size": material.size,
            "url": material.url,
            "resource": material.resource.title if material.resource_id else "",
            "created_at": _iso(material.created_at),
            "in_archive": _archive_name(material) if material.file else "",
        }
        for material in Material.objects.filter(added_by=user)
        .select_related("meeting", "resource")
        .order_by("created_at", "pk")
    ]


def materials_files(user):
    """The files `user` added: copied into their archive, never deleted (they stay with the meeting)."""
    for material in Material.objects.filter(added_by=user).exclude(file="").order_by("created_at", "pk"):
        yield StoredFile(material.file.storage, material.file.name, _archive_name(material), erased=False)


def outcomes_export(user) -> list[dict]:
    """The outcomes `user` wrote or handled: proposals on the fiche, notes for the référentiel team."""
    outcomes = (
        Outcome.objects.filter(Q(created_by=user) | Q(handled_by=user))
        .select_related("meeting", "workshop")
        .order_by("created_at", "pk")
    )
    return [
        {
            "meeting": outcome.meeting.title,
            "workshop": outcome.workshop.title if outcome.workshop_id else "",
            "kind": str(outcome.get_kind_display()),
            "title": outcome.title,
            "body": outcome.body,
            "referentiel_codes": outcome.referentiel_codes,
            "suggestion": outcome.suggestion_id,
            "written_by_you": outcome.created_by_id == user.pk,
            "created_at": _iso(outcome.created_at),
            "handled_by_you": outcome.handled_by_id == user.pk,
            "handled_at": _iso(outcome.handled_at),
        }
        for outcome in outcomes
    ]


def check_ins_export(user) -> list[dict]:
    """The presences `user` recorded as an organiser (the attendance sheet of a meeting)."""
    return [
        {
            "meeting": registration.meeting.title,
            "starts_at": _iso(registration.meeting.starts_at),
            "registration": registration.pk,
            "checked_in_at": _iso(registration.checked_in_at),
        }
        for registration in Registration.objects.filter(checked_in_by=user)
        .exclude(user=user)
        .select_related("meeting")
        .order_by("checked_in_at", "pk")
    ]


# Declarations -------------------------------------------------------------------------------------

_DELETED_RETENTION = _("Tant que votre compte existe ; supprimé avec lui.")
_MEETING_RETENTION = _(
    "Tant que la rencontre existe : à la suppression de votre compte, ce contenu reste avec la rencontre "
    "(il appartient au réseau) et il est attribué à « Ancien·ne membre »."
)
_NETWORK_BASIS = _(
    "Intérêt légitime (RGPD, article 6.1.f) : la mission d'intérêt général de la CNCD, réunir les "
    "technicien·nes du réseau et garder la trace de ce que leurs rencontres ont produit."
)

REGISTRATIONS = PersonalDataKind(
    key="rencontres-inscriptions",
    label=_("Inscriptions aux rencontres"),
    description=_(
        "Les rencontres du réseau auxquelles vous vous êtes inscrit·e : participation sur place ou à distance, "
        "état (confirmée, sur liste d'attente, annulée), dates d'inscription, d'attente, de place obtenue et "
        "d'annulation, et la présence constatée le jour venu (feuille d'émargement)."
    ),
    source=_("Saisies par vous sur la page d'une rencontre ; présence constatée par ses organisateur·rices."),
    purpose=_(
        "Organiser les rencontres (places, liste d'attente, accueil, lien de visioconférence, rappels) et "
        "établir la feuille d'émargement que demandent les financeurs des formations."
    ),
    legal_basis=_(
        "Exécution du service que vous demandez en vous inscrivant (RGPD, article 6.1.b) ; pour la feuille "
        "d'émargement, intérêt légitime de la CNCD à justifier la présence auprès de ses financeurs "
        "(RGPD, article 6.1.f)."
    ),
    retention=_(
        "Tant que votre compte existe ; supprimées avec lui (une place libérée dans une rencontre à venir "
        "revient à la première personne en attente)."
    ),
    recipients=_(
        "Les organisateur·rices de la rencontre et l'équipe CNCD ; les autres participant·es ne voient pas "
        "la liste des inscrit·es."
    ),
    models=(Registration,),
    export=registrations_export,
    erase=registrations_erase,
    order=500,
    columns=(
        "meeting",
        "starts_at",
        "ends_at",
        "mode",
        "status",
        "registered_at",
        "waiting_since",
        "promoted_at",
        "cancelled_at",
        "checked_in_at",
    ),
)

NEEDS = PersonalDataKind(
    key="rencontres-besoins-particuliers",
    label=_("Besoins particuliers signalés pour une rencontre"),
    description=_(
        "Ce que vous avez indiqué aux organisateur·rices pour venir dans de bonnes conditions (accessibilité, "
        "santé, alimentation…). Ces informations peuvent être sensibles : elles ne sont gardées que jusqu'au "
        "lendemain de la rencontre, puis effacées."
    ),
    source=_("Saisis par vous, si vous le souhaitez, en vous inscrivant à une rencontre."),
    purpose=_("Permettre aux organisateur·rices de préparer l'accueil de chacun·e."),
    legal_basis=_(
        "Consentement explicite (RGPD, article 9.2.a) : le champ est facultatif et vous pouvez le vider à "
        "tout moment ; il peut révéler des données de santé."
    ),
    retention=_(
        "Jusqu'au lendemain de la fin de la rencontre, puis effacés automatiquement ; effacés aussi avec "
        "votre compte ou votre inscription."
    ),
    recipients=_("Les organisateur·rices de la rencontre seulement."),
    models=(Registration,),
    export=needs_export,
    erase=needs_erase,
    order=505,
    columns=("meeting", "starts_at", "needs"),
)

FOLLOWS = PersonalDataKind(
    key="rencontres-suivies",
    label=_("Rencontres suivies"),
    description=_("Les rencontres que vous suivez sans y être inscrit·e (elles apparaissent dans votre agenda)."),
    source=_("Enregistrées quand vous avez choisi de suivre une rencontre."),
    purpose=_("Mettre ces rencontres dans votre agenda et vous prévenir de leurs changements."),
    legal_basis=_("Consentement (RGPD, article 6.1.a) : c'est facultatif et vous pouvez arrêter à tout moment."),
    retention=_DELETED_RETENTION,
    recipients=_("Vous seul·e."),
    models=(MeetingFollow,),
    export=follows_export,
    erase=follows_erase,
    order=510,
    columns=("meeting", "starts_at", "created_at"),
)

CALENDAR_FEED = PersonalDataKind(
    key="rencontres-agenda",
    label=_("Adresse personnelle d'agenda"),
    description=_(
        "L'existence de votre adresse secrète d'abonnement à l'agenda des rencontres (celles où vous êtes "
        "inscrit·e, que vous organisez ou suivez) et sa date de création. L'adresse elle-même n'est pas "
        "recopiée dans l'archive : elle vaut mot de passe."
    ),
    source=_("Créée la première fois que vous avez ouvert la page « Mon agenda des rencontres »."),
    purpose=_("Vous permettre de voir les rencontres dans votre logiciel d'agenda."),
    legal_basis=_(
        "Consentement (RGPD, article 6.1.a) : s'abonner est facultatif ; vous pouvez changer l'adresse à tout "
        "moment (l'ancienne cesse de fonctionner)."
    ),
    retention=_DELETED_RETENTION,
    recipients=_("Vous seul·e, et le logiciel d'agenda auquel vous donnez l'adresse."),
    models=(CalendarFeed,),
    export=calendar_feed_export,
    erase=calendar_feed_erase,
    order=515,
    columns=("calendar_feed", "created_at"),
)

WORKSHOPS = PersonalDataKind(
    key="rencontres-sous-groupes",
    label=_("Sous-groupes des rencontres"),
    description=_(
        "Les sous-groupes (tables de world café, ateliers, débats) auxquels vous avez participé, et ceux dont "
        "vous avez modifié en dernier les notes partagées. Votre participation est supprimée avec votre compte ; "
        "les notes restent, attribuées à « Ancien·ne membre »."
    ),
    source=_("Choisis par vous ou attribués par les organisateur·rices ; notes saisies par vous."),
    purpose=_("Organiser le travail en sous-groupes et garder les notes de ce qui s'y est dit."),
    legal_basis=_NETWORK_BASIS,
    retention=_(
        "Participation : tant que votre compte existe. Notes partagées : tant que la rencontre existe, "
        "attribuées à « Ancien·ne membre » après la suppression de votre compte."
    ),
    recipients=_("Les participant·es de la rencontre, ses organisateur·rices et l'équipe CNCD."),
    models=(Workshop,),
    export=workshops_export,
    erase=workshops_erase,
    order=520,
    columns=("meeting", "workshop", "kind", "role", "date"),
)

ORGANISED = PersonalDataKind(
    key="rencontres-organisees",
    label=_("Rencontres créées ou organisées"),
    description=_(
        "Les rencontres que vous avez créées ou que vous organisez : état, format, dates, lieu, publication "
        "du compte rendu. À la suppression de votre compte, un brouillon que vous seul·e organisez est "
        "supprimé ; vous cessez d'organiser les rencontres à venir que d'autres organisent avec vous ; les "
        "autres restent, attribuées à « Ancien·ne membre », et l'équipe CNCD les reprend."
    ),
    source=_("Saisies par vous, ou vous avez été désigné·e organisateur·rice."),
    purpose=_("Annoncer et organiser les rencontres du réseau, et savoir qui les a organisées."),
    legal_basis=_NETWORK_BASIS,
    retention=_MEETING_RETENTION,
    recipients=_("Les membres du réseau (rencontres annoncées) ; tout le monde pour une rencontre ouverte au public."),
    models=(Meeting,),
    export=organised_export,
    erase=organised_erase,
    order=530,
    columns=(
        "meeting",
        "role",
        "status",
        "format",
        "starts_at",
        "ends_at",
        "place",
        "created_at",
        "minutes_published_at",
    ),
)

MATERIALS = PersonalDataKind(
    key="rencontres-documents",
    label=_("Documents ajoutés aux rencontres"),
    description=_(
        "Les documents que vous avez ajoutés à une rencontre (fichiers, liens, ressources de la boîte à "
        "outils) ; les fichiers eux-mêmes sont dans le dossier « fichiers/rencontres »."
    ),
    source=_("Ajoutés par vous sur la page d'une rencontre."),
    purpose=_("Partager les supports et les productions des rencontres."),
    legal_basis=_NETWORK_BASIS,
    retention=_MEETING_RETENTION,
    recipients=_("Les personnes qui peuvent lire la rencontre."),
    models=(Material,),
    export=materials_export,
    erase=_keep,
    files=materials_files,
    order=540,
    columns=(
        "meeting",
        "title",
        "file_name",
        "content_type",
        "size",
        "url",
        "resource",
        "created_at",
        "in_archive",
    ),
)

OUTCOMES = PersonalDataKind(
    key="rencontres-suites",
    label=_("Suites des rencontres"),
    description=_(
        "Les suites de rencontres que vous avez écrites ou traitées : propositions sur la fiche de poste, "
        "notes pour l'équipe du référentiel, avec leurs codes du référentiel et leurs dates."
    ),
    source=_("Saisies ou traitées par vous sur la page d'une rencontre."),
    purpose=_("Faire entrer ce que les rencontres ont produit dans la fiche de poste commune et le référentiel."),
    legal_basis=_NETWORK_BASIS,
    retention=_MEETING_RETENTION,
    recipients=_("Les membres du réseau et l'équipe CNCD."),
    models=(Outcome,),
    export=outcomes_export,
    erase=_keep,
    order=550,
    columns=(
        "meeting",
        "workshop",
        "kind",
        "title",
        "body",
        "referentiel_codes",
        "suggestion",
        "written_by_you",
        "created_at",
        "handled_by_you",
        "handled_at",
    ),
)

CHECK_INS = PersonalDataKind(
    key="rencontres-emargements",
    label=_("Présences constatées comme organisateur·rice"),
    description=_(
        "Les présences que vous avez constatées en tenant la feuille d'émargement d'une rencontre : rencontre, "
        "numéro d'inscription et heure. Elles restent, attribuées à « Ancien·ne membre »."
    ),
    source=_("Enregistrées quand vous avez pointé une personne présente."),
    purpose=_("Établir la feuille d'émargement de la rencontre et savoir qui l'a tenue."),
    legal_basis=_(
        "Intérêt légitime (RGPD, article 6.1.f) : justifier la présence des participant·es auprès des "
        "financeurs des formations."
    ),
    retention=_(
        "Tant que l'inscription pointée existe : à la suppression de votre compte, le pointage reste, "
        "attribué à « Ancien·ne membre »."
    ),
    recipients=_("Les organisateur·rices de la rencontre et l'équipe CNCD."),
    models=(Registration,),
    export=check_ins_export,
    erase=_keep,
    order=560,
    columns=("meeting", "starts_at", "registration", "checked_in_at"),
)

KINDS = (REGISTRATIONS, NEEDS, FOLLOWS, CALENDAR_FEED, WORKSHOPS, ORGANISED, MATERIALS, OUTCOMES, CHECK_INS)


def register() -> None:
    """Declare the meetings' kinds of personal data."""
    for kind in KINDS:
        personal_data_register(kind)
