"""Backups and migrations, exercised on scratch databases of the engine the suite runs on.

Each test drives `manage.py` in subprocesses against databases created for it (temporary SQLite
files, or fresh PostgreSQL databases when DATABASE_URL names PostgreSQL), so the shared test
database is never migrated backwards or overwritten.
"""

import hashlib
import io
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
LOCAL_APPS_NEWEST_FIRST = ["fiches", "missions", "competences", "core", "members"]
ON_POSTGRESQL = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))

MIGRATED_DEMO = """
from django.core.management import call_command
call_command("migrate", verbosity=0)
call_command("seed_demo")
"""

FINGERPRINT = """
import hashlib, json
from django.db import connection
from core.backups import table_row_counts
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
from core.audit import audit_log
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
            "DJANGO_SETTINGS_MODULE": "codev_network.settings.development",
            "DJANGO_DEBUG": "false",
            "DATABASE_URL": database_url,
            "DJANGO_MEDIA_ROOT": str(media_root),
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


# --- Restoring a bad archive changes nothing ---------------------------------------------------

TARGET_DATA = """
from django.core.management import call_command
call_command("migrate", verbosity=0)
call_command("createcachetable")
from members.models import User
User.objects.create_user(email="marqueur@example.org", password="marqueur-123456")
"""
LIVE_PHOTO = "members/photos/portrait-élue.webp"


@pytest.fixture(scope="module")
def live_system(tmp_path_factory):
    """A good archive of a seeded source, and a live target (a marker account, marker files) to restore into."""
    directory = tmp_path_factory.mktemp("restore")
    databases = ScratchDatabases(directory)
    source_url, target_url = databases.new("source"), databases.new("live")
    source_media, target_media = directory / "media-source", directory / "media-live"
    manage("shell", "-c", SOURCE_DATA, database_url=source_url, media_root=source_media)
    (source_media / LIVE_PHOTO).parent.mkdir(parents=True)
    (source_media / LIVE_PHOTO).write_bytes(b"RIFF\x00\x01photo")
    archive = directory / "bonne.tar.gz"
    manage("backup", "--output", str(archive), database_url=source_url, media_root=source_media)
    manage("shell", "-c", TARGET_DATA, database_url=target_url, media_root=target_media)
    (target_media / LIVE_PHOTO).parent.mkdir(parents=True)
    (target_media / LIVE_PHOTO).write_bytes(b"photo en service")
    (target_media / "marqueur.txt").write_bytes(b"fichier en service")
    state = fingerprint(target_url, target_media)
    assert state["counts"]["members_user"] == 1
    yield {"archive": archive, "url": target_url, "media": target_media, "state": state, "directory": directory}
    databases.drop_all()


def file_member(name: str, data: bytes) -> tuple[tarfile.TarInfo, bytes]:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    return info, data


def checksum_entry(data: bytes) -> dict:
    return {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()}


def rewritten(archive: Path, destination: Path, change) -> Path:
    """A copy of `archive` after `change(manifest, members)`, which edits them in place or returns new ones."""
    with tarfile.open(archive) as source:
        members = [(info, source.extractfile(info).read()) for info in source.getmembers()]
    assert members[0][0].name == "manifest.json"
    manifest = json.loads(members[0][1])
    members = members[1:]
    changed = change(manifest, members)
    manifest, members = changed if changed is not None else (manifest, members)
    with tarfile.open(destination, "w:gz") as output:
        if manifest is not None:
            info, data = file_member("manifest.json", json.dumps(manifest).encode())
            output.addfile(info, io.BytesIO(data))
        for info, data in members:
            output.addfile(info, io.BytesIO(data) if info.isreg() else None)
    return destination


def add_member(name, data=b"pris en otage", *, listed=True):
    def change(manifest, members):
        if listed:
            manifest["files"][name] = checksum_entry(data)
            manifest["media_files"] += name.startswith("media/")
        members.append(file_member(name, data))

    return change


def add_symlink(manifest, members):
    info = tarfile.TarInfo("media/lien")
    info.type = tarfile.SYMTYPE
    info.linkname = "/etc/passwd"
    members.append((info, b""))


def one_more_user_in_manifest(manifest, members):
    manifest["tables"]["members_user"] += 1


def altered_photo(manifest, members):
    for index, (info, data) in enumerate(members):
        if info.name == "media/" + LIVE_PHOTO:
            members[index] = (info, data[::-1])


def altered_database(manifest, members):
    for index, (info, data) in enumerate(members):
        if info.name == manifest["database_file"]:
            members[index] = (info, data[:-1] + bytes([data[-1] ^ 0xFF]))


def no_manifest(manifest, members):
    return None, members


def future_migration(manifest, members):
    manifest["migrations"]["members"].append("9999_du_futur")


def forgotten_migration(manifest, members):
    manifest["migrations"]["members"].pop()


def photo_left_out(manifest, members):
    return manifest, [(info, data) for info, data in members if info.name != "media/" + LIVE_PHOTO]


def old_format(manifest, members):
    manifest["format"] = 1


def photo_bigger_than_declared(manifest, members):
    manifest["files"]["media/" + LIVE_PHOTO]["size"] -= 1


CORRUPT_ARCHIVES = {
    "../ hors de l'archive": (add_member("../evadé.txt", listed=False), "chemin de fichier refusé"),
    "../ déclaré au manifeste": (add_member("media/../../evadé.txt"), "est refusé"),
    "chemin absolu": (add_member("/codev-evade.txt", listed=False), "chemin de fichier refusé"),
    "lien symbolique": (add_symlink, "pas un fichier ordinaire"),
    "fichier non déclaré": (add_member("media/intrus.txt", listed=False), "absent du manifeste"),
    "nombre de lignes": (one_more_user_in_manifest, "members_user"),
    "somme de contrôle d'un fichier": (altered_photo, "somme de contrôle"),
    "somme de contrôle de la base": (altered_database, "somme de contrôle"),
    "taille": (photo_bigger_than_declared, "n'a pas la taille"),
    "manifeste absent": (no_manifest, "ne commence pas par son manifeste"),
    "migration inconnue du code": (future_migration, "autre état des migrations"),
    "migration absente": (forgotten_migration, "autre état des migrations"),
    "fichier manquant": (photo_left_out, "ne contient pas 1 fichier"),
    "ancien format sans sommes de contrôle": (old_format, "ancien format 1"),
}


# The restore command, then the fingerprint, in one process (each Django start-up takes seconds).
ATTEMPT = """
import json
from django.core.management import call_command
from django.core.management.base import CommandError
try:
    call_command("restore", ARCHIVE, "--force")
    print(json.dumps({"error": None}))
