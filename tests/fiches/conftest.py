import pytest

from tests.fiches.factories import fiche_with_sections


@pytest.fixture
def fiche(db):
    return fiche_with_sections(3)


@pytest.fixture
def section(fiche):
    return fiche.sections.order_by("order").first()
