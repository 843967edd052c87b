"""The audit log and background PDF exports, moved from the `codev_network` app to `core`.

Their tables keep the names they were created with (`codev_network_auditentry`,
`codev_network_pdfexport`), so a database migrated before the move holds them already: the state is
declared here and a table is created only where it is missing (a new database). No data is touched.
"""

import uuid

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MODELS = ("AuditEntry", "PdfExport")


def create_missing_tables(apps, schema_editor):
    existing = set(schema_editor.connection.introspection.table_names())
    for name in MODELS:
        model = apps.get_model("core", name)
        if model._meta.db_table not in existing:
            schema_editor.create_model(model)


def drop_tables(apps, schema_editor):
    for name in reversed(MODELS):
        schema_editor.delete_model(apps.get_model("core", name))


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="AuditEntry",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("action", models.CharField(db_index=True, max_length=100, verbose_name="action")),
                        ("target_type", models.CharField(blank=True, max_length=100, verbose_name="type d'objet")),
                        (
                            "target_id",
                            models.CharField(blank=True, max_length=64, verbose_name="identifiant de l'objet"),
                        ),
                        ("target_repr", models.CharField(blank=True, max_length=255, verbose_name="objet")),
                        ("data", models.JSONField(blank=True, default=dict, verbose_name="détails")),
                        ("created_at", models.DateTimeField(auto_now_add=True, db_index=True, verbose_name="date")),
                        (
                            "actor",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="auteur·rice",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "entrée du journal d'audit",
                        "verbose_name_plural": "journal d'audit",
                        "ordering": ["-created_at", "-id"],
                        "db_table": "codev_network_auditentry",
                    },
                ),
                migrations.CreateModel(
                    name="PdfExport",
                    fields=[
                        ("id", models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                        ("kind", models.CharField(max_length=50, verbose_name="document")),
                        ("params", models.JSONField(blank=True, default=dict, verbose_name="paramètres")),
                        ("language", models.CharField(max_length=10, verbose_name="langue")),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("queued", "En file d'attente"),
                                    ("running", "En cours de préparation"),
                                    ("done", "Prêt"),
                                    ("failed", "Échec"),
                                ],
                                default="queued",
                                max_length=20,
                                verbose_name="état",
                            ),
                        ),
                        ("file_name", models.CharField(blank=True, max_length=255, verbose_name="fichier stocké")),
                        (
                            "download_name",
                            models.CharField(blank=True, max_length=255, verbose_name="nom du fichier téléchargé"),
                        ),
                        ("error", models.TextField(blank=True, verbose_name="erreur")),
                        (
                            "created_at",
                            models.DateTimeField(auto_now_add=True, db_index=True, verbose_name="demandé le"),
                        ),
                        ("started_at", models.DateTimeField(blank=True, null=True, verbose_name="commencé le")),
                        ("finished_at", models.DateTimeField(blank=True, null=True, verbose_name="terminé le")),
                        (
                            "requested_by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="demandé par",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "export PDF",
                        "verbose_name_plural": "exports PDF",
                        "ordering": ["-created_at"],
                        "db_table": "codev_network_pdfexport",
                    },
                ),
            ],
            database_operations=[],
        ),
        # After the state above, so that the function sees both models.
        migrations.RunPython(create_missing_tables, drop_tables),
    ]
