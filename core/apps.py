from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The ground floor every app uses: audit, mail, PDF engine, diff, access rules, registries."""

    name = "core"
    verbose_name = _("Plateforme")

    def ready(self):
        from core import checks, personal_data_kinds  # noqa: F401 - checks registers the system checks

        personal_data_kinds.register()
        from core import page_cache, table_writes

        table_writes.connect()
        page_cache.connect()
