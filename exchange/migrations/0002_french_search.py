"""French full-text search on PostgreSQL: a GIN index on the vector (core.fulltext); nothing elsewhere.

The `codev_fr` configuration and `unaccent` come from toolbox's migration 0002.
"""

from django.db import migrations

from core.fulltext import gin_index_sql

INDEX = "exchange_question_search"


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(gin_index_sql("exchange_question", INDEX))


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("exchange", "0001_initial"), ("toolbox", "0002_french_search")]

    operations = [migrations.RunPython(forward, backward)]