except CommandError as error:
    print(json.dumps({"error": str(error)}))
"""


def restore_attempt(archive: Path, live: dict) -> tuple[str | None, dict]:
    """The error of `restore --force archive` into the live system (None if it succeeded), and the state after."""
    script = f"ARCHIVE = {str(archive)!r}\n" + ATTEMPT + FINGERPRINT
    lines = manage("shell", "-c", script, database_url=live["url"], media_root=live["media"]).stdout.splitlines()
    return json.loads(lines[-2])["error"], json.loads(lines[-1])


@pytest.mark.parametrize("case", list(CORRUPT_ARCHIVES))
def test_a_bad_archive_is_refused_and_the_live_system_is_left_as_it_was(live_system, case, tmp_path):
    change, message = CORRUPT_ARCHIVES[case]
    archive = rewritten(live_system["archive"], tmp_path / "abimee.tar.gz", change)

    error, state = restore_attempt(archive, live_system)

    assert error is not None
    assert message in error
    if ON_POSTGRESQL and case == "nombre de lignes":
        # Only the restored data can be counted: the check ran inside the restore's transaction.
        assert "a été annulée" in error
    assert state == live_system["state"]
    assert (live_system["media"] / LIVE_PHOTO).read_bytes() == b"photo en service"
    assert (live_system["media"] / "marqueur.txt").read_bytes() == b"fichier en service"
    assert sorted(path.name for path in live_system["media"].rglob("*")) == sorted(
        ["members", "photos", "portrait-élue.webp", "marqueur.txt"]
    )
    assert not list(live_system["directory"].rglob("evadé.txt"))
    assert not Path("/codev-evade.txt").exists()


def test_a_truncated_archive_is_refused_and_changes_nothing(live_system, tmp_path):
    truncated = tmp_path / "tronquee.tar.gz"
    content = live_system["archive"].read_bytes()
    truncated.write_bytes(content[: len(content) * 2 // 3])

    result = manage(
        "restore",
        str(truncated),
        "--force",
        database_url=live_system["url"],
        media_root=live_system["media"],
        check=False,
    )

    assert result.returncode != 0
    assert "endommagée ou tronquée" in result.stderr
    assert fingerprint(live_system["url"], live_system["media"]) == live_system["state"]
    assert (live_system["media"] / LIVE_PHOTO).read_bytes() == b"photo en service"
