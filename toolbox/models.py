"""The toolbox: resources technicians share to practise the job, tied to the référentiel by stable code.

A resource (`Resource`) is of one kind (`ResourceKind`) with the fields of that kind; it links to
missions, activities and competences by code (`ResourceLink`), so links survive new versions of the
référentiel. A member drafts it and submits it; the CNCD team publishes it, asks for changes or
refuses it (`toolbox.services`). After publication every save keeps a revision (`ResourceRevision`)
whose fields the history page compares. Files (`ResourceFile`) live in the default storage and are
read through permission-checked views (`toolbox.files`).
"""

import uuid

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.concurrency import LockVersioned
from toolbox.enums import Audience, Hosting, Licence, LinkKind, ResourceKind, ResourceStatus, TemplateKind

# The longest text a field may hold, checked by the forms (core.limits) and the catalogue import.
SHORT_TEXT = 500
LONG_TEXT = 20_000
FEEDBACK_LENGTH = 300
COMMENT_LENGTH = 5_000


class ResourceQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=ResourceStatus.PUBLISHED)

    def public(self):
        """Published for everyone: the author asked for it and the team approved it."""
        return self.published().filter(audience=Audience.PUBLIC, public_approved=True)

    def visible_to(self, user):
        """What `user` may read: public resources for anyone, every published one for members, their own
        (as author or co-author) whatever the status, and everything for the CNCD team."""
        if user is None or not user.is_authenticated or not user.is_approved:
            return self.public()
        if user.is_curator:
            return self
        return self.filter(
            Q(status=ResourceStatus.PUBLISHED)
            | Q(owner=user)
            | Q(pk__in=Resource.coauthors.through.objects.filter(user=user).values("resource_id"))
        )

    def authored_by(self, user):
        return self.filter(Q(owner=user) | Q(coauthors=user)).distinct()


