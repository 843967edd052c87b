from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ToolboxConfig(AppConfig):
    name = "toolbox"
    verbose_name = _("Boîte à outils")

    def ready(self):
        from toolbox import home, journal, panels, personal_data, resource_cache

        resource_cache.connect()
        personal_data.register()
        home.register()
        journal.register()
        panels.register()
