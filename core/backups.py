"""Backups of the whole platform: the database and the uploaded media, in one .tar.gz archive.

The archive starts with `manifest.json` (date, engine, applied migrations, row count of every
table, and the size and SHA-256 of every other member), then holds the database dump
(`database.pgdump`, pg_dump's custom format, or `database.sqlite3`, a copy made with SQLite's
online backup API) and `media/`, every file of the default storage.

Restoring validates everything before it touches the live system: the manifest, the path, type,
size and checksum of every member, the migration state (it must be the one of the code that
restores), and the tables and row counts of the dump. Only then is the database replaced, in one
transaction (SQLite's backup API; for PostgreSQL, pg_restore's script and the checks of the row
counts run by psql in a single transaction that rolls back on any difference). The media files,
unpacked into a temporary directory while their checksums were verified, are put in place once the
database is committed. A restore that fails leaves the database and the files as they were.
"""

import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import django
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import File
from django.core.files.storage import storages
from django.db import connections, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

ARCHIVE_FORMAT = 2
MANIFEST_NAME = "manifest.json"
MEDIA_PREFIX = "media/"
DUMP_NAMES = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}
# Cache rows (rate-limit counters, cached pages) are neither kept nor restored.
SKIPPED_DATA_TABLES = {"codev_network_cache"}
# Bounds of what a restore reads: the manifest is parsed in memory; every other member must have the
# size the manifest gives it, and all of them must fit on the disk with this much to spare.
MAX_MANIFEST_BYTES = 16 * 1024 * 1024
MAX_ARCHIVE_FILES = 500_000
DISK_MARGIN_BYTES = 64 * 1024 * 1024
CHUNK_BYTES = 1024 * 1024
# Table names, app labels and migration names: what Django writes, and safe to quote in SQL.
IDENTIFIER = re.compile(r"^[A-Za-z0-9_]{1,100}$")
SHA256 = re.compile(r"^[0-9a-f]{64}$")


class BackupError(Exception):
    """A backup or a restore that cannot proceed; the message is for the operator, in French."""


@dataclass(frozen=True)
class RestoreResult:
    manifest: dict
    tables: int
    rows: int
    media_files: int


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
    """Connection arguments for pg_dump/pg_restore/psql; the password travels in PGPASSWORD, never argv."""
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
        # Counted in the copy itself, so the manifest describes exactly what was saved.
        return _sqlite_row_counts(target)
    finally:
        target.close()


def _sqlite_row_counts(database: sqlite3.Connection) -> dict[str, int]:
    tables = [
        row[0]
        for row in database.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    ]
    counts = {}
    for table in tables:
        if table not in SKIPPED_DATA_TABLES:
            quoted = table.replace('"', '""')
            counts[table] = database.execute(f'SELECT COUNT(*) FROM "{quoted}"').fetchone()[0]  # noqa: S608 - introspected
    return counts


def _media_names(storage, directory: str = "") -> list[str]:
    try:
        subdirectories, files = storage.listdir(directory)
    except FileNotFoundError:
        return []
    names = [f"{directory}/{name}" if directory else name for name in files]
    for subdirectory in subdirectories:
        names += _media_names(storage, f"{directory}/{subdirectory}" if directory else subdirectory)
    return sorted(names)


def _copy_hashed(source, destination: Path, *, size: int | None = None) -> tuple[int, str]:
    """Copy a binary stream to `destination`; its size and SHA-256. With `size`, read exactly that much."""
    digest = hashlib.sha256()
    written = 0
    with open(destination, "wb") as output:
        while size is None or written < size:
            chunk = source.read(CHUNK_BYTES if size is None else min(CHUNK_BYTES, size - written))
            if not chunk:
                break
            digest.update(chunk)
            output.write(chunk)
            written += len(chunk)
    return written, digest.hexdigest()


