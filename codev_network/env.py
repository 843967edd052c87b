"""Reading settings from the environment, with errors that name the variable.

One rule names the variables (docs/deployment.md lists them all):
- `DJANGO_<SETTING>`: a setting of Django or of a Django package, given directly (DJANGO_DEBUG,
  DJANGO_SECRET_KEY, DJANGO_MEDIA_ROOT, DJANGO_DEFAULT_FROM_EMAIL…);
- the conventional names of a connection to a service: DATABASE_URL (and DATABASE_CONN_MAX_AGE),
  REDIS_URL, EMAIL_* (SMTP), S3_* (object storage);
- `CODEV_<NAME>`: the platform's own choices (CODEV_SITE_URL, CODEV_TASKS_BACKEND,
  CODEV_INVITATION_VALIDITY_DAYS…), the scripts' and the tests' included (CODEV_BENCH_*, CODEV_E2E_*).
"""

import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None, *, required: bool = False) -> str:
    """Return the variable's value, or stop start-up naming it when it is required and absent."""
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        if required:
            raise ImproperlyConfigured(f"La variable d'environnement {name} est obligatoire en production.")
        return default if default is not None else ""
    return value.strip()


def env_bool(name: str, default: bool = False) -> bool:
    """Return a boolean variable; anything but a recognised word stops start-up."""
    value = os.environ.get(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"La variable d'environnement {name} doit valoir true ou false (reçu : {value!r}).")


def env_int(name: str, default: int) -> int:
    """Return an integer variable; a non-number stops start-up naming it."""
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(
            f"La variable d'environnement {name} doit être un nombre entier (reçu : {value!r})."
        ) from None


def env_list(name: str, default: list[str] | None = None, *, required: bool = False) -> list[str]:
    """Return a comma-separated variable as a list of non-empty items."""
    raw = env_str(name, required=required)
    items = [item.strip() for item in raw.split(",") if item.strip()]
    if not items and required:
        raise ImproperlyConfigured(f"La variable d'environnement {name} est obligatoire en production.")
    return items or list(default or [])


# Variables renamed when the rule above was set: a server still configured with the old name stops
# with a message naming the new one, rather than silently falling back to a default.
RENAMED = {
    "SITE_URL": "CODEV_SITE_URL",
    "TASKS_BACKEND": "CODEV_TASKS_BACKEND",
    "PENDING_ACCOUNT_RETENTION_DAYS": "CODEV_PENDING_ACCOUNT_RETENTION_DAYS",
    "INVITATION_VALIDITY_DAYS": "CODEV_INVITATION_VALIDITY_DAYS",
    "MEDIA_ROOT": "DJANGO_MEDIA_ROOT",
    "DEFAULT_FROM_EMAIL": "DJANGO_DEFAULT_FROM_EMAIL",
    "SERVER_EMAIL": "DJANGO_SERVER_EMAIL",
}


def refuse_renamed_variables() -> None:
    """Stop start-up when a variable is set under a name it no longer has."""
    found = [f"{old} (devenue {new})" for old, new in RENAMED.items() if os.environ.get(old, "").strip()]
    if found:
        raise ImproperlyConfigured(
            "Ces variables d'environnement ont été renommées, renommez-les dans la configuration du serveur : "
            + ", ".join(found)
            + "."
        )


SETTINGS_MODULES = {
    "codev_network.settings.development": "poste de développement (./scripts/run.sh le choisit)",
    "codev_network.settings.production": "serveur de production",
}


def require_settings_module() -> str:
    """The settings module named by DJANGO_SETTINGS_MODULE; start-up stops when none is named.

    There is no default: a server started without settings must not fall back to a debug
    configuration with a published secret key (manage.py, wsgi.py and asgi.py call this).
    """
    module = os.environ.get("DJANGO_SETTINGS_MODULE", "").strip()
    if not module:
        choices = "\n".join(f"  - {name} : {use}" for name, use in SETTINGS_MODULES.items())
        raise ImproperlyConfigured(
            "La variable d'environnement DJANGO_SETTINGS_MODULE est obligatoire : aucun réglage par défaut "
            f"n'est appliqué. Choisissez par exemple :\n{choices}\n"
            "(export DJANGO_SETTINGS_MODULE=codev_network.settings.development sur un poste de développement)."
        )
    return module
