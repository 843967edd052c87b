from django.apps import AppConfig


class DevtoolsConfig(AppConfig):
    """Development only: demo and benchmark data, the timing middleware and the floor page."""

    name = "devtools"
    verbose_name = "Outils de développement"
