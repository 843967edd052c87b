"""The directory's search box matches whole words (names, councils, territories), on every database."""

import pytest

from members.enums import TerritoryKind
from tests.members.factories import CouncilFactory, ProfileFactory

pytestmark = pytest.mark.django_db

URL = "/membres/annuaire/"
PEOPLE = ("Alain Pérez", "Maria Lopes", "Inès Ain-Durand", "Ana Gers")


@pytest.fixture
def network():
    ain = CouncilFactory(name="Conseil de développement du pays de Gex", kind=TerritoryKind.PETR, departments=["01"])
    landes = CouncilFactory(
        name="Conseil de développement des Landes", kind=TerritoryKind.METROPOLE, departments=["40"]
    )
    ProfileFactory(display_name="Alain Pérez", council=landes)
    ProfileFactory(display_name="Maria Lopes", council=landes)
    ProfileFactory(display_name="Inès Ain-Durand", council=landes)
    ProfileFactory(display_name="Ana Gers", council=ain)


def names(response) -> set[str]:
    assert response.status_code == 200
    page = response.content.decode()
    return {name for name in PEOPLE if name in page}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # "ain" is the Ain (département 01) or a word of a name, never a piece of "Alain".
        ("ain", {"Inès Ain-Durand", "Ana Gers"}),
        ("AIN", {"Inès Ain-Durand", "Ana Gers"}),
        ("ia", set()),  # not inside "Maria"
        ("maria", {"Maria Lopes"}),
        ("perez", {"Alain Pérez"}),
        ("alain landes", {"Alain Pérez"}),  # every word, from the name and the council
        ("gex", {"Ana Gers"}),
        ("lande", {"Alain Pérez", "Maria Lopes", "Inès Ain-Durand"}),  # the plural is allowed
        ("land", set()),
    ],
)
def test_the_search_box_matches_whole_words(member_client, network, query, expected):
    assert names(member_client.get(URL, {"q": query})) == expected
