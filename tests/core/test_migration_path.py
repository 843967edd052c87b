"""A database migrated and filled by the code of before the floors (issue 15) migrates to today's code
with no data change.

The models that moved (the audit log and PDF exports from `codev_network` to `core`; missions and
activities from `competences` to `missions`) keep their tables: the migrations change the state
only. This test takes the code as it was (`BEFORE_FLOORS`, from git), builds a database with it
(migrate, demo data, a PDF export), then runs today's migrations on that database and compares every
row of every table, on the suite's engine (PostgreSQL in CI, SQLite too).
"""

import json
import os
import subprocess
import sys
import tarfile
from io import BytesIO
from pathlib import Path

import pytest

from tests.core.test_backups import ScratchDatabases

ROOT = Path(__file__).resolve().parents[2]
# The last commit before the floors: the schema of the databases in use when they landed.
BEFORE_FLOORS = "5450b43"

# Tables Django itself rewrites on migrate: the migration records, and the content types and
# permissions of the models' new app labels (the old rows stay).
BOOKKEEPING = {"django_migrations", "django_content_type", "auth_permission"}
# Tables of models added since the floors, by their own later migrations: created, never dropped.
ADDED_SINCE_FLOORS = {
    "core_personaldataexport",
    "competences_assessmentsharing",
    "competences_alignment",
    "competences_competence_related",
    # The toolbox (issue 16).
    "toolbox_resource",
    "toolbox_resource_coauthors",
    "toolbox_resourcelink",
    "toolbox_resourcefile",
    "toolbox_resourcerevision",
    "toolbox_usefulmark",
    "toolbox_resourceuse",
    "toolbox_resourcecomment",
    "toolbox_resourcecommentreport",
    "toolbox_toolboxfollow",
    # The meetings (issue 19).
    "meetings_meeting",
    "meetings_meeting_organisers",
    "meetings_registration",
    "meetings_meetingfollow",
    "meetings_calendarfeed",
    "meetings_workshop",
    "meetings_workshop_participants",
    "meetings_material",
    "meetings_outcome",
    # Parcours (issue 17).
    "training_training",
    "training_trainingcompetence",
    "training_trainingsession",
    "training_trainingcompletion",
    "training_developmentplan",
    "training_planpriority",
    "training_planaction",
    "training_mentoroffer",
    "training_mentoringrequest",
    "training_welcomestep",
    "training_welcomestepdone",
    # Enquêtes (issue 18).
    "surveys_questionnaire",
    "surveys_questionsection",
    "surveys_question",
    "surveys_campaign",
    "surveys_participation",
    "surveys_response",
    # L'entraide (issue 21).
    "exchange_space",
    "exchange_question",
    "exchange_questiontag",
    "exchange_questionresource",
    "exchange_answer",
    "exchange_postrevision",
    "exchange_answeruseful",
    "exchange_mention",
    "exchange_answerinvitation",
    "exchange_exchangefollow",
    "exchange_messagingpreference",
    "exchange_conversation",
    "exchange_conversationmember",
    "exchange_message",
    "exchange_block",
    "exchange_report",
    # La vitrine (issue 23).
    "showcase_councilpage",
    "showcase_showcasepreference",
    "showcase_theme",
    "showcase_work",
    "showcase_work_themes",
    "showcase_worklink",
}

# Each table's columns, row count and a checksum of its rows. With `columns` (the result of an earlier
# run), only those columns are read: a column added since (with its default) is not a data change.
FINGERPRINT = """
import hashlib, json
from django.db import connection
earlier = json.loads({columns!r})
result = {{}}
with connection.cursor() as cursor:
    for table in sorted(connection.introspection.table_names()):
        names = earlier.get(table, {{}}).get("columns") or [
            column.name for column in connection.introspection.get_table_description(cursor, table)
        ]
        quoted = ", ".join(connection.ops.quote_name(name) for name in names)
        cursor.execute(f"SELECT {{quoted}} FROM {{connection.ops.quote_name(table)}}")
        rows = sorted(repr(row) for row in cursor.fetchall())
        digest = hashlib.sha256("\\n".join(rows).encode()).hexdigest()
        result[table] = {{"columns": names, "rows": len(rows), "sum": digest}}
print(json.dumps(result))
"""


