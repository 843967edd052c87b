"""A small network with known values, so that every figure can be checked by hand.

16 technicians:
- Bretagne (dép. 35), communauté d'agglomération: 7 sharing everything, time share 20 ×5 and 50 ×2,
  titulaires, catégorie A, in post since 15 June 2020; plus 1 hiding their post and "about" facts
  (time share 100, training wish "animation") who counts as a member only;
- Auvergne-Rhône-Alpes (dép. 69), métropole: 5, time share 50 ×4 and 80, contractuel·les,
  catégorie A, in post since 1 September 2025;
- Occitanie (dép. 31), communauté de communes: 3, time share 100, 100 and not given,
  titulaire ×2 and not given, catégorie B, B, C, in post since 2010 ×2 and not given.
"""

from datetime import date

import pytest

from members.enums import EmploymentStatus, TerritoryKind, Visibility
from tests.members.factories import CouncilFactory, ProfileFactory

TODAY = date(2026, 6, 15)


@pytest.fixture
def network(db):
    return build_network()


def build_network() -> dict:
    """Create the 16 technicians described above; return their profiles by group."""
    brittany = CouncilFactory(kind=TerritoryKind.AGGLOMERATION, departments=["35"])
    lyon = CouncilFactory(kind=TerritoryKind.METROPOLE, departments=["69"])
    occitania = CouncilFactory(kind=TerritoryKind.COMMUNES, departments=["31"])
    profiles = {"bretagne": [], "ara": [], "occitanie": []}
    for index in range(7):
        profiles["bretagne"].append(
            ProfileFactory(
                council=brittany,
                time_share=20 if index < 5 else 50,
                employment_status=EmploymentStatus.TITULAIRE,
                category="A",
                started_on=date(2020, 6, 15),
                training_wishes="Animation de réunions publiques" if index < 5 else "Droit des EPCI",
            )
        )
    profiles["hidden"] = ProfileFactory(
        council=brittany,
        time_share=100,
        post_visibility=Visibility.HIDDEN,
        about_visibility=Visibility.HIDDEN,
        training_wishes="animation",
    )
    for index in range(5):
        profiles["ara"].append(
            ProfileFactory(
                council=lyon,
                time_share=80 if index == 4 else 50,
                employment_status=EmploymentStatus.CONTRACTUEL,
                category="A",
                started_on=date(2025, 9, 1),
                training_wishes="",
            )
        )
    for time_share, status, category, started_on in [
        (100, EmploymentStatus.TITULAIRE, "B", date(2010, 1, 1)),
        (100, EmploymentStatus.TITULAIRE, "B", date(2010, 1, 1)),
        (None, "", "C", None),
    ]:
        profiles["occitanie"].append(
            ProfileFactory(
                council=occitania,
                time_share=time_share,
                employment_status=status,
                category=category,
                started_on=started_on,
                training_wishes="",
            )
        )
    return profiles
