"""Import trainings into the catalogue from a CSV or XLSX, with the same checks as the team's import page."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from members.models import User
from training import transfer
from training.services import TrainingError


class Command(BaseCommand):
    help = (
        "Importe des formations dans le catalogue du parcours (CSV ou XLSX, mêmes colonnes que la page "
        "« Importer des formations ») au nom d'un compte de l'équipe CNCD. Une ligne dont l'intitulé et "
        "l'organisme sont ceux d'une formation existante la met à jour. Rien n'est écrit si une ligne a une erreur."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="Le fichier CSV ou XLSX.")
        parser.add_argument("--curateur", required=True, help="Adresse e-mail du compte de l'équipe CNCD.")
        parser.add_argument("--essai", action="store_true", help="Vérifier le fichier sans rien écrire.")

    def handle(self, *args, file: Path, curateur: str, essai: bool = False, **options):
        curator = User.objects.filter(email__iexact=curateur).first()
        if curator is None or not curator.is_curator:
            raise CommandError(f"{curateur} n'est pas un compte de l'équipe CNCD.")
        try:
            raw = file.read_bytes()[: transfer.MAX_IMPORT_BYTES + 1]
        except OSError as error:
            raise CommandError(f"Fichier illisible : {error}") from None
        preview = transfer.preview_file(raw)
        errors = list(preview.problems)
        for line in preview.error_lines:
            errors += [f"Ligne {line.line} : {error}" for error in line.errors]
        if errors:
            raise CommandError("Rien n'a été importé :\n" + "\n".join(f"- {error}" for error in errors))
        summary = f"{preview.created} formation(s) à créer, {preview.updated} à mettre à jour"
        if essai:
            self.stdout.write(f"{summary} (essai : rien n'est écrit).")
            return
        try:
            result = transfer.import_apply(lines=preview.lines, actor=curator, file_name=file.name)
        except TrainingError as error:
            raise CommandError("Rien n'a été importé : " + " ".join(error.messages)) from None
        self.stdout.write(
            self.style.SUCCESS(f"{result.created} formation(s) créée(s), {result.updated} mise(s) à jour.")
        )
