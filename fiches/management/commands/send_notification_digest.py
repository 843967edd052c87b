from itertools import groupby

from django.core.management.base import BaseCommand

from fiches.enums import EmailMode
from fiches.models import Notification
from fiches.notifications import send_digest


class Command(BaseCommand):
    help = "Envoie à chaque membre un e-mail récapitulant ses notifications non encore envoyées (à lancer chaque jour)."

    def handle(self, *args, **options):
        pending = (
            Notification.objects.to_email()
            .filter(recipient__is_active=True)
            .exclude(recipient__fiche_notifications__email_mode=EmailMode.NONE)
            .select_related("recipient")
            .order_by("recipient_id", "created_at", "pk")
        )
        sent = 0
        for _recipient_id, notifications in groupby(pending, key=lambda n: n.recipient_id):
            notifications = list(notifications)
            send_digest(user=notifications[0].recipient, notifications=notifications)
            sent += 1
        self.stdout.write(self.style.SUCCESS(f"{sent} récapitulatif(s) envoyé(s)."))