def _file_entry(path: Path) -> dict:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK_BYTES):
            digest.update(chunk)
    return {"size": path.stat().st_size, "sha256": digest.hexdigest()}


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
        files = {dump.name: _file_entry(dump)}
        # Each media file is copied aside while it is hashed, so the archive holds exactly the bytes
        # its checksum describes even if the file changes meanwhile.
        staged_media = Path(work) / "media"
        staged_media.mkdir()
        media = _media_names(storage)
        for number, name in enumerate(media):
            with storage.open(name, "rb") as handle:
                size, checksum = _copy_hashed(handle, staged_media / str(number))
            files[MEDIA_PREFIX + name] = {"size": size, "sha256": checksum}
        manifest = {
            "format": ARCHIVE_FORMAT,
            "created_at": timezone.now().isoformat(),
            "engine": engine,
            "django_version": django.get_version(),
            "database_file": dump.name,
            "migrations": _applied_migrations(using),
            "tables": counts,
            "media_files": len(media),
            "files": files,
        }
        partial = path.with_name(path.name + ".part")
        # Personal data inside: only the owner may read the archive.
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as archive:
            now = int(datetime.now().timestamp())
            encoded = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
            # The manifest first: a restore reads it before anything else, and checks each member against it.
            info = tarfile.TarInfo(MANIFEST_NAME)
            info.size = len(encoded)
            info.mtime = now
            archive.addfile(info, io.BytesIO(encoded))
            archive.add(dump, arcname=dump.name)
            for number, name in enumerate(media):
                info = tarfile.TarInfo(MEDIA_PREFIX + name)
                info.size = files[MEDIA_PREFIX + name]["size"]
                info.mtime = now
                with open(staged_media / str(number), "rb") as handle:
                    archive.addfile(info, handle)
        partial.replace(path)
    return path, manifest


# --- Restore: validation ---------------------------------------------------------------------


def _safe_member_name(name: str) -> bool:
    """A relative path without `..`, `.`, empty parts, backslashes or NUL, as `backup` writes."""
    if not name or name.startswith("/") or "\\" in name or "\x00" in name or len(name) > 1024:
        return False
    return all(part not in ("", ".", "..") for part in name.split("/"))


