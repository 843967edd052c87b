"""Demo declarations: the demo technician's missions and the share of her time for each."""

from competences.models import FrameworkVersion
from members.models import User
from missions.models import MissionDeclaration
from missions.services import declarations_save

DEMO_SHARES = {"M1": 30, "M2": 15, "M3": 5}  # a half-time post, as is common


def seed() -> None:
    """Declare the demo technician's missions unless she already has."""
    member = User.objects.filter(email="technicienne@demo.codev-reseau.fr").first()
    if member is None or FrameworkVersion.objects.current() is None:
        return
    if MissionDeclaration.objects.of_user(member).exists():
        return
    declarations_save(user=member, shares=DEMO_SHARES)
