from django.db import models
from django.utils.translation import gettext_lazy as _


class MeetingFormat(models.TextChoices):
    ON_SITE = "sur-place", _("Sur place")
    REMOTE = "distance", _("À distance")
    HYBRID = "hybride", _("Hybride (sur place et à distance)")


class MeetingStatus(models.TextChoices):
    DRAFT = "brouillon", _("Brouillon")
    PUBLISHED = "publiee", _("Annoncée")
    CANCELLED = "annulee", _("Annulée")


class MeetingAudience(models.TextChoices):
    MEMBERS = "membres", _("Membres du réseau")
    PUBLIC = "public", _("Ouverte au public")


class AttendanceMode(models.TextChoices):
    ON_SITE = "sur-place", _("Sur place")
    REMOTE = "distance", _("À distance")


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "inscrite", _("Inscription confirmée")
    WAITING = "attente", _("Sur liste d'attente")
    CANCELLED = "annulee", _("Annulée")


class WorkshopKind(models.TextChoices):
    TABLE = "table", _("Table de world café")
    WORKSHOP = "atelier", _("Atelier")
    DEBATE = "debat", _("Débat")


class OutcomeKind(models.TextChoices):
    FICHE_SUGGESTION = "proposition", _("Proposition sur la fiche de poste")
    REFERENTIEL_NOTE = "note", _("Note pour l'équipe du référentiel")
