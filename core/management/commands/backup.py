from django.core.management.base import BaseCommand, CommandError

from core.backups import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Sauvegarde la base de données et les fichiers déposés dans une archive .tar.gz "
        "(pg_dump pour PostgreSQL, copie en ligne pour SQLite)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            help="Fichier à écrire, ou dossier où le créer (par défaut : var/backups/codev-network-<date>.tar.gz).",
        )

    def handle(self, *args, **options):
        try:
            path, manifest = backup_create(output=options["output"])
        except BackupError as error:
            raise CommandError(str(error)) from None
        rows = sum(manifest["tables"].values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Sauvegarde écrite : {path} ({len(manifest['tables'])} tables, {rows} lignes, "
                f"{manifest['media_files']} fichier(s) déposé(s))."
            )
        )
