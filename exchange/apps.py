from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "exchange"
    verbose_name = _("Entraide")

    def ready(self):
        from exchange import caching, home, journal, panels, personal_data

        caching.connect()  # the cached space and question pages follow every change (exchange.caching)
        personal_data.register()
        home.register()
        journal.register()
        panels.register()
