import pytest
from django.db import connection

from tests.fiches.factories import fiche_with_sections


def pytest_collection_modifyitems(config, items):
    """Concurrency tests need real row locks: they run on PostgreSQL only."""
    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(
        reason="Test de concurrence : nécessite PostgreSQL (verrous de ligne réels). "
        "Lancez-le avec DATABASE_URL=postgres://…"
    )
    for item in items:
        if "postgres_only" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def fiche(db):
    return fiche_with_sections(3)


@pytest.fixture
def section(fiche):
    return fiche.sections.order_by("order").first()
