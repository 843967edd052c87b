"""Backups and migrations, exercised on scratch databases of the engine the suite runs on.

Each test drives `manage.py` in subprocesses against databases created for it (temporary SQLite
files, or fresh PostgreSQL databases when DATABASE_URL names PostgreSQL), so the shared test
database is never migrated backwards or overwritten.
"""

import json
import os
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path

import dj_database_url
import pytest

ROOT = Path(__file__).resolve().parents[2]
LOCAL_APPS_NEWEST_FIRST = ["fiches", "missions", "competences", "codev_network", "members"]
ON_POSTGRESQL = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))

MIGRATED_DEMO = """
from django.core.management import call_command
call_command("migrate", verbosity=0)
call_command("seed_demo")
"""

FINGERPRINT = """
import hashlib, json
from django.db import connection
from codev_network.backups import table_row_counts
checksums = {}
with connection.cursor() as cursor:
    for table in ["members_user", "codev_network_auditentry", "account_emailaddress", "django_migrations"]:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)} ORDER BY 1")
        checksums[table] = hashlib.sha256(repr(cursor.fetchall()).encode()).hexdigest()
print(json.dumps({"counts": table_row_counts(), "checksums": checksums}))
"""

SOURCE_DATA = """
from django.core.management import call_command
call_command("migrate", verbosity=0)
call_command("createcachetable")
call_command("seed_demo", verbosity=0)
from codev_network.audit import audit_log
from members.models import User
admin = User.objects.get(email="admin@demo.codev-reseau.fr")
for number in range(30):
    audit_log(actor=admin, action="tests.backup.written", target=admin, data={"n": number, "texte": "Élu·e « test »"})
"""


class ScratchDatabases:
    """Creates empty databases of the suite's engine, and removes them afterwards."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.created: list[str] = []
        self.server = dj_database_url.parse(os.environ["DATABASE_URL"]) if ON_POSTGRESQL else None

    def new(self, label: str) -> str:
        if self.server is None:
            return f"sqlite:///{self.directory / f'{label}.sqlite3'}"
        name = f"codev_scratch_{label}_{uuid.uuid4().hex[:8]}"
        with self._admin_connection() as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        self.created.append(name)
        server = self.server
        credentials = server["USER"] + (f":{server['PASSWORD']}" if server.get("PASSWORD") else "")
        return f"postgres://{credentials}@{server['HOST'] or '127.0.0.1'}:{server['PORT'] or 5432}/{name}"

    def _admin_connection(self):
        import psycopg

        server = self.server
        return psycopg.connect(
            dbname="postgres",
            user=server["USER"],
            password=server.get("PASSWORD") or None,
            host=server["HOST"] or "127.0.0.1",
            port=server["PORT"] or 5432,
            autocommit=True,
        )

    def drop_all(self):
        if not self.created:
            return
        with self._admin_connection() as connection:
            for name in self.created:
                connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def scratch(tmp_path):
    databases = ScratchDatabases(tmp_path)
    yield databases
    databases.drop_all()


def manage(*args, database_url: str, media_root: Path, check: bool = True) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_", "MEDIA_"))}
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={
            **clean,
            "DJANGO_SETTINGS_MODULE": "codev_network.settings.base",
            "DJANGO_DEBUG": "false",
            "DATABASE_URL": database_url,
            "MEDIA_ROOT": str(media_root),
        },
        capture_output=True,
        text=True,
        timeout=300,
    )
    if check:
        assert result.returncode == 0, f"manage.py {' '.join(args)}\n{result.stdout}\n{result.stderr}"
    return result


def fingerprint(database_url: str, media_root: Path) -> dict:
    result = manage("shell", "-c", FINGERPRINT, database_url=database_url, media_root=media_root)
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_a_backup_restored_into_an_empty_database_gives_back_the_same_content(scratch, tmp_path):
    source_url, target_url = scratch.new("source"), scratch.new("target")
    source_media, target_media = tmp_path / "media-source", tmp_path / "media-target"
    manage("shell", "-c", SOURCE_DATA, database_url=source_url, media_root=source_media)
    photo = source_media / "members" / "photos" / "portrait-élue.webp"
    photo.parent.mkdir(parents=True)
    photo.write_bytes(b"RIFF\x00\x01photo")
    archive = tmp_path / "sauvegarde.tar.gz"

    result = manage("backup", "--output", str(archive), database_url=source_url, media_root=source_media)

    assert f"Sauvegarde écrite : {archive}" in result.stdout
    assert oct(archive.stat().st_mode & 0o777) == "0o600"
    with tarfile.open(archive) as content:
        names = content.getnames()
        manifest = json.loads(content.extractfile("manifest.json").read())
    engine = "postgresql" if ON_POSTGRESQL else "sqlite"
    assert manifest["engine"] == engine
    assert manifest["database_file"] in names
    assert "media/members/photos/portrait-élue.webp" in names
    assert "0001_initial" in manifest["migrations"]["members"]
    assert manifest["tables"]["codev_network_auditentry"] >= 30

    restored = manage("restore", str(archive), database_url=target_url, media_root=target_media)

    assert "restaurée" in restored.stdout
    before, after = fingerprint(source_url, source_media), fingerprint(target_url, target_media)
    assert after["counts"] == before["counts"]
    assert after["checksums"] == before["checksums"]
    assert before["counts"]["members_user"] >= 4
    assert (target_media / "members" / "photos" / "portrait-élue.webp").read_bytes() == b"RIFF\x00\x01photo"

    # The restored database now holds accounts: a second restore must be confirmed.
    refused = manage("restore", str(archive), database_url=target_url, media_root=target_media, check=False)
    assert refused.returncode != 0
    assert "n'est pas vide" in refused.stderr
    assert "--force" in refused.stderr
    forced = manage("restore", str(archive), "--force", database_url=target_url, media_root=target_media)
    assert "restaurée" in forced.stdout
    assert fingerprint(target_url, target_media)["checksums"] == before["checksums"]


def test_restore_rejects_a_file_that_is_not_a_backup(scratch, tmp_path):
    not_a_backup = tmp_path / "notes.tar.gz"
    not_a_backup.write_bytes(b"ceci n'est pas une archive")
    result = manage("restore", str(not_a_backup), database_url=scratch.new("empty"), media_root=tmp_path, check=False)
    assert result.returncode != 0
    assert "n'est pas une sauvegarde de la plateforme" in result.stderr


def test_migrations_go_back_to_zero_and_forward_again_on_the_demo_data(scratch, tmp_path):
    url, media = scratch.new("migrations"), tmp_path / "media"
    manage("shell", "-c", MIGRATED_DEMO, database_url=url, media_root=media)

    backwards = f"from django.core.management import call_command\nfor app in {LOCAL_APPS_NEWEST_FIRST!r}:\n"
    backwards += '    call_command("migrate", app, "zero", verbosity=0)'
    manage("shell", "-c", backwards, database_url=url, media_root=media)

    plan = manage("showmigrations", *LOCAL_APPS_NEWEST_FIRST, database_url=url, media_root=media).stdout
    assert "[X]" not in plan
    assert "[ ] 0001_initial" in plan

    manage("migrate", "--verbosity", "0", database_url=url, media_root=media)
    plan = manage("showmigrations", database_url=url, media_root=media).stdout
    assert "[ ]" not in plan
    seeded = manage("seed_demo", database_url=url, media_root=media)
    assert "Données de démonstration prêtes." in seeded.stdout
