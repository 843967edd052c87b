"""Campaigns with answers for the results' tests: groups of known sizes, answers of every kind."""

import random

from surveys.models import Response
from tests.surveys.factories import make_campaign, make_questionnaire

TOOLS = ["Framapad", "Miro", "Klaxoon", "<script>alert('x')</script>"]


def answers_for(rng: random.Random, *, ai: str | None = None) -> dict:
    """One respondent's answers to make_questionnaire's questions (the shared answers format)."""
    ai = ai or rng.choice(["oui", "non"])
    animer = rng.choice([20, 30, 40, 50, 60])
    accompagner = rng.choice([10, 20, 30])
    answers = {
        "ia": ai,
        "temps": {"animer": animer, "accompagner": accompagner, "valoriser": 100 - animer - accompagner},
        "satisfaction": rng.randint(1, 5),
        "seances": str(rng.randint(0, 60)),
        "outil": rng.choice(TOOLS),
    }
    if ai == "oui":
        answers["ia-usages"] = rng.sample(["synthese", "courriers", "transcription"], rng.randint(1, 3))
    return answers


def closed_campaign_with(groups: list[tuple[str, str, int]], *, seed: int = 7, questionnaire=None, **fields):
    """A closed campaign with `count` responses for each (region code, category, count)."""
    rng = random.Random(seed)
    campaign = make_campaign(questionnaire or make_questionnaire(), open_now=False, **fields)
    Response.objects.bulk_create(
        [
            Response(campaign=campaign, answers=answers_for(rng), region_code=region, category=category)
            for region, category, count in groups
            for _number in range(count)
        ]
    )
    return campaign


# Bretagne 12, Île-de-France 9, Normandie 6, Corse 2, plus one without a region; categories A 14, B 10, C 6.
STANDARD_GROUPS = [
    ("53", "A", 7),
    ("53", "B", 5),
    ("11", "A", 4),
    ("11", "C", 5),
    ("28", "B", 5),
    ("28", "A", 1),
    ("94", "C", 1),
    ("94", "A", 1),
    ("", "A", 1),
]
