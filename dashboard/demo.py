"""Demo figures: what the fictional technicians say about their work, so that every chart shows something.

The technicians (members.demo) declare their missions and rate themselves on the published
référentiel; most agree to be found in the directory by competence and level
(competences.AssessmentSharing), which is what lets their ratings count in the heatmap. Every draw
comes from a generator seeded by the technician's address: the same demo on every machine, and a
technician who already has ratings, declarations or a directory choice is left as they are.
"""

import random
from contextlib import contextmanager
from datetime import datetime, timedelta

from django.utils import timezone

from competences.models import AssessmentSharing, Competence, FrameworkVersion, ScaleLevel, SelfAssessment
from fiches.enums import SuggestionStatus
from fiches.models import COMMON_FICHE_SLUG, Comment, Section, Suggestion
from members.demo import demo_technician_emails
from members.models import User
from missions.models import Mission, MissionDeclaration

# The share of technicians who rated themselves, and of those who agreed to be found by level.
RATED_SHARE = 0.85
IN_DIRECTORY_SHARE = 0.75
DECLARING_SHARE = 0.8
# Competences few technicians work on: a third of them answer "not concerned".
RARELY_CONCERNED = {"C-INS-07", "C-TRA-05"}


def seed() -> None:
    """Ratings, directory choices and declared missions of the demo technicians who have none yet."""
    version = FrameworkVersion.objects.current()
    if version is None:
        return
    users = list(User.objects.filter(email__in=demo_technician_emails()).select_related("profile").order_by("email"))
    _seed_ratings(version, users)
    _seed_declarations(version, users)
    _seed_participation(users)


def _typical_level(code: str, levels: list[int]) -> int:
    """The level most technicians give themselves on a competence: the same for every seeding."""
    rng = random.Random(f"level:{code}")  # noqa: S311 - demo data, reproducible on purpose
    if len(levels) != 4:
        return rng.choice(levels)
    return rng.choices(levels, [1, 4, 4, 1])[0]


def _seed_ratings(version: FrameworkVersion, users: list[User]) -> None:
    codes = list(Competence.objects.of(version).order_by("code").values_list("code", flat=True))
    levels = sorted(ScaleLevel.objects.of(version).values_list("value", flat=True))
    if not codes or not levels:
        return
    typical = {code: _typical_level(code, levels) for code in codes}
    rated = set(SelfAssessment.objects.filter(user__in=users).values_list("user_id", flat=True))
    chosen = set(AssessmentSharing.objects.filter(user__in=users).values_list("user_id", flat=True))
    ratings, sharing = [], []
    for user in users:
        rng = random.Random(f"ratings:{user.email}")  # noqa: S311 - demo data, reproducible on purpose
        if rng.random() >= RATED_SHARE:
            continue
        if user.pk not in chosen:
            sharing.append(AssessmentSharing(user=user, in_directory=rng.random() < IN_DIRECTORY_SHARE))
        if user.pk in rated:
            continue
        for code in codes:
            if rng.random() < 0.08:  # left unanswered
                continue
            if code in RARELY_CONCERNED and rng.random() < 0.35:
                ratings.append(SelfAssessment(user=user, code=code, level=None, not_concerned=True, version=version))
                continue
            step = rng.choices([-1, 0, 1], [22, 55, 23])[0]
            level = min(max(typical[code] + step, levels[0]), levels[-1])
            ratings.append(SelfAssessment(user=user, code=code, level=level, version=version))
    SelfAssessment.objects.bulk_create(ratings, batch_size=500)
    AssessmentSharing.objects.bulk_create(sharing)