OLD_DATA = """
from django.core.management import call_command
call_command("migrate", verbosity=0)
call_command("seed_demo", verbosity=0)
from codev_network.models import PdfExport
from members.models import User
admin = User.objects.get(email="admin@demo.codev-reseau.fr")
PdfExport.objects.create(requested_by=admin, kind="network_report", language="fr")
"""

READ_WITH_TODAYS_MODELS = """
import json
from core.models import AuditEntry, PdfExport
from missions.models import Activity, Mission
export = PdfExport.objects.get()
mission = Mission.objects.order_by("pk").first()
print(json.dumps({
    "missions": Mission.objects.count(),
    "activities": Activity.objects.count(),
    "links": Activity.competences.through.objects.count(),
    "audit": AuditEntry.objects.count(),
    "export_kind": export.kind_label,
    "first_mission_activities": mission.activities.count(),
}))
"""


def _run(code_root: Path, *args: str, database_url: str, media_root: Path) -> str:
    keep = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_", "MEDIA_", "CODEV_"))
    }
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=code_root,
        env={
            **keep,
            "DJANGO_SETTINGS_MODULE": "codev_network.settings.development",
            "DJANGO_DEBUG": "false",
            "DATABASE_URL": database_url,
            # The code of before read MEDIA_ROOT; today's refuses that name (codev_network/env.py).
            ("DJANGO_MEDIA_ROOT" if code_root == ROOT else "MEDIA_ROOT"): str(media_root),
        },
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, f"{code_root}: manage.py {' '.join(args)}\n{result.stdout}\n{result.stderr}"
    return result.stdout


def _last_json(output: str) -> dict:
    return json.loads(output.strip().splitlines()[-1])


@pytest.fixture
def code_before_floors(tmp_path) -> Path:
    """The project's files at BEFORE_FLOORS, unpacked from git (CI clones the whole history)."""
    archive = subprocess.run(
        ["git", "archive", "--format=tar", BEFORE_FLOORS], cwd=ROOT, capture_output=True, check=False
    )
    assert archive.returncode == 0, f"commit {BEFORE_FLOORS} not found in git: {archive.stderr.decode()}"
    target = tmp_path / "before"
    with tarfile.open(fileobj=BytesIO(archive.stdout)) as tar:
        tar.extractall(target, filter="data")
    return target


@pytest.fixture
def scratch(tmp_path):
    databases = ScratchDatabases(tmp_path)
    yield databases
    databases.drop_all()


def test_a_database_of_before_the_floors_migrates_with_no_data_change(code_before_floors, scratch, tmp_path):
    url, media = scratch.new("floors"), tmp_path / "media"
    _run(code_before_floors, "shell", "-c", OLD_DATA, database_url=url, media_root=media)
    script = FINGERPRINT.format(columns="{}")
    before = _last_json(_run(code_before_floors, "shell", "-c", script, database_url=url, media_root=media))
    assert before["competences_mission"]["rows"] > 0 and before["codev_network_pdfexport"]["rows"] == 1

    _run(ROOT, "migrate", "--verbosity", "0", database_url=url, media_root=media)
    _run(ROOT, "migrate", "--check", database_url=url, media_root=media)
    script = FINGERPRINT.format(columns=json.dumps(before))
    after = _last_json(_run(ROOT, "shell", "-c", script, database_url=url, media_root=media))

    assert set(after) == set(before) | ADDED_SINCE_FLOORS, "no table is dropped, none but new models' created"
    changed = sorted(table for table in before if table not in BOOKKEEPING and before[table] != after[table])
    assert not changed, f"rows changed in {changed}"

    read = _last_json(_run(ROOT, "shell", "-c", READ_WITH_TODAYS_MODELS, database_url=url, media_root=media))
    assert read["missions"] == before["competences_mission"]["rows"]
    assert read["activities"] == before["competences_activity"]["rows"]
    assert read["links"] == before["competences_activity_competences"]["rows"]
    assert read["audit"] == before["codev_network_auditentry"]["rows"]
    assert read["first_mission_activities"] > 0
    assert read["export_kind"] == "Rapport « Chiffres du réseau »"
