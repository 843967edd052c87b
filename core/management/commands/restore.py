from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.backups import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restaure une archive écrite par la commande backup : vérifie d'abord toute l'archive (manifeste, "
        "chemins, sommes de contrôle, migrations, nombres de lignes), puis remplace la base de données configurée "
        "en une transaction et remet les fichiers déposés. Refuse une base qui contient déjà des comptes, sauf "
        "avec --force. Une restauration refusée ou qui échoue ne modifie rien."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help="Archive .tar.gz écrite par la commande backup.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Remplacer aussi une base qui contient déjà des données.",
        )

    def handle(self, *args, **options):
        try:
            result = backup_restore(archive_path=options["archive"], force=options["force"])
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Sauvegarde du {result.manifest['created_at']} restaurée : {result.tables} tables, "
                f"{result.rows} lignes vérifiées, {result.media_files} fichier(s) déposé(s)."
            )
        )
