from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError

from core.pdf_exports import EXPORT_RETENTION, pdf_export_prune


class Command(BaseCommand):
    help = (
        "Supprime les exports PDF préparés en arrière-plan (rapport « Chiffres du réseau ») demandés depuis plus "
        "de 24 heures, avec leurs fichiers. Chaque nouvelle demande fait déjà ce ménage ; à lancer chaque jour."
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
        count = pdf_export_prune(older_than=timedelta(hours=hours))
        self.stdout.write(self.style.SUCCESS(f"{count} export(s) PDF de plus de {hours} heure(s) supprimé(s)."))
