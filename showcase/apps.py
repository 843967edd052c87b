from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ShowcaseConfig(AppConfig):
    name = "showcase"
    verbose_name = _("Vitrine des conseils")

    def ready(self):
        from showcase import home, journal, panels, personal_data

        personal_data.register()
        home.register()
        journal.register()
        panels.register()
        panels.connect()  # what profile pages keep of the showcase (showcase.panels)
