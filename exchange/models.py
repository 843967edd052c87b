"""Entraide: technicians ask each other, by theme and by region, and the answers stay findable.

Questions (`Question`) live in spaces (`Space`): thematic spaces curated by the CNCD team and one space per
region. A question tags référentiel items by stable code (`QuestionTag`) and may link toolbox resources
(`QuestionResource`); answers (`Answer`) are marked useful (`AnswerUseful`), one of them accepted by the asker.
Every edit keeps a revision (`PostRevision`) for the history's diffs; @mentions (`Mention`) are notified once.
Members follow spaces, questions or tags (`ExchangeFollow`: following a space is joining it).
Private messages (`Conversation`, `ConversationMember`, `Message`) are opt-in per member
(`MessagingPreference`), with blocks (`Block`). Reports (`Report`) cover questions, answers and messages.
"""

import uuid

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.concurrency import LockVersioned
from exchange.enums import FollowTarget, ReportStatus, SpaceKind, TagKind

# The longest texts, checked by the forms (core.limits) before any work.
TITLE_LENGTH = 200
BODY_LENGTH = 20_000
MESSAGE_LENGTH = 5_000
REASON_LENGTH = 300


class SpaceQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Space(models.Model):
    """A thematic space (curated by the team) or a region's space."""

    kind = models.CharField(_("type d'espace"), max_length=16, choices=SpaceKind.choices)
    slug = models.SlugField(_("adresse"), max_length=80, unique=True)
    name = models.CharField(_("nom"), max_length=120)
    description = models.TextField(_("présentation"), max_length=2_000, blank=True)
    region = models.OneToOneField(
        "members.Region",
        verbose_name=_("région"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    is_active = models.BooleanField(_("ouvert"), default=True)
    # Kept by the services: what the list of spaces shows without counting each time.
    question_count = models.PositiveIntegerField(_("questions"), default=0, editable=False)
    last_activity_at = models.DateTimeField(_("dernière activité"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    objects = SpaceQuerySet.as_manager()

    class Meta:
        verbose_name = _("espace d'entraide")
        verbose_name_plural = _("espaces d'entraide")
        ordering = ["kind", "position", "name"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind=SpaceKind.REGION) & Q(region__isnull=False))
                | (Q(kind=SpaceKind.THEME) & Q(region__isnull=True)),
                name="exchange_space_region_iff_regional",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("exchange:space", args=[self.slug])


class QuestionQuerySet(models.QuerySet):
    def not_hidden(self):
        return self.filter(hidden_at__isnull=True)

    def visible_to(self, user):
        """Hidden questions only for the team (and their author, who sees the reason)."""
        if user is not None and user.is_authenticated and user.is_curator:
            return self
        if user is not None and user.is_authenticated:
            return self.filter(Q(hidden_at__isnull=True) | Q(author=user))
        return self.none()


class Question(LockVersioned):
    """A question or a discussion, in one space; members only (stable URL /entraide/questions/<pk>/)."""

    space = models.ForeignKey(Space, verbose_name=_("espace"), on_delete=models.PROTECT, related_name="questions")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("auteur·rice"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(_("titre"), max_length=TITLE_LENGTH)
    body = models.TextField(_("message"), max_length=BODY_LENGTH)
    # The body rendered once with the site's safe markup (fiches.rendering), on every save.
    body_html = models.TextField(editable=False, blank=True)
    is_discussion = models.BooleanField(
        _("discussion"), default=False, help_text=_("Une discussion n'attend pas de réponse retenue.")
    )
    accepted_answer = models.ForeignKey(
        "exchange.Answer",
        verbose_name=_("réponse retenue"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    locked_at = models.DateTimeField(_("verrouillée le"), null=True, blank=True)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    lock_reason = models.CharField(_("motif du verrouillage"), max_length=REASON_LENGTH, blank=True)
    hidden_at = models.DateTimeField(_("masquée le"), null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hidden_reason = models.CharField(_("motif du masquage"), max_length=REASON_LENGTH, blank=True)
    created_at = models.DateTimeField(_("posée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("mise à jour le"), auto_now=True)
    edited_at = models.DateTimeField(_("modifiée le"), null=True, blank=True)

    # Kept by the services: what the lists sort and show without counting each time.
    answer_count = models.PositiveIntegerField(_("réponses"), default=0, editable=False)
    last_activity_at = models.DateTimeField(_("dernière activité"), default=timezone.now, editable=False)
    revision_count = models.PositiveIntegerField(_("révisions"), default=0, editable=False)
    # Search: the folded text of the title, the body and the visible answers (every database), and
    # PostgreSQL's French vector (title A, body B, answers C: core.fulltext).
    search_text = models.TextField(blank=True, editable=False)
    search_vector = SearchVectorField(null=True, editable=False)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["-last_activity_at", "-pk"]
        indexes = [
            models.Index(fields=["space", "-last_activity_at"], name="exchange_space_activity"),
            models.Index(fields=["author", "-created_at"], name="exchange_author_created"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("exchange:question", args=[self.pk])

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None

    @property
    def is_answered(self) -> bool:
        return self.accepted_answer_id is not None


class QuestionTag(models.Model):
    """A référentiel item the question is about, named by its stable code (links survive new versions)."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="tags")
    kind = models.CharField(_("élément"), max_length=16, choices=TagKind.choices)
    code = models.CharField(_("code"), max_length=40)
    # The item's title when it was tagged: shown if a later version drops the code.
    title = models.CharField(_("intitulé"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("étiquette d'une question")
        verbose_name_plural = _("étiquettes des questions")
        ordering = ["kind", "code"]
        constraints = [models.UniqueConstraint(fields=["question", "code"], name="exchange_unique_tag")]
        indexes = [models.Index(fields=["code"], name="exchange_tag_code")]

    def __str__(self):
        return self.code


class QuestionResource(models.Model):
    """A toolbox resource the question links to."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="resource_links")
    resource = models.ForeignKey("toolbox.Resource", on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("ressource liée")
        verbose_name_plural = _("ressources liées")
        constraints = [models.UniqueConstraint(fields=["question", "resource"], name="exchange_unique_resource")]

    def __str__(self):
        return f"{self.question_id} → {self.resource_id}"


class AnswerQuerySet(models.QuerySet):
    def not_hidden(self):
        return self.filter(hidden_at__isnull=True)


class Answer(LockVersioned):
    """A reply to a question."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("auteur·rice"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(_("réponse"), max_length=BODY_LENGTH)
    body_html = models.TextField(editable=False, blank=True)
    # The answer quoted at the top of this one, if any (the quote itself is in the body, as markup).
    quoted = models.ForeignKey(
        "self", verbose_name=_("réponse citée"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    useful_count = models.PositiveIntegerField(_("marques « utile »"), default=0, editable=False)
    revision_count = models.PositiveIntegerField(_("révisions"), default=0, editable=False)
    hidden_at = models.DateTimeField(_("masquée le"), null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hidden_reason = models.CharField(_("motif du masquage"), max_length=REASON_LENGTH, blank=True)
    created_at = models.DateTimeField(_("écrite le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("mise à jour le"), auto_now=True)
    edited_at = models.DateTimeField(_("modifiée le"), null=True, blank=True)

    objects = AnswerQuerySet.as_manager()

    class Meta:
        verbose_name = _("réponse")
        verbose_name_plural = _("réponses")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["question", "created_at"], name="exchange_answer_question")]

    def __str__(self):
        return _("Réponse n° %(number)s") % {"number": self.pk}

    def get_absolute_url(self):
        return f"{self.question.get_absolute_url()}#reponse-{self.pk}"

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class PostRevision(models.Model):
    """A question or an answer as it was before an edit: its title and body, for the history's diffs."""

    question = models.ForeignKey(Question, null=True, blank=True, on_delete=models.CASCADE, related_name="revisions")
    answer = models.ForeignKey(Answer, null=True, blank=True, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("numéro"))
    title = models.CharField(_("titre"), max_length=TITLE_LENGTH, blank=True)
    body = models.TextField(_("message"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("enregistrée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("révision d'un message")
        verbose_name_plural = _("révisions des messages")
        ordering = ["-number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(question__isnull=False, answer__isnull=True)
                | Q(question__isnull=True, answer__isnull=False),
                name="exchange_revision_one_post",
            ),
            models.UniqueConstraint(fields=["question", "number"], name="exchange_unique_question_revision"),
            models.UniqueConstraint(fields=["answer", "number"], name="exchange_unique_answer_revision"),
        ]

    def __str__(self):
        return f"r{self.number}"


class AnswerUseful(models.Model):
    """One member finds an answer useful (one mark per member)."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="useful_marks")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["answer", "user"], name="exchange_unique_useful")]

    def __str__(self):
        return f"{self.answer_id} ← {self.user_id}"


class Mention(models.Model):
    """A member @mentioned in a question or an answer: notified once, whatever the later edits."""

    question = models.ForeignKey(Question, null=True, blank=True, on_delete=models.CASCADE, related_name="mentions")
    answer = models.ForeignKey(Answer, null=True, blank=True, on_delete=models.CASCADE, related_name="mentions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("mention")
        constraints = [
            models.CheckConstraint(
                condition=Q(question__isnull=False, answer__isnull=True)
                | Q(question__isnull=True, answer__isnull=False),
                name="exchange_mention_one_post",
            ),
            models.UniqueConstraint(fields=["question", "user"], name="exchange_unique_question_mention"),
            models.UniqueConstraint(fields=["answer", "user"], name="exchange_unique_answer_mention"),
        ]

    def __str__(self):
        return f"@{self.user_id}"


class AnswerInvitation(models.Model):
    """The asker invites a peer (suggested for a tagged competence) to answer their question."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="invitations")
    invited = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("invité·e le"), auto_now_add=True)

    class Meta:
        verbose_name = _("invitation à répondre")
        verbose_name_plural = _("invitations à répondre")
        constraints = [models.UniqueConstraint(fields=["question", "invited"], name="exchange_unique_invitation")]

    def __str__(self):
        return f"{self.question_id} → {self.invited_id}"


class ExchangeFollow(models.Model):
    """A member follows a space (joins it), a question or a référentiel tag: new posts reach their notifications."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    target = models.CharField(_("suivi"), max_length=16, choices=FollowTarget.choices)
    space = models.ForeignKey(Space, null=True, blank=True, on_delete=models.CASCADE, related_name="follows")
    question = models.ForeignKey(Question, null=True, blank=True, on_delete=models.CASCADE, related_name="follows")
    code = models.CharField(_("code du référentiel"), max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("abonnement à l'entraide")
        verbose_name_plural = _("abonnements à l'entraide")
        constraints = [
            models.CheckConstraint(
                condition=(Q(target=FollowTarget.SPACE) & Q(space__isnull=False, question__isnull=True, code=""))
                | (Q(target=FollowTarget.QUESTION) & Q(space__isnull=True, question__isnull=False, code=""))
                | (Q(target=FollowTarget.TAG) & Q(space__isnull=True, question__isnull=True) & ~Q(code="")),
                name="exchange_follow_one_target",
            ),
            models.UniqueConstraint(
                fields=["user", "space"], condition=Q(space__isnull=False), name="exchange_unique_space_follow"
            ),
            models.UniqueConstraint(
                fields=["user", "question"], condition=Q(question__isnull=False), name="exchange_unique_question_follow"
            ),
            models.UniqueConstraint(fields=["user", "code"], condition=~Q(code=""), name="exchange_unique_tag_follow"),
        ]

    def __str__(self):
        return f"{self.user_id} → {self.space_id or self.question_id or self.code}"


# Private messages -------------------------------------------------------------------------------------


class MessagingPreference(models.Model):
    """Whether a member accepts private messages (opt-in: nobody is reachable until they say so)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="messaging")
    accepts_messages = models.BooleanField(_("j'accepte les messages privés des membres"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("préférence de messagerie")
        verbose_name_plural = _("préférences de messagerie")

    def __str__(self):
        return f"{self.user_id}: {self.accepts_messages}"


class Conversation(models.Model):
    """A one-to-one conversation between two members (`pair` is "smaller id-larger id": one per pair)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    pair = models.CharField(max_length=40, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_message_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        ordering = ["-last_message_at", "-pk"]

    def __str__(self):
        return self.pair

    def get_absolute_url(self):
        return reverse("exchange:conversation", args=[self.uuid])


class ConversationMember(models.Model):
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    last_read_at = models.DateTimeField(null=True, blank=True)
    # A member may leave a conversation from their list; a new message brings it back.
    archived_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["conversation", "user"], name="exchange_unique_member")]
        indexes = [models.Index(fields=["user", "conversation"], name="exchange_member_user")]

    def __str__(self):
        return f"{self.conversation_id}: {self.user_id}"


class Message(models.Model):
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages")
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    body = models.TextField(_("message"), max_length=MESSAGE_LENGTH)
    created_at = models.DateTimeField(_("envoyé le"), auto_now_add=True)
    hidden_at = models.DateTimeField(_("masqué le"), null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hidden_reason = models.CharField(_("motif du masquage"), max_length=REASON_LENGTH, blank=True)

    class Meta:
        verbose_name = _("message privé")
        verbose_name_plural = _("messages privés")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["conversation", "created_at"], name="exchange_message_conversation")]

    def __str__(self):
        return _("Message n° %(number)s") % {"number": self.pk}


class Block(models.Model):
    """`blocker` no longer receives messages from `blocked` (who is not told)."""

    blocker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    blocked = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("blocage")
        verbose_name_plural = _("blocages")
        constraints = [
            models.UniqueConstraint(fields=["blocker", "blocked"], name="exchange_unique_block"),
            models.CheckConstraint(condition=~Q(blocker=models.F("blocked")), name="exchange_block_not_self"),
        ]

    def __str__(self):
        return f"{self.blocker_id} ⊘ {self.blocked_id}"


# Moderation ------------------------------------------------------------------------------------------


class ReportQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=ReportStatus.OPEN)


class Report(models.Model):
    """A member reports a question, an answer or a private message to the CNCD team."""

    question = models.ForeignKey(Question, null=True, blank=True, on_delete=models.CASCADE, related_name="reports")
    answer = models.ForeignKey(Answer, null=True, blank=True, on_delete=models.CASCADE, related_name="reports")
    message = models.ForeignKey(Message, null=True, blank=True, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.CharField(_("motif"), max_length=REASON_LENGTH)
    status = models.CharField(_("état"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.OPEN)
    created_at = models.DateTimeField(_("signalé le"), auto_now_add=True)
    decided_at = models.DateTimeField(_("traité le"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision_note = models.CharField(_("note de l'équipe"), max_length=REASON_LENGTH, blank=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("signalement dans l'entraide")
        verbose_name_plural = _("signalements dans l'entraide")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(question__isnull=False, answer__isnull=True, message__isnull=True)
                | Q(question__isnull=True, answer__isnull=False, message__isnull=True)
                | Q(question__isnull=True, answer__isnull=True, message__isnull=False),
                name="exchange_report_one_target",
            ),
        ]

    def __str__(self):
        return f"{self.pk}: {self.reason[:40]}"
