"""training.levels: a member's self-assessed levels against the common fiche or their personal fiche."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fiches import services as fiche_services
from fiches.enums import SectionKind
from fiches.models import COMMON_FICHE_SLUG, Fiche, PersonalSection, Revision
from referentiel.services import self_assessment_save
from tests.fiches.factories import version_published
from tests.members.factories import UserFactory
from tests.referentiel.factories import build_version, small_data
from training.enums import PlanReference
from training.levels import level_comparison

pytestmark = pytest.mark.django_db

COMMON_BODY = "C-1-01 : niveau 3 — Compétence 1.1\nC-1-02 : niveau 2 — Compétence 1.2"


@pytest.fixture
def version(db):
    return build_version(small_data("v1.0"))


@pytest.fixture
def fiche(db):
    fiche = Fiche.objects.create(slug=COMMON_FICHE_SLUG, title="Fiche de poste commune")
    fiche_services.section_create(
        fiche=fiche, key="competences", title="Compétences", kind=SectionKind.COMPETENCES, body=COMMON_BODY, order=1
    )
    return fiche


def expect(fiche, body):
    """The common fiche's competences section now reads `body` (as if written under an older référentiel)."""
    Revision.objects.filter(pk=fiche.sections.get().current_revision_id).update(body=body)


def rate(user, version, **levels):
    self_assessment_save(
        user=user,
        version=version,
        ratings={code.replace("_", "-"): (level, False, f"Preuve {code}") for code, level in levels.items()},
    )


def test_the_common_fiche_sets_the_expected_levels_and_the_gaps(version, fiche):
    user = UserFactory()
    expect(fiche, COMMON_BODY + "\nC-9-99 : niveau 2 — Disparue")
    rate(user, version, C_1_01=1, C_1_02=3, C_2_01=2)
    result = level_comparison(user=user)

    assert result.reference == PlanReference.COMMON and not result.fell_back
    assert [row.code for row in result.rows] == ["C-1-01", "C-1-02"]
    first = result.row("C-1-01")
    assert (first.level, first.level_label, first.expected, first.expected_label) == (1, "Notions", 3, "Maîtrise")
    assert first.gap == 2 and first.below and first.evidence == "Preuve C_1_01"
    assert first.title == "Compétence 1.1" and first.domain_title == "Domaine 1"
    assert result.row("C-1-02").gap == -1 and result.row("C-1-02").met
    assert [row.code for row in result.gaps] == ["C-1-01"]
    # Rated without an expectation: listed apart.
    assert [row.code for row in result.unexpected] == ["C-2-01"]
    # An expectation for a code gone from the référentiel is left out, and named.
    assert result.dropped_codes == ["C-9-99"]
    assert result.scale == [(1, "Notions"), (2, "Application"), (3, "Maîtrise"), (4, "Expertise")]
    assert result.max_level == 4 and result.assessed


def test_gaps_come_widest_first(version, fiche):
    expect(fiche, "C-1-01 : niveau 2\nC-1-02 : niveau 4\nC-1-03 : niveau 3")
    user = UserFactory()
    rate(user, version, C_1_01=1, C_1_02=1, C_1_03=1)
    assert [(row.code, row.gap) for row in level_comparison(user=user).gaps] == [
        ("C-1-02", 3),
        ("C-1-03", 2),
        ("C-1-01", 1),
    ]


def test_nothing_rated_lists_the_expectations_unrated(version, fiche):
    result = level_comparison(user=UserFactory())
    assert not result.assessed and result.gaps == []
    assert [row.code for row in result.unrated] == ["C-1-01", "C-1-02"]
    assert all(row.gap is None for row in result.rows)


def test_not_concerned_is_rated_without_a_gap(version, fiche):
    user = UserFactory()
    self_assessment_save(user=user, version=version, ratings={"C-1-01": (None, True, "")})
    row = level_comparison(user=user).row("C-1-01")
    assert row.not_concerned and row.rated and row.gap is None


def test_without_a_common_fiche_or_a_référentiel(version):
    user = UserFactory()
    rate(user, version, C_1_01=2)
    result = level_comparison(user=user)
    assert result.rows == [] and not result.has_expectations
    assert [row.code for row in result.unexpected] == ["C-1-01"]


def test_without_a_published_référentiel():
    result = level_comparison(user=UserFactory())
    assert result.version is None and result.rows == [] and not result.assessed


def test_the_personal_fiche_when_asked_for_and_the_common_one_otherwise(version, fiche):
    user = UserFactory()
    rate(user, version, C_1_01=2, C_1_02=1)
    # Asked for, but the member has no personal fiche: the common one, and said so.
    result = level_comparison(user=user, reference=PlanReference.PERSONAL)
    assert result.reference == PlanReference.COMMON and result.fell_back and not result.has_personal_fiche

    version_published(fiche, "v1")
    personal = fiche_services.personal_fiche_create(owner=user, fiche=fiche, job_title="Chargée de mission")
    PersonalSection.objects.filter(personal_fiche=personal).update(body="C-1-01 : niveau 2\nC-1-03 : niveau 4")
    result = level_comparison(user=user, reference=PlanReference.PERSONAL)
    assert result.reference == PlanReference.PERSONAL and not result.fell_back and result.has_personal_fiche
    assert result.source == "Chargée de mission"
    assert [(row.code, row.expected, row.gap) for row in result.rows] == [("C-1-01", 2, 0), ("C-1-03", 4, None)]
    assert [row.code for row in result.unexpected] == ["C-1-02"]
    # The common one still, by default.
    common = level_comparison(user=user)
    assert common.reference == PlanReference.COMMON and common.has_personal_fiche and common.source == "v1"
    assert common.row("C-1-01").expected == 3
    # Nonsense reference: the common fiche.
    assert level_comparison(user=user, reference="n'importe").reference == PlanReference.COMMON


def test_the_comparison_reads_a_constant_number_of_queries(version, fiche):
    user = UserFactory()
    rate(user, version, C_1_01=1)
    with CaptureQueriesContext(connection) as few:
        level_comparison(user=user)
    rate(user, version, C_1_02=1, C_1_03=2, C_2_01=3, C_2_02=1)
    with CaptureQueriesContext(connection) as more:
        level_comparison(user=user)
    assert len(more) == len(few) <= 10
