"""A member's self-assessed levels against the levels expected of them: the reading behind "Mon plan".

The expected levels come from the common fiche (`fiches.selectors.expected_levels`) or, when the member
asks for it and has one, from the competences section of their personal fiche. Only the competences of
the current published référentiel are listed: an expectation or a rating kept for a code the référentiel
no longer holds is left out (its code is listed in `dropped_codes`). A gap is `expected − level` when
both are known; a positive gap means the member rates themselves below what is expected.

The team's training needs (training.needs) define a gap the same way.
"""

from dataclasses import dataclass, field

from django.urls import reverse

from competences.models import Competence, FrameworkVersion, ScaleLevel, SelfAssessment
from fiches.enums import SectionKind
from fiches.rendering import parse_structured
from fiches.selectors import expected_levels, personal_fiche_of
from training.enums import PlanReference


@dataclass(frozen=True)
class LevelRow:
    """One competence: what the member says of themselves and what is expected of them."""

    code: str
    title: str
    domain_code: str
    domain_title: str
    url: str
    level: int | None = None
    level_label: str = ""
    expected: int | None = None
    expected_label: str = ""
    evidence: str = ""
    not_concerned: bool = False
    position: int = 0  # the competence's place in the référentiel, to keep its order

    @property
    def rated(self) -> bool:
        return self.level is not None or self.not_concerned

    @property
    def gap(self) -> int | None:
        """Expected minus self-assessed level, when both are known (positive: below what is expected)."""
        if self.level is None or self.expected is None:
            return None
        return self.expected - self.level

    @property
    def below(self) -> bool:
        return (self.gap or 0) > 0

    @property
    def met(self) -> bool:
        return self.gap is not None and self.gap <= 0


@dataclass
class LevelComparison:
    """The comparison for one member, against one reference."""

    requested: str  # the PlanReference asked for
    reference: str  # the PlanReference used (COMMON when the member has no personal fiche)
    version: FrameworkVersion | None  # the current référentiel, or None when none is published
    source: str = ""  # the fiche version the common levels come from ("" for its text being written)
    has_personal_fiche: bool = False
    scale: list[tuple[int, str]] = field(default_factory=list)  # (value, label) of the current scale
    rows: list[LevelRow] = field(default_factory=list)  # every competence with an expected level, in order
    unexpected: list[LevelRow] = field(default_factory=list)  # rated, without an expected level
    dropped_codes: list[str] = field(default_factory=list)  # expected or rated, but gone from the référentiel

    @property
    def fell_back(self) -> bool:
        """The personal fiche was asked for, but the member has none (or it expects nothing)."""
        return self.requested != self.reference

    @property
    def max_level(self) -> int:
        return max((value for value, _label in self.scale), default=0)

    @property
    def has_expectations(self) -> bool:
        return bool(self.rows)

    @property
    def assessed(self) -> bool:
        """The member rated at least one competence of the current référentiel."""
        return any(row.rated for row in self.rows) or bool(self.unexpected)

    @property
    def gaps(self) -> list[LevelRow]:
        """The competences rated below the expected level, the widest gap first, then in référentiel order."""
        return sorted((row for row in self.rows if row.below), key=lambda row: (-row.gap, row.position))

    @property
    def met(self) -> list[LevelRow]:
        return [row for row in self.rows if row.met]

    @property
    def unrated(self) -> list[LevelRow]:
        """Expected competences the member has not rated yet."""
        return [row for row in self.rows if not row.rated]

    def row(self, code: str) -> LevelRow | None:
        for row in self.rows:
            if row.code == code:
                return row
        for row in self.unexpected:
            if row.code == code:
                return row
        return None

    @property
    def titles(self) -> dict[str, str]:
        """Code → title of every competence listed."""
        return {row.code: row.title for row in [*self.rows, *self.unexpected]}


def personal_expected_levels(personal_fiche) -> dict[str, int]:
    """The levels the competences section(s) of a personal fiche expect, by code (first mention wins)."""
    levels: dict[str, int] = {}
    bodies = personal_fiche.sections.filter(section__kind=SectionKind.COMPETENCES).values_list("body", flat=True)
    for body in bodies:
        for line in parse_structured(body, strict=False):
            if line.level is not None:
                levels.setdefault(line.code, line.level)
    return levels


def level_comparison(*, user, reference: str = PlanReference.COMMON) -> LevelComparison:
    """`user`'s self-assessment against the levels expected by the common fiche or their personal fiche.

    A constant number of queries, whatever the size of the référentiel or of the self-assessment.
    """
    requested = PlanReference(reference) if reference in PlanReference.values else PlanReference.COMMON
    personal = personal_fiche_of(owner=user)
    version = FrameworkVersion.objects.current()
    result = LevelComparison(
        requested=requested, reference=PlanReference.COMMON, version=version, has_personal_fiche=personal is not None
    )
    if version is None:
        result.reference = requested if (requested == PlanReference.COMMON or personal) else PlanReference.COMMON
        return result

    expected: dict[str, int] = {}
    if requested == PlanReference.PERSONAL and personal is not None:
        expected = personal_expected_levels(personal)
        if expected:
            result.reference = PlanReference.PERSONAL
            result.source = personal.job_title
    if result.reference == PlanReference.COMMON:
        common = expected_levels()
        if common is not None:
            expected = common.levels
            result.source = common.source

    scale = {level.value: level.label for level in ScaleLevel.objects.of(version).order_by("value")}
    result.scale = sorted(scale.items())
    ratings = {
        rating.code: rating
        for rating in SelfAssessment.objects.of_user(user).only("code", "level", "not_concerned", "evidence")
    }
    wanted_codes = set(expected) | {
        code for code, rating in ratings.items() if rating.level is not None or rating.not_concerned
    }
    competences = (
        Competence.objects.of(version)
        .filter(code__in=wanted_codes)
        .select_related("domain")
        .only("code", "title", "order", "domain__code", "domain__title", "domain__order")
        .order_by("domain__order", "domain__code", "order", "code")
    )
    known = set()
    for position, competence in enumerate(competences):
        code = competence.code
        known.add(code)
        rating = ratings.get(code)
        wanted = expected.get(code)
        if wanted is None and (rating is None or not (rating.level is not None or rating.not_concerned)):
            continue
        row = LevelRow(
            code=code,
            title=competence.title,
            domain_code=competence.domain.code,
            domain_title=competence.domain.title,
            url=reverse("referentiel:competence", args=[version.label, code]),
            level=rating.level if rating else None,
            level_label=scale.get(rating.level, "") if rating and rating.level is not None else "",
            expected=wanted,
            expected_label=scale.get(wanted, "") if wanted is not None else "",
            evidence=rating.evidence if rating else "",
            not_concerned=bool(rating and rating.not_concerned),
            position=position,
        )
        (result.rows if wanted is not None else result.unexpected).append(row)
    result.dropped_codes = sorted(
        (set(expected) | {code for code, rating in ratings.items() if rating.level is not None}) - known
    )
    return result
