"""The network's meetings: announced, joined, run in sub-groups and followed up in one place.

A meeting (`Meeting`) is created by the CNCD team, or by a member for a regional meeting when the team
allows it (setting MEETINGS_MEMBERS_MAY_ORGANISE). People register on site or remotely
(`Registration`), each mode with its own capacity; past it they wait in line and are promoted, in
order, when someone cancels (meetings.services, rows locked so that capacity is never exceeded).
Sub-groups (`Workshop`) have a topic, référentiel codes or a fiche section, participants and shared
notes. Afterwards: minutes, materials (files or toolbox resources) and outcomes turned into a proposal
on the fiche or a note for the référentiel team (`Outcome`), keeping the link to the meeting.
"""

import secrets
import uuid
import zoneinfo

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.concurrency import LockVersioned
from meetings.enums import (
    AttendanceMode,
    MeetingAudience,
    MeetingFormat,
    MeetingStatus,
    OutcomeKind,
    RegistrationStatus,
    WorkshopKind,
)

SHORT_TEXT = 500
LONG_TEXT = 20_000
NEEDS_LENGTH = 1_000
TIME_ZONES = sorted(
    zoneinfo.available_timezones()
    & {
        "Europe/Paris",
        "America/Cayenne",
        "America/Guadeloupe",
        "America/Martinique",
        "Indian/Reunion",
        "Indian/Mayotte",
        "Pacific/Noumea",
        "Pacific/Tahiti",
        "America/Miquelon",
        "Pacific/Wallis",
    }
)


class MeetingQuerySet(models.QuerySet):
    def announced(self):
        return self.filter(status__in=[MeetingStatus.PUBLISHED, MeetingStatus.CANCELLED])

    def visible_to(self, user):
        """Public announced meetings for anyone; every announced one for members; drafts for their organisers
        and the team."""
        if user is None or not user.is_authenticated or not user.is_approved:
            return self.announced().filter(audience=MeetingAudience.PUBLIC)
        if user.is_curator:
            return self
        return self.filter(
            Q(status__in=[MeetingStatus.PUBLISHED, MeetingStatus.CANCELLED]) | Q(organisers=user)
        ).distinct()


