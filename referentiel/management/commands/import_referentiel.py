"""Import a référentiel file into a new draft, from the command line: the import page's preview, then the draft."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from referentiel import services
from referentiel.formats import FORMATS, read_file
from referentiel.formats.common import MAX_IMPORT_BYTES, MAX_IMPORT_MB
from referentiel.formats.tree import ROLES
from referentiel.importing import SCALE_PUBLISHED, SCALE_TYPED, ImportChoices, label_problems, preview, summary_lines


def _role(value: str) -> tuple[int, str]:
    """ "2=competence" → (2, "competence")."""
    depth, _sep, role = value.partition("=")
    role = role.strip().lower().replace("é", "e")
    try:
        number = int(depth)
    except ValueError:
        number = 0
    if number < 1 or role not in ROLES:
        raise CommandError(
            f"--niveau {value!r} : attendu NIVEAU=RÔLE, par exemple 2=competence (rôles : {', '.join(sorted(ROLES))})."
        )
    return number, role


class Command(BaseCommand):
    help = (
        "Importe un fichier de référentiel (CSV ou XLSX du projet, JSON CASE, CSV Moodle) dans un nouveau "
        "brouillon. Affiche le même aperçu que la page d'import (niveaux et rôles, contenu, remarques) et les "
        "problèmes ; code de sortie 1 s'il y en a. Avec --dry-run, rien n'est créé."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help=f"Le fichier à importer ({MAX_IMPORT_MB} Mo au plus).")
        parser.add_argument(
            "--format", dest="file_format", required=True, choices=[f.key for f in FORMATS], help="Format du fichier."
        )
        parser.add_argument("--label", required=True, help="Libellé du brouillon créé, par exemple v2.0.")
        parser.add_argument("--dry-run", action="store_true", help="Afficher l'aperçu sans rien créer.")
        parser.add_argument(
            "--niveau",
            action="append",
            default=[],
            metavar="N=RÔLE",
            help="Rôle d'un niveau du fichier (Moodle, CASE) : auto, domaine, competence ou description. Répétable.",
        )
        scale = parser.add_mutually_exclusive_group()
        scale.add_argument(
            "--echelle-publiee",
            action="store_true",
            help="Si le fichier n'a pas d'échelle : reprendre celle de la version publiée.",
        )
        scale.add_argument(
            "--echelle",
            default="",
            metavar="NIVEAUX",
            help="Si le fichier n'a pas d'échelle : ses niveaux, du plus bas au plus haut, \"Notions;Pratique;…\".",
        )
        parser.add_argument("--auteur", default="", help="Adresse e-mail du compte noté comme auteur de l'import.")

    def handle(self, *args, file, file_format, label, dry_run, niveau, echelle_publiee, echelle, auteur, **options):
        path = Path(file)
        try:
            with path.open("rb") as handle:
                raw = handle.read(MAX_IMPORT_BYTES + 1)
        except OSError as error:
            raise CommandError(f"Impossible de lire {file} : {error.strerror or error}.") from None
        actor = None
        if auteur:
            actor = get_user_model().objects.filter(email__iexact=auteur).first()
            if actor is None:
                raise CommandError(f"Aucun compte n'a l'adresse {auteur}.")
        roles = dict(_role(value) for value in niveau)
        result = read_file(raw=raw, file_format=file_format)
        if result.tree is not None:
            choices = ImportChoices(
                roles=roles,
                scale=SCALE_PUBLISHED if echelle_publiee else SCALE_TYPED if echelle else "",
                scale_levels=echelle,
            )
            if result.tree.scale and choices.scale:
                self.stdout.write("Le fichier a sa propre échelle : l'option d'échelle est ignorée.")
            result = preview(result.tree, choices)
        elif roles or echelle or echelle_publiee:
            self.stdout.write(
                "Ce format porte lui-même ses domaines et son échelle : --niveau et --echelle sont ignorés."
            )
        result.data.label = label
        for line in summary_lines(result):
            self.stdout.write(line)
        problems = [*result.problems, *label_problems(label)]
        if problems:
            for problem in problems:
                self.stderr.write(f"- {problem}")
            raise CommandError(f"{len(problems)} problème(s) : rien n'est importé.")
        if dry_run:
            self.stdout.write(self.style.SUCCESS("Essai (--dry-run) : le fichier est valide, rien n'a été créé."))
            return
        try:
            draft = services.draft_create_from_data(
                data=result.data, label=label, actor=actor, source_name=path.name[:200]
            )
        except ValidationError as error:
            for message in error.messages:
                self.stderr.write(f"- {message}")
            raise CommandError(f"{len(error.messages)} problème(s) : rien n'est importé.") from None
        self.stdout.write(self.style.SUCCESS(f"Brouillon {draft.label} créé à partir de {path.name}."))
