"""Backups of the whole platform: the database and the uploaded media, in one .tar.gz archive.

The archive holds `manifest.json` (date, engine, applied migrations, row count of every table),
the database dump (`database.pgdump`, pg_dump's custom format, or `database.sqlite3`, a copy made
with SQLite's online backup API) and `media/`, every file of the default storage. Restoring
checks the row counts against the manifest, so a truncated or mismatched dump does not go unseen.
"""

import io
import json
import os
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import django
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import File
from django.core.files.storage import storages
from django.db import connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

ARCHIVE_FORMAT = 1
MANIFEST_NAME = "manifest.json"
MEDIA_PREFIX = "media/"
DUMP_NAMES = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}
# Cache rows (rate-limit counters, cached pages) are neither kept nor restored.
SKIPPED_DATA_TABLES = {"codev_network_cache"}


class BackupError(Exception):
    """A backup or a restore that cannot proceed; the message is for the operator, in French."""


@dataclass(frozen=True)
class RestoreResult:
    manifest: dict
    tables: int
    rows: int
    media_files: int
    pending_migrations: int


def database_engine(*, using: str = "default") -> str:
    """`postgresql` or `sqlite`; any other engine stops the backup with a clear message."""
    vendor = connections[using].vendor
    if vendor not in DUMP_NAMES:
        raise BackupError(f"Les sauvegardes ne savent pas traiter une base « {vendor} » (PostgreSQL ou SQLite).")
    return vendor


def table_row_counts(*, using: str = "default") -> dict[str, int]:
    """Rows in each table of the database, the cache table left out."""
    connection = connections[using]
    with connection.cursor() as cursor:
        tables = sorted(set(connection.introspection.table_names(cursor)) - SKIPPED_DATA_TABLES)
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608 - introspected
            counts[table] = cursor.fetchone()[0]
    return counts


def database_account_count(*, using: str = "default") -> int:
    """User accounts in the database, 0 when its tables do not exist yet."""
    connection = connections[using]
    table = get_user_model()._meta.db_table
    with connection.cursor() as cursor:
        if table not in connection.introspection.table_names(cursor):
            return 0
        cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608 - model table
        return cursor.fetchone()[0]


def _applied_migrations(using: str) -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app_label, name in sorted(MigrationRecorder(connections[using]).applied_migrations()):
        applied.setdefault(app_label, []).append(name)
    return applied


