from django.db import models
from django.utils.translation import gettext_lazy as _


class PdfExportKind(models.TextChoices):
    """Documents prepared in the background on request (their builders: codev_network.pdf_exports)."""

    NETWORK_REPORT = "network_report", _("Rapport « Chiffres du réseau »")


class PdfExportStatus(models.TextChoices):
    QUEUED = "queued", _("En file d'attente")
    RUNNING = "running", _("En cours de préparation")
    DONE = "done", _("Prêt")
    FAILED = "failed", _("Échec")
