"""Enquêtes: the network's questionnaire on practices, asked again each year, with results people can trust.

The CNCD team writes a `Questionnaire` in sections (`QuestionSection`) of questions (`Question`): single
and multiple choice, scale, number, a percentage split that totals 100, short and long text; a question
can take its options from the référentiel's missions or competences (by stable code) and be shown only
when an earlier answer is one of some values. Each question has a `code`, stable across copies, so that
next year's copy can be compared with this year's. Once anyone has answered a campaign, the questionnaire
is frozen: the team copies it to change it.

A `Campaign` asks the questionnaire to the approved members between two dates. It says, before the
first question, whether answers are anonymous and what will be published.

Anonymity: in an anonymous campaign no link from an answer to a person is stored at all. The
`Response` has a random key (no sequence), no respondent and no time; what the member typed before
sending waits in their `Participation` (the draft, theirs), which is emptied when they send: from then
on the participation only says "has answered", so that nobody is invited or reminded again. The
respondent's region and category of post are kept with the answers, without their name, so that the
results can be filtered (never on a group under 5). In an attributed campaign the response names its
respondent and stays editable until the close.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.concurrency import LockVersioned
from surveys.enums import CampaignStatus, ParticipationStatus, QuestionKind, QuestionSource

SHORT_TEXT = 500
LONG_TEXT = 10_000
# The longest answer to a text question (a long text); a short text is cut at SHORT_ANSWER.
LONG_ANSWER = 5_000
SHORT_ANSWER = 300


class Questionnaire(LockVersioned):
    title = models.CharField(_("titre"), max_length=200)
    introduction = models.TextField(_("introduction"), max_length=LONG_TEXT, blank=True)
    based_on = models.ForeignKey(
        "self", verbose_name=_("copie de"), null=True, blank=True, on_delete=models.SET_NULL, related_name="copies"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("mis à jour le"), auto_now=True)

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("surveys:questionnaire", kwargs={"pk": self.pk})


class QuestionSection(models.Model):
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="sections")
    title = models.CharField(_("titre de la partie"), max_length=200)
    description = models.TextField(_("présentation"), max_length=SHORT_TEXT * 4, blank=True)
    order = models.PositiveIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("partie")
        verbose_name_plural = _("parties")
        ordering = ["order", "pk"]

    def __str__(self):
        return self.title


class Question(models.Model):
    section = models.ForeignKey(QuestionSection, on_delete=models.CASCADE, related_name="questions")
    # Stable across copies of the questionnaire: what the comparison of two campaigns matches on.
    code = models.SlugField(_("code"), max_length=40)
    kind = models.CharField(_("type"), max_length=20, choices=QuestionKind.choices, default=QuestionKind.SINGLE)
    source = models.CharField(
        _("origine des options"), max_length=16, choices=QuestionSource.choices, default=QuestionSource.OPTIONS
    )
    text = models.CharField(_("question"), max_length=SHORT_TEXT)
    help_text = models.CharField(_("aide"), max_length=SHORT_TEXT, blank=True)
    required = models.BooleanField(_("réponse obligatoire"), default=False)
    # [{"value": "a", "label": "…"}, …] for choices and splits written by the team.
    options = models.JSONField(_("options"), default=list, blank=True)
    scale_min = models.SmallIntegerField(_("échelle : minimum"), default=1)
    scale_max = models.SmallIntegerField(_("échelle : maximum"), default=5)
    scale_min_label = models.CharField(_("libellé du minimum"), max_length=100, blank=True)
    scale_max_label = models.CharField(_("libellé du maximum"), max_length=100, blank=True)
    number_min = models.DecimalField(_("nombre : minimum"), max_digits=12, decimal_places=2, null=True, blank=True)
    number_max = models.DecimalField(_("nombre : maximum"), max_digits=12, decimal_places=2, null=True, blank=True)
    # Shown only when the answer to `condition_question` is (or, for several choices, includes) one of these.
    condition_question = models.ForeignKey(
        "self",
        verbose_name=_("affichée selon la réponse à"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="dependents",
    )
    condition_values = models.JSONField(_("valeurs qui l'affichent"), default=list, blank=True)
    order = models.PositiveIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["order", "pk"]

    def __str__(self):
        return self.text


class CampaignQuerySet(models.QuerySet):
    def announced(self):
        return self.exclude(status=CampaignStatus.DRAFT)

    def accepting(self, now=None):
        """Campaigns whose answers are open now."""
        now = now or timezone.now()
        return self.filter(status=CampaignStatus.OPEN, opens_at__lte=now, closes_at__gt=now)

    def results_public(self):
        return self.filter(results_published_at__isnull=False)


class Campaign(LockVersioned):
    questionnaire = models.ForeignKey(
        Questionnaire, verbose_name=_("questionnaire"), on_delete=models.PROTECT, related_name="campaigns"
    )
    title = models.CharField(_("titre"), max_length=200)
    opens_at = models.DateTimeField(_("ouverture"))
    closes_at = models.DateTimeField(_("clôture"))
    status = models.CharField(_("état"), max_length=16, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT)
    anonymous = models.BooleanField(_("réponses anonymes"), default=True)
    # What will be published, said to each respondent before the first question.
    publication_note = models.TextField(_("ce qui sera publié"), max_length=SHORT_TEXT * 4)
    public_summary = models.TextField(_("synthèse publique"), max_length=LONG_TEXT, blank=True)
    results_published_at = models.DateTimeField(_("résultats publiés le"), null=True, blank=True)
    invitations_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("campagne")
        verbose_name_plural = _("campagnes")
        ordering = ["-opens_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(closes_at__gt=models.F("opens_at")), name="surveys_closes_after_open"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("surveys:campaign", kwargs={"pk": self.pk})

    def is_accepting(self, now=None) -> bool:
        now = now or timezone.now()
        return self.status == CampaignStatus.OPEN and self.opens_at <= now < self.closes_at


class Participation(models.Model):
    """That a member takes part in a campaign: their draft while they answer, then only "has answered".

    In an anonymous campaign this row never points to the response, and keeps no time of sending.
    """

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="participations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(
        _("état"), max_length=16, choices=ParticipationStatus.choices, default=ParticipationStatus.STARTED
    )
    # Answers typed and not yet sent ({question code: value}); emptied once sent in an anonymous campaign.
    draft = models.JSONField(default=dict, blank=True)
    invited_at = models.DateTimeField(null=True, blank=True, editable=False)
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [models.UniqueConstraint(fields=["campaign", "user"], name="surveys_participation_once")]

    def __str__(self):
        return f"{self.user} — {self.campaign}"


class Response(models.Model):
    """The answers sent to a campaign ({question code: value}); anonymous: no respondent, no time, a random key."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="responses")
    # Attributed campaigns only; always empty in an anonymous one.
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answers = models.JSONField(default=dict)
    # Kept for the filters of the results, without a name (a region's code, a category of post).
    region_code = models.CharField(_("région"), max_length=3, blank=True)
    category = models.CharField(_("catégorie de poste"), max_length=1, blank=True)
    # Attributed campaigns only (an anonymous response keeps no time).
    submitted_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("réponse")
        verbose_name_plural = _("réponses")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "respondent"],
                condition=Q(respondent__isnull=False),
                name="surveys_one_response_per_respondent",
            ),
        ]

    def __str__(self):
        return str(self.pk)
