from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Rencontres")

    def ready(self):
        from meetings import caching, home, journal, personal_data

        caching.connect()
        personal_data.register()
        home.register()
        journal.register()
