"""System checks of the platform's own settings (`manage.py check --deploy`)."""

from django.conf import settings
from django.core.checks import Tags, Warning, register

# The variable that sets each LEGAL_NOTICE value (codev_network/settings/base.py, docs/deployment.md).
LEGAL_NOTICE_VARIABLES = {
    "publisher_name": "CODEV_PUBLISHER_NAME",
    "publisher_address": "CODEV_PUBLISHER_ADDRESS",
    "publication_director": "CODEV_PUBLICATION_DIRECTOR",
    "contact_email": "CODEV_CONTACT_EMAIL",
    "host_name": "CODEV_HOST_NAME",
    "host_address": "CODEV_HOST_ADDRESS",
    "host_phone": "CODEV_HOST_PHONE",
}


@register(Tags.security, deploy=True)
def legal_notice_is_complete(app_configs, **kwargs):
    """A server must say who publishes and hosts it: an empty value shows "non renseigné" on the legal pages."""
    legal = getattr(settings, "LEGAL_NOTICE", {})
    missing = [variable for key, variable in LEGAL_NOTICE_VARIABLES.items() if not legal.get(key)]
    if not missing:
        return []
    return [
        Warning(
            "Les mentions légales et la déclaration d'accessibilité sont incomplètes : "
            + ", ".join(missing)
            + " non renseignée(s).",
            hint="Renseignez ces variables (docs/deployment.md) : les pages affichent « non renseigné ».",
            id="codev.W001",
        )
    ]
