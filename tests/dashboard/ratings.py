"""Self-assessments as the dashboard counts them: of members who agreed to be found by level."""

from competences.models import AssessmentSharing, SelfAssessment


def rated(*, user, **fields) -> SelfAssessment:
    """A rating of `user`, who agreed to share their self-assessment in the directory (and so on the dashboard)."""
    AssessmentSharing.objects.update_or_create(user=user, defaults={"in_directory": True})
    return SelfAssessment.objects.create(user=user, **fields)
