from django.core.management.base import BaseCommand

from surveys.tasks import surveys_daily_round


class Command(BaseCommand):
    help = (
        "Enquêtes : envoie (par la file des e-mails) les invitations des campagnes programmées dont le jour est "
        "venu, un rappel unique aux membres qui n'ont pas envoyé leurs réponses SURVEYS_REMINDER_DAYS_BEFORE_CLOSE "
        "jour(s) avant la clôture, et clôt les campagnes dont la date est passée. À lancer chaque jour (cron)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--file",
            action="store_true",
            help="Confier le travail au worker (manage.py db_worker) au lieu de le faire tout de suite.",
        )

    def handle(self, *args, file=False, **options):
        if file:
            result = surveys_daily_round.enqueue()
            self.stdout.write(self.style.SUCCESS(f"Tâche mise en file ({result.id})."))
            return
        counts = surveys_daily_round.call()
        self.stdout.write(
            self.style.SUCCESS(
                f"{counts['invitations']} invitation(s) et {counts['reminders']} rappel(s) mis en file ; "
                f"{counts['closed']} campagne(s) close(s)."
            )
        )
