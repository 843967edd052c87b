"""Missions and activities move to the `missions` app: state only, their tables stay (db_table there)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("competences", "0003_lock_version_and_one_draft"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveConstraint(
                    model_name="activity",
                    name="competences_unique_activity_code",
                ),
                migrations.RemoveConstraint(
                    model_name="mission",
                    name="competences_unique_mission_code",
                ),
                migrations.RemoveField(
                    model_name="mission",
                    name="version",
                ),
                migrations.DeleteModel(
                    name="Activity",
                ),
                migrations.DeleteModel(
                    name="Mission",
                ),
            ],
            database_operations=[],
        ),
    ]
