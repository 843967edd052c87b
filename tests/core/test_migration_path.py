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

FINGERPRINT = """
import hashlib, json
from django.db import connection
result = {}
with connection.cursor() as cursor:
    for table in sorted(connection.introspection.table_names()):
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
        rows = sorted(repr(row) for row in cursor.fetchall())
        result[table] = [len(rows), hashlib.sha256("\\n".join(rows).encode()).hexdigest()]
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
    before = _last_json(_run(code_before_floors, "shell", "-c", FINGERPRINT, database_url=url, media_root=media))
    assert before["competences_mission"][0] > 0 and before["codev_network_pdfexport"][0] == 1

    _run(ROOT, "migrate", "--verbosity", "0", database_url=url, media_root=media)
    _run(ROOT, "migrate", "--check", database_url=url, media_root=media)
    after = _last_json(_run(ROOT, "shell", "-c", FINGERPRINT, database_url=url, media_root=media))

    assert set(after) == set(before), "no table is created or dropped"
    changed = sorted(table for table in before if table not in BOOKKEEPING and before[table] != after[table])
    assert not changed, f"rows changed in {changed}"

    read = _last_json(_run(ROOT, "shell", "-c", READ_WITH_TODAYS_MODELS, database_url=url, media_root=media))
    assert read["missions"] == before["competences_mission"][0]
    assert read["activities"] == before["competences_activity"][0]
    assert read["links"] == before["competences_activity_competences"][0]
    assert read["audit"] == before["codev_network_auditentry"][0]
    assert read["first_mission_activities"] > 0
    assert read["export_kind"] == "Rapport « Chiffres du réseau »"
