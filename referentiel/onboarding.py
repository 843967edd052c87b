"""The newcomer's step that belongs to the référentiel: a first self-assessment (members.onboarding)."""

from django.utils.translation import gettext_lazy as _

from competences.models import SelfAssessment
from members.onboarding import OnboardingStep


def self_assessment_made(user) -> bool:
    return SelfAssessment.objects.of_user(user).exists()


STEP = OnboardingStep(
    key="self-assessment",
    label=_("Faire mon auto-évaluation"),
    url_name="referentiel:self_assessment",
    is_done=self_assessment_made,
    order=30,
    hint=_("Situez-vous sur les compétences du référentiel ; elle reste privée."),
)


def register() -> None:
    """Add this app's step to the newcomer's checklist (from the AppConfig.ready())."""
    from members.onboarding import onboarding_step_register

    onboarding_step_register(STEP)
