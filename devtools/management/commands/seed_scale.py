import time
from importlib import import_module

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from devtools.scale import ScaleOptions, scale_loaded, scale_seed


class Command(BaseCommand):
    help = (
        "Charge des données fictives à l'échelle d'un réseau national (membres, référentiel, fiche), "
        "pour les mesures de performance. Sans effet si elles sont déjà chargées ; --reset vide la base d'abord."
    )

    def add_arguments(self, parser):
        defaults = ScaleOptions()
        parser.add_argument("--members", type=int, default=defaults.members, help="comptes de technicien·nes")
        parser.add_argument("--competences", type=int, default=defaults.competences, help="compétences par version")
        parser.add_argument("--revisions", type=int, default=defaults.revisions, help="révisions de la fiche commune")
        parser.add_argument("--suggestions", type=int, default=defaults.suggestions, help="propositions")
        parser.add_argument("--long-words", type=int, default=defaults.long_words, help="mots de la section longue")
        parser.add_argument("--resources", type=int, default=defaults.resources, help="ressources de la boîte à outils")
        parser.add_argument(
            "--council-pages",
            type=int,
            default=defaults.council_pages,
            help="conseils validés avec une page publiée dans la vitrine",
        )
        parser.add_argument("--works", type=int, default=defaults.works, help="travaux publiés dans la vitrine")
        parser.add_argument(
            "--exchange-questions", type=int, default=defaults.exchange_questions, help="questions de l'entraide"
        )
        parser.add_argument(
            "--exchange-answers", type=int, default=defaults.exchange_answers, help="réponses de l'entraide"
        )
        parser.add_argument(
            "--seed", type=int, default=defaults.seed, help="graine du hasard (même graine, mêmes données)"
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="VIDE TOUTE LA BASE (flush), recharge la démonstration puis les données à l'échelle",
        )
        parser.add_argument("--no-input", action="store_true", help="ne pas demander confirmation de --reset")

    def handle(self, *args, **options):
        scale = ScaleOptions(
            members=options["members"],
            competences=options["competences"],
            revisions=options["revisions"],
            suggestions=options["suggestions"],
            long_words=options["long_words"],
            resources=options["resources"],
            council_pages=options["council_pages"],
            works=options["works"],
            exchange_questions=options["exchange_questions"],
            exchange_answers=options["exchange_answers"],
            seed=options["seed"],
        )
        if min(scale.members, scale.competences, scale.revisions, scale.suggestions) < 1:
            raise CommandError("--members, --competences, --revisions et --suggestions doivent valoir au moins 1.")
        if scale.competences < 30:
            raise CommandError("--competences doit valoir au moins 30 (les compétences de la démonstration).")
        if options["reset"]:
            # The generated rows are chained to the demo's (revisions, versions): the only clean undo
            # is an empty database, reloaded.
            if not options["no_input"]:
                answer = input("--reset vide TOUTE la base de données. Continuer ? [oui/non] ")
                if answer.strip().lower() not in {"oui", "o", "yes", "y"}:
                    raise CommandError("Annulé.")
            call_command("flush", interactive=False, verbosity=0)
            # flush also empties the reference rows a data migration loads (régions, départements).
            import_module("members.migrations.0003_regions_departments").load(apps, None)
            call_command("seed_demo", stdout=self.stdout)
        elif scale_loaded():
            self.stdout.write("Les données à l'échelle sont déjà chargées (--reset pour les régénérer).")
            return
        started = time.monotonic()
        self.stdout.write(f"Génération (graine {scale.seed}) :")
        try:
            with transaction.atomic():
                counts = scale_seed(scale, log=self.stdout.write)
        except RuntimeError as error:
            raise CommandError(str(error)) from None
        if connection.vendor == "postgresql":
            # Fresh statistics, as autovacuum would give them later: plans measured right after a
            # bulk load would otherwise assume empty tables.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        elapsed = time.monotonic() - started
        self.stdout.write(self.style.SUCCESS(f"Données à l'échelle prêtes en {elapsed:.1f} s : {counts}"))
