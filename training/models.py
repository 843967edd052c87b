"""Parcours: trainings, a personal development plan, peer mentoring, the newcomers' path and a portfolio.

The CNCD team curates a catalogue of trainings (`Training`, with its `TrainingSession`s), each tied to
the référentiel competences it develops by stable code (`TrainingCompetence`), so the links survive new
versions. Members mark a training as followed (`TrainingCompletion`, with a date and an optional review).

`DevelopmentPlan` is a member's own: private unless they share it with their mentors or the CNCD team.
It compares their self-assessment to the levels expected by the common fiche or their personal fiche,
keeps the competences they chose as priorities (`PlanPriority`) and the actions they set themselves
(`PlanAction`: a training, a toolbox resource, an exchange with a peer) with a target date and a status.

Mentoring: a member declares the competences they can help on (`MentorOffer`); another asks through the
platform (`MentoringRequest`), and contact details are shared only once the mentor accepts.

`WelcomeStep`: the newcomers' path curated by the team, each step checked off by the newcomer
(`WelcomeStepDone`).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.concurrency import LockVersioned
from training.enums import (
    ActionKind,
    ActionStatus,
    PlanReference,
    ProviderKind,
    RequestStatus,
    TrainingFormat,
    TrainingStatus,
)

SHORT_TEXT = 500
LONG_TEXT = 10_000
REVIEW_LENGTH = 1_000
MESSAGE_LENGTH = 2_000
CODE_LENGTH = 40


class TrainingQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=TrainingStatus.PUBLISHED)

    def visible_to(self, user):
        """Published trainings for anyone; drafts and archives too for the CNCD team."""
        if user is not None and user.is_authenticated and user.is_curator:
            return self
        return self.published()

    def developing(self, codes):
        """Trainings that develop at least one of the competences `codes`."""
        return self.filter(pk__in=TrainingCompetence.objects.filter(code__in=codes).values("training"))


class Training(LockVersioned):
    title = models.CharField(_("intitulé"), max_length=200)
    summary = models.CharField(_("en bref"), max_length=SHORT_TEXT)
    description = models.TextField(_("description"), max_length=LONG_TEXT, blank=True)
    provider_kind = models.CharField(
        _("type d'organisme"), max_length=16, choices=ProviderKind.choices, default=ProviderKind.CNFPT
    )
    provider = models.CharField(_("organisme"), max_length=200)
    format = models.CharField(
        _("format"), max_length=16, choices=TrainingFormat.choices, default=TrainingFormat.ON_SITE
    )
    duration_hours = models.DecimalField(_("durée (heures)"), max_digits=5, decimal_places=1, null=True, blank=True)
    cost_euros = models.DecimalField(_("coût (euros)"), max_digits=8, decimal_places=2, null=True, blank=True)
    cost_note = models.CharField(_("précision sur le coût"), max_length=200, blank=True)
    url = models.URLField(_("lien"), max_length=500, blank=True)
    status = models.CharField(_("état"), max_length=16, choices=TrainingStatus.choices, default=TrainingStatus.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("mise à jour le"), auto_now=True)
    completion_count = models.PositiveIntegerField(_("nombre de membres l'ayant suivie"), default=0, editable=False)

    objects = TrainingQuerySet.as_manager()

    class Meta:
        verbose_name = _("formation")
        verbose_name_plural = _("formations")
        ordering = ["title", "pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("training:detail", kwargs={"pk": self.pk})


class TrainingCompetence(models.Model):
    """A référentiel competence the training develops, by its stable code."""

    training = models.ForeignKey(Training, on_delete=models.CASCADE, related_name="competences")
    code = models.CharField(_("code de la compétence"), max_length=CODE_LENGTH)

    class Meta:
        verbose_name = _("compétence développée")
        verbose_name_plural = _("compétences développées")
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["training", "code"], name="training_competence_once")]
        indexes = [models.Index(fields=["code"], name="training_competence_code")]

    def __str__(self):
        return self.code


class TrainingSession(models.Model):
    training = models.ForeignKey(Training, on_delete=models.CASCADE, related_name="sessions")
    starts_on = models.DateField(_("début"))
    ends_on = models.DateField(_("fin"), null=True, blank=True)
    place = models.CharField(_("lieu"), max_length=200, blank=True)
    region = models.ForeignKey(
        "members.Region", verbose_name=_("région"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    registration_url = models.URLField(_("lien d'inscription"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="training_session_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.training} ({self.starts_on})"


class TrainingCompletion(models.Model):
    """A member followed the training ("suivie"), on a date, with an optional short review."""

    training = models.ForeignKey(Training, on_delete=models.CASCADE, related_name="completions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="training_completions")
    completed_on = models.DateField(_("suivie le"))
    review = models.TextField(_("avis"), max_length=REVIEW_LENGTH, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("formation suivie")
        verbose_name_plural = _("formations suivies")
        ordering = ["-completed_on", "-pk"]
        constraints = [models.UniqueConstraint(fields=["training", "user"], name="training_completion_once")]

    def __str__(self):
        return f"{self.user} — {self.training}"


class DevelopmentPlan(LockVersioned):
    """A member's development plan: private unless they share it."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="development_plan")
    reference = models.CharField(
        _("niveaux attendus de référence"), max_length=16, choices=PlanReference.choices, default=PlanReference.COMMON
    )
    shared_with_mentors = models.BooleanField(
        _("partagé avec les pairs qui ont accepté de m'accompagner"), default=False
    )
    shared_with_team = models.BooleanField(_("partagé avec l'équipe CNCD"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("plan de développement")
        verbose_name_plural = _("plans de développement")

    def __str__(self):
        return str(self.user)


class PlanPriority(models.Model):
    """A competence the member chose to work on, by its stable code."""

    plan = models.ForeignKey(DevelopmentPlan, on_delete=models.CASCADE, related_name="priorities")
    code = models.CharField(_("code de la compétence"), max_length=CODE_LENGTH)
    note = models.CharField(_("pourquoi"), max_length=SHORT_TEXT, blank=True)
    order = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("priorité")
        verbose_name_plural = _("priorités")
        ordering = ["order", "pk"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="training_priority_once")]

    def __str__(self):
        return self.code


class PlanActionQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=[ActionStatus.PLANNED, ActionStatus.IN_PROGRESS])

    def overdue(self, today):
        """Open actions whose target date has passed."""
        return self.open().filter(target_date__lt=today)


