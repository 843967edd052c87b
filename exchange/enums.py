from django.db import models
from django.utils.translation import gettext_lazy as _


class SpaceKind(models.TextChoices):
    THEME = "theme", _("Espace thématique")
    REGION = "region", _("Espace régional")


class FollowTarget(models.TextChoices):
    SPACE = "espace", _("Espace")
    QUESTION = "question", _("Question")
    TAG = "etiquette", _("Élément du référentiel")


class TagKind(models.TextChoices):
    MISSION = "mission", _("Mission")
    ACTIVITY = "activite", _("Activité")
    COMPETENCE = "competence", _("Compétence")


class ReportStatus(models.TextChoices):
    OPEN = "ouvert", _("À examiner")
    UPHELD = "retenu", _("Retenu (contenu masqué)")
    DISMISSED = "classe", _("Classé sans suite")
