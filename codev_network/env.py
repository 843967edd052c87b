"""Reading settings from the environment, with errors that name the variable."""

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
