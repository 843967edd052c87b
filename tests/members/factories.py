import factory
from allauth.account.models import EmailAddress

from members.enums import AccountStatus, Role
from members.models import User

DEFAULT_PASSWORD = "motdepasse-solide-42"


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
