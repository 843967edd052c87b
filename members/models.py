from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from members.enums import ROLE_RANK, AccountStatus, Role


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

    objects = EmailUserManager()

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = _("utilisateur·rice")
        verbose_name_plural = _("utilisateur·rices")
        ordering = ["email"]

    def __str__(self):
        return self.get_full_name() or self.email

    @property
    def is_approved(self) -> bool:
        return self.is_active and self.status == AccountStatus.APPROVED

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
