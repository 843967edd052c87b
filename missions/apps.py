from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MissionsConfig(AppConfig):
    name = "missions"
    verbose_name = _("Missions")

    def ready(self):
        from members.directory import directory_filter_register
        from missions import home, onboarding, personal_data
        from missions.directory import MISSION_FILTER

        directory_filter_register(MISSION_FILTER)
        personal_data.register()
        onboarding.register()
        home.register()
