import uuid
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.enums import PdfExportStatus


class AuditEntryQuerySet(models.QuerySet):
    def for_action_prefix(self, prefix: str):
        """Entries whose dotted action starts with `prefix` (such as `members.user`)."""
        return self.filter(action__startswith=prefix)

    def for_action(self, action: str):
        """Entries of exactly one dotted action."""
        return self.filter(action=action)

    def by_actor_email(self, text: str):
        """Entries whose author's e-mail address contains `text`."""
        return self.filter(actor__email__icontains=text.strip())

    def created_between(self, *, start: date | None = None, end: date | None = None):
        """Entries written from day `start` to day `end`, both included, in local time (either may be None)."""
        # Bounds as instants, not `created_at__date`, so that the index on created_at serves.
        entries = self
        if start is not None:
            entries = entries.filter(created_at__gte=timezone.make_aware(datetime.combine(start, time.min)))
        if end is not None:
            next_day = timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min))
            entries = entries.filter(created_at__lt=next_day)
        return entries

    def action_names(self) -> list[str]:
        """The distinct dotted actions of these entries, sorted."""
        return list(self.order_by("action").values_list("action", flat=True).distinct())

    def with_actor(self):
        """Load each entry's author in the same query, for lists."""
        return self.select_related("actor")


class AuditEntry(models.Model):
    """One action taken by a curator or an administrator, kept for accountability."""

    action = models.CharField(_("action"), max_length=100, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("auteur·rice"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    target_type = models.CharField(_("type d'objet"), max_length=100, blank=True)
    target_id = models.CharField(_("identifiant de l'objet"), max_length=64, blank=True)
    target_repr = models.CharField(_("objet"), max_length=255, blank=True)
    data = models.JSONField(_("détails"), default=dict, blank=True)
    created_at = models.DateTimeField(_("date"), auto_now_add=True, db_index=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        db_table = "codev_network_auditentry"  # created when this model lived in codev_network
        verbose_name = _("entrée du journal d'audit")
        verbose_name_plural = _("journal d'audit")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.target_repr}"


class PdfExportQuerySet(models.QuerySet):
    def requested_by(self, user):
        """The exports `user` asked for (nobody else may see them)."""
        return self.filter(requested_by=user)

    def of_kind(self, kind: str):
        """Exports of one kind of document."""
        return self.filter(kind=kind)

    def created_before(self, moment):
        """Exports asked for before `moment` (to be cleaned up)."""
        return self.filter(created_at__lt=moment)


class PdfExport(models.Model):
    """A PDF prepared in the background for the person who asked for it, kept for a day.

    The file lives in Django's default storage (`file_name`), so any app server can serve it.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("demandé par"), on_delete=models.CASCADE, related_name="+"
    )
    # One of the kinds registered in core.pdf_exports by the apps that print them.
    kind = models.CharField(_("document"), max_length=50)
    params = models.JSONField(_("paramètres"), default=dict, blank=True)
    language = models.CharField(_("langue"), max_length=10)
    status = models.CharField(_("état"), max_length=20, choices=PdfExportStatus.choices, default=PdfExportStatus.QUEUED)
    file_name = models.CharField(_("fichier stocké"), max_length=255, blank=True)
    download_name = models.CharField(_("nom du fichier téléchargé"), max_length=255, blank=True)
    error = models.TextField(_("erreur"), blank=True)
    created_at = models.DateTimeField(_("demandé le"), auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(_("commencé le"), null=True, blank=True)
    finished_at = models.DateTimeField(_("terminé le"), null=True, blank=True)

    objects = PdfExportQuerySet.as_manager()

    class Meta:
        db_table = "codev_network_pdfexport"  # created when this model lived in codev_network
        verbose_name = _("export PDF")
        verbose_name_plural = _("exports PDF")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.kind_label} ({self.get_status_display()}, {self.created_at:%Y-%m-%d %H:%M})"

    @property
    def kind_label(self) -> str:
        """The label its registered kind gives this document (its stored name when no app registers it)."""
        from core.pdf_exports import pdf_export_kind  # the registry imports this module

        kind = pdf_export_kind(self.kind)
        return str(kind.label) if kind else self.kind

    @property
    def is_finished(self) -> bool:
        return self.status in (PdfExportStatus.DONE, PdfExportStatus.FAILED)


class PersonalDataExportQuerySet(models.QuerySet):
    def of_user(self, user):
        """The archives `user` asked for (nobody else may see them)."""
        return self.filter(user=user)

    def created_before(self, moment):
        """Archives asked for before `moment` (to be cleaned up)."""
        return self.filter(created_at__lt=moment)


class PersonalDataExport(models.Model):
    """The archive of a person's data ("Télécharger mes données"), prepared in the background, kept for a day.

    The ZIP lives in Django's default storage (`file_name`); core.personal_data_exports prepares and prunes it.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("compte"), on_delete=models.CASCADE, related_name="+"
    )
    # The same stages as a background PDF: queued, running, done or failed.
    status = models.CharField(_("état"), max_length=20, choices=PdfExportStatus.choices, default=PdfExportStatus.QUEUED)
    file_name = models.CharField(_("fichier stocké"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("demandée le"), auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(_("commencée le"), null=True, blank=True)
    finished_at = models.DateTimeField(_("terminée le"), null=True, blank=True)

    objects = PersonalDataExportQuerySet.as_manager()

    class Meta:
        verbose_name = _("archive de données personnelles")
        verbose_name_plural = _("archives de données personnelles")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_status_display()} ({self.created_at:%Y-%m-%d %H:%M})"

    @property
    def is_finished(self) -> bool:
        return self.status in (PdfExportStatus.DONE, PdfExportStatus.FAILED)

    @property
    def expires_at(self):
        """When the archive is deleted (a day after it was asked for)."""
        from core.personal_data_exports import EXPORT_RETENTION  # that module imports this one

        return self.created_at + EXPORT_RETENTION

    @property
    def is_expired(self) -> bool:
        """True once its day is over, even before the prune deletes it."""
        return self.expires_at <= timezone.now()
