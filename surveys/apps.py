from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = _("Enquêtes")

    def ready(self):
        from surveys import home, journal, personal_data, report

        personal_data.register()
        home.register()
        journal.register()
        report.register()  # the results' PDF report (core.pdf_exports)
