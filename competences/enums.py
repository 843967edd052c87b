from django.db import models
from django.utils.translation import gettext_lazy as _


class FrameworkStatus(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    PUBLISHED = "published", _("Publiée")
    ARCHIVED = "archived", _("Archivée")


class CompetenceKind(models.TextChoices):
    KNOWLEDGE = "savoir", _("Savoir")
    SKILL = "savoir-faire", _("Savoir-faire")
    BEHAVIOUR = "savoir-etre", _("Savoir-être")
