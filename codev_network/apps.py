from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CodevNetworkConfig(AppConfig):
    name = "codev_network"
    verbose_name = _("Plateforme")
