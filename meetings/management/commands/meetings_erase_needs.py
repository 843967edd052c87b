from django.core.management.base import BaseCommand

from meetings.registration import needs_erase_past, needs_kept_days


class Command(BaseCommand):
    help = (
        "Efface les besoins particuliers (données sensibles) des inscriptions aux rencontres terminées depuis plus "
        "de MEETINGS_NEEDS_KEPT_DAYS jour(s) (1 par défaut). meetings_send_reminders le fait aussi ; à lancer "
        "chaque jour (cron)."
    )

    def handle(self, *args, **options):
        count = needs_erase_past()
        self.stdout.write(
            self.style.SUCCESS(
                f"Besoins particuliers effacés pour {count} inscription(s) "
                f"(rencontres terminées depuis plus de {needs_kept_days()} jour(s))."
            )
        )
