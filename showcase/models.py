"""La vitrine des conseils: public council pages, their works (opinions) and what the authority did with them.

Each validated council (`members.Council`) may get a public page (`CouncilPage`), edited by its
technician·nes and checked by the CNCD team. Technician·nes choose to appear on it
(`ShowcasePreference`). A council's works (`Work`: avis, contribution, report, self-referral, referral)
carry themes from a shared list (`Theme`), a PDF document in the default storage, links to référentiel
items by stable code (`WorkLink`), an open licence and the authority's follow-up (*suites données*).
"""

import uuid

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.concurrency import LockVersioned
from showcase.enums import (
    FollowUpAnswer,
    LinkKind,
    PageStatus,
    SelectionMethod,
    Uptake,
    WorkKind,
    WorkLicence,
    WorkStatus,
)

SHORT_TEXT = 300
SUMMARY_LENGTH = 2_000
LONG_TEXT = 10_000


class CouncilPageQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=PageStatus.PUBLISHED, council__is_validated=True)


class CouncilPage(LockVersioned):
    """The public page of one validated council."""

    council = models.OneToOneField(
        "members.Council", verbose_name=_("conseil"), on_delete=models.CASCADE, related_name="showcase_page"
    )
    slug = models.SlugField(_("adresse"), max_length=120, unique=True)
    presentation = models.TextField(_("présentation"), max_length=LONG_TEXT, blank=True)
    territory = models.CharField(_("territoire"), max_length=SHORT_TEXT, blank=True)
    member_count = models.PositiveIntegerField(_("nombre de membres"), null=True, blank=True)
    founded_year = models.PositiveSmallIntegerField(_("année de création"), null=True, blank=True)
    selection_method = models.CharField(
        _("mode de désignation des membres"), max_length=16, choices=SelectionMethod.choices, blank=True
    )
    selection_details = models.TextField(_("précisions sur la désignation"), max_length=SUMMARY_LENGTH, blank=True)
    website = models.URLField(_("site internet du conseil"), max_length=500, blank=True)
    # The region the council belongs to (its departments' region), kept by the services for the map and filters.
    region = models.ForeignKey(
        "members.Region", verbose_name=_("région"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(_("état"), max_length=16, choices=PageStatus.choices, default=PageStatus.DRAFT)
    submitted_at = models.DateTimeField(_("soumise le"), null=True, blank=True)
    published_at = models.DateTimeField(_("publiée le"), null=True, blank=True)
    checked_at = models.DateTimeField(_("vérifiée le"), null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    check_comment = models.TextField(_("message de l'équipe"), max_length=SUMMARY_LENGTH, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("mise à jour le"), auto_now=True)
    # Kept by the services: published works, for the list and the map.
    work_count = models.PositiveIntegerField(_("travaux publiés"), default=0, editable=False)

    objects = CouncilPageQuerySet.as_manager()

    class Meta:
        verbose_name = _("page d'un conseil")
        verbose_name_plural = _("pages des conseils")
        ordering = ["slug"]
        indexes = [models.Index(fields=["status", "region"], name="showcase_page_status_region")]

    def __str__(self):
        return str(self.council)

    def get_absolute_url(self):
        return reverse("showcase:council", args=[self.slug])

    @property
    def is_published(self) -> bool:
        return self.status == PageStatus.PUBLISHED


class ShowcasePreference(models.Model):
    """A technician chooses to appear (name and post) on their council's public page; off by default."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="showcase")
    appears_on_council_page = models.BooleanField(_("apparaître sur la page publique de mon conseil"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("préférence de la vitrine")
        verbose_name_plural = _("préférences de la vitrine")

    def __str__(self):
        return f"{self.user_id}: {self.appears_on_council_page}"


class ThemeQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Theme(models.Model):
    """A subject from the shared list (mobility, housing, ecological transition, budget…), curated by the team."""

    slug = models.SlugField(_("adresse"), max_length=80, unique=True)
    name = models.CharField(_("thème"), max_length=120, unique=True)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    is_active = models.BooleanField(_("proposé"), default=True)

    objects = ThemeQuerySet.as_manager()

    class Meta:
        verbose_name = _("thème")
        verbose_name_plural = _("thèmes")
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class WorkQuerySet(models.QuerySet):
    def published(self):
        """Public: published works of councils whose page is published."""
        return self.filter(
            status=WorkStatus.PUBLISHED,
            page__status=PageStatus.PUBLISHED,
            page__council__is_validated=True,
        )


def _document_path(instance, filename):
    # Never the uploaded name: a random one, the original kept in `document_name` for the download.
    return f"vitrine/{uuid.uuid4().hex}"


class Work(LockVersioned):
    """A council's work: an opinion, a contribution, a report, a self-referral or a referral by the authority.

    Its URL /vitrine/travaux/<pk>/ is stable and citable (the slug after it is cosmetic)."""

    page = models.ForeignKey(CouncilPage, verbose_name=_("conseil"), on_delete=models.PROTECT, related_name="works")
    kind = models.CharField(_("nature"), max_length=16, choices=WorkKind.choices)
    title = models.CharField(_("titre"), max_length=SHORT_TEXT)
    slug = models.SlugField(_("adresse"), max_length=120, editable=False)
    summary = models.TextField(_("résumé"), max_length=SUMMARY_LENGTH)
    issued_on = models.DateField(_("date"))
    themes = models.ManyToManyField(Theme, verbose_name=_("thèmes"), related_name="works", blank=True)
    licence = models.CharField(_("licence"), max_length=24, choices=WorkLicence.choices, default=WorkLicence.ETALAB)
    external_url = models.URLField(_("adresse sur le site de la collectivité"), max_length=500, blank=True)

    document = models.FileField(_("document (PDF)"), upload_to=_document_path, max_length=200, blank=True)
    document_name = models.CharField(_("nom du fichier"), max_length=200, blank=True)
    document_size = models.PositiveBigIntegerField(_("taille"), null=True, blank=True)
    downloads = models.PositiveIntegerField(_("téléchargements"), default=0, editable=False)

    # Suites données: what the authority did with it.
    followup_answer = models.CharField(
        _("réponse de la collectivité"), max_length=16, choices=FollowUpAnswer.choices, default=FollowUpAnswer.UNKNOWN
    )
    followup_by = models.CharField(_("réponse de (instance ou élu·e)"), max_length=SHORT_TEXT, blank=True)
    followup_on = models.DateField(_("réponse le"), null=True, blank=True)
    followup_uptake = models.CharField(
        _("prise en compte"), max_length=16, choices=Uptake.choices, default=Uptake.UNKNOWN
    )
    followup_note = models.TextField(_("note sur les suites données"), max_length=SUMMARY_LENGTH, blank=True)
    followup_updated_at = models.DateTimeField(_("suites mises à jour le"), null=True, blank=True)

    status = models.CharField(_("état"), max_length=16, choices=WorkStatus.choices, default=WorkStatus.DRAFT)
    published_at = models.DateTimeField(_("publié le"), null=True, blank=True)
    hidden_at = models.DateTimeField(_("masqué le"), null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hidden_reason = models.CharField(_("motif du masquage"), max_length=SHORT_TEXT, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("mis à jour le"), auto_now=True)

    # Kept by the services: the region (the page's), for filters and figures; search texts (core.fulltext:
    # title A, summary B, the rest C).
    region = models.ForeignKey(
        "members.Region", verbose_name=_("région"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    search_text = models.TextField(blank=True, editable=False)
    search_vector = SearchVectorField(null=True, editable=False)

    objects = WorkQuerySet.as_manager()

    class Meta:
        verbose_name = _("travail d'un conseil")
        verbose_name_plural = _("travaux des conseils")
        ordering = ["-issued_on", "-pk"]
        indexes = [
            models.Index(fields=["status", "-issued_on"], name="showcase_work_status_date"),
            models.Index(fields=["page", "status"], name="showcase_work_page_status"),
            models.Index(fields=["region", "status"], name="showcase_work_region_status"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("showcase:work", args=[self.pk, self.slug or "travail"])

    @property
    def is_published(self) -> bool:
        return self.status == WorkStatus.PUBLISHED


class WorkLink(models.Model):
    """A référentiel item the work illustrates, named by its stable code."""

    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="links")
    kind = models.CharField(_("élément"), max_length=16, choices=LinkKind.choices)
    code = models.CharField(_("code"), max_length=40)
    title = models.CharField(_("intitulé"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("lien au référentiel")
        verbose_name_plural = _("liens au référentiel")
        ordering = ["kind", "code"]
        constraints = [models.UniqueConstraint(fields=["work", "code"], name="showcase_unique_link")]
        indexes = [models.Index(fields=["code"], name="showcase_link_code")]

    def __str__(self):
        return self.code
