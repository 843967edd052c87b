import os

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.db import connection

from tests.members.factories import UserFactory

# Playwright's sync API runs an event loop in the test thread; Django must still allow ORM calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


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


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _empty_redis_cache():
    # The database cache is rolled back with each test; Redis is not: rate-limit counters and cached
    # pages would leak from one test into the next. REDIS_URL must name a database kept for tests.
    if "redis" in django_settings.CACHES["default"]["BACKEND"].lower():
        cache.clear()


@pytest.fixture
def member(db):
    return UserFactory()


@pytest.fixture
def other_member(db):
    return UserFactory()


@pytest.fixture
def pending_user(db):
    return UserFactory(pending=True)


@pytest.fixture
def curator(db):
    return UserFactory(curator=True)


@pytest.fixture
def administrator(db):
    return UserFactory(admin=True)


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client


@pytest.fixture
def curator_client(client, curator):
    client.force_login(curator)
    return client
