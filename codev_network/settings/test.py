"""Test settings: fast hashing and plain static storage; the database still comes from DATABASE_URL."""

from codev_network.settings.base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
SECRET_KEY = "test-only-key-not-secret-0123456789-abcdefghijklmnopqrstuvwxyz"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
MEDIA_ROOT = BASE_DIR / "var" / "test-media"  # noqa: F405
# Tasks run inline in tests; tests of the worker itself switch to the database backend.
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
MFA_TOTP_INSECURE_BYPASS_CODE = None
# Demo and benchmark data commands are tested too (their app is never installed in production).
INSTALLED_APPS = [*INSTALLED_APPS, "devtools"]  # noqa: F405
# Pages are rendered afresh in tests (a first and a second visit make the same queries);
# tests/core/test_page_cache.py, test_kept_header.py and test_header_counts.py turn these caches on.
PUBLIC_PAGE_CACHE_SECONDS = 0
KEPT_FRAGMENT_SECONDS = 0
HEADER_COUNTS_SECONDS = 0
