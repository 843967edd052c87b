"""Demo accounts, one per role, so that a fresh set-up can be tried at once."""

from allauth.account.models import EmailAddress

from members.enums import AccountStatus, Role
from members.models import User

DEMO_PASSWORD = "codev-demo-2026"  # noqa: S105 - printed on purpose for the demo

DEMO_ACCOUNTS = [
    # email, first name, last name, role, status
    ("admin@demo.codev-reseau.fr", "Anne", "Admin", Role.ADMIN, AccountStatus.APPROVED),
    ("equipe@demo.codev-reseau.fr", "Claire", "Morvan", Role.CURATOR, AccountStatus.APPROVED),
    ("technicienne@demo.codev-reseau.fr", "Léa", "Fontaine", Role.MEMBER, AccountStatus.APPROVED),
    ("en-attente@demo.codev-reseau.fr", "Hugo", "Perrin", Role.MEMBER, AccountStatus.PENDING),
]


def seed() -> None:
    """Create the demo accounts, leaving existing ones as they are."""
    for email, first_name, last_name, role, status in DEMO_ACCOUNTS:
        user, created = User.objects.get_or_create(
            email=email,
            defaults={
                "first_name": first_name,
                "last_name": last_name,
                "role": role,
                "status": status,
                "is_staff": role == Role.ADMIN,
                "is_superuser": role == Role.ADMIN,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})


def demo_logins() -> list[tuple[str, str]]:
    """(role label, email) of each demo account, for the set-up command to print."""
    return [
        (str(Role(role).label) + ("" if status == AccountStatus.APPROVED else " (en attente)"), email)
        for email, _first, _last, role, status in DEMO_ACCOUNTS
    ]
