"""What the missions app declares about a person (missions/personal_data.py): exported, then erased."""

import pytest

from competences.enums import FrameworkStatus
from missions.models import MissionDeclaration
from missions.personal_data import DECLARATIONS
from missions.services import declarations_save
from tests.erasure import erase_account
from tests.referentiel.factories import build_version, small_data

pytestmark = pytest.mark.django_db


def test_the_export_holds_each_mission_with_its_title_in_force_and_its_share(member):
    build_version(small_data("v1.0"), status=FrameworkStatus.ARCHIVED)
    current = small_data("v2.0")
    current.missions[0].title = "Animer le conseil"
    build_version(current)
    declarations_save(user=member, shares={"M1": 60, "M2": 30})
    stored = MissionDeclaration.objects.get(user=member, mission_code="M1")

    rows = DECLARATIONS.export(member)

    assert rows == [
        {
            "mission_code": "M1",
            "mission": "Animer le conseil",
            "time_share_percent": 60,
            "updated_at": stored.updated_at.isoformat(),
        },
        {
            "mission_code": "M2",
            "mission": "Mission 2",
            "time_share_percent": 30,
            "updated_at": rows[1]["updated_at"],
        },
    ]
    assert all(tuple(row) == DECLARATIONS.columns for row in rows)


def test_a_mission_gone_from_the_referentiel_is_still_exported_by_its_code(member):
    MissionDeclaration.objects.create(user=member, mission_code="M9", time_share=10)

    assert [(row["mission_code"], row["mission"]) for row in DECLARATIONS.export(member)] == [("M9", "")]


def test_deleting_the_account_deletes_the_declarations_of_that_member_only(member_client, member, other_member):
    build_version()
    declarations_save(user=member, shares={"M1": 60})
    declarations_save(user=other_member, shares={"M2": 50})

    erase_account(member_client)

    assert not MissionDeclaration.objects.filter(user=member).exists()
    assert DECLARATIONS.export(member) == []
    assert list(MissionDeclaration.objects.filter(user=other_member).values_list("mission_code", "time_share")) == [
        ("M2", 50)
    ]
