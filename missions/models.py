"""The référentiel's missions and their activities, and what members declare about the missions they carry out.

Missions and activities belong to a version of the référentiel (competences.models.FrameworkVersion)
and follow its rules (frozen once published). A declaration keeps the mission's stable code so it
survives new versions. The tables keep the names they were created with in the `competences` app.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from competences.models import Competence, VersionedItem, VersionedQuerySet, code_validator
from core.search import whole_word_pks


class MissionQuerySet(VersionedQuerySet):
    def with_activities(self):
        """Prefetch activities in order, each with the competences it mobilises."""
        return self.prefetch_related(
            models.Prefetch(
                "activities",
                queryset=Activity.objects.order_by("order", "code").prefetch_related(
                    models.Prefetch("competences", queryset=Competence.objects.order_by("code"))
                ),
            )
        )

    def search(self, query: str):
        """Missions whose code, title or purpose hold every word of `query` (whole words, core.search)."""
        return self.filter(pk__in=whole_word_pks(self.values_list("pk", "code", "title", "purpose"), query))


class Mission(VersionedItem):
    """One of the key missions of the job."""

    code = models.CharField(_("code"), max_length=40, validators=[code_validator])
    title = models.CharField(_("intitulé"), max_length=200)
    purpose = models.TextField(_("finalité"), blank=True)
    order = models.PositiveIntegerField(_("ordre"), default=0)
    replaces = models.CharField(_("remplace le code"), max_length=40, blank=True)

    objects = MissionQuerySet.as_manager()

    class Meta:
        db_table = "competences_mission"
        verbose_name = _("mission")
        verbose_name_plural = _("missions")
        ordering = ["version", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="competences_unique_mission_code")]

    def __str__(self):
        return f"{self.code} {self.title}"


class ActivityQuerySet(VersionedQuerySet):
    def search(self, query: str):
        """Activities whose code, title or description hold every word of `query` (whole words, core.search)."""
        return self.filter(pk__in=whole_word_pks(self.values_list("pk", "code", "title", "description"), query))


class Activity(VersionedItem):
    """An activity of a mission (starts with a verb), mobilising competences."""

    mission = models.ForeignKey(Mission, verbose_name=_("mission"), on_delete=models.CASCADE, related_name="activities")
    code = models.CharField(_("code"), max_length=40, validators=[code_validator])
    title = models.CharField(_("intitulé"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveIntegerField(_("ordre"), default=0)
    replaces = models.CharField(_("remplace le code"), max_length=40, blank=True)
    competences = models.ManyToManyField(
        Competence,
        verbose_name=_("compétences mobilisées"),
        related_name="activities",
        blank=True,
        db_table="competences_activity_competences",
    )

    objects = ActivityQuerySet.as_manager()

    class Meta:
        db_table = "competences_activity"
        verbose_name = _("activité")
        verbose_name_plural = _("activités")
        ordering = ["version", "mission__order", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="competences_unique_activity_code")]

    def __str__(self):
        return f"{self.code} {self.title}"


def mobilising_activities() -> models.Prefetch:
    """On competences: prefetch the activities (and their mission) that mobilise each one, in order."""
    return models.Prefetch(
        "activities", queryset=Activity.objects.select_related("mission").order_by("mission__order", "order", "code")
    )


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
