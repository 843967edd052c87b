from django.db import models
from django.utils.translation import gettext_lazy as _


class QuestionKind(models.TextChoices):
    SINGLE = "choix-unique", _("Choix unique")
    MULTIPLE = "choix-multiples", _("Choix multiples")
    SCALE = "echelle", _("Échelle")
    NUMBER = "nombre", _("Nombre")
    SPLIT = "repartition", _("Répartition en pourcentages (total 100)")
    SHORT_TEXT = "texte-court", _("Texte court")
    LONG_TEXT = "texte-long", _("Texte long")


class QuestionSource(models.TextChoices):
    """Where a question's options come from: written by the team, or the référentiel's items."""

    OPTIONS = "options", _("Options écrites par l'équipe")
    MISSIONS = "missions", _("Les missions du référentiel")
    COMPETENCES = "competences", _("Les compétences du référentiel")


class CampaignStatus(models.TextChoices):
    DRAFT = "brouillon", _("En préparation")
    OPEN = "ouverte", _("Ouverte")
    CLOSED = "close", _("Clôturée")


class ParticipationStatus(models.TextChoices):
    STARTED = "commencee", _("Commencée")
    SUBMITTED = "envoyee", _("Envoyée")
