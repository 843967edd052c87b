"""The newcomer's step that belongs to fiches: start a personal fiche de poste (members.onboarding)."""

from django.utils.translation import gettext_lazy as _

from fiches.models import PersonalFiche
from members.onboarding import OnboardingStep


def personal_fiche_started(user) -> bool:
    return PersonalFiche.objects.filter(owner=user).exists()


STEP = OnboardingStep(
    key="personal-fiche",
    label=_("Commencer ma fiche de poste personnelle"),
    url_name="fiches:my_fiche",
    is_done=personal_fiche_started,
    order=40,
    hint=_("La fiche commune adaptée à votre poste, à remettre à votre employeur."),
)


def register() -> None:
    """Add this app's step to the newcomer's checklist (from the AppConfig.ready())."""
    from members.onboarding import onboarding_step_register

    onboarding_step_register(STEP)