class PlanAction(LockVersioned):
    """Something the member will do about a competence: a training, a resource, an exchange with a peer."""

    plan = models.ForeignKey(DevelopmentPlan, on_delete=models.CASCADE, related_name="actions")
    code = models.CharField(_("compétence visée"), max_length=CODE_LENGTH, blank=True)
    kind = models.CharField(_("type d'action"), max_length=16, choices=ActionKind.choices, default=ActionKind.OTHER)
    title = models.CharField(_("action"), max_length=200)
    training = models.ForeignKey(
        Training, verbose_name=_("formation"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resource = models.ForeignKey(
        "toolbox.Resource",
        verbose_name=_("ressource"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    peer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pair"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    target_date = models.DateField(_("échéance"), null=True, blank=True)
    status = models.CharField(_("état"), max_length=16, choices=ActionStatus.choices, default=ActionStatus.PLANNED)
    note = models.TextField(_("notes"), max_length=REVIEW_LENGTH * 2, blank=True)
    done_on = models.DateField(_("faite le"), null=True, blank=True)
    # When the member was told the target date had passed (once per target date).
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PlanActionQuerySet.as_manager()

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["target_date", "pk"]

    def __str__(self):
        return self.title


class MentorOffer(models.Model):
    """A member is available to help peers on one competence (by stable code)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentor_offers")
    code = models.CharField(_("code de la compétence"), max_length=CODE_LENGTH)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("disponibilité pour accompagner")
        verbose_name_plural = _("disponibilités pour accompagner")
        ordering = ["code", "pk"]
        constraints = [models.UniqueConstraint(fields=["user", "code"], name="training_mentor_offer_once")]
        indexes = [models.Index(fields=["code"], name="training_mentor_offer_code")]

    def __str__(self):
        return f"{self.user} — {self.code}"


class MentoringRequestQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=RequestStatus.PENDING)

    def involving(self, user):
        return self.filter(Q(requester=user) | Q(mentor=user))


class MentoringRequest(models.Model):
    """A member asks a peer for help on a competence; contact details are shared once the peer accepts."""

    requester = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    mentor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    code = models.CharField(_("compétence"), max_length=CODE_LENGTH)
    message = models.TextField(_("message"), max_length=MESSAGE_LENGTH)
    status = models.CharField(_("état"), max_length=16, choices=RequestStatus.choices, default=RequestStatus.PENDING)
    response = models.TextField(_("réponse"), max_length=MESSAGE_LENGTH, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = MentoringRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("demande d'accompagnement")
        verbose_name_plural = _("demandes d'accompagnement")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(requester=models.F("mentor")), name="training_request_not_oneself"),
            # One open request at a time between two members on a competence.
            models.UniqueConstraint(
                fields=["requester", "mentor", "code"],
                condition=Q(status="en-attente"),
                name="training_request_one_pending",
            ),
        ]

    def __str__(self):
        return f"{self.requester} → {self.mentor} ({self.code})"


class WelcomeStep(LockVersioned):
    """A step of the newcomers' path, curated by the CNCD team."""

    title = models.CharField(_("étape"), max_length=200)
    description = models.TextField(_("description"), max_length=LONG_TEXT, blank=True)
    # A path on the site (/fiche-de-poste/…) or an address.
    link = models.CharField(_("lien"), max_length=500, blank=True)
    order = models.PositiveIntegerField(_("ordre"), default=0)
    active = models.BooleanField(_("proposée aux nouveaux membres"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("étape du parcours d'arrivée")
        verbose_name_plural = _("étapes du parcours d'arrivée")
        ordering = ["order", "pk"]

    def __str__(self):
        return self.title


class WelcomeStepDone(models.Model):
    step = models.ForeignKey(WelcomeStep, on_delete=models.CASCADE, related_name="done_by")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    done_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("étape franchie")
        verbose_name_plural = _("étapes franchies")
        constraints = [models.UniqueConstraint(fields=["step", "user"], name="training_step_done_once")]

    def __str__(self):
        return f"{self.user} — {self.step}"
