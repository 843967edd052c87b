"""The référentiel's versions and their competences: scale, domains, competences, self-assessments.

A version (`FrameworkVersion`) frames everything the référentiel holds; its missions and activities
live in the `missions` app, one floor up (an activity mobilises competences), and the `referentiel`
app above both copies, compares, freezes, exports and imports a version as one unit.
Codes (`M1`, `M1.A3`, `C-ANI-02`) are stable from one version to the next: they identify an item
across versions, and `replaces` names the code an item takes over from.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from tree_queries.fields import TreeNodeForeignKey
from tree_queries.models import TreeNode
from tree_queries.query import TreeQuerySet

from competences.enums import AlignmentRelation, AlignmentScheme, CompetenceKind, FrameworkStatus
from core.concurrency import LockVersioned
from core.search import whole_word_pks

code_validator = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$",
    _("Un code ne contient que des lettres sans accent, des chiffres, des points, tirets ou soulignés."),
)
label_validator = RegexValidator(
    r"^v[0-9][0-9A-Za-z.-]{0,18}$",
    _("Un libellé de version commence par « v » suivi d'un chiffre, par exemple « v1.0 »."),
)
# Lengths of the free texts, in characters. They are TextFields, without a limit in the database:
# the forms hold them to these (core.limits). A description (or a mission's purpose); a
# level's descriptor, general or for one competence; what a published version changes.
MAX_DESCRIPTION_LENGTH = 2_000
MAX_DESCRIPTOR_LENGTH = 500
MAX_SUMMARY_LENGTH = 2_000


class FrozenVersionError(ValidationError):
    """Raised on any attempt to change a published or archived version."""

    def __init__(self):
        super().__init__(_("Cette version du référentiel est publiée : elle ne peut plus être modifiée."))


class FrameworkVersionQuerySet(models.QuerySet):
    def published(self):
        """The version currently in force (at most one)."""
        return self.filter(status=FrameworkStatus.PUBLISHED)

    def released(self):
        """Versions anyone may read: the current one and the archived ones."""
        return self.filter(status__in=[FrameworkStatus.PUBLISHED, FrameworkStatus.ARCHIVED])

    def drafts(self):
        """Versions the CNCD team is still editing."""
        return self.filter(status=FrameworkStatus.DRAFT)

    def visible_to(self, user):
        """Released versions, plus drafts for the CNCD team."""
        if user is not None and user.is_authenticated and user.is_curator:
            return self.all()
        return self.released()

    def current(self):
        """The published version, or None."""
        return self.published().first()

    def delete(self):
        if self.exclude(status=FrameworkStatus.DRAFT).exists():
            raise FrozenVersionError
        return super().delete()


class FrameworkVersion(LockVersioned):
    """One version of the référentiel; immutable once published.

    While a draft, its `lock_version` counts every change made to it or its items: publication
    compares it with the one its form was opened on, so what is published is what was reviewed.
    """

    label = models.CharField(_("libellé"), max_length=20, unique=True, validators=[label_validator])
    status = models.CharField(
        _("statut"), max_length=16, choices=FrameworkStatus.choices, default=FrameworkStatus.DRAFT
    )
    summary = models.TextField(_("résumé des changements"), blank=True)
    published_at = models.DateTimeField(_("publiée le"), null=True, blank=True)
    based_on = models.ForeignKey(
        "self",
        verbose_name=_("établie à partir de"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("créée par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = FrameworkVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("version du référentiel")
        verbose_name_plural = _("versions du référentiel")
        # Drafts (not yet published) first, on every database.
        ordering = [models.F("published_at").desc(nulls_first=True), "-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["status"], condition=Q(status="published"), name="competences_one_published_version"
            ),
            # One draft at a time, held by the database: two curators starting one at once cannot both succeed.
            models.UniqueConstraint(
                fields=["status"], condition=Q(status="draft"), name="competences_one_draft_version"
            ),
        ]

    def __str__(self):
        return self.label

    def save(self, *args, **kwargs):
        stored = self._stored_status()
        # Once out of draft, the only change allowed is published → archived.
        if (
            stored
            and stored != FrameworkStatus.DRAFT
            and not (
                stored == FrameworkStatus.PUBLISHED
                and self.status == FrameworkStatus.ARCHIVED
                and set(kwargs.get("update_fields") or ()) == {"status"}
            )
        ):
            raise FrozenVersionError
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self._stored_status() != FrameworkStatus.DRAFT:
            raise FrozenVersionError
        return super().delete(*args, **kwargs)

    def _stored_status(self) -> str | None:
        if self.pk is None:
            return None
        return FrameworkVersion.objects.filter(pk=self.pk).values_list("status", flat=True).first()

    @property
    def is_draft(self) -> bool:
        return self.status == FrameworkStatus.DRAFT


class VersionedQuerySet(models.QuerySet):
    """Bulk writes are refused on rows that belong to a version out of draft."""

    def _check_editable(self):
        if self.exclude(version__status=FrameworkStatus.DRAFT).exists():
            raise FrozenVersionError

    def update(self, **kwargs):
        self._check_editable()
        return super().update(**kwargs)

    def delete(self):
        self._check_editable()
        return super().delete()

    def of(self, version):
        """Items of `version`."""
        return self.filter(version=version)


class VersionedItem(LockVersioned):
    """An item of a version: saving or deleting it is refused once the version is frozen.

    Curators edit it through a form carrying its `lock_version` (core.concurrency).
    """

    version = models.ForeignKey(
        FrameworkVersion, verbose_name=_("version"), on_delete=models.CASCADE, related_name="%(class)s_set"
    )

    objects = VersionedQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self._check_editable()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._check_editable()
        return super().delete(*args, **kwargs)

    def _check_editable(self):
        if FrameworkVersion.objects.filter(pk=self.version_id).exclude(status=FrameworkStatus.DRAFT).exists():
            raise FrozenVersionError


class ScaleLevel(VersionedItem):
    """One level of the proficiency scale of a version (1 Notions … 4 Expertise in the demo)."""

    value = models.PositiveSmallIntegerField(_("niveau"))
    label = models.CharField(_("intitulé"), max_length=60)
    descriptor = models.TextField(_("descripteur"), blank=True)
    proficient = models.BooleanField(
        _("niveau de maîtrise"),
        default=False,
        help_text=_("Atteindre ce niveau signifie que la compétence est maîtrisée (« proficient » dans Moodle)."),
    )

    class Meta:
        verbose_name = _("niveau de l'échelle")
        verbose_name_plural = _("niveaux de l'échelle")
        ordering = ["version", "value"]
        constraints = [models.UniqueConstraint(fields=["version", "value"], name="competences_unique_scale_value")]

    def __str__(self):
        return f"{self.value}. {self.label}"


class DomainQuerySet(TreeQuerySet, VersionedQuerySet):
    """Domains form a tree of any depth: `with_tree_fields()` adds depth and path (a recursive query)."""


class Domain(TreeNode, VersionedItem):
    """A group of competences; a domain may sit in another one, at any depth (`parent`, same version)."""

    parent = TreeNodeForeignKey(
        "self",
        verbose_name=_("domaine parent"),
        blank=True,
        null=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    code = models.CharField(_("code"), max_length=40, validators=[code_validator])
    title = models.CharField(_("intitulé"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveIntegerField(_("ordre"), default=0)
    replaces = models.CharField(_("remplace le code"), max_length=40, blank=True)

    objects = DomainQuerySet.as_manager(with_tree_fields=False)

    class Meta:
        verbose_name = _("domaine de compétences")
        verbose_name_plural = _("domaines de compétences")
        ordering = ["version", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="competences_unique_domain_code")]

    def __str__(self):
        return f"{self.code} {self.title}"


class CompetenceQuerySet(VersionedQuerySet):
    def with_levels(self):
        """Prefetch the level descriptors specific to each competence."""
        return self.prefetch_related("levels")

    def search(self, query: str):
        """Competences whose code, title or description hold every word of `query` (whole words, core.search).

        Read from the rows of the queryset (one version: a few hundred at most), decided in Python.
        """
        return self.filter(pk__in=whole_word_pks(self.values_list("pk", "code", "title", "description"), query))


class Competence(VersionedItem):
    """A savoir, savoir-faire or savoir-être, in a domain."""

    domain = models.ForeignKey(Domain, verbose_name=_("domaine"), on_delete=models.CASCADE, related_name="competences")
    code = models.CharField(_("code"), max_length=40, validators=[code_validator])
    title = models.CharField(_("intitulé"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("nature"), max_length=16, choices=CompetenceKind.choices, default=CompetenceKind.SKILL)
    transversal = models.BooleanField(_("transversale"), default=False)
    order = models.PositiveIntegerField(_("ordre"), default=0)
    replaces = models.CharField(_("remplace le code"), max_length=40, blank=True)
    related = models.ManyToManyField("self", verbose_name=_("compétences liées"), blank=True)

    objects = CompetenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("compétence")
        verbose_name_plural = _("compétences")
        ordering = ["version", "domain__order", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="competences_unique_competence_code")]

    def __str__(self):
        return f"{self.code} {self.title}"


class CompetencePart(models.Model):
    """Something a competence holds (a level descriptor, an external link): frozen with the competence's version."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.competence._check_editable()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self.competence._check_editable()
        return super().delete(*args, **kwargs)


