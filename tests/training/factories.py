"""Trainings, plans and mentoring for the parcours' tests."""

from datetime import date, timedelta

from training.enums import ProviderKind, TrainingFormat, TrainingStatus
from training.models import DevelopmentPlan, MentorOffer, Training, TrainingCompetence, TrainingSession


def make_training(*, codes=("C-1-01",), status=TrainingStatus.PUBLISHED, sessions=1, **fields) -> Training:
    """A published training developing `codes`, with `sessions` sessions a month apart from next month."""
    values = {
        "title": "Animer une réunion participative",
        "summary": "Deux jours pour concevoir et animer une séance avec des citoyen·nes.",
        "provider_kind": ProviderKind.CNFPT,
        "provider": "CNFPT – INSET de Dunkerque",
        "format": TrainingFormat.ON_SITE,
        "duration_hours": 14,
        "cost_note": "Gratuite pour les agents territoriaux",
        "url": "https://www.cnfpt.fr/",
        "status": status,
        **fields,
    }
    training = Training.objects.create(**values)
    TrainingCompetence.objects.bulk_create(TrainingCompetence(training=training, code=code) for code in codes)
    for index in range(sessions):
        start = date.today() + timedelta(days=30 * (index + 1))
        TrainingSession.objects.create(
            training=training, starts_on=start, ends_on=start + timedelta(days=1), place="Lille"
        )
    return training


def make_plan(user, **fields) -> DevelopmentPlan:
    return DevelopmentPlan.objects.create(user=user, **fields)


def make_mentor(user, *codes) -> list[MentorOffer]:
    return [MentorOffer.objects.create(user=user, code=code) for code in codes]
