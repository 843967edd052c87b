from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    """The top floor: the network's figures, drawn from every app below."""

    name = "dashboard"
    verbose_name = _("Chiffres du réseau")

    def ready(self):
        from core.pdf_exports import pdf_export_register
        from dashboard import caching
        from dashboard.report import NETWORK_REPORT, network_report_document

        caching.connect()
        pdf_export_register(NETWORK_REPORT, label=_("Rapport « Chiffres du réseau »"), build=network_report_document)