class CompetenceLevel(CompetencePart):
    """What a level of the scale means for one competence (optional)."""

    competence = models.ForeignKey(
        Competence, verbose_name=_("compétence"), on_delete=models.CASCADE, related_name="levels"
    )
    value = models.PositiveSmallIntegerField(_("niveau"))
    descriptor = models.TextField(_("descripteur"))

    class Meta:
        verbose_name = _("descripteur de niveau")
        verbose_name_plural = _("descripteurs de niveau")
        ordering = ["competence", "value"]
        constraints = [
            models.UniqueConstraint(fields=["competence", "value"], name="competences_unique_competence_level")
        ]

    def __str__(self):
        return f"{self.competence.code} / {self.value}"


class Alignment(CompetencePart):
    """A competence's link to an entry of an external framework: an ESCO skill, a ROME 4.0 code, an RNCP block.

    Entered or imported, never fetched (CASE exports it as exactMatchOf / isRelatedTo to the external URI).
    """

    competence = models.ForeignKey(
        Competence, verbose_name=_("compétence"), on_delete=models.CASCADE, related_name="alignments"
    )
    relation = models.CharField(
        _("relation"), max_length=8, choices=AlignmentRelation.choices, default=AlignmentRelation.EXACT
    )
    scheme = models.CharField(_("référentiel externe"), max_length=8, choices=AlignmentScheme.choices)
    uri = models.URLField(_("adresse (URI)"), max_length=500, blank=True)
    code = models.CharField(_("code"), max_length=80, blank=True)
    title = models.CharField(_("intitulé"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("correspondance externe")
        verbose_name_plural = _("correspondances externes")
        ordering = ["competence_id", "scheme", "code", "uri"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(uri="", code=""),
                name="competences_alignment_uri_or_code",
                violation_error_message=_("Indiquez une adresse (URI) ou un code pour cette correspondance."),
            )
        ]

    def __str__(self):
        return f"{self.competence.code} → {self.code or self.uri}"


class SelfAssessmentQuerySet(models.QuerySet):
    def of_user(self, user):
        """The ratings of `user`, keyed by competence code."""
        return self.filter(user=user)

    def shared_in_directory(self):
        """Ratings of members who agreed to be found by them in the directory (AssessmentSharing)."""
        return self.filter(user__in=AssessmentSharing.objects.in_directory().values("user"))


class SelfAssessment(models.Model):
    """A member's rating of one competence, kept by stable code so it carries over to new versions."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("membre"), on_delete=models.CASCADE, related_name="self_assessments"
    )
    code = models.CharField(_("code de la compétence"), max_length=40)
    level = models.PositiveSmallIntegerField(_("niveau"), null=True, blank=True)
    not_concerned = models.BooleanField(_("non concerné·e"), default=False)
    evidence = models.CharField(_("élément de preuve"), max_length=280, blank=True)
    version = models.ForeignKey(
        FrameworkVersion, verbose_name=_("version évaluée"), on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("mise à jour le"), auto_now=True)

    objects = SelfAssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("auto-évaluation")
        verbose_name_plural = _("auto-évaluations")
        ordering = ["user", "code"]
        constraints = [
            models.UniqueConstraint(fields=["user", "code"], name="competences_one_rating_per_code"),
            models.CheckConstraint(
                condition=Q(level__isnull=True) | Q(not_concerned=False), name="competences_rating_level_or_na"
            ),
        ]
        # Who rated a competence at a level or above: the peers who can help on it (training.mentoring)
        # and the network's counts by competence.
        indexes = [models.Index(fields=["code", "level"], name="competences_rating_code_level")]

    def __str__(self):
        return f"{self.user} / {self.code}"


class AssessmentSharingQuerySet(models.QuerySet):
    def in_directory(self):
        """The choices of members who agreed to be found in the directory by competence and level."""
        return self.filter(in_directory=True)


class AssessmentSharing(models.Model):
    """A member's choice about their self-assessment: may the directory find them by competence and level?

    Off by default, and without a row: a self-assessment stays private until its member ticks the
    box on their self-assessment page. Even then, the directory only ever says "level ≥ the one
    searched for", and only to those who see the member's post (members.directory).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("membre"), on_delete=models.CASCADE, related_name="assessment_sharing"
    )
    in_directory = models.BooleanField(_("trouvable dans l'annuaire par compétence et niveau"), default=False)
    updated_at = models.DateTimeField(_("choix fait le"), auto_now=True)

    objects = AssessmentSharingQuerySet.as_manager()

    class Meta:
        verbose_name = _("partage de l'auto-évaluation")
        verbose_name_plural = _("partages de l'auto-évaluation")

    def __str__(self):
        return f"{self.user} / {self.in_directory}"
