from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = _("Parcours")

    def ready(self):
        from training import generations, home, journal, personal_data
        from training.portfolio import portfolio_register_pdf

        generations.connect()

        personal_data.register()
        home.register()
        journal.register()
        portfolio_register_pdf()
