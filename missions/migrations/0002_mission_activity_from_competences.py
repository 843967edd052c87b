"""Missions and activities, moved from the `competences` app: state only, on the tables created there."""

import django.core.validators
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("competences", "0004_missions_move_to_missions_app"),
        ("missions", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Mission",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "lock_version",
                            models.PositiveIntegerField(default=0, editable=False, verbose_name="version d'édition"),
                        ),
                        (
                            "code",
                            models.CharField(
                                max_length=40,
                                validators=[
                                    django.core.validators.RegexValidator(
                                        "^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$",
                                        "Un code ne contient que des lettres sans accent, des chiffres, des points, tirets ou soulignés.",
                                    )
                                ],
                                verbose_name="code",
                            ),
                        ),
                        ("title", models.CharField(max_length=200, verbose_name="intitulé")),
                        ("purpose", models.TextField(blank=True, verbose_name="finalité")),
                        ("order", models.PositiveIntegerField(default=0, verbose_name="ordre")),
                        ("replaces", models.CharField(blank=True, max_length=40, verbose_name="remplace le code")),
                        (
                            "version",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="%(class)s_set",
                                to="competences.frameworkversion",
                                verbose_name="version",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "mission",
                        "verbose_name_plural": "missions",
                        "db_table": "competences_mission",
                        "ordering": ["version", "order", "code"],
                    },
                ),
                migrations.CreateModel(
                    name="Activity",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "lock_version",
                            models.PositiveIntegerField(default=0, editable=False, verbose_name="version d'édition"),
                        ),
                        (
                            "code",
                            models.CharField(
                                max_length=40,
                                validators=[
                                    django.core.validators.RegexValidator(
                                        "^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$",
                                        "Un code ne contient que des lettres sans accent, des chiffres, des points, tirets ou soulignés.",
                                    )
                                ],
                                verbose_name="code",
                            ),
                        ),
                        ("title", models.CharField(max_length=200, verbose_name="intitulé")),
                        ("description", models.TextField(blank=True, verbose_name="description")),
                        ("order", models.PositiveIntegerField(default=0, verbose_name="ordre")),
                        ("replaces", models.CharField(blank=True, max_length=40, verbose_name="remplace le code")),
                        (
                            "competences",
                            models.ManyToManyField(
                                blank=True,
                                db_table="competences_activity_competences",
                                related_name="activities",
                                to="competences.competence",
                                verbose_name="compétences mobilisées",
                            ),
                        ),
                        (
                            "version",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="%(class)s_set",
                                to="competences.frameworkversion",
                                verbose_name="version",
                            ),
                        ),
                        (
                            "mission",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="activities",
                                to="missions.mission",
                                verbose_name="mission",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "activité",
                        "verbose_name_plural": "activités",
                        "db_table": "competences_activity",
                        "ordering": ["version", "mission__order", "order", "code"],
                    },
                ),
                migrations.AddConstraint(
                    model_name="mission",
                    constraint=models.UniqueConstraint(
                        fields=("version", "code"), name="competences_unique_mission_code"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="activity",
                    constraint=models.UniqueConstraint(
                        fields=("version", "code"), name="competences_unique_activity_code"
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
