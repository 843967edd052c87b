from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core.audit import audit_prune


class Command(BaseCommand):
    help = (
        "Supprime les entrées du journal d'audit écrites depuis plus de CODEV_AUDIT_RETENTION_DAYS jours, sauf "
        "les effacements de comptes (AUDIT_KEPT_ACTIONS), gardés comme preuve. À lancer chaque jour."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Ancienneté minimale en jours (par défaut : le réglage CODEV_AUDIT_RETENTION_DAYS).",
        )

    def handle(self, *args, days=None, **options):
        days = settings.AUDIT_RETENTION_DAYS if days is None else days
        if days < 0:
            raise CommandError("--days doit être positif ou nul.")
        count = audit_prune(older_than_days=days, kept_actions=settings.AUDIT_KEPT_ACTIONS)
        self.stdout.write(
            self.style.SUCCESS(f"{count} entrée(s) du journal d'audit de plus de {days} jours supprimée(s).")
        )
