import time
from datetime import timedelta

import factory
from allauth.account.models import EmailAddress
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.utils import timezone

from core.enums import Role
from members.enums import AccountStatus, Category, EmploymentStatus, TerritoryKind, Visibility
from members.models import Council, Department, Invitation, Profile, User

DEFAULT_PASSWORD = "motdepasse-solide-42"
# Distinct words so that generated council names are never "near duplicates" of each other.
_LETTERS = ["Armor", "Brocéliande", "Causses", "Dombes", "Estuaire", "Forez", "Gâtinais", "Hurepoix", "Iroise"]


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["email"]
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"technicien{n}@example.org")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    password = factory.django.Password(DEFAULT_PASSWORD)
    role = Role.MEMBER
    status = AccountStatus.APPROVED

    class Params:
        pending = factory.Trait(status=AccountStatus.PENDING)
        refused = factory.Trait(status=AccountStatus.REFUSED)
        curator = factory.Trait(role=Role.CURATOR)
        admin = factory.Trait(role=Role.ADMIN, is_staff=True, is_superuser=True)

    @factory.post_generation
    def verified_email(obj, create, extracted, **kwargs):
        if create:
            EmailAddress.objects.get_or_create(user=obj, email=obj.email, defaults={"verified": True, "primary": True})

    @factory.post_generation
    def totp(obj, create, extracted, **kwargs):
        """An active authenticator app (and recovery codes), as the site requires of curators and admins.

        Staff get one unless `totp=False`; members only with `totp=True`. `totp_code(user)` gives its code.
        """
        wanted = extracted if extracted is not None else obj.role in {Role.CURATOR, Role.ADMIN}
        if create and wanted and not Authenticator.objects.filter(user=obj, type=Authenticator.Type.TOTP).exists():
            TOTP.activate(obj, generate_totp_secret())
            RecoveryCodes.activate(obj)


def totp_secret(user) -> str:
    """The secret of `user`'s authenticator app, as the app on their phone knows it."""
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    return get_mfa_adapter().decrypt(authenticator.data["secret"])


def totp_code_for_secret(secret: str, *, step: int = 0) -> str:
    """The code an authenticator app shows for `secret` now (`step` periods later or earlier)."""
    counter = int(time.time()) // mfa_settings.TOTP_PERIOD + step
    return format_hotp_value(hotp_value(secret, counter))


def totp_code(user, *, step: int = 0) -> str:
    """The code `user`'s authenticator app shows now; `step=1` gives the next one, still accepted
    (MFA_TOTP_TOLERANCE) when the current one was already used."""
    return totp_code_for_secret(totp_secret(user), step=step)


def recovery_codes(user) -> list[str]:
    """`user`'s unused recovery codes."""
    return Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES).wrap().get_unused_codes()


class CouncilFactory(factory.django.DjangoModelFactory):
    """A validated council; départements come from the reference data loaded by migration."""

    class Meta:
        model = Council
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Conseil de développement numéro {n} {_LETTERS[n % len(_LETTERS)]}")
    kind = TerritoryKind.AGGLOMERATION
    authority_name = factory.LazyAttribute(lambda council: f"Collectivité de {council.name}")
    is_validated = True

    @factory.post_generation
    def departments(obj, create, extracted, **kwargs):
        if not create:
            return
        codes = extracted or ["35"]
        obj.departments.set(Department.objects.filter(code__in=codes))


class ProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Profile
        django_get_or_create = ["user"]

    user = factory.SubFactory(UserFactory)
    display_name = factory.LazyAttribute(lambda profile: profile.user.get_full_name() or profile.user.email)
    council = factory.SubFactory(CouncilFactory)
    job_title = "Chargé·e de mission conseil de développement"
    time_share = 50
    employment_status = EmploymentStatus.TITULAIRE
    category = Category.A
    bio = "Je coordonne les travaux du conseil depuis trois ans."

    class Params:
        public = factory.Trait(identity_visibility=Visibility.PUBLIC)


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    email = factory.Sequence(lambda n: f"invite{n}@example.org")

    class Params:
        expired = factory.Trait(expires_at=factory.LazyFunction(lambda: timezone.now() - timedelta(days=1)))