def _seed_declarations(version: FrameworkVersion, users: list[User]) -> None:
    codes = list(Mission.objects.of(version).order_by("order", "code").values_list("code", flat=True))
    if not codes:
        return
    declared = set(MissionDeclaration.objects.filter(user__in=users).values_list("user_id", flat=True))
    rows = []
    for user in users:
        rng = random.Random(f"missions:{user.email}")  # noqa: S311 - demo data, reproducible on purpose
        if user.pk in declared or rng.random() >= DECLARING_SHARE:
            continue
        # The first mission (animating the council) is nearly everyone's; the others come and go.
        missions = [code for index, code in enumerate(codes) if index == 0 or rng.random() < 0.7]
        time_share = getattr(getattr(user, "profile", None), "time_share", None) or 50
        weights = [rng.randint(1, 4) + (3 if index == 0 else 0) for index in range(len(missions))]
        for code, weight in zip(missions, weights, strict=True):
            share = max(5, round(time_share * weight / sum(weights) / 5) * 5)
            rows.append(MissionDeclaration(user=user, mission_code=code, time_share=min(share, 100)))
    MissionDeclaration.objects.bulk_create(rows)


# Past proposals on the common fiche, one or two a month, each discussed by a few technicians.
PAST_PROPOSALS = [
    ("Ajouter la préparation des séances du bureau aux activités.", "Cela prend une part réelle du temps."),
    ("Préciser le lien avec le service communication.", "Les avis gagnent à être relayés par la collectivité."),
    ("Mentionner l'accueil des nouveaux membres.", "Le renouvellement du conseil se prépare."),
    ("Distinguer l'animation des groupes de travail et celle des plénières.", "Ce ne sont pas les mêmes savoir-faire."),
]
PAST_COMMENTS = [
    "D'accord, c'est aussi le cas chez nous.",
    "Je proposerais une formulation plus courte.",
    "Cela dépend beaucoup de la taille du conseil.",
    "Oui, et cela mériterait un exemple.",
    "Pas sûr que ce soit propre au poste, mais pourquoi pas.",
]


@contextmanager
def _dates_kept(*models):
    """Let bulk_create keep the dates given instead of auto_now(_add) overwriting them."""
    fields = [
        field
        for model in models
        for field in model._meta.concrete_fields
        if getattr(field, "auto_now_add", 0) or getattr(field, "auto_now", 0)
    ]
    saved = [(field, field.auto_now, field.auto_now_add) for field in fields]
    try:
        for field in fields:
            field.auto_now = field.auto_now_add = False
        yield
    finally:
        for field, auto_now, auto_now_add in saved:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


def _seed_participation(users: list[User]) -> None:
    """Withdrawn proposals and their comments over the past eleven months, by 5 to 9 technicians a month."""
    if not users or Suggestion.objects.filter(author__in=users).exists():
        return
    sections = list(
        Section.objects.filter(fiche__slug=COMMON_FICHE_SLUG, current_revision__isnull=False)
        .select_related("current_revision")
        .order_by("order")
    )
    if not sections:
        return
    now = timezone.localtime()
    suggestions, comments = [], []
    for months_back in range(11, 0, -1):
        rng = random.Random(f"participation:{months_back}")  # noqa: S311 - demo data, reproducible on purpose
        people = rng.sample(users, min(len(users), rng.randint(5, 9)))
        index = now.year * 12 + now.month - 1 - months_back  # the month `months_back` months ago
        created = timezone.make_aware(datetime(index // 12, index % 12 + 1, rng.randint(3, 14), 10))
        body, rationale = PAST_PROPOSALS[months_back % len(PAST_PROPOSALS)]
        section = sections[months_back % len(sections)]
        suggestion = Suggestion(
            section=section,
            author=people[0],
            base_revision=section.current_revision,
            body=f"{section.current_revision.body}\n- {body}",
            rationale=rationale,
            status=SuggestionStatus.WITHDRAWN,
            decided_at=created + timedelta(days=12),
            created_at=created,
            updated_at=created + timedelta(days=12),
        )
        suggestions.append(suggestion)
        for number, person in enumerate(people[1:], 1):
            comments.append(
                Comment(
                    suggestion=suggestion,
                    author=person,
                    body=PAST_COMMENTS[(months_back + number) % len(PAST_COMMENTS)],
                    created_at=created + timedelta(hours=6 * number),
                )
            )
    with _dates_kept(Suggestion, Comment):
        Suggestion.objects.bulk_create(suggestions)
        Comment.objects.bulk_create(comments)
