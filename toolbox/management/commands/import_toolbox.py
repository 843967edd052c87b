from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from members.models import User
from toolbox import transfer
from toolbox.services import ToolboxError


class Command(BaseCommand):
    help = (
        "Importe une liste de ressources de la boîte à outils (CSV ou XLSX, mêmes colonnes que la page "
        "« Importer ») : chaque ressource est créée et publiée au nom d'un membre de l'équipe CNCD. Rien "
        "n'est créé si une ligne a un problème."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="Le fichier CSV ou XLSX.")
        parser.add_argument("--curateur", required=True, help="Adresse e-mail du compte de l'équipe CNCD qui publie.")
        parser.add_argument("--essai", action="store_true", help="Vérifier le fichier sans rien créer.")

    def handle(self, *args, file: Path, curateur: str, essai: bool = False, **options):
        curator = User.objects.filter(email__iexact=curateur).first()
        if curator is None or not curator.is_curator:
            raise CommandError(f"{curateur} n'est pas un compte de l'équipe CNCD.")
        try:
            raw = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Fichier illisible : {error}") from None
        preview = transfer.preview_file(raw)
        if preview.problems:
            raise CommandError("Rien n'a été importé :\n" + "\n".join(f"- {problem}" for problem in preview.problems))
        if essai:
            self.stdout.write(f"{len(preview.rows)} ressource(s) prête(s) à importer (essai : rien n'est créé).")
            return
        try:
            created = transfer.catalogue_import(rows=preview.rows, curator=curator)
        except ToolboxError as error:
            raise CommandError("Rien n'a été importé : " + " ".join(error.messages)) from None
        self.stdout.write(self.style.SUCCESS(f"{len(created)} ressource(s) importée(s) et publiée(s)."))
