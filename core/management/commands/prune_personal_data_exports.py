from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError

from core.personal_data_exports import EXPORT_RETENTION, personal_data_export_prune


class Command(BaseCommand):
    help = (
        "Supprime les archives « Télécharger mes données » demandées depuis plus de 24 heures, avec leurs "
        "fichiers. Chaque nouvelle demande fait déjà ce ménage ; à lancer chaque jour."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--hours",
            type=int,
            default=int(EXPORT_RETENTION.total_seconds() // 3600),
            help="Ancienneté minimale en heures (par défaut : %(default)s).",
        )

    def handle(self, *args, hours, **options):
        if hours < 0:
            raise CommandError("--hours doit être positif ou nul.")
        count = personal_data_export_prune(older_than=timedelta(hours=hours))
        self.stdout.write(
            self.style.SUCCESS(f"{count} archive(s) de données personnelles de plus de {hours} heure(s) supprimée(s).")
        )