def _is_count(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _validate_manifest(manifest, *, archive_path: Path) -> None:
    """Every field the restore relies on has the expected type and shape; BackupError otherwise."""
    if not isinstance(manifest, dict):
        raise BackupError(f"Le fichier {archive_path} n'est pas une sauvegarde de la plateforme.")
    if manifest.get("format") == 1:
        raise BackupError(
            f"Le fichier {archive_path} est une sauvegarde de l'ancien format 1, sans sommes de contrôle : elle ne "
            "peut pas être vérifiée avant la restauration. Restaurez-la avec la version du code qui l'a écrite."
        )
    if manifest.get("format") != ARCHIVE_FORMAT or manifest.get("engine") not in DUMP_NAMES:
        raise BackupError(f"Le fichier {archive_path} est une sauvegarde d'un format inconnu.")

    def refuse(detail: str):
        raise BackupError(f"Le manifeste de la sauvegarde est invalide : {detail}. Rien n'a été modifié.")

    if manifest.get("database_file") != DUMP_NAMES[manifest["engine"]]:
        refuse("il désigne un fichier de base inconnu")
    migrations = manifest.get("migrations")
    if not isinstance(migrations, dict) or not all(
        isinstance(app, str)
        and IDENTIFIER.match(app)
        and isinstance(names, list)
        and all(isinstance(name, str) and IDENTIFIER.match(name) for name in names)
        for app, names in migrations.items()
    ):
        refuse("la liste des migrations est mal formée")
    tables = manifest.get("tables")
    if not isinstance(tables, dict) or not tables:
        refuse("la liste des tables est absente")
    for table, count in tables.items():
        if not IDENTIFIER.match(table) or table in SKIPPED_DATA_TABLES or not _is_count(count):
            refuse(f"la table « {table[:60]} » ou son nombre de lignes est mal formé")
    files = manifest.get("files")
    if not isinstance(files, dict) or len(files) > MAX_ARCHIVE_FILES:
        refuse("la liste des fichiers est absente ou trop longue")
    for name, entry in files.items():
        if not _safe_member_name(name) or not (name == manifest["database_file"] or name.startswith(MEDIA_PREFIX)):
            refuse(f"le chemin « {name[:100]} » est refusé")
        if (
            not isinstance(entry, dict)
            or not _is_count(entry.get("size"))
            or not isinstance(entry.get("sha256"), str)
            or not SHA256.match(entry["sha256"])
        ):
            refuse(f"la taille ou la somme de contrôle de « {name[:100]} » est mal formée")
    if manifest["database_file"] not in files:
        refuse("la base de données n'y figure pas")
    media = sum(1 for name in files if name.startswith(MEDIA_PREFIX))
    if manifest.get("media_files") != media:
        refuse("le nombre de fichiers déposés ne correspond pas à la liste")


def _migration_differences(applied: dict[str, list[str]]) -> tuple[list[str], list[str]]:
    """Migrations of the code that the backup lacks, and migrations of the backup the code does not know."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    expected = set(loader.graph.nodes)
    saved = {(app, name) for app, names in applied.items() for name in names}
    replaced = set()
    for key, migration in loader.replacements.items():
        replaced |= set(migration.replaces)
        if set(migration.replaces) <= saved:
            saved.add(key)
    missing = sorted(f"{app}.{name}" for app, name in expected - saved)
    unknown = sorted(f"{app}.{name}" for app, name in saved - expected - replaced)
    return missing, unknown


def _check_migrations(manifest: dict) -> None:
    missing, unknown = _migration_differences(manifest["migrations"])
    if not (missing or unknown):
        return
    details = []
    if missing:
        details.append(f"{len(missing)} migration(s) du code absente(s) de la sauvegarde ({', '.join(missing[:5])})")
    if unknown:
        details.append(f"{len(unknown)} migration(s) inconnue(s) du code ({', '.join(unknown[:5])})")
    raise BackupError(
        "Cette sauvegarde a été écrite avec un autre état des migrations que celui du code installé : "
        + " ; ".join(details)
        + ". Restaurez-la avec la version du code qui l'a écrite, puis mettez à jour (migrate). Rien n'a été modifié."
    )


def _unpack(archive_path: Path, work: Path, *, check_manifest) -> tuple[dict, Path, dict[str, Path]]:
    """Read the archive once, checking each member before reading it; the manifest, dump and staged media.

    `check_manifest(manifest)` runs as soon as the manifest is read and validated, before the rest.
    Nothing outside `work` is written. Raises BackupError on the first problem.
    """
    damaged = f"L'archive {archive_path} est endommagée ou tronquée. Rien n'a été modifié."
    manifest = None
    try:
        with tarfile.open(archive_path, "r|gz") as archive:
            first = archive.next()
            if first is None or first.name != MANIFEST_NAME or not first.isreg():
                raise BackupError(
                    f"Le fichier {archive_path} n'est pas une sauvegarde de la plateforme : il ne commence pas par "
                    f"son manifeste ({MANIFEST_NAME})."
                )
            if first.size > MAX_MANIFEST_BYTES:
                raise BackupError(f"Le manifeste de {archive_path} est anormalement gros : l'archive est refusée.")
            try:
                manifest = json.loads(archive.extractfile(first).read(MAX_MANIFEST_BYTES))
            except (ValueError, RecursionError):
                raise BackupError(f"Le manifeste de {archive_path} est illisible : l'archive est refusée.") from None
            _validate_manifest(manifest, archive_path=archive_path)
            check_manifest(manifest)
            files = manifest["files"]
            needed = sum(entry["size"] for entry in files.values())
            free = shutil.disk_usage(work).free
            if needed + DISK_MARGIN_BYTES > free:
                raise BackupError(
                    f"L'archive annonce {needed // (1024 * 1024)} Mo de données : il ne reste que "
                    f"{free // (1024 * 1024)} Mo dans {work}. Rien n'a été modifié."
                )
            dump = work / manifest["database_file"]
            media_dir = work / "media"
            media_dir.mkdir()
            media: dict[str, Path] = {}
            seen: set[str] = set()
            # archive.next(), not iteration: iterating would start again from the manifest.
            while (member := archive.next()) is not None:
                name = member.name
                if not _safe_member_name(name):
                    raise BackupError(
                        f"L'archive contient un chemin de fichier refusé : {name[:200]}. Rien n'a été modifié."
                    )
                if not member.isreg() or member.issparse():
                    raise BackupError(
                        f"L'archive contient un élément qui n'est pas un fichier ordinaire (lien, dossier ou "
                        f"périphérique) : {name[:200]}. Rien n'a été modifié."
                    )
                if name not in files or name in seen:
                    raise BackupError(
                        f"L'archive contient un fichier absent du manifeste ou en double : {name[:200]}. "
                        "Rien n'a été modifié."
                    )
                if member.size != files[name]["size"]:
                    raise BackupError(
                        f"Le fichier {name[:200]} n'a pas la taille indiquée par le manifeste. Rien n'a été modifié."
                    )
                seen.add(name)
                if name == manifest["database_file"]:
                    target = dump
                else:
                    target = media_dir / str(len(media))
                    media[name.removeprefix(MEDIA_PREFIX)] = target
                size, checksum = _copy_hashed(archive.extractfile(member), target, size=member.size)
                if size != member.size:
                    raise BackupError(damaged)
                if checksum != files[name]["sha256"]:
                    raise BackupError(
                        f"La somme de contrôle du fichier {name[:200]} ne correspond pas au manifeste : l'archive "
                        "est altérée. Rien n'a été modifié."
                    )
    except FileNotFoundError:
        raise BackupError(f"Le fichier {archive_path} n'existe pas.") from None
    except (tarfile.TarError, EOFError, zlib.error, OSError):
        if manifest is None:
            raise BackupError(f"Le fichier {archive_path} n'est pas une sauvegarde de la plateforme.") from None
        raise BackupError(damaged) from None
    absent = sorted(set(files) - seen)
    if absent:
        raise BackupError(
            f"L'archive ne contient pas {len(absent)} fichier(s) du manifeste ({', '.join(absent[:5])}). "
            "Rien n'a été modifié."
        )
    return manifest, dump, media


def _open_untrusted_sqlite(path: Path) -> sqlite3.Connection:
    database = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    # A file from elsewhere: its schema may not run code (triggers, views calling functions).
    database.setconfig(sqlite3.SQLITE_DBCONFIG_DEFENSIVE, True)
    database.execute("PRAGMA trusted_schema = OFF")
    return database


def _check_sqlite_dump(dump: Path, manifest: dict) -> None:
    """The saved SQLite file is sound and holds exactly the tables, rows and migrations of the manifest."""
    try:
        database = _open_untrusted_sqlite(dump)
        try:
            if database.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise BackupError("La base de la sauvegarde est endommagée (PRAGMA quick_check). Rien n'a été modifié.")
            _compare_counts(_sqlite_row_counts(database), manifest["tables"])
            migrations = database.execute("SELECT app, name FROM django_migrations").fetchall()
        finally:
            database.close()
    except sqlite3.Error:
        raise BackupError("La base de la sauvegarde n'est pas une base SQLite lisible. Rien n'a été modifié.") from None
    saved = {(app, name) for app, names in manifest["migrations"].items() for name in names}
    if set(migrations) != saved:
        raise BackupError(
            "Les migrations enregistrées dans la base de la sauvegarde ne sont pas celles du manifeste. "
            "Rien n'a été modifié."
        )


def _compare_counts(counts: dict[str, int], expected: dict[str, int], *, restored: bool = False) -> None:
    differences = sorted(set(counts) ^ set(expected)) + sorted(
        table for table in set(counts) & set(expected) if counts[table] != expected[table]
    )
    if differences:
        which = "La base restaurée" if restored else "La base de la sauvegarde"
        raise BackupError(
            f"{which} ne correspond pas au manifeste (tables : "
            + ", ".join(differences[:10])
            + ")."
            + ("" if restored else " Rien n'a été modifié.")
        )


# --- Restore: writing ------------------------------------------------------------------------


def _postgresql_checks(manifest: dict) -> str:
    """SQL run after pg_restore's script, in the same transaction: any difference rolls everything back.

    Every name comes from a validated manifest (IDENTIFIER), so it can be written into the SQL.
    """
    tables = sorted(manifest["tables"])
    skipped = ", ".join(f"'{table}'" for table in sorted(SKIPPED_DATA_TABLES))
    migrations = ",".join(
        f"{app}.{name}"
        for app, name in sorted((app, name) for app, names in manifest["migrations"].items() for name in names)
    )
    lines = [
        # pg_restore's script empties the search path; the checks read the tables where Django does.
        "RESET search_path;",
        "DO $codev_restore$",
        "DECLARE",
        "  found bigint;",
        "  listed text;",
        "BEGIN",
        "  SELECT coalesce(string_agg(c.relname, ',' ORDER BY c.relname COLLATE \"C\"), '') INTO listed",
        "    FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace",
        "    WHERE c.relkind IN ('r', 'p', 'f') AND NOT c.relispartition",
        "      AND n.nspname NOT IN ('pg_catalog', 'pg_toast', 'information_schema')",
        f"      AND pg_catalog.pg_table_is_visible(c.oid) AND c.relname NOT IN ({skipped});",
        f"  IF listed <> '{','.join(tables)}' THEN",
        "    RAISE EXCEPTION 'codev-restore : les tables restaurées ne sont pas celles du manifeste.';",
        "  END IF;",
    ]
    for table in tables:
        count = manifest["tables"][table]
        lines += [
            f'  SELECT count(*) INTO found FROM "{table}";',  # noqa: S608 - validated by IDENTIFIER
            f"  IF found <> {count} THEN",
            f"    RAISE EXCEPTION 'codev-restore : table {table}, % ligne(s) au lieu de {count}.', found;",
            "  END IF;",
        ]
    lines += [
        "  SELECT coalesce(string_agg(app || '.' || name, ',' ORDER BY app COLLATE \"C\", name COLLATE \"C\"), '')",
        "    INTO listed FROM django_migrations;",
        f"  IF listed <> '{migrations}' THEN",
        "    RAISE EXCEPTION 'codev-restore : les migrations restaurées ne sont pas celles du manifeste.';",
        "  END IF;",
        "END",
        "$codev_restore$;",
    ]
    return "\n".join(lines) + "\n"


def _restore_postgresql(dump: Path, manifest: dict, work: Path, using: str) -> None:
    connection = connections[using]
    connection.close()
    arguments, environment = _pg_environment(connection.settings_dict)
    # A readable dump first (its table of contents), without touching the database.
    _run(["pg_restore", "--list", str(dump)], env=environment, action="La lecture de la copie PostgreSQL")
    script, checks = work / "restore.sql", work / "checks.sql"
    _run(
        ["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges", "--file", str(script), str(dump)],
        env=environment,
        action="La préparation de la restauration PostgreSQL",
    )
    checks.write_text(_postgresql_checks(manifest), encoding="utf-8")
    command = [
        "psql",
        *arguments,
        "--no-psqlrc",
        "--quiet",
        "--single-transaction",
        "--set",
        "ON_ERROR_STOP=1",
        "--file",
        str(script),
        "--file",
        str(checks),
        "--dbname",
        str(connection.settings_dict["NAME"]),
    ]
    try:
        result = subprocess.run(command, env=environment, capture_output=True, text=True, check=False)  # noqa: S603 - no shell
    except FileNotFoundError:
        raise BackupError(
            "La commande psql est introuvable : installez le client PostgreSQL (paquet postgresql-client)."
        ) from None
    if result.returncode != 0:
        raise BackupError(
            "La restauration de la base PostgreSQL a été annulée (une seule transaction, rien n'a été modifié) :\n"
            + result.stderr.strip()
        )


def _restore_sqlite(dump: Path, using: str) -> None:
    connection = connections[using]
    connection.ensure_connection()
    source = sqlite3.connect(dump)
    try:
        # The online backup API replaces every page of the target in one step, under one write
        # transaction: the result is the saved file, or the target unchanged if it fails.
        source.backup(connection.connection)
    finally:
        source.close()
    connection.close()


def _install_media(media: dict[str, Path]) -> int:
    """Put the verified files in the default storage; each one replaces its namesake at once."""
    storage = storages["default"]
    for name, staged in sorted(media.items()):
        try:
            target = Path(storage.path(name))
        except NotImplementedError:
            # An object store: an upload replaces the object in one operation.
            if storage.exists(name):
                storage.delete(name)
            with open(staged, "rb") as handle:
                saved = storage.save(name, File(handle, name=name))
            if saved != name:
                raise BackupError(f"Le fichier {name} a été enregistré sous un autre nom ({saved}).") from None
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.restauration")
        shutil.copyfile(staged, temporary)
        if settings.FILE_UPLOAD_PERMISSIONS is not None:
            os.chmod(temporary, settings.FILE_UPLOAD_PERMISSIONS)
        os.replace(temporary, target)
    return len(media)


def backup_restore(*, archive_path: Path, force: bool = False, using: str = "default") -> RestoreResult:
    """Validate `archive_path` whole, then replace the database in one transaction and put the media back.

    Refuses a database with accounts unless forced; a refused or failed restore changes nothing.
    """
    engine = database_engine(using=using)
    archive_path = Path(archive_path)
    if not archive_path.is_file():
        raise BackupError(f"Le fichier {archive_path} n'existe pas.")

    def check_manifest(manifest: dict) -> None:
        if manifest["engine"] != engine:
            raise BackupError(
                f"Cette sauvegarde vient d'une base {manifest['engine']} : elle ne peut pas être restaurée dans "
                f"la base {engine} configurée."
            )
        _check_migrations(manifest)
        accounts = database_account_count(using=using)
        if accounts and not force:
            name = connections[using].settings_dict["NAME"]
            raise BackupError(
                f"La base de données « {name} » n'est pas vide : elle contient {accounts} compte(s). La restauration "
                "remplacerait tout son contenu. Relancez la commande avec --force pour confirmer."
            )

    with tempfile.TemporaryDirectory(prefix="codev-restore-") as directory:
        work = Path(directory)
        manifest, dump, media = _unpack(archive_path, work, check_manifest=check_manifest)
        if engine == "postgresql":
            _restore_postgresql(dump, manifest, work, using)
        else:
            _check_sqlite_dump(dump, manifest)
            _restore_sqlite(dump, using)
            _compare_counts(table_row_counts(using=using), manifest["tables"], restored=True)
        media_files = _install_media(media)
    return RestoreResult(
        manifest=manifest,
        tables=len(manifest["tables"]),
        rows=sum(manifest["tables"].values()),
        media_files=media_files,
    )
