from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FichesConfig(AppConfig):
    name = "fiches"
    verbose_name = _("Fiches de poste")

    def ready(self):
        from fiches import home, journal, onboarding, personal_data

        personal_data.register()
        onboarding.register()
        home.register()
        journal.register()
