"""The newcomer's step that belongs to missions: declare the missions one carries out (members.onboarding)."""

from django.utils.translation import gettext_lazy as _

from members.onboarding import OnboardingStep
from missions.models import MissionDeclaration


def missions_declared(user) -> bool:
    return MissionDeclaration.objects.of_user(user).exists()


STEP = OnboardingStep(
    key="missions",
    label=_("Déclarer mes missions"),
    url_name="missions:declaration",
    is_done=missions_declared,
    order=20,
    hint=_("Les missions que vous exercez et la part de temps de chacune."),
)


def register() -> None:
    """Add this app's step to the newcomer's checklist (from the AppConfig.ready())."""
    from members.onboarding import onboarding_step_register

    onboarding_step_register(STEP)
