from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """What an account may do; a role includes every role ranked below it (ROLE_RANK)."""

    MEMBER = "member", _("Technicien·ne")
    CURATOR = "curator", _("Équipe CNCD")
    ADMIN = "admin", _("Administrateur·rice")


ROLE_RANK = {Role.MEMBER: 1, Role.CURATOR: 2, Role.ADMIN: 3}


class PdfExportStatus(models.TextChoices):
    QUEUED = "queued", _("En file d'attente")
    RUNNING = "running", _("En cours de préparation")
    DONE = "done", _("Prêt")
    FAILED = "failed", _("Échec")
