from django.core.management.base import BaseCommand

from training.reminders import overdue_reminders_send


class Command(BaseCommand):
    help = (
        "Prévient chaque membre dont une action de son plan de développement a dépassé son échéance, une fois "
        "par échéance (notification, et e-mail selon son choix). À lancer chaque jour (cron)."
    )

    def handle(self, *args, **options):
        count = overdue_reminders_send()
        self.stdout.write(self.style.SUCCESS(f"Rappels d'échéance envoyés à {count} membre(s)."))
