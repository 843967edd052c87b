from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompetencesConfig(AppConfig):
    name = "competences"
    verbose_name = _("Compétences")

    def ready(self):
        from competences import personal_data
        from competences.directory import COMPETENCE_FILTER
        from members.directory import directory_filter_register

        directory_filter_register(COMPETENCE_FILTER)
        personal_data.register()
