from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FichesConfig(AppConfig):
    name = "fiches"
    verbose_name = _("Fiches de poste")

    def ready(self):
        from core.header_counts import header_counts_follow
        from fiches import caching, home, journal, kept_pages, onboarding, personal_data
        from fiches.models import Notification

        caching.connect()
        kept_pages.connect()  # members' pages of the fiche kept between two changes
        header_counts_follow(Notification, lambda notification: [notification.recipient_id])  # the header's count
        personal_data.register()
        onboarding.register()
        home.register()
        journal.register()
