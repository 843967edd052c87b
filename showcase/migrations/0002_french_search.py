"""French full-text search on PostgreSQL: a GIN index on the vector (core.fulltext); nothing elsewhere.

The `codev_fr` configuration and `unaccent` come from toolbox's migration 0002.
"""

from django.db import migrations

from core.fulltext import gin_index_sql

INDEX = "showcase_work_search"


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(gin_index_sql("showcase_work", INDEX))


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("showcase", "0001_initial"), ("toolbox", "0002_french_search")]

    operations = [migrations.RunPython(forward, backward)]
