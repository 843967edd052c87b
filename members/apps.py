from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Membres")

    def ready(self):
        from members import directory, home, journal, personal_data
        from members.mfa import connect_signals
        from members.onboarding import PROFILE_STEP, onboarding_step_register

        connect_signals()
        directory.connect()
        onboarding_step_register(PROFILE_STEP)
        personal_data.register()
        home.register()
        journal.register()