class Resource(LockVersioned):
    """A method, a field report, a template, a digital tool or an external resource."""

    kind = models.CharField(_("nature"), max_length=16, choices=ResourceKind.choices)
    title = models.CharField(_("titre"), max_length=200)
    summary = models.CharField(_("en bref"), max_length=SHORT_TEXT)
    description = models.TextField(_("description"), blank=True)

    # Méthode d'animation
    purpose = models.TextField(_("objectif"), blank=True)
    group_min = models.PositiveSmallIntegerField(_("participants, au moins"), null=True, blank=True)
    group_max = models.PositiveSmallIntegerField(_("participants, au plus"), null=True, blank=True)
    duration_minutes = models.PositiveIntegerField(_("durée (minutes)"), null=True, blank=True)
    materials = models.TextField(_("matériel"), blank=True)
    steps = models.TextField(_("déroulé"), blank=True)

    # Retour d'expérience
    council = models.ForeignKey(
        "members.Council",
        verbose_name=_("conseil"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    territory = models.CharField(_("territoire"), max_length=200, blank=True)
    # The region the resource comes from: its council's (a field report), else its author's council's;
    # kept by the services for the catalogue's region facet.
    region = models.ForeignKey(
        "members.Region", verbose_name=_("région"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    context = models.TextField(_("contexte"), blank=True)
    actions = models.TextField(_("ce qui a été fait"), blank=True)
    results = models.TextField(_("résultats"), blank=True)
    pitfalls = models.TextField(_("ce qu'il faut éviter"), blank=True)

    # Trame ou modèle
    template_kind = models.CharField(_("type de modèle"), max_length=16, choices=TemplateKind.choices, blank=True)

    # Outil numérique, and its "usage responsable" block
    tool_url = models.URLField(_("adresse de l'outil"), max_length=500, blank=True)
    is_ai = models.BooleanField(_("outil d'intelligence artificielle"), default=False)
    use_purpose = models.TextField(_("à quoi il sert"), blank=True)
    data_flows = models.TextField(_("données qui sortent de la collectivité"), blank=True)
    hosting = models.CharField(_("hébergement"), max_length=16, choices=Hosting.choices, blank=True)
    human_part = models.TextField(_("ce qui reste votre travail"), blank=True)
    cost = models.CharField(_("coût"), max_length=200, blank=True)
    vigilance = models.TextField(_("points de vigilance"), blank=True)

    # Ressource externe
    url = models.URLField(_("adresse"), max_length=500, blank=True)
    publisher = models.CharField(_("éditeur ou auteur"), max_length=200, blank=True)
    year = models.PositiveSmallIntegerField(_("année"), null=True, blank=True)

    licence = models.CharField(_("licence"), max_length=24, choices=Licence.choices, default=Licence.CC_BY_SA)
    audience = models.CharField(_("visibilité"), max_length=16, choices=Audience.choices, default=Audience.MEMBERS)
    public_approved = models.BooleanField(_("publication publique approuvée"), default=False)
    status = models.CharField(_("état"), max_length=16, choices=ResourceStatus.choices, default=ResourceStatus.DRAFT)

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("auteur·rice"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    coauthors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("co-auteur·rices"), blank=True, related_name="+"
    )
    other_authors = models.CharField(_("autres auteur·rices (hors plateforme)"), max_length=300, blank=True)

    submitted_at = models.DateTimeField(_("soumise le"), null=True, blank=True)
    published_at = models.DateTimeField(_("publiée le"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("décision de"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("décidée le"), null=True, blank=True)
    decision_reason = models.TextField(_("message de l'équipe"), blank=True)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("mise à jour le"), auto_now=True)

    # Kept by the services: what the catalogue sorts and shows without counting each time.
    useful_count = models.PositiveIntegerField(_("marques « utile »"), default=0, editable=False)
    use_count = models.PositiveIntegerField(_("« je l'ai utilisé »"), default=0, editable=False)
    revision_count = models.PositiveIntegerField(_("révisions"), default=0, editable=False)
    # Search: the folded text of the searched fields (every database), and PostgreSQL's French vector.
    search_text = models.TextField(blank=True, editable=False)
    search_vector = SearchVectorField(null=True, editable=False)

    objects = ResourceQuerySet.as_manager()

    class Meta:
        verbose_name = _("ressource")
        verbose_name_plural = _("ressources")
        ordering = ["-published_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="toolbox_status_published"),
            models.Index(fields=["status", "-useful_count"], name="toolbox_status_useful"),
            models.Index(fields=["kind", "status"], name="toolbox_kind_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(group_min__isnull=True)
                | Q(group_max__isnull=True)
                | Q(group_min__lte=models.F("group_max")),
                name="toolbox_group_range",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == ResourceStatus.PUBLISHED

    @property
    def is_public(self) -> bool:
        return self.is_published and self.audience == Audience.PUBLIC and self.public_approved

    @property
    def awaits_public_approval(self) -> bool:
        return self.is_published and self.audience == Audience.PUBLIC and not self.public_approved


class ResourceLink(models.Model):
    """A référentiel item the resource helps practise, named by its stable code."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="links")
    kind = models.CharField(_("élément"), max_length=16, choices=LinkKind.choices)
    code = models.CharField(_("code"), max_length=40)
    # The item's title when it was linked: shown if a later version drops the code.
    title = models.CharField(_("intitulé"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("lien au référentiel")
        verbose_name_plural = _("liens au référentiel")
        ordering = ["kind", "code"]
        constraints = [models.UniqueConstraint(fields=["resource", "code"], name="toolbox_unique_link")]
        indexes = [models.Index(fields=["code"], name="toolbox_link_code")]

    def __str__(self):
        return self.code


def _file_path(instance, filename):
    # Never the uploaded name: a random one, the original kept in `name` for the download.
    return f"boite-a-outils/{uuid.uuid4().hex}"


def _preview_path(instance, filename):
    return f"boite-a-outils/apercus/{uuid.uuid4().hex}.png"


class ResourceFile(models.Model):
    """A file attached to a resource, checked by its content (toolbox.files)."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(_("fichier"), upload_to=_file_path, max_length=200)
    name = models.CharField(_("nom du fichier"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("taille"))
    preview = models.FileField(_("aperçu"), upload_to=_preview_path, max_length=200, blank=True)
    downloads = models.PositiveIntegerField(_("téléchargements"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("ajouté le"), auto_now_add=True)

    class Meta:
        verbose_name = _("fichier")
        verbose_name_plural = _("fichiers")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.name


class ResourceRevision(models.Model):
    """The resource as saved at one moment after its first publication: its fields, for the history's diffs."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("numéro"))
    fields = models.JSONField(_("contenu"))
    summary = models.CharField(_("résumé de la modification"), max_length=255, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("enregistrée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("révision d'une ressource")
        verbose_name_plural = _("révisions des ressources")
        ordering = ["resource", "-number"]
        constraints = [models.UniqueConstraint(fields=["resource", "number"], name="toolbox_unique_revision")]

    def __str__(self):
        return f"{self.resource_id} r{self.number}"


class UsefulMark(models.Model):
    """One member finds the resource useful (one mark per member)."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="useful_marks")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["resource", "user"], name="toolbox_unique_useful")]

    def __str__(self):
        return f"{self.resource_id} ← {self.user_id}"


class ResourceUse(models.Model):
    """ "Je l'ai utilisé": a member used the resource, with a short feedback line."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="uses")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    feedback = models.CharField(_("retour en une ligne"), max_length=FEEDBACK_LENGTH, blank=True)
    created_at = models.DateTimeField(_("le"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("utilisation")
        ordering = ["-updated_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["resource", "user"], name="toolbox_unique_use")]

    def __str__(self):
        return f"{self.resource_id} ← {self.user_id}"


class ResourceCommentQuerySet(models.QuerySet):
    def not_hidden(self):
        return self.filter(hidden_at__isnull=True)


class ResourceComment(models.Model):
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    body = models.TextField(_("message"))
    created_at = models.DateTimeField(_("écrit le"), auto_now_add=True)
    hidden_at = models.DateTimeField(_("masqué le"), null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hidden_reason = models.CharField(_("motif du masquage"), max_length=255, blank=True)

    objects = ResourceCommentQuerySet.as_manager()

    class Meta:
        verbose_name = _("commentaire sur une ressource")
        verbose_name_plural = _("commentaires sur les ressources")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return _("Commentaire n° %(number)s") % {"number": self.pk}


class ResourceCommentReport(models.Model):
    comment = models.ForeignKey(ResourceComment, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.CharField(_("motif"), max_length=255)
    created_at = models.DateTimeField(_("signalé le"), auto_now_add=True)
    dismissed_at = models.DateTimeField(_("classé sans suite le"), null=True, blank=True)
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    dismissal_reason = models.CharField(_("motif du classement"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("signalement d'un commentaire de la boîte à outils")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["comment", "reporter"], name="toolbox_unique_comment_report"),
        ]

    def __str__(self):
        return f"{self.comment_id}: {self.reason[:40]}"


class ToolboxFollow(models.Model):
    """A member follows a kind of resource or a référentiel item: new publications reach their notifications."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("nature"), max_length=16, choices=ResourceKind.choices, blank=True)
    code = models.CharField(_("code du référentiel"), max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("abonnement à la boîte à outils")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "code"], name="toolbox_unique_follow"),
            models.CheckConstraint(
                condition=(Q(kind="") & ~Q(code="")) | (~Q(kind="") & Q(code="")), name="toolbox_follow_one_target"
            ),
        ]

    def __str__(self):
        return f"{self.user_id} → {self.kind or self.code}"
