from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from fiches.notifications import notifications_prune


class Command(BaseCommand):
    help = (
        "Supprime les notifications lues reçues depuis plus de CODEV_NOTIFICATION_RETENTION_DAYS jours ; les "
        "notifications non lues sont gardées. À lancer chaque jour."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Ancienneté minimale en jours (par défaut : le réglage CODEV_NOTIFICATION_RETENTION_DAYS).",
        )

    def handle(self, *args, days=None, **options):
        days = settings.NOTIFICATION_RETENTION_DAYS if days is None else days
        if days < 0:
            raise CommandError("--days doit être positif ou nul.")
        count = notifications_prune(older_than_days=days)
        self.stdout.write(self.style.SUCCESS(f"{count} notification(s) lue(s) de plus de {days} jours supprimée(s)."))
