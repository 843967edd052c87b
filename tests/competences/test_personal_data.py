"""What the competences app declares about a person (competences/personal_data.py): exported, then erased."""

import pytest

from competences.enums import FrameworkStatus
from competences.models import AssessmentSharing, FrameworkVersion, SelfAssessment
from competences.personal_data import SELF_ASSESSMENTS, SHARING, VERSIONS_CREATED
from members.models import User
from referentiel.services import draft_create_from, self_assessment_save
from tests.erasure import erase_account
from tests.referentiel.factories import build_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def version(db):
    return build_version()


@pytest.fixture
def rated(member, other_member, version):
    """`member` rated two competences (one not concerned) and agreed to be found; `other_member` one."""
    self_assessment_save(
        user=member,
        version=version,
        ratings={"C-1-02": (3, False, "Trois forums animés"), "C-2-01": (None, True, "")},
    )
    AssessmentSharing.objects.create(user=member, in_directory=True)
    self_assessment_save(user=other_member, version=version, ratings={"C-1-02": (2, False, "Un atelier")})
    return member


def test_the_export_holds_each_rating_with_its_evidence_and_version(rated):
    rows = SELF_ASSESSMENTS.export(rated)

    assert [(row["competence_code"], row["competence"]) for row in rows] == [
        ("C-1-02", "Compétence 1.2"),
        ("C-2-01", "Compétence 2.1"),
    ]
    stored = SelfAssessment.objects.get(user=rated, code="C-1-02")
    assert rows[0] == {
        "competence_code": "C-1-02",
        "competence": "Compétence 1.2",
        "level": 3,
        "level_label": "Maîtrise",
        "not_concerned": False,
        "evidence": "Trois forums animés",
        "framework_version": "v1.0",
        "updated_at": stored.updated_at.isoformat(),
    }
    assert (rows[1]["level"], rows[1]["level_label"], rows[1]["not_concerned"]) == (None, "", True)
    assert all(tuple(row) == SELF_ASSESSMENTS.columns for row in rows)
    assert [row["in_directory"] for row in SHARING.export(rated)] == [True]


def test_the_versions_a_curator_started_are_exported(curator, version):
    draft = draft_create_from(source=version, label="v2.0", actor=curator)

    rows = VERSIONS_CREATED.export(curator)

    assert [(row["version"], row["status"], row["published_at"]) for row in rows] == [("v2.0", "Brouillon", None)]
    assert rows[0]["created_at"] == draft.created_at.isoformat()
    assert tuple(rows[0]) == VERSIONS_CREATED.columns


def test_deleting_the_account_deletes_the_ratings_and_the_choice_only_of_that_member(
    member_client, rated, other_member
):
    erase_account(member_client)

    assert not SelfAssessment.objects.filter(user=rated).exists()
    assert not AssessmentSharing.objects.filter(user=rated).exists()
    assert SELF_ASSESSMENTS.export(rated) == [] and SHARING.export(rated) == []
    assert list(SelfAssessment.objects.filter(user=other_member).values_list("code", "evidence")) == [
        ("C-1-02", "Un atelier")
    ]


def test_a_version_started_by_an_erased_curator_stays_without_their_name(client, curator, version):
    draft = draft_create_from(source=version, label="v2.0", actor=curator)
    client.force_login(curator)

    erase_account(client)

    draft = FrameworkVersion.objects.get(pk=draft.pk)
    assert draft.status == FrameworkStatus.DRAFT
    assert draft.created_by_id == curator.pk
    assert str(User.objects.get(pk=curator.pk)) == "Ancien·ne membre"
