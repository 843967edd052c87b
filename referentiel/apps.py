from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferentielConfig(AppConfig):
    """The référentiel as one unit: versions copied, compared, published, imported, exported and read."""

    name = "referentiel"
    verbose_name = _("Référentiel")

    def ready(self):
        from referentiel import home, journal, onboarding

        onboarding.register()
        home.register()
        journal.register()
