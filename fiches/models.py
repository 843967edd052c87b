"""The fiche de poste: ordered sections, each with its history of revisions, suggestions and versions.

Nothing is ever overwritten: every change to a section adds a Revision (with its parent), and the
section points to its current one. A published FicheVersion freezes the revision of every section.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, F, Prefetch, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.concurrency import LockVersioned
from fiches.enums import OUTDATED, OUTDATED_LABEL, EmailMode, RevisionSource, SectionKind, SuggestionStatus

COMMON_FICHE_SLUG = "fiche-commune"


class Fiche(models.Model):
    """A fiche de poste written together; the common one has the slug `fiche-commune`."""

    slug = models.SlugField(_("identifiant"), max_length=60, unique=True)
    title = models.CharField(_("intitulé"), max_length=200)
    introduction = models.TextField(_("présentation"), blank=True)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("fiche de poste")
        verbose_name_plural = _("fiches de poste")
        ordering = ["title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("fiches:detail", kwargs={"slug": self.slug})


class SectionQuerySet(models.QuerySet):
    def of(self, fiche):
        """Sections of `fiche`, in order."""
        return self.filter(fiche=fiche).order_by("order", "pk")

    def with_current(self):
        """Load the current revision and its author (with the profile that says how to credit them)."""
        return self.select_related(
            "fiche", "current_revision", "current_revision__author", "current_revision__author__profile"
        )

    def with_open_suggestion_count(self):
        """Annotate `open_suggestion_count`: suggestions still waiting for a decision."""
        return self.annotate(
            open_suggestion_count=Count("suggestions", filter=Q(suggestions__status=SuggestionStatus.OPEN))
        )


class Section(models.Model):
    """One part of a fiche; its content lives in revisions, `current_revision` is the one in force."""

    fiche = models.ForeignKey(Fiche, verbose_name=_("fiche"), on_delete=models.CASCADE, related_name="sections")
    key = models.SlugField(_("identifiant"), max_length=60)
    title = models.CharField(_("intitulé"), max_length=200)
    kind = models.CharField(_("nature"), max_length=16, choices=SectionKind.choices, default=SectionKind.TEXT)
    guidance = models.TextField(_("aide à la rédaction"), blank=True)
    order = models.PositiveIntegerField(_("ordre"), default=0)
    current_revision = models.ForeignKey(
        "Revision",
        verbose_name=_("révision en vigueur"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = SectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["fiche", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["fiche", "key"], name="fiches_unique_section_key")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("fiches:section", kwargs={"slug": self.fiche.slug, "pk": self.pk})

    @property
    def is_structured(self) -> bool:
        return self.kind != SectionKind.TEXT

    @property
    def current_body(self) -> str:
        return self.current_revision.body if self.current_revision else ""


class RevisionQuerySet(models.QuerySet):
    def of_fiche(self, fiche):
        """Revisions of every section of `fiche`, newest first."""
        return self.filter(section__fiche=fiche).order_by("-created_at", "-pk")

    def with_people(self, *, section: bool = True, committed_by: bool = True):
        """Load the section, the author and the person who recorded each revision, with their profiles (credit)."""
        related = ["author__profile"]
        if section:
            related.append("section")
        if committed_by:
            related.append("committed_by__profile")
        return self.select_related(*related)

    def without_texts(self):
        """Leave the texts unread: lists of revisions show who, when and why, not what."""
        return self.defer("body", "body_html")


class Revision(models.Model):
    """One state of a section's content; never changed once written."""

    section = models.ForeignKey(Section, verbose_name=_("section"), on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("numéro"))
    parent = models.ForeignKey(
        "self", verbose_name=_("révision précédente"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    body = models.TextField(_("contenu"), blank=True)
    # Rendered once when written: sanitised HTML of the Markdown, or the référentiel items resolved
    # against the framework published at that moment.
    body_html = models.TextField(_("contenu mis en forme"), blank=True)
    summary = models.CharField(_("résumé de la modification"), max_length=255, blank=True)
    # Counted once against the parent (fiches.changes): history pages never compare texts. None: not
    # counted yet (rows bulk-written, or written before these fields), counted on first read.
    words_added = models.PositiveIntegerField(_("mots ajoutés"), null=True, blank=True)
    words_removed = models.PositiveIntegerField(_("mots retirés"), null=True, blank=True)
    source = models.CharField(_("origine"), max_length=16, choices=RevisionSource.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("auteur·rice"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="fiche_revisions",
    )
    committed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("enregistrée par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    suggestion = models.ForeignKey(
        "Suggestion",
        verbose_name=_("proposition acceptée"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    restored_from = models.ForeignKey(
        "self", verbose_name=_("restaurée depuis"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("enregistrée le"), auto_now_add=True)

    objects = RevisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("révision")
        verbose_name_plural = _("révisions")
        ordering = ["section", "-number"]
        constraints = [models.UniqueConstraint(fields=["section", "number"], name="fiches_unique_revision_number")]

    def __str__(self):
        return f"{self.section} · {self.number}"


class SuggestionQuerySet(models.QuerySet):
    def open(self):
        """Suggestions waiting for a decision (outdated ones included)."""
        return self.filter(status=SuggestionStatus.OPEN)

    def outdated(self):
        """Open suggestions written on a revision that is no longer the section's current one."""
        return self.open().exclude(base_revision=F("section__current_revision"))

    def with_details(self):
        """Load what a list of suggestions shows in a constant number of queries."""
        return self.select_related(
            "author__profile", "section", "section__fiche", "section__current_revision"
        ).annotate(
            support_count=Count("supports", distinct=True),
            comment_count=Count("comments", filter=Q(comments__hidden_at__isnull=True), distinct=True),
        )


class Suggestion(LockVersioned):
    """A member's proposed new text for a section, with why; curators accept or reject it.

    `body` is written on `base_revision`: what it means to change is the difference between the two,
    which accepting applies onto the section's current text (a three-way merge).
    """

    section = models.ForeignKey(
        Section, verbose_name=_("section"), on_delete=models.CASCADE, related_name="suggestions"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("auteur·rice"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="fiche_suggestions",
    )
    base_revision = models.ForeignKey(
        Revision, verbose_name=_("rédigée sur la révision"), on_delete=models.PROTECT, related_name="+"
    )
    body = models.TextField(_("texte proposé"))
    rationale = models.TextField(_("justification"))
    status = models.CharField(
        _("statut"), max_length=16, choices=SuggestionStatus.choices, default=SuggestionStatus.OPEN
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("décidée par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("décidée le"), null=True, blank=True)
    decision_reason = models.TextField(_("motif de la décision"), blank=True)
    created_at = models.DateTimeField(_("proposée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("mise à jour le"), auto_now=True)

    objects = SuggestionQuerySet.as_manager()

    class Meta:
        verbose_name = _("proposition de modification")
        verbose_name_plural = _("propositions de modification")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return str(_("Proposition n° %(number)s") % {"number": self.pk})

    def get_absolute_url(self):
        return reverse("fiches:suggestion", kwargs={"pk": self.pk})

    @property
    def is_open(self) -> bool:
        return self.status == SuggestionStatus.OPEN

    @property
    def is_outdated(self) -> bool:
        return self.is_open and self.base_revision_id != self.section.current_revision_id

    @property
    def state(self) -> str:
        """The status shown to people: `outdated` for an open suggestion whose section changed."""
        return OUTDATED if self.is_outdated else self.status

    @property
    def state_label(self):
        return OUTDATED_LABEL if self.is_outdated else self.get_status_display()


class Support(models.Model):
    """A member backing a suggestion (once each)."""

    suggestion = models.ForeignKey(
        Suggestion, verbose_name=_("proposition"), on_delete=models.CASCADE, related_name="supports"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("membre"), on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(_("le"), auto_now_add=True)

    class Meta:
        verbose_name = _("soutien")
        verbose_name_plural = _("soutiens")
        constraints = [models.UniqueConstraint(fields=["suggestion", "user"], name="fiches_one_support_per_member")]

    def __str__(self):
        return f"{self.user} → {self.suggestion}"


def moderates_comments(user) -> bool:
    """True when `user` moderates the discussions (the CNCD team): they may read hidden comments."""
    return bool(user is not None and user.is_authenticated and user.is_curator)


class CommentQuerySet(models.QuerySet):
    def not_hidden(self):
        """Comments not hidden by moderation."""
        return self.filter(hidden_at__isnull=True)

    def visible_to(self, user):
        """Comments whose message `user` may read: all of them for moderators, the ones not hidden otherwise."""
        return self if moderates_comments(user) else self.not_hidden()

    def threads(self):
        """Top-level comments, each with its replies prefetched, oldest first."""
        replies = Comment.objects.select_related("author__profile", "hidden_by").order_by("created_at", "pk")
        return (
            self.filter(parent__isnull=True)
            .select_related("author__profile", "hidden_by")
            .prefetch_related(Prefetch("replies", queryset=replies))
            .order_by("created_at", "pk")
        )


class Comment(models.Model):
    """A message in a suggestion's discussion; replies go one level deep."""

    suggestion = models.ForeignKey(
        Suggestion, verbose_name=_("proposition"), on_delete=models.CASCADE, related_name="comments"
    )
    parent = models.ForeignKey(
        "self", verbose_name=_("en réponse à"), null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("auteur·rice"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(_("message"))
    created_at = models.DateTimeField(_("écrit le"), auto_now_add=True)
    hidden_at = models.DateTimeField(_("masqué le"), null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("masqué par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    hidden_reason = models.CharField(_("motif du masquage"), max_length=255, blank=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        verbose_name = _("commentaire")
        verbose_name_plural = _("commentaires")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return str(_("Commentaire n° %(number)s") % {"number": self.pk})

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    def body_for(self, user) -> str:
        """The message as `user` may read it: empty when it is hidden, unless they moderate."""
        # The one display rule for a comment's message, on every page, fragment, export or email.
        return self.body if not self.is_hidden or moderates_comments(user) else ""


class CommentReport(models.Model):
    """A member flagging a comment as inappropriate, for the CNCD team to look at."""

    comment = models.ForeignKey(
        Comment, verbose_name=_("commentaire"), on_delete=models.CASCADE, related_name="reports"
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("signalé par"), on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(_("motif"), max_length=255)
    created_at = models.DateTimeField(_("signalé le"), auto_now_add=True)
    # Classed without action by the CNCD team (the comment stays visible), with why.
    dismissed_at = models.DateTimeField(_("classé sans suite le"), null=True, blank=True)
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("classé sans suite par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    dismissal_reason = models.CharField(_("motif du classement"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("signalement")
        verbose_name_plural = _("signalements")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["comment", "reporter"], name="fiches_one_report_per_member")]

    def __str__(self):
        return f"{self.comment} ({self.reporter})"


class FicheVersionQuerySet(models.QuerySet):
    def of(self, fiche):
        """Published versions of `fiche`, newest first."""
        return self.filter(fiche=fiche).order_by("-published_at", "-pk")

    def latest_of(self, fiche):
        """The latest published version of `fiche`, or None."""
        return self.of(fiche).first()


class FicheVersion(models.Model):
    """A published version of a fiche: the revision of each section at that moment, frozen."""

    fiche = models.ForeignKey(Fiche, verbose_name=_("fiche"), on_delete=models.CASCADE, related_name="versions")
    label = models.CharField(_("libellé"), max_length=20)
    summary = models.TextField(_("résumé"), blank=True)
    published_at = models.DateTimeField(_("publiée le"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("publiée par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = FicheVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("version publiée")
        verbose_name_plural = _("versions publiées")
        ordering = ["fiche", "-published_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["fiche", "label"], name="fiches_unique_version_label")]

    def __str__(self):
        return f"{self.fiche} {self.label}"

    def get_absolute_url(self):
        return reverse("fiches:version", kwargs={"slug": self.fiche.slug, "label": self.label})


class VersionEntry(models.Model):
    """One section of a published version, as it was (title and order copied, revision frozen)."""

    version = models.ForeignKey(
        FicheVersion, verbose_name=_("version"), on_delete=models.CASCADE, related_name="entries"
    )
    section = models.ForeignKey(Section, verbose_name=_("section"), on_delete=models.PROTECT, related_name="+")
    revision = models.ForeignKey(Revision, verbose_name=_("révision"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("intitulé"), max_length=200)
    order = models.PositiveIntegerField(_("ordre"))

    class Meta:
        verbose_name = _("section publiée")
        verbose_name_plural = _("sections publiées")
        ordering = ["version", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["version", "section"], name="fiches_unique_version_section")]

    def __str__(self):
        return f"{self.version} · {self.title}"


class Follow(models.Model):
    """A member following a whole fiche, one section or one suggestion."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("membre"), on_delete=models.CASCADE, related_name="fiche_follows"
    )
    fiche = models.ForeignKey(Fiche, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    section = models.ForeignKey(Section, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    suggestion = models.ForeignKey(Suggestion, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("abonnement")
        verbose_name_plural = _("abonnements")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(fiche__isnull=False, section__isnull=True, suggestion__isnull=True)
                    | Q(fiche__isnull=True, section__isnull=False, suggestion__isnull=True)
                    | Q(fiche__isnull=True, section__isnull=True, suggestion__isnull=False)
                ),
                name="fiches_follow_one_target",
            ),
            models.UniqueConstraint(fields=["user", "fiche"], name="fiches_follow_fiche_once"),
            models.UniqueConstraint(fields=["user", "section"], name="fiches_follow_section_once"),
            models.UniqueConstraint(fields=["user", "suggestion"], name="fiches_follow_suggestion_once"),
        ]

    def __str__(self):
        return f"{self.user} → {self.fiche or self.section or self.suggestion}"

    @staticmethod
    def field_for(target) -> str:
        """The field of a Follow that points to `target`: a fiche, a section or a suggestion."""
        return {Fiche: "fiche", Section: "section", Suggestion: "suggestion"}[type(target)]


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        """Notifications not yet opened."""
        return self.filter(read_at__isnull=True)

    def read(self):
        """Notifications already opened."""
        return self.filter(read_at__isnull=False)

    def for_user(self, user):
        """Notifications of `user`, newest first."""
        return self.filter(recipient=user).order_by("-created_at", "-pk")

    def to_email(self):
        """Notifications not yet sent by email."""
        return self.filter(emailed_at__isnull=True)


class Notification(models.Model):
    """Something that happened on a fiche, for one member to read on the site (and maybe by email)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("destinataire"), on_delete=models.CASCADE, related_name="+"
    )
    # Who did what the notification tells: named when shown, by their credit choice (never stored in the text).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("auteur·rice de l'action"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    message = models.CharField(_("message"), max_length=300)
    url = models.CharField(_("lien"), max_length=300)
    created_at = models.DateTimeField(_("le"), auto_now_add=True)
    read_at = models.DateTimeField(_("lue le"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("envoyée par e-mail le"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="fiches_notif_unread")]

    def __str__(self):
        return self.message


class NotificationSetting(models.Model):
    """How a member wants to be told by email."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("membre"), on_delete=models.CASCADE, related_name="fiche_notifications"
    )
    email_mode = models.CharField(_("e-mails"), max_length=16, choices=EmailMode.choices, default=EmailMode.DIGEST)

    class Meta:
        verbose_name = _("préférence de notification")
        verbose_name_plural = _("préférences de notification")

    def __str__(self):
        return f"{self.user} · {self.get_email_mode_display()}"


class PersonalFiche(LockVersioned):
    """A member's own fiche de poste, copied from a published version of a common fiche; private to them."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("membre"), on_delete=models.CASCADE, related_name="personal_fiches"
    )
    source = models.ForeignKey(
        Fiche, verbose_name=_("fiche commune d'origine"), on_delete=models.PROTECT, related_name="+"
    )
    copied_from = models.ForeignKey(
        FicheVersion, verbose_name=_("copiée depuis la version"), on_delete=models.PROTECT, related_name="+"
    )
    job_title = models.CharField(_("intitulé du poste"), max_length=200)
    employer = models.CharField(_("collectivité employeuse"), max_length=200, blank=True)
    time_share = models.PositiveSmallIntegerField(
        _("part du temps consacrée au conseil (%)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    local_context = models.TextField(_("spécificités locales"), blank=True)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("mise à jour le"), auto_now=True)

    class Meta:
        verbose_name = _("fiche de poste personnelle")
        verbose_name_plural = _("fiches de poste personnelles")
        constraints = [models.UniqueConstraint(fields=["owner", "source"], name="fiches_one_personal_copy")]

    def __str__(self):
        return f"{self.job_title} ({self.owner})"


class PersonalSection(LockVersioned):
    """One section of a personal fiche; `base_revision` is the common text it was last aligned with."""

    personal_fiche = models.ForeignKey(
        PersonalFiche, verbose_name=_("fiche personnelle"), on_delete=models.CASCADE, related_name="sections"
    )
    section = models.ForeignKey(Section, verbose_name=_("section commune"), on_delete=models.PROTECT, related_name="+")
    base_revision = models.ForeignKey(
        Revision, verbose_name=_("alignée sur la révision commune"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("intitulé"), max_length=200)
    order = models.PositiveIntegerField(_("ordre"))
    body = models.TextField(_("contenu"), blank=True)
    body_html = models.TextField(_("contenu mis en forme"), blank=True)

    class Meta:
        verbose_name = _("section personnelle")
        verbose_name_plural = _("sections personnelles")
        ordering = ["personal_fiche", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["personal_fiche", "section"], name="fiches_unique_personal_section")
        ]

    def __str__(self):
        return self.title

    @property
    def is_modified(self) -> bool:
        """True when the member changed the text since it was last aligned with the common one."""
        return self.body != self.base_revision.body