def _pg_environment(settings_dict: dict) -> tuple[list[str], dict[str, str]]:
    """Connection arguments for pg_dump/pg_restore; the password travels in PGPASSWORD, never argv."""
    arguments = []
    if settings_dict.get("HOST"):
        arguments += ["--host", str(settings_dict["HOST"])]
    if settings_dict.get("PORT"):
        arguments += ["--port", str(settings_dict["PORT"])]
    if settings_dict.get("USER"):
        arguments += ["--username", str(settings_dict["USER"])]
    environment = {**os.environ}
    if settings_dict.get("PASSWORD"):
        environment["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    options = settings_dict.get("OPTIONS") or {}
    if options.get("sslmode"):
        environment["PGSSLMODE"] = str(options["sslmode"])
    return arguments, environment


def _run(command: list[str], *, env: dict[str, str], action: str) -> None:
    try:
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603 - no shell
    except FileNotFoundError:
        raise BackupError(
            f"La commande {command[0]} est introuvable : installez le client PostgreSQL (paquet postgresql-client)."
        ) from None
    if result.returncode != 0:
        raise BackupError(f"{action} a échoué ({command[0]}, code {result.returncode}) :\n{result.stderr.strip()}")


def _dump_postgresql(destination: Path, using: str) -> dict[str, int]:
    connection = connections[using]
    arguments, environment = _pg_environment(connection.settings_dict)
    # The row counts and pg_dump read the same exported snapshot, so the manifest matches the dump
    # exactly even while the site keeps writing.
    with transaction.atomic(using=using), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        counts = table_row_counts(using=using)
        command = [
            "pg_dump",
            *arguments,
            "--format=custom",
            f"--snapshot={snapshot}",
            "--no-owner",
            "--no-privileges",
            *[f"--exclude-table-data={table}" for table in sorted(SKIPPED_DATA_TABLES)],
            "--file",
            str(destination),
            "--dbname",
            str(connection.settings_dict["NAME"]),
        ]
        _run(command, env=environment, action="La copie de la base PostgreSQL")
    return counts


def _dump_sqlite(destination: Path, using: str) -> dict[str, int]:
    connection = connections[using]
    connection.ensure_connection()
    target = sqlite3.connect(destination)
    try:
        connection.connection.backup(target)
        with target:
            for table in SKIPPED_DATA_TABLES:
                if target.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", [table]).fetchone():
                    target.execute(f'DELETE FROM "{table}"')  # noqa: S608 - constant name
        tables = [
            row[0]
            for row in target.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        # Counted in the copy itself, so the manifest describes exactly what was saved.
        return {
            table: target.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]  # noqa: S608 - introspected
            for table in tables
            if table not in SKIPPED_DATA_TABLES
        }
    finally:
        target.close()


def _media_names(storage, directory: str = "") -> list[str]:
    try:
        subdirectories, files = storage.listdir(directory)
    except FileNotFoundError:
        return []
    names = [f"{directory}/{name}" if directory else name for name in files]
    for subdirectory in subdirectories:
        names += _media_names(storage, f"{directory}/{subdirectory}" if directory else subdirectory)
    return sorted(names)


def default_backup_path() -> Path:
    """Where `backup` writes when no --output is given: BACKUP_DIR, or var/backups."""
    directory = Path(getattr(settings, "BACKUP_DIR", settings.BASE_DIR / "var" / "backups"))
    return directory / f"codev-network-{timezone.localtime():%Y%m%d-%H%M%S}.tar.gz"


def backup_create(*, output: Path | str | None = None, using: str = "default") -> tuple[Path, dict]:
    """Write the database and the media to a new .tar.gz archive; return its path and manifest.

    `output` is the archive's path, or a directory (existing, or written with a final slash) to
    create a dated archive in.
    """
    engine = database_engine(using=using)
    path = Path(output) if output else default_backup_path()
    if path.is_dir() or str(output or "").endswith(("/", os.sep)):
        path = path / default_backup_path().name
    path.parent.mkdir(parents=True, exist_ok=True)
    storage = storages["default"]
    with tempfile.TemporaryDirectory(prefix="codev-backup-") as work:
        dump = Path(work) / DUMP_NAMES[engine]
        counts = _dump_postgresql(dump, using) if engine == "postgresql" else _dump_sqlite(dump, using)
        media = _media_names(storage)
        manifest = {
            "format": ARCHIVE_FORMAT,
            "created_at": timezone.now().isoformat(),
            "engine": engine,
            "django_version": django.get_version(),
            "database_file": dump.name,
            "migrations": _applied_migrations(using),
            "tables": counts,
            "media_files": len(media),
        }
        partial = path.with_name(path.name + ".part")
        # Personal data inside: only the owner may read the archive.
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as archive:
            encoded = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
            info = tarfile.TarInfo(MANIFEST_NAME)
            info.size = len(encoded)
            info.mtime = int(datetime.now().timestamp())
            archive.addfile(info, io.BytesIO(encoded))
            archive.add(dump, arcname=dump.name)
            for name in media:
                with storage.open(name, "rb") as handle:
                    info = tarfile.TarInfo(MEDIA_PREFIX + name)
                    info.size = storage.size(name)
                    info.mtime = int(datetime.now().timestamp())
                    archive.addfile(info, handle)
        partial.replace(path)
    return path, manifest


def read_manifest(archive_path: Path) -> dict:
    """The manifest of a backup archive, or a BackupError saying why the file is not one."""
    try:
        with tarfile.open(archive_path, "r:gz") as archive:
            member = archive.extractfile(MANIFEST_NAME)
            manifest = json.loads(member.read())
    except FileNotFoundError:
        raise BackupError(f"Le fichier {archive_path} n'existe pas.") from None
    except (tarfile.TarError, KeyError, AttributeError, json.JSONDecodeError, OSError):
        raise BackupError(f"Le fichier {archive_path} n'est pas une sauvegarde de la plateforme.") from None
    if manifest.get("format") != ARCHIVE_FORMAT or manifest.get("engine") not in DUMP_NAMES:
        raise BackupError(f"Le fichier {archive_path} est une sauvegarde d'un format inconnu.")
    return manifest


def _restore_postgresql(dump: Path, using: str) -> None:
    connection = connections[using]
    connection.close()
    arguments, environment = _pg_environment(connection.settings_dict)
    command = [
        "pg_restore",
        *arguments,
        "--clean",
        "--if-exists",
        "--no-owner",
        "--no-privileges",
        "--single-transaction",
        "--exit-on-error",
        "--dbname",
        str(connection.settings_dict["NAME"]),
        str(dump),
    ]
    _run(command, env=environment, action="La restauration de la base PostgreSQL")


def _restore_sqlite(dump: Path, using: str) -> None:
    connection = connections[using]
    connection.ensure_connection()
    source = sqlite3.connect(dump)
    try:
        # The online backup API replaces every page of the target: the result is the saved file.
        source.backup(connection.connection)
    finally:
        source.close()
    connection.close()


def _restore_media(archive: tarfile.TarFile) -> int:
    storage = storages["default"]
    restored = 0
    for member in archive.getmembers():
        if not member.isfile() or not member.name.startswith(MEDIA_PREFIX):
            continue
        name = member.name.removeprefix(MEDIA_PREFIX)
        if not name or name.startswith("/") or ".." in Path(name).parts:
            raise BackupError(f"L'archive contient un chemin de fichier refusé : {member.name}")
        if storage.exists(name):
            storage.delete(name)
        saved = storage.save(name, File(archive.extractfile(member), name=name))
        if saved != name:
            raise BackupError(f"Le fichier {name} a été enregistré sous un autre nom ({saved}).")
        restored += 1
    return restored


def backup_restore(*, archive_path: Path, force: bool = False, using: str = "default") -> RestoreResult:
    """Replace the database and add the media from `archive_path`; refuses a database with accounts unless forced."""
    manifest = read_manifest(archive_path)
    engine = database_engine(using=using)
    if manifest["engine"] != engine:
        raise BackupError(
            f"Cette sauvegarde vient d'une base {manifest['engine']} : elle ne peut pas être restaurée dans "
            f"la base {engine} configurée."
        )
    accounts = database_account_count(using=using)
    if accounts and not force:
        name = connections[using].settings_dict["NAME"]
        raise BackupError(
            f"La base de données « {name} » n'est pas vide : elle contient {accounts} compte(s). La restauration "
            "remplacerait tout son contenu. Relancez la commande avec --force pour confirmer."
        )
    with tempfile.TemporaryDirectory(prefix="codev-restore-") as work, tarfile.open(archive_path, "r:gz") as archive:
        dump_name = manifest["database_file"]
        if dump_name not in DUMP_NAMES.values():
            raise BackupError("Le manifeste de la sauvegarde désigne un fichier de base inconnu.")
        archive.extract(dump_name, path=work, filter="data")
        dump = Path(work) / dump_name
        if engine == "postgresql":
            _restore_postgresql(dump, using)
        else:
            _restore_sqlite(dump, using)
        counts = table_row_counts(using=using)
        differences = sorted(table for table, expected in manifest["tables"].items() if counts.get(table) != expected)
        if differences:
            raise BackupError(
                "La base restaurée ne correspond pas au manifeste de la sauvegarde (tables : "
                + ", ".join(differences[:10])
                + ")."
            )
        media_files = _restore_media(archive)
    connection = connections[using]
    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return RestoreResult(
        manifest=manifest,
        tables=len(manifest["tables"]),
        rows=sum(manifest["tables"].values()),
        media_files=media_files,
        pending_migrations=len(pending),
    )
