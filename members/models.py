import secrets
import uuid
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core import generations
from core.concurrency import LockVersioned
from core.enums import ROLE_RANK, Role
from core.search import query_words, search_key, word_pattern
from members.enums import (
    AUDIENCE_VISIBILITIES,
    CREDIT_DEFAULT,
    TIME_SHARE_BOUNDS,
    AccountStatus,
    Audience,
    Category,
    Credit,
    EmploymentStatus,
    Filiere,
    PostPlacement,
    TerritoryKind,
    TimeShareBand,
    Visibility,
)
from members.fields import CARD_FIELDS, PROFILE_GROUPS


class UserQuerySet(models.QuerySet):
    def pending(self):
        """Accounts waiting for the CNCD team's decision."""
        return self.filter(status=AccountStatus.PENDING)

    def approved(self):
        """Accounts allowed into the network."""
        return self.filter(status=AccountStatus.APPROVED, is_active=True)

    def curators(self):
        """Approved accounts of the CNCD team and administrators."""
        return self.approved().filter(role__in=[Role.CURATOR, Role.ADMIN])


class EmailUserManager(UserManager.from_queryset(UserQuerySet)):
    use_in_migrations = True

    def _create_user_object(self, username, email, password, **extra_fields):
        email = self.normalize_email(email)
        user = self.model(email=email, **extra_fields)
        user.password = ""
        if password is not None:
            from django.contrib.auth.hashers import make_password

            user.password = make_password(password)
        return user

    def _create_user(self, username, email, password, **extra_fields):
        user = self._create_user_object(username, email, password, **extra_fields)
        user.save(using=self._db)
        return user

    def create_user(self, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(None, email, password, **extra_fields)

    def create_superuser(self, email=None, password=None, **extra_fields):
        extra_fields.update(is_staff=True, is_superuser=True, role=Role.ADMIN, status=AccountStatus.APPROVED)
        return self._create_user(None, email, password, **extra_fields)


class User(AbstractUser):
    """A person with an account: technician, CNCD team member or administrator."""

    username = None
    email = models.EmailField(_("adresse e-mail"), unique=True)
    role = models.CharField(_("rôle"), max_length=16, choices=Role.choices, default=Role.MEMBER)
    status = models.CharField(
        _("statut du compte"), max_length=16, choices=AccountStatus.choices, default=AccountStatus.PENDING
    )
    status_changed_at = models.DateTimeField(_("statut modifié le"), null=True, blank=True)
    status_changed_by = models.ForeignKey(
        "self",
        verbose_name=_("statut modifié par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    # Set when the person erased their account: the row stays, anonymised, so that anything they
    # contributed keeps a valid author shown as "ancien·ne membre".
    erased_at = models.DateTimeField(_("compte supprimé le"), null=True, blank=True)
    # Set when the member hid the onboarding checklist (members.onboarding); shown while it is None.
    onboarding_dismissed_at = models.DateTimeField(_("premiers pas masqués le"), null=True, blank=True)

    objects = EmailUserManager()

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = _("utilisateur·rice")
        verbose_name_plural = _("utilisateur·rices")
        ordering = ["email"]

    def __str__(self):
        if self.erased_at:
            return str(_("Ancien·ne membre"))
        return self.display_name or self.email

    @property
    def display_name(self) -> str:
        """How the person wants to be called: the profile's display name, else the account's name ("" if none).

        The one base of every name the site shows or writes (credit_name, greetings in pages and e-mails).
        """
        profile = getattr(self, "profile", None)  # a missing one-to-one raises an AttributeError subclass
        name = profile.display_name.strip() if profile is not None else ""
        return name or self.get_full_name().strip()

    @property
    def is_approved(self) -> bool:
        return self.is_active and self.status == AccountStatus.APPROVED

    def credit_name(self, *, moderation: bool = False) -> str | None:
        """The person's name where their contributions are shown to others, as they chose; None when unnamed.

        The one function that names a contributor: history pages, activity, suggestions, comments and the
        fiche's PDFs. The person's display_name (profile's display name, else the account's name) in full or as initials
        (Profile.credit, CREDIT_DEFAULT without a profile); None when they chose not to be named or have no
        name; "Ancien·ne membre" once the account is erased. `moderation`: the CNCD team's moderation pages
        show the full name whatever the choice. Lists of people load `profile` with the user
        (select_related) to read the choice without a query each.
        """
        if self.erased_at:
            return str(_("Ancien·ne membre"))
        profile = getattr(self, "profile", None)  # a missing one-to-one raises an AttributeError subclass
        credit = Credit.FULL_NAME if moderation else (profile.credit if profile is not None else CREDIT_DEFAULT)
        if credit == Credit.HIDDEN:
            return None
        name = self.display_name
        return (name if credit == Credit.FULL_NAME else initials(name)) or None

    @property
    def is_pending(self) -> bool:
        return self.status == AccountStatus.PENDING

    def has_role(self, role: Role) -> bool:
        """True when the account is approved and its role ranks at least as high as `role`."""
        return self.is_approved and ROLE_RANK[Role(self.role)] >= ROLE_RANK[Role(role)]

    @property
    def is_curator(self) -> bool:
        return self.has_role(Role.CURATOR)

    @property
    def is_administrator(self) -> bool:
        return self.has_role(Role.ADMIN)


def initials(name: str) -> str:
    """The first letter of each word of `name`, hyphens kept: "Jean-Pierre Le Goff" gives "J.-P. L. G."."""
    words = []
    for word in name.split():
        parts = [part[0].upper() + "." for part in word.split("-") if part]
        if parts:
            words.append("-".join(parts))
    return " ".join(words)


def unnamed_people(count: int, *, after_names: bool) -> str:
    """The contributors a list does not name (User.credit_name is None), counted: "et 2 autres personnes"."""
    if after_names:
        return ngettext("et %(count)d autre personne", "et %(count)d autres personnes", count) % {"count": count}
    return ngettext("%(count)d personne non nommée", "%(count)d personnes non nommées", count) % {"count": count}


class Region(models.Model):
    """One of France's 18 regions, with its official INSEE code."""

    code = models.CharField(_("code INSEE"), max_length=3, unique=True)
    name = models.CharField(_("nom"), max_length=100)

    class Meta:
        verbose_name = _("région")
        verbose_name_plural = _("régions")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Department(models.Model):
    """One of France's 101 départements, with its official INSEE code."""

    code = models.CharField(_("code INSEE"), max_length=3, unique=True)
    name = models.CharField(_("nom"), max_length=100)
    region = models.ForeignKey(Region, verbose_name=_("région"), on_delete=models.PROTECT, related_name="departments")

    class Meta:
        verbose_name = _("département")
        verbose_name_plural = _("départements")
        ordering = ["code"]

    def __str__(self):
        return f"{self.name} ({self.code})"


class CouncilQuerySet(models.QuerySet):
    def validated(self):
        """Councils the CNCD team has checked."""
        return self.filter(is_validated=True)

    def pending(self):
        """Councils declared by a member and not yet checked by the team."""
        return self.filter(is_validated=False)

    def selectable_by(self, user):
        """Councils `user` may pick for their profile: the validated ones and those they declared."""
        if user is None or not user.is_authenticated:
            return self.validated()
        return self.filter(Q(is_validated=True) | Q(declared_by=user))

    def with_territory(self):
        """Prefetch départements and their regions, for lists that show where each council sits."""
        return self.prefetch_related(
            Prefetch("departments", queryset=Department.objects.select_related("region").order_by("code"))
        )


class Council(models.Model):
    """A conseil de développement, attached to an intercommunal authority or a territoire de projet."""

    name = models.CharField(_("nom du conseil"), max_length=200)
    kind = models.CharField(_("type de territoire"), max_length=32, choices=TerritoryKind.choices)
    authority_name = models.CharField(
        _("collectivité de rattachement"),
        max_length=200,
        help_text=_("Par exemple : Communauté d'agglomération du Pays de Vannes."),
    )
    departments = models.ManyToManyField(
        Department, verbose_name=_("départements"), related_name="councils", blank=False
    )
    website = models.URLField(_("site internet"), blank=True)
    is_validated = models.BooleanField(_("validé par l'équipe CNCD"), default=False)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("déclaré par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    # Name and authority without accents or capitals, kept up to date on save, for search.
    search_text = models.CharField(max_length=420, blank=True, editable=False, db_index=False)

    objects = CouncilQuerySet.as_manager()

    class Meta:
        verbose_name = _("conseil de développement")
        verbose_name_plural = _("conseils de développement")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.search_text = search_key(f"{self.name} {self.authority_name}")
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)


def _photo_path(instance, filename):
    # A random name: the file name tells nothing about the person and cannot be guessed.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "webp"
    return f"members/photos/{uuid.uuid4().hex}.{extension}"


# Stands for the regions and départements (bumped by their saves and deletions: members.directory.connect).
TERRITORIES = "members.territories"
TERRITORY_KEYS_SECONDS = 24 * 3600


def _territory_keys() -> list[tuple[int, str, str]]:
    """Each département's pk, folded "name region" and code: matched in Python, accent-insensitive everywhere.

    119 reference rows, folded once and kept until a region or département changes."""
    stamp, kept = generations.cached("members-territory-keys", [TERRITORIES])
    if kept is not None:
        return kept
    territories = [
        (department.pk, search_key(f"{department.name} {department.region.name}"), department.code.lower())
        for department in Department.objects.select_related("region")
    ]
    generations.store("members-territory-keys", stamp, territories, TERRITORY_KEYS_SECONDS)
    return territories


class ProfileQuerySet(models.QuerySet):
    def approved(self):
        """Profiles of accounts allowed into the network."""
        return self.filter(user__status=AccountStatus.APPROVED, user__is_active=True)

    def visible_to(self, user):
        """Profiles `user` may open: every approved member's for the network, public identities for others."""
        profiles = self.approved()
        if user is not None and user.is_authenticated and user.is_approved:
            return profiles
        return profiles.filter(identity_visibility=Visibility.PUBLIC)

    def with_directory_data(self):
        """Load what a directory card shows, and nothing more, in a constant number of queries."""
        visibilities = [group.visibility_field for group in PROFILE_GROUPS]
        return (
            self.select_related("council")
            .only("user_id", "display_name", *CARD_FIELDS, *visibilities, "council__name", "council__kind")
            .prefetch_related(
                Prefetch("council__departments", queryset=Department.objects.only("name").order_by("code"))
            )
        )

    def search(self, text: str):
        """Profiles whose name, council, authority, département or region hold every word of `text`.

        Whole words, accents aside (core.search): "ain" finds the Ain, not "Alain". The folded
        `search_text` columns narrow in the database; the word check is made in Python.
        """
        words = query_words(text)
        if not words:
            return self
        territories = _territory_keys()
        profiles = self
        for word in words:
            pattern = word_pattern(word)
            departments = [pk for pk, names, code in territories if pattern.search(names) or word == code]
            councils = [
                pk
                for pk, folded in Council.objects.filter(search_text__contains=word).values_list("pk", "search_text")
                if pattern.search(folded)
            ]
            people = [
                pk
                for pk, folded in self.filter(search_text__contains=word).values_list("pk", "search_text")
                if pattern.search(folded)
            ]
            by_territory = Council.objects.filter(Q(pk__in=councils) | Q(departments__in=departments))
            profiles = profiles.filter(Q(pk__in=people) | Q(council__in=by_territory.values("pk")))
        return profiles

    def in_region(self, region):
        """Profiles whose council covers a département of `region`."""
        return self.filter(council__in=Council.objects.filter(departments__region=region).values("pk"))

    def in_department(self, department):
        """Profiles whose council covers `department`."""
        return self.filter(council__in=Council.objects.filter(departments=department).values("pk"))

    def of_kind(self, kind: str):
        """Profiles whose council's territory is of `kind`."""
        return self.filter(council__kind=kind)

    def with_group_visible_to(self, group: str, *, audience: Audience):
        """Profiles showing their `group` of fields (members.fields) to `audience`."""
        return self.filter(**{f"{group}_visibility__in": AUDIENCE_VISIBILITIES[audience]})

    def with_post_visible_to(self, audience: Audience):
        """Profiles whose post facts (and the facts apps above file under the post) `audience` may see."""
        return self.with_group_visible_to("post", audience=audience)

    # The directory matches post facts only among the profiles showing them to the viewer
    # (members.directory): filtering on hidden facts would reveal them.
    def with_employment_status(self, status: str):
        """Profiles with this employment status."""
        return self.filter(employment_status=status)

    def in_time_share_band(self, band: str):
        """Profiles whose time share falls in `band`."""
        low, high = TIME_SHARE_BOUNDS[TimeShareBand(band)]
        return self.filter(time_share__gte=low, time_share__lte=high)


class Profile(LockVersioned):
    """What a technician tells the network about themself, shown group by group as they choose.

    The display name and the council are always shown to approved members (the directory lists
    them); the other groups follow the visibility the member picked for each.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("compte"), on_delete=models.CASCADE, related_name="profile"
    )
    # Identity
    display_name = models.CharField(_("nom affiché"), max_length=150)
    # How the name appears where the member's contributions are listed (User.credit_name).
    credit = models.CharField(
        _("mention de mon nom dans les contributions"),
        max_length=10,
        choices=Credit.choices,
        default=CREDIT_DEFAULT,
        help_text=_(
            "S'applique à la liste des contributeur·rices des fiches de poste publiées (PDF, y compris ceux déjà "
            "publiés) et aux pages de la fiche : historique, activité, propositions et commentaires. Par défaut : "
            "vos initiales. L'équipe CNCD voit votre nom complet sur les pages de modération."
        ),
    )
    pronouns = models.CharField(_("pronoms"), max_length=40, blank=True, help_text=_("Par exemple : elle, il, iel."))
    photo = models.ImageField(_("photo"), upload_to=_photo_path, blank=True)
    job_title = models.CharField(_("intitulé du poste"), max_length=150, blank=True)
    council = models.ForeignKey(
        Council,
        verbose_name=_("conseil de développement"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="profiles",
    )
    # Post
    employer = models.CharField(
        _("collectivité employeuse"),
        max_length=200,
        blank=True,
        help_text=_("La collectivité qui vous emploie, si ce n'est pas celle du conseil."),
    )
    time_share = models.PositiveSmallIntegerField(
        _("part du temps consacrée au conseil (%)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("Un nombre entier entre 0 et 100."),
    )
    employment_status = models.CharField(_("statut"), max_length=16, choices=EmploymentStatus.choices, blank=True)
    category = models.CharField(_("catégorie"), max_length=1, choices=Category.choices, blank=True)
    filiere = models.CharField(_("filière"), max_length=20, choices=Filiere.choices, blank=True)
    grade = models.CharField(
        _("grade"), max_length=100, blank=True, help_text=_("Par exemple : attaché·e territorial·e.")
    )
    started_on = models.DateField(_("en poste depuis le"), null=True, blank=True)
    placement = models.CharField(_("rattachement du poste"), max_length=24, choices=PostPlacement.choices, blank=True)
    # About
    bio = models.TextField(_("présentation"), max_length=1500, blank=True)
    help_topics = models.TextField(_("sujets sur lesquels je peux aider"), max_length=1000, blank=True)
    training_wishes = models.TextField(_("besoins de formation"), max_length=1000, blank=True)
    open_to_exchange = models.BooleanField(_("ouvert·e aux échanges entre pairs"), default=True)
    # Visibility of each group
    identity_visibility = models.CharField(
        _("visibilité : identité"),
        max_length=10,
        choices=[(v.value, v.label) for v in (Visibility.MEMBERS, Visibility.PUBLIC)],
        default=Visibility.MEMBERS,
    )
    post_visibility = models.CharField(
        _("visibilité : poste"), max_length=10, choices=Visibility.choices, default=Visibility.MEMBERS
    )
    about_visibility = models.CharField(
        _("visibilité : à propos"), max_length=10, choices=Visibility.choices, default=Visibility.MEMBERS
    )
    contact_visibility = models.CharField(
        _("visibilité : adresse e-mail"), max_length=10, choices=Visibility.choices, default=Visibility.HIDDEN
    )
    updated_at = models.DateTimeField(_("mis à jour le"), auto_now=True)
    # The display name without accents or capitals, kept up to date on save, for search.
    search_text = models.CharField(max_length=150, blank=True, editable=False)

    objects = ProfileQuerySet.as_manager()

    class Meta:
        verbose_name = _("profil")
        verbose_name_plural = _("profils")
        ordering = ["display_name", "pk"]
        indexes = [
            # The directory's order: its first page is read along the index, not sorted out of every profile.
            models.Index(fields=["display_name", "id"], name="members_profile_directory"),
        ]

    def __str__(self):
        return self.display_name

    def save(self, *args, **kwargs):
        self.search_text = search_key(self.display_name)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)


def _invitation_token():
    return secrets.token_urlsafe(32)


def _invitation_expiry():
    return timezone.now() + timedelta(days=settings.INVITATION_VALIDITY_DAYS)


class InvitationQuerySet(models.QuerySet):
    def open(self):
        """Invitations not yet used and not expired."""
        return self.filter(accepted_at__isnull=True, expires_at__gt=timezone.now())


class Invitation(models.Model):
    """An invitation from the CNCD team: whoever signs up through its link is approved at once."""

    email = models.EmailField(_("adresse e-mail"))
    token = models.CharField(_("jeton"), max_length=64, unique=True, default=_invitation_token, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invité·e par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("envoyée le"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expire le"), default=_invitation_expiry)
    accepted_at = models.DateTimeField(_("acceptée le"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("compte créé"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.email

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()
