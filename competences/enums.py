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


class AlignmentRelation(models.TextChoices):
    """How a competence relates to an external framework's entry (CASE exactMatchOf / isRelatedTo)."""

    EXACT = "exact", _("Correspond à")
    CLOSE = "close", _("Proche de")


class AlignmentScheme(models.TextChoices):
    """The external frameworks a competence can be aligned with."""

    ESCO = "esco", _("ESCO (compétence européenne)")
    ROME = "rome", _("ROME 4.0 (France Travail)")
    RNCP = "rncp", _("RNCP (bloc de compétences)")
    OTHER = "autre", _("Autre référentiel")
