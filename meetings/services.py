"""The meetings' rules: who creates, edits, announces and cancels a meeting, its organisers, its sub-groups
and their shared notes, its minutes, documents and outcomes.

Every write is atomic and audited (`meetings.…` actions). Edits of what several people may change at once
(the meeting, a sub-group, its notes, the minutes) go through `core.concurrency.version_claim`: a stale
form raises EditConflict and the view shows both texts, never a silent overwrite.
Registration, waiting lists and attendance live in meetings/registration.py.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core import concurrency
from core.audit import audit_log
from core.mail import queue_email, site_url
from fiches import services as fiche_services
from fiches.models import COMMON_FICHE_SLUG, Section
from fiches.notifications import notify
from meetings import registration
from meetings.enums import MeetingFormat, MeetingStatus, OutcomeKind, RegistrationStatus
from meetings.models import LONG_TEXT, TIME_ZONES, Material, Meeting, Outcome, Registration, Workshop
from meetings.selectors import meeting_day, meeting_when
from members.models import Region, User
from toolbox import files as toolbox_files
from toolbox.models import Resource
from toolbox.services import ToolboxError

REASON_LENGTH = 1_000
# What a meeting form sets; the status, organisers and minutes have their own steps.
MEETING_FIELDS = (
    "title",
    "summary",
    "description",
    "programme",
    "starts_at",
    "ends_at",
    "time_zone",
    "format",
    "place",
    "address",
    "video_url",
    "capacity_on_site",
    "capacity_remote",
    "registration_closes_at",
    "audience",
    "region",
)
WORKSHOP_FIELDS = ("kind", "title", "topic", "order", "capacity", "open_choice", "referentiel_codes", "fiche_section")
# Changes that the people registered are told about.
PRACTICAL_FIELDS = ("starts_at", "ends_at", "time_zone", "format", "place", "address", "video_url")


class MeetingError(ValidationError):
    """A rule of the meetings refused the action; the message says why, in French."""


# Rights ------------------------------------------------------------------------------------------


def members_may_organise() -> bool:
    """Whether approved members may organise regional meetings (setting MEETINGS_MEMBERS_MAY_ORGANISE)."""
    return bool(getattr(settings, "MEETINGS_MEMBERS_MAY_ORGANISE", False))


def _approved(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_approved)


def can_create(user) -> bool:
    """The CNCD team always; approved members when the team allows it (regional meetings only)."""
    return _approved(user) and (user.is_curator or members_may_organise())


def can_publish(user) -> bool:
    """Only the CNCD team announces a meeting (a member's regional meeting stays a draft until then)."""
    return _approved(user) and user.is_curator


def is_organiser(user, meeting: Meeting) -> bool:
    if not _approved(user):
        return False
    cached = getattr(meeting, "_prefetched_objects_cache", {}).get("organisers")
    if cached is not None:
        return any(organiser.pk == user.pk for organiser in cached)
    return meeting.organisers.filter(pk=user.pk).exists()


def can_edit(user, meeting: Meeting) -> bool:
    """The meeting's organisers and the CNCD team."""
    return _approved(user) and (user.is_curator or is_organiser(user, meeting))


def is_registered(user, meeting: Meeting) -> bool:
    """`user` holds a confirmed place (waiting lists excepted)."""
    if not _approved(user):
        return False
    return Registration.objects.confirmed().filter(meeting=meeting, user=user).exists()


def can_write_notes(user, workshop: Workshop) -> bool:
    """A sub-group's participants, the meeting's organisers and the team."""
    if not _approved(user):
        return False
    return can_edit(user, workshop.meeting) or workshop.participants.filter(pk=user.pk).exists()


def organiser_regions(user) -> list[Region]:
    """The regions of the council on `user`'s profile: where a member may organise a meeting."""
    return list(Region.objects.filter(departments__councils__profiles__user=user).distinct().order_by("name"))


# Meetings ----------------------------------------------------------------------------------------


def meeting_problems(values: dict, *, actor, meeting: Meeting | None) -> dict[str, str]:
    """Each field's problem, in French; empty when the values hold together."""
    problems: dict[str, str] = {}
    if not (values.get("title") or "").strip():
        problems["title"] = _("Donnez un titre à la rencontre.")
    if not (values.get("summary") or "").strip():
        problems["summary"] = _("Résumez la rencontre en une ou deux phrases.")
    for name in ("description", "programme"):
        if len(values.get(name) or "") > LONG_TEXT:
            problems[name] = _("Ce texte est trop long : %(max)s caractères au plus.") % {"max": LONG_TEXT}
    starts, ends = values.get("starts_at"), values.get("ends_at")
    if starts is None:
        problems["starts_at"] = _("Indiquez la date et l'heure de début.")
    if ends is None:
        problems["ends_at"] = _("Indiquez la date et l'heure de fin.")
    if starts is not None and ends is not None and ends <= starts:
        problems["ends_at"] = _("La fin de la rencontre doit venir après son début.")
    closes = values.get("registration_closes_at")
    if closes is not None and ends is not None and closes > ends:
        problems["registration_closes_at"] = _("La clôture des inscriptions doit précéder la fin de la rencontre.")
    if values.get("time_zone") not in TIME_ZONES:
        problems["time_zone"] = _("Choisissez un fuseau horaire de la liste.")
    meeting_format = values.get("format")
    if meeting_format not in MeetingFormat.values:
        problems["format"] = _("Choisissez le format de la rencontre : sur place, à distance ou hybride.")
    else:
        on_site = meeting_format in (MeetingFormat.ON_SITE, MeetingFormat.HYBRID)
        remote = meeting_format in (MeetingFormat.REMOTE, MeetingFormat.HYBRID)
        label = MeetingFormat(meeting_format).label
        for name, offered, message in (
            (
                "capacity_on_site",
                on_site,
                _("Une rencontre « %(format)s » n'a pas de places sur place : laissez ce champ vide."),
            ),
            (
                "capacity_remote",
                remote,
                _("Une rencontre « %(format)s » n'a pas de places à distance : laissez ce champ vide."),
            ),
        ):
            value = values.get(name)
            if value is not None and value < 0:
                problems[name] = _("Le nombre de places ne peut pas être négatif.")
            elif value is not None and not offered:
                problems[name] = message % {"format": label}
        if remote and not (values.get("video_url") or "").strip():
            problems["video_url"] = _(
                "Indiquez le lien de visioconférence : la rencontre se tient à distance (il ne sera montré "
                "qu'aux personnes inscrites)."
            )
        if on_site and not (values.get("place") or "").strip():
            problems["place"] = _("Indiquez le lieu de la rencontre : elle se tient sur place.")
    if not actor.is_curator:
        region = values.get("region")
        # A co-organiser may keep the region the meeting has (even none: a national meeting of the team's).
        unchanged = meeting is not None and (region.pk if region is not None else None) == meeting.region_id
        regions = [] if unchanged else organiser_regions(actor)
        if not unchanged and not regions:
            problems["region"] = _(
                "Indiquez d'abord votre conseil de développement dans votre profil : une rencontre organisée "
                "par un·e membre se tient dans la région de son conseil."
            )
        elif not unchanged and (region is None or region.pk not in {item.pk for item in regions}):
            problems["region"] = _(
                "Une rencontre organisée par un·e membre est régionale : choisissez la région de votre conseil "
                "de développement (%(regions)s)."
            ) % {"regions": ", ".join(item.name for item in regions)}
    return problems


def _check_meeting(values: dict, *, actor, meeting: Meeting | None = None) -> None:
    problems = meeting_problems(values, actor=actor, meeting=meeting)
    if problems:
        raise MeetingError(problems)


def _locked_meeting(meeting_id: int) -> Meeting:
    meeting = Meeting.objects.select_for_update().filter(pk=meeting_id).first()
    if meeting is None:
        raise MeetingError(_("Cette rencontre n'existe plus."))
    return meeting


def _meeting_url(meeting: Meeting) -> str:
    return reverse("meetings:detail", kwargs={"pk": meeting.pk})


def _curator_ids() -> set[int]:
    return set(User.objects.curators().values_list("pk", flat=True))


def _registered_ids(meeting: Meeting, *, confirmed_only: bool = False) -> set[int]:
    registrations = Registration.objects.filter(meeting=meeting)
    registrations = registrations.confirmed() if confirmed_only else registrations.active()
    return set(registrations.values_list("user_id", flat=True))


@transaction.atomic
def meeting_create(*, actor, values: dict) -> Meeting:
    """A new meeting, as a draft organised by `actor`; a member's needs a curator to announce it."""
    if not can_create(actor):
        raise MeetingError(_("Seule l'équipe CNCD peut créer une rencontre."))
    values = {name: values.get(name) for name in MEETING_FIELDS}
    _check_meeting(values, actor=actor)
    meeting = Meeting(status=MeetingStatus.DRAFT, created_by=actor, **_model_values(values))
    meeting.full_clean(exclude=["organisers"])
    meeting.save()
    meeting.organisers.add(actor)
    audit_log(actor=actor, action="meetings.meeting.created", target=meeting, data={"by_member": not actor.is_curator})
    if not actor.is_curator:
        notify(
            user_ids=_curator_ids(),
            actor=actor,
            message=_("Une rencontre régionale est proposée : « %(title)s ». Relisez-la pour l'annoncer.")
            % {"title": meeting.title},
            url=_meeting_url(meeting),
        )
    return meeting


def _model_values(values: dict) -> dict:
    cleaned = dict(values)
    for name in ("title", "summary", "place", "address", "video_url"):
        cleaned[name] = (cleaned.get(name) or "").strip()
    for name in ("description", "programme"):
        cleaned[name] = cleaned.get(name) or ""
    return cleaned


@transaction.atomic
def meeting_update(*, meeting_id: int, actor, values: dict, lock_version: int | None) -> Meeting:
    """The organisers or the team change a meeting; EditConflict when it was saved since the form opened."""
    meeting = _locked_meeting(meeting_id)
    if not can_edit(actor, meeting):
        raise MeetingError(_("Seul·es les organisateur·rices et l'équipe CNCD peuvent modifier cette rencontre."))
    if meeting.status == MeetingStatus.CANCELLED:
        raise MeetingError(_("Cette rencontre est annulée : elle ne peut plus être modifiée."))
    concurrency.version_claim(meeting, expected=lock_version)
    values = {name: values.get(name) for name in MEETING_FIELDS}
    _check_meeting(values, actor=actor, meeting=meeting)
    before = {name: getattr(meeting, name) for name in PRACTICAL_FIELDS}
    for name, value in _model_values(values).items():
        setattr(meeting, name, value)
    meeting.full_clean(exclude=["organisers"])
    meeting.save()
    changed = sorted(name for name in PRACTICAL_FIELDS if getattr(meeting, name) != before[name])
    audit_log(actor=actor, action="meetings.meeting.updated", target=meeting, data={"practical_changes": changed})
    if meeting.status == MeetingStatus.PUBLISHED:
        # Places added: the people waiting get them now, in order, each told by email.
        registration.places_fill(meeting_id=meeting.pk, actor=actor)
    if changed and meeting.status == MeetingStatus.PUBLISHED:
        notify(
            user_ids=_registered_ids(meeting),
            actor=actor,
            message=_("Les informations pratiques de la rencontre « %(title)s » ont changé : vérifiez-les.")
            % {"title": meeting.title},
            url=_meeting_url(meeting),
        )
    return meeting


@transaction.atomic
def meeting_publish(*, meeting_id: int, actor) -> Meeting:
    """The CNCD team announces a draft: it appears in the list and people may register."""
    meeting = _locked_meeting(meeting_id)
    if not can_publish(actor):
        raise MeetingError(_("Seule l'équipe CNCD peut annoncer une rencontre."))
    if meeting.status != MeetingStatus.DRAFT:
        raise MeetingError(_("Seule une rencontre en brouillon peut être annoncée."))
    meeting.status = MeetingStatus.PUBLISHED
    meeting.save(update_fields=["status", "updated_at"])
    audit_log(actor=actor, action="meetings.meeting.published", target=meeting)
    notify(
        user_ids=set(meeting.organisers.values_list("pk", flat=True)),
        actor=actor,
        message=_("La rencontre « %(title)s » est annoncée.") % {"title": meeting.title},
        url=_meeting_url(meeting),
    )
    return meeting


@transaction.atomic
def meeting_cancel(*, meeting_id: int, actor, reason: str) -> Meeting:
    """The organisers or the team cancel a meeting; everyone registered gets an email and a notification."""
    meeting = _locked_meeting(meeting_id)
    if not can_edit(actor, meeting):
        raise MeetingError(_("Seul·es les organisateur·rices et l'équipe CNCD peuvent annuler cette rencontre."))
    if meeting.status == MeetingStatus.CANCELLED:
        raise MeetingError(_("Cette rencontre est déjà annulée."))
    reason = (reason or "").strip()
    if not reason:
        raise MeetingError({"reason": _("Expliquez en quelques mots pourquoi la rencontre est annulée.")})
    if len(reason) > REASON_LENGTH:
        raise MeetingError(
            {"reason": _("Le motif est trop long : %(max)s caractères au plus.") % {"max": REASON_LENGTH}}
        )
    was_announced = meeting.status == MeetingStatus.PUBLISHED
    meeting.status = MeetingStatus.CANCELLED
    meeting.cancel_reason = reason
    meeting.save(update_fields=["status", "cancel_reason", "updated_at"])
    audit_log(actor=actor, action="meetings.meeting.cancelled", target=meeting, data={"reason": reason})
    if not was_announced:
        return meeting
    registered = _registered_ids(meeting)
    notify(
        user_ids=registered | set(meeting.organisers.values_list("pk", flat=True)),
        actor=actor,
        message=_("La rencontre « %(title)s » est annulée : %(reason)s") % {"title": meeting.title, "reason": reason},
        url=_meeting_url(meeting),
    )
    recipients = list(User.objects.filter(pk__in=registered).exclude(email="").values_list("email", flat=True))
    if recipients:
        messages = [_cancellation_email(meeting, reason, email) for email in recipients]
        # The email leaves once the cancellation is stored; a mail server failure must not undo it.
        transaction.on_commit(lambda: [queue_email(**message) for message in messages], robust=True)
    return meeting


def _cancellation_email(meeting: Meeting, reason: str, email: str) -> dict:
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Rencontre annulée : %(title)s") % {"title": meeting.title}
        body = _(
            "Bonjour,\n\n"
            "La rencontre « %(title)s », prévue %(when)s, est annulée.\n\n"
            "Motif : %(reason)s\n\n"
            "Votre inscription n'a plus d'effet ; vous n'avez rien à faire.\n"
            "La page de la rencontre : %(url)s\n\n"
            "L'équipe du réseau des technicien·nes CoDev"
        ) % {
            "title": meeting.title,
            "when": meeting_when(meeting),
            "reason": reason,
            "url": site_url(_meeting_url(meeting)),
        }
    return {"subject": subject, "body": body, "to": [email]}


@transaction.atomic
def organiser_add(*, meeting_id: int, actor, email: str) -> User:
    """An organiser or the team adds an approved member, found by their address, to the organisers."""
    meeting = _locked_meeting(meeting_id)
    if not can_edit(actor, meeting):
        raise MeetingError(_("Seul·es les organisateur·rices et l'équipe CNCD gèrent l'organisation."))
    person = User.objects.approved().filter(email__iexact=(email or "").strip()).first()
    if person is None:
        raise MeetingError({"email": _("Aucun·e membre validé·e du réseau n'a cette adresse.")})
    if meeting.organisers.filter(pk=person.pk).exists():
        raise MeetingError({"email": _("Cette personne fait déjà partie des organisateur·rices.")})
    meeting.organisers.add(person)
    audit_log(actor=actor, action="meetings.organiser.added", target=meeting, data={"user_id": person.pk})
    notify(
        user_ids={person.pk},
        actor=actor,
        message=_("Vous faites partie des organisateur·rices de la rencontre « %(title)s ».")
        % {"title": meeting.title},
        url=_meeting_url(meeting),
    )
    return person


@transaction.atomic
def organiser_remove(*, meeting_id: int, actor, user_id: int) -> None:
    """An organiser or the team removes an organiser; a meeting always keeps one."""
    meeting = _locked_meeting(meeting_id)
    if not can_edit(actor, meeting):
        raise MeetingError(_("Seul·es les organisateur·rices et l'équipe CNCD gèrent l'organisation."))
    if not meeting.organisers.filter(pk=user_id).exists():
        raise MeetingError(_("Cette personne ne fait pas partie des organisateur·rices."))
    if meeting.organisers.count() <= 1:
        raise MeetingError(_("Une rencontre garde au moins un·e organisateur·rice : ajoutez-en un·e avant."))
    meeting.organisers.remove(user_id)
    audit_log(actor=actor, action="meetings.organiser.removed", target=meeting, data={"user_id": user_id})


# Minutes -----------------------------------------------------------------------------------------


@transaction.atomic
def minutes_save(*, meeting_id: int, actor, minutes: str, lock_version: int | None, publish: bool = False) -> Meeting:
    """The organisers write the minutes; `publish` shows them on the meeting's page (from then on, every save)."""
    meeting = _locked_meeting(meeting_id)
    if not can_edit(actor, meeting):
        raise MeetingError(_("Seul·es les organisateur·rices et l'équipe CNCD rédigent le compte rendu."))
    concurrency.version_claim(meeting, expected=lock_version)
    minutes = minutes or ""
    if len(minutes) > LONG_TEXT:
        raise MeetingError({"minutes": _("Ce texte est trop long : %(max)s caractères au plus.") % {"max": LONG_TEXT}})
    publishing = publish and meeting.minutes_published_at is None
    if publishing:
        if not minutes.strip():
            raise MeetingError({"minutes": _("Le compte rendu est vide : rédigez-le avant de le publier.")})
        if meeting.starts_at > timezone.now():
            raise MeetingError(_("Le compte rendu se publie une fois la rencontre commencée."))
        meeting.minutes_published_at = timezone.now()
    meeting.minutes = minutes
    meeting.save(update_fields=["minutes", "minutes_published_at", "lock_version", "updated_at"])
    action = "meetings.minutes.published" if publishing else "meetings.minutes.saved"
    audit_log(actor=actor, action=action, target=meeting)
    if publishing:
        notify(
            user_ids=_registered_ids(meeting, confirmed_only=True),
            actor=actor,
            message=_("Le compte rendu de la rencontre « %(title)s » est publié.") % {"title": meeting.title},
            url=_meeting_url(meeting) + "#compte-rendu",
        )
    return meeting


# Materials ---------------------------------------------------------------------------------------


def _editable_meeting(meeting_id: int, actor) -> Meeting:
    meeting = _locked_meeting(meeting_id)
    if not can_edit(actor, meeting):
        raise MeetingError(_("Seul·es les organisateur·rices et l'équipe CNCD gèrent les documents de la rencontre."))
    return meeting


@transaction.atomic
def material_add_link(*, meeting_id: int, actor, title: str, url: str) -> Material:
    """A link to a document kept elsewhere."""
    meeting = _editable_meeting(meeting_id, actor)
    title, url = (title or "").strip(), (url or "").strip()
    if not title or not url:
        raise MeetingError(_("Donnez un intitulé et une adresse au lien."))
    material = Material(meeting=meeting, title=title, url=url, added_by=actor)
    material.full_clean()
    material.save()
    audit_log(
        actor=actor, action="meetings.material.added", target=meeting, data={"material_id": material.pk, "kind": "link"}
    )
    return material


@transaction.atomic
def material_add_resource(*, meeting_id: int, actor, resource_id: int, title: str = "") -> Material:
    """A published resource of the toolbox, linked (not copied)."""
    meeting = _editable_meeting(meeting_id, actor)
    resource = Resource.objects.published().filter(pk=resource_id).first()
    if resource is None:
        raise MeetingError({"resource": _("Choisissez une ressource publiée de la boîte à outils.")})
    material = Material.objects.create(
        meeting=meeting, title=(title or "").strip() or resource.title[:200], resource=resource, added_by=actor
    )
    audit_log(
        actor=actor,
        action="meetings.material.added",
        target=meeting,
        data={"material_id": material.pk, "kind": "resource", "resource_id": resource.pk},
    )
    return material


@transaction.atomic
def material_add_file(*, meeting_id: int, actor, uploaded, title: str = "") -> Material:
    """A file, checked by its content as the toolbox's files are (type, size, zip bounds)."""
    meeting = _editable_meeting(meeting_id, actor)
    if uploaded is None:
        raise MeetingError({"file": _("Choisissez un fichier à ajouter.")})
    try:
        content_type, extension = toolbox_files.file_check(uploaded)
    except ToolboxError as error:
        raise MeetingError({"file": error.messages[0]}) from None
    name = toolbox_files.clean_name(uploaded.name, extension)
    material = Material(
        meeting=meeting,
        title=(title or "").strip()[:200] or name.rsplit(".", 1)[0][:200],
        file_name=name,
        content_type=content_type,
        size=uploaded.size,
        added_by=actor,
    )
    material.file.save(name, uploaded, save=False)
    try:
        material.save()
    except Exception:
        # The row was not written: the stored file must not stay behind.
        material.file.storage.delete(material.file.name)
        raise
    audit_log(
        actor=actor,
        action="meetings.material.added",
        target=meeting,
        data={"material_id": material.pk, "kind": "file", "content_type": content_type},
    )
    return material


@transaction.atomic
def material_remove(*, material_id: int, actor) -> None:
    """The organisers or the team remove a document (its file leaves the storage once that is committed)."""
    material = Material.objects.select_related("meeting").filter(pk=material_id).first()
    if material is None:
        raise MeetingError(_("Ce document n'existe plus."))
    meeting = _editable_meeting(material.meeting_id, actor)
    stored = material.file.name if material.file else ""
    storage = material.file.storage
    audit_log(
        actor=actor,
        action="meetings.material.removed",
        target=meeting,
        data={"material_id": material.pk, "title": material.title},
    )
    material.delete()
    if stored:
        transaction.on_commit(lambda: storage.delete(stored), robust=True)


def material_readable(user, material_id: int) -> Material | None:
    """A document of a meeting `user` may see, or None."""
    return (
        Material.objects.select_related("meeting")
        .filter(pk=material_id, meeting__in=Meeting.objects.visible_to(user).values("pk"))
        .first()
    )


# Workshops ---------------------------------------------------------------------------------------


def _workshop_problems(values: dict) -> dict[str, str]:
    problems = {}
    if not (values.get("title") or "").strip():
        problems["title"] = _("Donnez un intitulé au sous-groupe.")
    if len(values.get("topic") or "") > LONG_TEXT:
        problems["topic"] = _("Ce texte est trop long : %(max)s caractères au plus.") % {"max": LONG_TEXT}
    capacity = values.get("capacity")
    if capacity is not None and capacity < 1:
        problems["capacity"] = _("Un sous-groupe a au moins une place ; laissez vide pour ne pas limiter.")
    section = values.get("fiche_section")
    if section is not None and section.fiche.slug != COMMON_FICHE_SLUG:
        problems["fiche_section"] = _("Choisissez une section de la fiche de poste commune.")
    return problems


def _locked_workshop(workshop_id: int) -> Workshop:
    workshop = Workshop.objects.select_for_update().filter(pk=workshop_id).first()
    if workshop is None:
        raise MeetingError(_("Ce sous-groupe n'existe plus."))
    return workshop


@transaction.atomic
def workshop_create(*, meeting_id: int, actor, values: dict) -> Workshop:
    """The organisers add a sub-group (a world-café table, a workshop, a debate)."""
    meeting = _locked_meeting(meeting_id)
    if not can_edit(actor, meeting):
        raise MeetingError(_("Seul·es les organisateur·rices et l'équipe CNCD préparent les sous-groupes."))
    values = {name: values.get(name) for name in WORKSHOP_FIELDS}
    problems = _workshop_problems(values)
    if problems:
        raise MeetingError(problems)
    values["referentiel_codes"] = list(values.get("referentiel_codes") or [])
    values["order"] = values.get("order") or 0
    values["open_choice"] = bool(values.get("open_choice"))
    workshop = Workshop.objects.create(meeting=meeting, **values)
    audit_log(actor=actor, action="meetings.workshop.created", target=workshop, data={"meeting_id": meeting.pk})
    return workshop


@transaction.atomic
def workshop_update(*, workshop_id: int, actor, values: dict, lock_version: int | None) -> Workshop:
    """The organisers change a sub-group; EditConflict when it was saved since the form opened."""
    workshop = _locked_workshop(workshop_id)
    if not can_edit(actor, workshop.meeting):
        raise MeetingError(_("Seul·es les organisateur·rices et l'équipe CNCD préparent les sous-groupes."))
    concurrency.version_claim(workshop, expected=lock_version)
    values = {name: values.get(name) for name in WORKSHOP_FIELDS}
    problems = _workshop_problems(values)
    capacity = values.get("capacity")
    if capacity is not None and "capacity" not in problems and workshop.participants.count() > capacity:
        problems["capacity"] = _(
            "Le sous-groupe compte déjà %(count)s participant·es : retirez-en avant de réduire les places."
        ) % {"count": workshop.participants.count()}
    if problems:
        raise MeetingError(problems)
    values["referentiel_codes"] = list(values.get("referentiel_codes") or [])
    values["order"] = values.get("order") or 0
    values["open_choice"] = bool(values.get("open_choice"))
    for name, value in values.items():
        setattr(workshop, name, value)
    workshop.save()
    audit_log(
        actor=actor, action="meetings.workshop.updated", target=workshop, data={"meeting_id": workshop.meeting_id}
    )
    return workshop


@transaction.atomic
def workshop_delete(*, workshop_id: int, actor) -> None:
    """The organisers remove a sub-group, its participants' list and its notes (its outcomes stay)."""
    workshop = _locked_workshop(workshop_id)
    if not can_edit(actor, workshop.meeting):
        raise MeetingError(_("Seul·es les organisateur·rices et l'équipe CNCD préparent les sous-groupes."))
    audit_log(
        actor=actor,
        action="meetings.workshop.deleted",
        target=workshop,
        data={"meeting_id": workshop.meeting_id, "title": workshop.title},
    )
    workshop.delete()


def _check_room(workshop: Workshop, count: int) -> None:
    if workshop.capacity is not None and count > workshop.capacity:
        raise MeetingError(
            _("Le sous-groupe « %(title)s » est complet (%(capacity)s places).")
            % {"title": workshop.title, "capacity": workshop.capacity}
        )


@transaction.atomic
def workshop_join(*, workshop_id: int, user) -> Workshop:
    """A registered member joins a sub-group open to choice; its row is locked so that places are never exceeded."""
    workshop = _locked_workshop(workshop_id)
    meeting = workshop.meeting
    if meeting.status != MeetingStatus.PUBLISHED:
        raise MeetingError(_("Cette rencontre n'est pas ouverte : on ne peut pas rejoindre ses sous-groupes."))
    if not workshop.open_choice:
        raise MeetingError(
            _("Les organisateur·rices répartissent elles-mêmes et eux-mêmes les participant·es de ce sous-groupe.")
        )
    if not (is_registered(user, meeting) or is_organiser(user, meeting)):
        raise MeetingError(_("Inscrivez-vous d'abord à la rencontre pour rejoindre un sous-groupe."))
    if workshop.participants.filter(pk=user.pk).exists():
        return workshop
    _check_room(workshop, workshop.participants.count() + 1)
    workshop.participants.add(user)
    return workshop


@transaction.atomic
def workshop_leave(*, workshop_id: int, user) -> Workshop:
    """A participant leaves a sub-group open to choice."""
    workshop = _locked_workshop(workshop_id)
    if not workshop.open_choice and not can_edit(user, workshop.meeting):
        raise MeetingError(
            _("Ce sous-groupe est réparti par les organisateur·rices : demandez-leur de vous en retirer.")
        )
    workshop.participants.remove(user)
    return workshop


def assignable_people(meeting: Meeting):
    """The people an organiser may put in a sub-group: confirmed registrations, with their profiles."""
    return (
        User.objects.filter(
            pk__in=Registration.objects.filter(meeting=meeting, status=RegistrationStatus.CONFIRMED).values("user_id")
        )
        .select_related("profile")
        .order_by("first_name", "last_name", "pk")
    )


@transaction.atomic
def workshop_assign(*, workshop_id: int, actor, user_ids: list[int]) -> Workshop:
    """The organisers set a sub-group's participants among the people registered."""
    workshop = _locked_workshop(workshop_id)
    if not can_edit(actor, workshop.meeting):
        raise MeetingError(_("Seul·es les organisateur·rices et l'équipe CNCD répartissent les participant·es."))
    allowed = set(assignable_people(workshop.meeting).values_list("pk", flat=True))
    chosen = {int(pk) for pk in user_ids}
    if not chosen <= allowed:
        raise MeetingError({"participants": _("Seules les personnes inscrites à la rencontre peuvent être réparties.")})
    _check_room(workshop, len(chosen))
    workshop.participants.set(chosen)
    audit_log(
        actor=actor,
        action="meetings.workshop.assigned",
        target=workshop,
        data={"meeting_id": workshop.meeting_id, "count": len(chosen)},
    )
    return workshop


@transaction.atomic
def workshop_notes_save(*, workshop_id: int, actor, notes: str, lock_version: int | None) -> Workshop:
    """A participant or organiser saves the shared notes; EditConflict when someone saved them since."""
    workshop = _locked_workshop(workshop_id)
    if not can_write_notes(actor, workshop):
        raise MeetingError(_("Seul·es les participant·es du sous-groupe et les organisateur·rices écrivent ses notes."))
    concurrency.version_claim(workshop, expected=lock_version)
    notes = notes or ""
    if len(notes) > LONG_TEXT:
        raise MeetingError({"notes": _("Ce texte est trop long : %(max)s caractères au plus.") % {"max": LONG_TEXT}})
    workshop.notes = notes
    workshop.notes_updated_at = timezone.now()
    workshop.notes_updated_by = actor
    workshop.save(update_fields=["notes", "notes_updated_at", "notes_updated_by", "lock_version"])
    audit_log(
        actor=actor, action="meetings.workshop.notes_saved", target=workshop, data={"meeting_id": workshop.meeting_id}
    )
    return workshop


# Outcomes ----------------------------------------------------------------------------------------


def _outcome_context(meeting_id: int, actor, workshop_id: int | None) -> tuple[Meeting, Workshop | None]:
    meeting = _locked_meeting(meeting_id)
    if not can_edit(actor, meeting):
        raise MeetingError(_("Seul·es les organisateur·rices et l'équipe CNCD rédigent les suites de la rencontre."))
    workshop = None
    if workshop_id:
        workshop = Workshop.objects.filter(pk=workshop_id, meeting=meeting).first()
        if workshop is None:
            raise MeetingError({"workshop": _("Choisissez un sous-groupe de cette rencontre.")})
    return meeting, workshop


def default_rationale(meeting: Meeting, workshop: Workshop | None = None) -> str:
    """ "Issue de la rencontre « … » (date)": how a proposal says where it comes from."""
    text = _("Issue de la rencontre « %(title)s » (%(date)s)") % {"title": meeting.title, "date": meeting_day(meeting)}
    if workshop is not None:
        text += " — " + _("sous-groupe « %(title)s »") % {"title": workshop.title}
    return text + "."


@transaction.atomic
def outcome_propose(
    *,
    meeting_id: int,
    actor,
    section_id: int,
    title: str,
    body: str,
    rationale: str,
    workshop_id: int | None = None,
    base_revision_id: int | None = None,
) -> Outcome:
    """An outcome becomes a proposal on a section of the common fiche, in one step, linked to the meeting."""
    meeting, workshop = _outcome_context(meeting_id, actor, workshop_id)
    if not Section.objects.filter(pk=section_id, fiche__slug=COMMON_FICHE_SLUG).exists():
        raise MeetingError(_("Choisissez une section de la fiche de poste commune."))
    title = (title or "").strip()
    if not title:
        raise MeetingError({"title": _("Donnez un intitulé à cette suite.")})
    suggestion = fiche_services.suggestion_create(
        section_id=section_id, author=actor, body=body, rationale=rationale, base_revision_id=base_revision_id
    )
    outcome = Outcome.objects.create(
        meeting=meeting,
        workshop=workshop,
        kind=OutcomeKind.FICHE_SUGGESTION,
        title=title,
        body=suggestion.body,
        suggestion=suggestion,
        created_by=actor,
    )
    audit_log(
        actor=actor,
        action="meetings.outcome.created",
        target=outcome,
        data={"meeting_id": meeting.pk, "kind": outcome.kind, "suggestion_id": suggestion.pk},
    )
    return outcome


@transaction.atomic
def outcome_note(
    *, meeting_id: int, actor, title: str, body: str, referentiel_codes: list[str], workshop_id: int | None = None
) -> Outcome:
    """An outcome becomes a note for the référentiel team, with the codes it concerns; the team is told."""
    meeting, workshop = _outcome_context(meeting_id, actor, workshop_id)
    title, body = (title or "").strip(), (body or "").strip()
    problems = {}
    if not title:
        problems["title"] = _("Donnez un intitulé à cette suite.")
    if not body:
        problems["body"] = _("Écrivez la note pour l'équipe du référentiel.")
    elif len(body) > LONG_TEXT:
        problems["body"] = _("Ce texte est trop long : %(max)s caractères au plus.") % {"max": LONG_TEXT}
    if problems:
        raise MeetingError(problems)
    outcome = Outcome.objects.create(
        meeting=meeting,
        workshop=workshop,
        kind=OutcomeKind.REFERENTIEL_NOTE,
        title=title,
        body=body,
        referentiel_codes=list(referentiel_codes or []),
        created_by=actor,
    )
    audit_log(
        actor=actor,
        action="meetings.outcome.created",
        target=outcome,
        data={"meeting_id": meeting.pk, "kind": outcome.kind},
    )
    notify(
        user_ids=_curator_ids(),
        actor=actor,
        message=_("Une note pour l'équipe du référentiel, issue de la rencontre « %(title)s » : %(note)s")
        % {"title": meeting.title, "note": title},
        url=reverse("meetings:outcomes", kwargs={"pk": meeting.pk}) + f"#suite-{outcome.pk}",
    )
    return outcome


@transaction.atomic
def outcome_handle(*, outcome_id: int, actor) -> Outcome:
    """The CNCD team marks a note for the référentiel team as handled."""
    outcome = Outcome.objects.select_for_update().filter(pk=outcome_id).first()
    if outcome is None:
        raise MeetingError(_("Cette suite n'existe plus."))
    if not (_approved(actor) and actor.is_curator):
        raise MeetingError(_("Seule l'équipe CNCD traite les notes pour le référentiel."))
    if outcome.kind != OutcomeKind.REFERENTIEL_NOTE:
        raise MeetingError(_("Seules les notes pour le référentiel se marquent comme traitées."))
    if outcome.handled_at is not None:
        raise MeetingError(_("Cette note est déjà traitée."))
    outcome.handled_at = timezone.now()
    outcome.handled_by = actor
    outcome.save(update_fields=["handled_at", "handled_by"])
    audit_log(actor=actor, action="meetings.outcome.handled", target=outcome, data={"meeting_id": outcome.meeting_id})
    return outcome