class Meeting(LockVersioned):
    title = models.CharField(_("titre"), max_length=200)
    summary = models.CharField(_("en bref"), max_length=SHORT_TEXT)
    description = models.TextField(_("description"), blank=True)
    programme = models.TextField(_("programme"), blank=True)
    starts_at = models.DateTimeField(_("début"))
    ends_at = models.DateTimeField(_("fin"))
    time_zone = models.CharField(_("fuseau horaire"), max_length=40, default="Europe/Paris")
    format = models.CharField(_("format"), max_length=16, choices=MeetingFormat.choices, default=MeetingFormat.HYBRID)
    place = models.CharField(_("lieu"), max_length=200, blank=True)
    address = models.CharField(_("adresse"), max_length=300, blank=True)
    # Shown only to people registered (and to the organisers).
    video_url = models.URLField(_("lien de visioconférence"), max_length=500, blank=True)
    capacity_on_site = models.PositiveIntegerField(_("places sur place"), null=True, blank=True)
    capacity_remote = models.PositiveIntegerField(_("places à distance"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(_("clôture des inscriptions"), null=True, blank=True)
    audience = models.CharField(
        _("public"), max_length=16, choices=MeetingAudience.choices, default=MeetingAudience.MEMBERS
    )
    status = models.CharField(_("état"), max_length=16, choices=MeetingStatus.choices, default=MeetingStatus.DRAFT)
    region = models.ForeignKey(
        "members.Region", verbose_name=_("région"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    organisers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("organisateur·rices"), related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    cancel_reason = models.TextField(_("motif de l'annulation"), blank=True)
    minutes = models.TextField(_("compte rendu"), blank=True)
    minutes_published_at = models.DateTimeField(_("compte rendu publié le"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    needs_erased_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("mise à jour le"), auto_now=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("rencontre")
        verbose_name_plural = _("rencontres")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="meetings_ends_after_start"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("meetings:detail", kwargs={"pk": self.pk})

    @property
    def has_on_site(self) -> bool:
        return self.format in (MeetingFormat.ON_SITE, MeetingFormat.HYBRID)

    @property
    def has_remote(self) -> bool:
        return self.format in (MeetingFormat.REMOTE, MeetingFormat.HYBRID)


class RegistrationQuerySet(models.QuerySet):
    def active(self):
        return self.exclude(status=RegistrationStatus.CANCELLED)

    def confirmed(self):
        return self.filter(status=RegistrationStatus.CONFIRMED)

    def waiting(self):
        return self.filter(status=RegistrationStatus.WAITING).order_by("waiting_since", "pk")


class Registration(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    mode = models.CharField(_("participation"), max_length=16, choices=AttendanceMode.choices)
    status = models.CharField(_("état"), max_length=16, choices=RegistrationStatus.choices)
    # Sensitive (health, disability): seen by the organisers only, erased after the meeting.
    needs = models.TextField(_("besoins particuliers"), blank=True)
    waiting_since = models.DateTimeField(_("en attente depuis"), null=True, blank=True)
    promoted_at = models.DateTimeField(_("place obtenue le"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("annulée le"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("présence constatée le"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("inscrite le"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("inscription")
        verbose_name_plural = _("inscriptions")
        ordering = ["created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["meeting", "user"], name="meetings_one_registration")]
        indexes = [models.Index(fields=["meeting", "mode", "status"], name="meetings_registration_count")]

    def __str__(self):
        return f"{self.meeting_id} ← {self.user_id}"


class MeetingFollow(models.Model):
    """A member follows a meeting without registering: it appears in their calendar feed."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "user"], name="meetings_one_follow")]

    def __str__(self):
        return f"{self.meeting_id} ← {self.user_id}"


def _feed_token():
    return secrets.token_urlsafe(24)


class CalendarFeed(models.Model):
    """The secret address of a member's calendar feed (meetings they registered for, organise or follow)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=64, unique=True, default=_feed_token)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.user_id}"


class Workshop(LockVersioned):
    """A sub-group of a meeting: a world-café table, a workshop, a debate; its notes are shared and edited."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="workshops")
    kind = models.CharField(_("nature"), max_length=16, choices=WorkshopKind.choices, default=WorkshopKind.WORKSHOP)
    title = models.CharField(_("intitulé"), max_length=200)
    topic = models.TextField(_("sujet"), blank=True)
    order = models.PositiveIntegerField(_("ordre"), default=0)
    capacity = models.PositiveIntegerField(_("places"), null=True, blank=True)
    # Participants choose their sub-group themselves, or the organisers assign them.
    open_choice = models.BooleanField(_("les participant·es choisissent"), default=True)
    # Référentiel items the sub-group works on, by stable code, and the fiche section it feeds.
    referentiel_codes = models.JSONField(_("codes du référentiel"), default=list, blank=True)
    fiche_section = models.ForeignKey(
        "fiches.Section",
        verbose_name=_("section de la fiche"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("participant·es"), blank=True, related_name="+"
    )
    notes = models.TextField(_("notes partagées"), blank=True)
    notes_updated_at = models.DateTimeField(null=True, blank=True)
    notes_updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("sous-groupe")
        verbose_name_plural = _("sous-groupes")
        ordering = ["meeting", "order", "pk"]

    def __str__(self):
        return self.title


def _material_path(instance, filename):
    return f"rencontres/{uuid.uuid4().hex}"


class Material(models.Model):
    """A document of the meeting: a file, a link, or a resource of the toolbox."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="materials")
    title = models.CharField(_("intitulé"), max_length=200)
    file = models.FileField(_("fichier"), upload_to=_material_path, max_length=200, blank=True)
    file_name = models.CharField(_("nom du fichier"), max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    url = models.URLField(_("adresse"), max_length=500, blank=True)
    resource = models.ForeignKey(
        "toolbox.Resource",
        verbose_name=_("ressource de la boîte à outils"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("document de la rencontre")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.title


class Outcome(models.Model):
    """What came out of a meeting, turned into a proposal on the fiche or a note for the référentiel team."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="outcomes")
    workshop = models.ForeignKey(Workshop, null=True, blank=True, on_delete=models.SET_NULL, related_name="outcomes")
    kind = models.CharField(_("nature"), max_length=16, choices=OutcomeKind.choices)
    title = models.CharField(_("intitulé"), max_length=200)
    body = models.TextField(_("contenu"))
    suggestion = models.ForeignKey(
        "fiches.Suggestion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    referentiel_codes = models.JSONField(_("codes du référentiel"), default=list, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    handled_at = models.DateTimeField(_("traitée le"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("suite de la rencontre")
        verbose_name_plural = _("suites des rencontres")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.title
