import os

import pytest
from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.models import Authenticator
from django.conf import settings as django_settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest
from django.test import Client

from tests.members.factories import UserFactory
from tests.undefined_variables import UndefinedVariables

# Playwright's sync API runs an event loop in the test thread; Django must still allow ORM calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


# CI runs the whole suite once on PostgreSQL, the production database. On SQLite (the default of
# `run.sh`) and with the Redis cache it runs only the tests whose behaviour differs there
# (`-m db_engine`, `-m cache_backend`): these modules, listed here in one place. A module belongs here
# when it tests constraints, transactions, locks, value limits the engine enforces or not, dumps and
# restores, aggregates or text matching in SQL (db_engine); or rate limits, sessions, cached pages and
# locks kept in the cache (cache_backend).
DB_ENGINE_MODULES = {
    "tests/core/test_backups.py",
    "tests/core/test_migration_path.py",
    "tests/devtools/test_seed_scale.py",
    "tests/core/test_input_limits.py",
    "tests/surveys/test_anonymity.py",
    "tests/referentiel/test_concurrency.py",
    "tests/referentiel/test_import_robustness.py",
    "tests/referentiel/test_import_fuzz.py",
    "tests/referentiel/test_services.py",
    "tests/competences/test_models.py",
    "tests/referentiel/test_transfer.py",
    "tests/dashboard/test_disclosure.py",
    "tests/dashboard/test_selectors.py",
    "tests/fiches/test_concurrency.py",
    "tests/fiches/test_lost_updates.py",
    "tests/fiches/test_services.py",
    "tests/members/test_demo.py",
    "tests/members/test_directory.py",
    "tests/members/test_directory_search.py",
    "tests/referentiel/test_search.py",
    "tests/members/test_directory_referentiel.py",
    "tests/members/test_invitations.py",
    "tests/members/test_profile_conflicts.py",
    "tests/missions/test_declaration_conflicts.py",
    "tests/pdf/test_renderer.py",
    "tests/e2e/test_fiche_journey.py",
    # Erasure finds the person's name and address in JSON columns by SQL text matching.
    "tests/core/test_personal_data_end_to_end.py",
    "tests/core/test_personal_data_erase.py",
    "tests/members/test_personal_data.py",
    # Pages whose lists are sorted by the database (collations differ): their <main> must match on both.
    "tests/test_snapshots.py",
    # French full-text search on PostgreSQL, whole-word search on SQLite (core.fulltext).
    "tests/exchange/test_search.py",
    "tests/showcase/test_search.py",
}
CACHE_BACKEND_MODULES = {
    "tests/core/test_security.py",
    "tests/referentiel/test_browse.py",
    "tests/fiches/test_preview_limits.py",
    "tests/members/test_mfa.py",
    "tests/members/test_signup.py",
    "tests/members/test_account_security.py",
    "tests/pdf/test_fiche_pdf.py",
    "tests/pdf/test_prerender.py",
    "tests/pdf/test_renderer.py",
    # Erasure ends sessions kept in the cache too.
    "tests/members/test_personal_data.py",
    # Pages kept in the cache with generation keys, and counters of rate limits kept in the cache.
    "tests/training/test_caching.py",
    "tests/training/test_catalogue_cache.py",
    "tests/meetings/test_page_cache.py",
    "tests/toolbox/test_resource_cache.py",
    "tests/toolbox/test_catalogue_cache.py",
    "tests/exchange/test_caching.py",
    "tests/dashboard/test_caching.py",
    "tests/core/test_header_counts.py",
    "tests/exchange/test_ratelimits.py",
    # Public pages kept whole for visitors, forgotten at any write.
    "tests/core/test_page_cache.py",
    "tests/core/test_kept_header.py",
    # Members' pages of the fiche and profile pages kept between two changes.
    "tests/fiches/test_kept_pages.py",
    "tests/members/test_profile_page_cache.py",
}


def pytest_collection_modifyitems(config, items):
    """Mark the tests whose behaviour depends on the backends; skip row-lock tests outside PostgreSQL."""
    root = config.rootpath
    for item in items:
        module = item.path.relative_to(root).as_posix()
        if module in DB_ENGINE_MODULES:
            item.add_marker(pytest.mark.db_engine)
        if module in CACHE_BACKEND_MODULES:
            item.add_marker(pytest.mark.cache_backend)
    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(
        reason="Test de concurrence : nécessite PostgreSQL (verrous de ligne réels). "
        "Lancez-le avec DATABASE_URL=postgres://…"
    )
    for item in items:
        if "postgres_only" in item.keywords:
            item.add_marker(skip)


# --- Logging in test clients ----------------------------------------------------------------------
# The site's login leaves a session that records how it was authenticated: the password, then the
# second factor when the account has an authenticator app (allauth's authentication records).
# StaffMFARequiredMiddleware opens nothing to a curator or administrator whose session lacks the
# second factor. In tests, `client.force_login(user)` stands for a complete login through the site:
# it records the second factor too when the account has an app. A session opened with the password
# alone (the attack of issue 12) is `force_login_password_only(client, user)`.

_force_login_without_records = Client.force_login


def record_second_factor(client, user) -> None:
    """Record in `client`'s session that it passed the password and the second factor, as allauth does."""
    authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if authenticator is None:
        return
    session = client.session
    request = HttpRequest()
    request.session = session
    record_authentication(request, user, "password", email=user.email)
    record_authentication(request, user, "mfa", id=authenticator.pk, type=authenticator.type)
    session.save()


def force_login_with_second_factor(client, user, backend=None) -> None:
    _force_login_without_records(client, user, backend)
    record_second_factor(client, user)


def force_login_password_only(client, user) -> None:
    """A session opened with the password alone: no trace of a second factor."""
    _force_login_without_records(client, user)


@pytest.fixture(autouse=True, scope="session")
def _forced_logins_pass_the_second_factor():
    # Session-scoped: module-scoped fixtures (the authorization matrix's clients) log in before any
    # function-scoped fixture runs.
    Client.force_login = force_login_with_second_factor
    yield
    Client.force_login = _force_login_without_records


@pytest.fixture(autouse=True)
def _undefined_template_variables_fail():
    """A variable printed by one of the project's templates but given by no view fails the test."""
    with UndefinedVariables() as undefined:
        yield
    if undefined.found:
        pytest.fail("Variables non définies dans les gabarits :\n" + "\n".join(sorted(set(undefined.found))))


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(scope="session", autouse=True)
def _cache_table_known(django_db_setup, django_db_blocker):
    # core.generations looks for the database cache's table once per process (until it exists): done here, so
    # that the test which happens to read the cache first counts the same queries as when it runs after others.
    from core import generations

    with django_db_blocker.unblock():
        generations.cache_ready()


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
