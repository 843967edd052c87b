"""What members declare about the missions of the référentiel they carry out.

Missions themselves belong to the versioned référentiel (competences.models.Mission); a
declaration keeps the mission's stable code so it survives new versions.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class MissionDeclarationQuerySet(models.QuerySet):
    def of_user(self, user):
        """The declarations of `user`."""
        return self.filter(user=user)


class MissionDeclaration(models.Model):
    """A member carries out a mission, for a share of their working time."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("membre"),
        on_delete=models.CASCADE,
        related_name="mission_declarations",
    )
    mission_code = models.CharField(_("code de la mission"), max_length=40)
    time_share = models.PositiveSmallIntegerField(
        _("part du temps de travail (%)"), validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    updated_at = models.DateTimeField(_("mise à jour le"), auto_now=True)

    objects = MissionDeclarationQuerySet.as_manager()

    class Meta:
        verbose_name = _("mission déclarée")
        verbose_name_plural = _("missions déclarées")
        ordering = ["user", "mission_code"]
        constraints = [
            models.UniqueConstraint(fields=["user", "mission_code"], name="missions_one_declaration_per_mission"),
            models.CheckConstraint(condition=models.Q(time_share__lte=100), name="missions_time_share_at_most_100"),
        ]

    def __str__(self):
        return f"{self.user} / {self.mission_code} ({self.time_share} %)"
