from importlib import import_module

from django.core.management.base import BaseCommand
from django.db import transaction

from members.demo import DEMO_PASSWORD, demo_logins, demo_second_factor_hint

# Each app with demo content provides `<app>.demo.seed()`, idempotent; they run in dependency order.
DEMO_MODULES = [
    "members.demo",
    "referentiel.demo",
    "missions.demo",
    "fiches.demo",
    "toolbox.demo",
    "meetings.demo",
    "training.demo",
    "surveys.demo",
    "exchange.demo",
    "showcase.demo",
    "dashboard.demo",
]


class Command(BaseCommand):
    help = "Charge les données de démonstration (sans effet si elles existent déjà)."

    def handle(self, *args, **options):
        with transaction.atomic():
            for module_name in DEMO_MODULES:
                import_module(module_name).seed()
        self.stdout.write(self.style.SUCCESS("Données de démonstration prêtes."))
        self.stdout.write(f"Comptes de démonstration (mot de passe pour tous : {DEMO_PASSWORD}) :")
        for label, email in demo_logins():
            self.stdout.write(f"  - {label:<28} {email}")
        self.stdout.write(demo_second_factor_hint())
