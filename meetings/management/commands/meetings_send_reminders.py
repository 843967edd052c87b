from django.core.management.base import BaseCommand

from meetings.tasks import meetings_reminders_run


class Command(BaseCommand):
    help = (
        "Envoie (par la file des e-mails) un rappel à chaque personne inscrite aux rencontres qui commencent dans "
        "les 48 heures, une seule fois par rencontre, et efface les besoins particuliers des rencontres terminées "
        "depuis plus de MEETINGS_NEEDS_KEPT_DAYS jour(s). À lancer toutes les heures (cron)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--file",
            action="store_true",
            help="Confier le travail au worker (manage.py db_worker) au lieu de le faire tout de suite.",
        )

    def handle(self, *args, file=False, **options):
        if file:
            result = meetings_reminders_run.enqueue()
            self.stdout.write(self.style.SUCCESS(f"Tâche mise en file ({result.id})."))
            return
        counts = meetings_reminders_run.call()
        self.stdout.write(
            self.style.SUCCESS(
                f"{counts['reminders']} rappel(s) mis en file ; "
                f"besoins particuliers effacés pour {counts['needs_erased']} inscription(s)."
            )
        )
