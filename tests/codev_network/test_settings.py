import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "codev_network.settings.production",
    "DJANGO_SECRET_KEY": "k3y-" + "x7Qp9sLm2vBn8RtY4wZc6HjD1fGa5KeU0oIi" * 2,
    "DJANGO_ALLOWED_HOSTS": "codev.example.org",
    "SITE_URL": "https://codev.example.org",
    "DATABASE_URL": "postgres://codev@127.0.0.1:5432/codev_network",
    "EMAIL_HOST": "smtp.example.org",
}


def run_manage(*args, env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "EMAIL_", "SITE_"))}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deploy_check_without_warnings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    "missing", ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DATABASE_URL", "EMAIL_HOST", "SITE_URL"]
)
def test_production_start_up_stops_naming_a_missing_variable(missing):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert f"La variable d'environnement {missing} est obligatoire" in result.stderr


def test_production_refuses_a_short_secret_key():
    result = run_manage("check", env={**PRODUCTION_ENV, "DJANGO_SECRET_KEY": "court"})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY doit contenir au moins 50 caractères" in result.stderr


def test_an_invalid_boolean_is_named():
    result = run_manage("check", env={**PRODUCTION_ENV, "EMAIL_USE_TLS": "peut-être"})
    assert result.returncode != 0
    assert "EMAIL_USE_TLS doit valoir true ou false" in result.stderr


def test_production_mail_goes_through_smtp_and_cookies_are_secure():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.MAILERS['default']['BACKEND'], s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME, "
        "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, s.DEBUG)"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env={**clean, **PRODUCTION_ENV}, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.core.mail.backends.smtp.EmailBackend",
        "__Host-sessionid",
        "__Host-csrftoken",
        "True",
        "True",
        "31536000",
        "False",
    ]


def test_default_settings_use_sqlite_under_var_and_a_real_cache():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.DATABASES['default']['NAME'], s.CACHES['default']['BACKEND'])"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_"))}
    env = {**clean, "DJANGO_SETTINGS_MODULE": "codev_network.settings.base"}
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    engine, name, cache = result.stdout.split()
    assert engine == "django.db.backends.sqlite3"
    assert name.endswith("var/codev_network.sqlite3")
    assert cache == "django.core.cache.backends.db.DatabaseCache"

    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**env, "REDIS_URL": "redis://127.0.0.1:6379/1"},
        capture_output=True,
        text=True,
    )
    assert result.stdout.split()[2] == "django.core.cache.backends.redis.RedisCache"
