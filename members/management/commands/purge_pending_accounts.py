from django.conf import settings
from django.core.management.base import BaseCommand

from members.services import users_purge_pending


class Command(BaseCommand):
    help = "Supprime les comptes en attente de validation depuis plus de CODEV_PENDING_ACCOUNT_RETENTION_DAYS jours."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Ancienneté minimale en jours (par défaut : le réglage CODEV_PENDING_ACCOUNT_RETENTION_DAYS).",
        )

    def handle(self, *args, days=None, **options):
        days = settings.PENDING_ACCOUNT_RETENTION_DAYS if days is None else days
        count = users_purge_pending(older_than_days=days)
        self.stdout.write(self.style.SUCCESS(f"{count} compte(s) en attente depuis plus de {days} jours supprimé(s)."))
