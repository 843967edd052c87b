import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Who publishes and hosts the platform (settings LEGAL_NOTICE): check --deploy warns while one is missing.
LEGAL_ENV = {
    "CODEV_PUBLISHER_NAME": "Coordination nationale des conseils de développement",
    "CODEV_PUBLISHER_ADDRESS": "1 rue de l'Exemple, 75000 Paris",
    "CODEV_PUBLICATION_DIRECTOR": "Camille Martin, présidente",
    "CODEV_CONTACT_EMAIL": "contact@codev.example.org",
    "CODEV_HOST_NAME": "Hébergeur SAS",
    "CODEV_HOST_ADDRESS": "2 avenue de l'Exemple, 69000 Lyon",
    "CODEV_HOST_PHONE": "01 23 45 67 89",
}
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "codev_network.settings.production",
    "DJANGO_SECRET_KEY": "k3y-" + "x7Qp9sLm2vBn8RtY4wZc6HjD1fGa5KeU0oIi" * 2,
    "DJANGO_ALLOWED_HOSTS": "codev.example.org",
    "CODEV_SITE_URL": "https://codev.example.org",
    "DATABASE_URL": "postgres://codev@127.0.0.1:5432/codev_network",
    "EMAIL_HOST": "smtp.example.org",
    **LEGAL_ENV,
}


def run_manage(*args, env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "EMAIL_", "CODEV_"))}
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


def test_the_deploy_check_names_the_legal_notice_variables_left_empty():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k not in {"CODEV_HOST_NAME", "CODEV_CONTACT_EMAIL"}}
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode != 0
    assert "codev.W001" in result.stderr
    assert "CODEV_CONTACT_EMAIL, CODEV_HOST_NAME non renseignée(s)" in result.stderr


@pytest.mark.parametrize(
    "missing", ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DATABASE_URL", "EMAIL_HOST", "CODEV_SITE_URL"]
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
    env = {**clean, "DJANGO_SETTINGS_MODULE": "codev_network.settings.development"}
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
    assert result.stdout.split()[2] == "core.cache.ReusedClientRedisCache"


def test_sessions_follow_the_cache_to_redis_and_stay_in_the_database():
    """With REDIS_URL, sessions are read from Redis and written to the database as well (cached_db): every
    app server finds them, and losing Redis or an app server logs nobody out (docs/deployment.md)."""
    code = "import django; django.setup(); from django.conf import settings as s; print(s.SESSION_ENGINE)"
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_"))}
    for settings_module in ("development", "production"):
        env = {**clean, **PRODUCTION_ENV, "DJANGO_SETTINGS_MODULE": f"codev_network.settings.{settings_module}"}
        without = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
        assert without.stdout.strip() == "django.contrib.sessions.backends.db", without.stderr
        with_redis = subprocess.run(
            [sys.executable, "-c", code],
            cwd=ROOT,
            env={**env, "REDIS_URL": "redis://127.0.0.1:6379/1"},
            capture_output=True,
            text=True,
        )
        assert with_redis.stdout.strip() == "django.contrib.sessions.backends.cached_db", with_redis.stderr


# --- No fail-open default (issue 12, item 10) -----------------------------------------------------


def _without_settings_module():
    return {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_"))}


def test_manage_py_without_settings_refuses_to_start():
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=_without_settings_module(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "La variable d'environnement DJANGO_SETTINGS_MODULE est obligatoire" in result.stderr
    assert "codev_network.settings.development" in result.stderr


@pytest.mark.parametrize("entry_point", ["codev_network.wsgi", "codev_network.asgi"])
def test_a_server_started_without_settings_refuses_to_start(entry_point):
    result = subprocess.run(
        [sys.executable, "-c", f"import {entry_point}"],
        cwd=ROOT,
        env=_without_settings_module(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DJANGO_SETTINGS_MODULE est obligatoire" in result.stderr


def test_the_base_settings_are_not_a_configuration_by_themselves():
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**_without_settings_module(), "DJANGO_SETTINGS_MODULE": "codev_network.settings.base"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "codev_network.settings.base ne se suffit pas à lui-même" in result.stderr


def test_the_base_settings_fail_closed():
    from codev_network.settings import base

    assert base.DEBUG is False
    assert base.SECRET_KEY == ""
    assert base.MFA_TOTP_INSECURE_BYPASS_CODE is None
    assert base.ALLOWED_HOSTS == [] or "DJANGO_ALLOWED_HOSTS" in os.environ


def test_the_tests_run_without_debug_nor_the_demo_code():
    from django.conf import settings

    assert settings.DEBUG is False
    assert settings.MFA_TOTP_INSECURE_BYPASS_CODE is None
    assert os.environ["DJANGO_SETTINGS_MODULE"] == "codev_network.settings.test"


def _development_values(**environment):
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DEBUG, s.MFA_TOTP_INSECURE_BYPASS_CODE, s.SECRET_KEY.startswith('dev-only'), s.ALLOWED_HOSTS[0])"
    )
    env = {**_without_settings_module(), "DJANGO_SETTINGS_MODULE": "codev_network.settings.development", **environment}
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_the_development_settings_hold_the_development_defaults():
    assert _development_values() == ["True", "123456", "True", "127.0.0.1"]
    # With DEBUG off (scripts/bench.py), the demo code is gone: allauth would refuse it.
    assert _development_values(DJANGO_DEBUG="false") == ["False", "None", "True", "127.0.0.1"]


def test_the_run_script_selects_the_development_settings():
    script = (ROOT / "scripts" / "run.sh").read_text()
    assert 'DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-codev_network.settings.development}"' in script


@pytest.mark.parametrize(("old", "new"), [("SITE_URL", "CODEV_SITE_URL"), ("MEDIA_ROOT", "DJANGO_MEDIA_ROOT")])
def test_a_variable_under_its_old_name_stops_start_up_naming_the_new_one(old, new):
    result = run_manage("check", env={**PRODUCTION_ENV, old: "/quelque/part"})
    assert result.returncode != 0
    assert f"{old} (devenue {new})" in result.stderr


def test_production_loads_no_development_tool():
    """devtools (demo and benchmark data, timing middleware, floor page) is never installed in production."""
    probe = (
        "import json; from django.conf import settings; from django.urls import resolve, Resolver404\n"
        "try:\n    resolve('/bench/plancher/'); floor = True\nexcept Resolver404:\n    floor = False\n"
        "print(json.dumps({'apps': settings.INSTALLED_APPS, 'middleware': settings.MIDDLEWARE, 'floor': floor}))"
    )
    result = run_manage("shell", "-c", probe, env={**PRODUCTION_ENV, "CODEV_BENCHMARK": "true"})
    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout.strip().splitlines()[-1])
    assert "devtools" not in loaded["apps"]
    assert not any(name.startswith("devtools.") for name in loaded["middleware"])
    assert loaded["floor"] is False
