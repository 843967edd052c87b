"""What the platform keeps about a person, declared by each app: the one registry behind "Mes données".

Each app that stores data about a person declares it here, from its `AppConfig.ready()` (in its
`personal_data.py`), one `PersonalDataKind` per kind of data: how to export it (rows of a JSON and a
CSV file in the archive, and any uploaded files), how to erase it (delete, or pseudonymise what
belongs to the community), and what the register of processing says about it (purpose, legal basis,
retention, recipients). The export archive, the account erasure, the register page, the privacy page
and the guard test (tests/core/test_personal_data_registry.py) all read this registry: a kind of data
that is not declared cannot be forgotten silently.

`personal_data_archive` (or `personal_data_archive_write`, into a file) builds the ZIP: per kind a
`<key>.json` and a `<key>.csv`, the uploaded files under `fichiers/`, and LISEZMOI.txt; the archive is
prepared in the background by core.personal_data_exports. `personal_data_erase` erases every kind in
one transaction, upper apps first, and deletes the stored files once it is committed.

Models that look personal but are not (a council's name, a referential's title) are declared with
`personal_data_exempt(model, reason=...)`, so the guard test knows it was a decision.
"""

import csv
import io
import json
import logging
import shutil
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.spreadsheets import neutralise

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class StoredFile:
    """An uploaded file about a person: where it is stored, and its name in the archive."""

    storage: object  # a Django Storage
    name: str  # the name in that storage
    archive_name: str  # the path inside the export archive, e.g. "fichiers/photo.webp"
    # False for a file deleted with the person's data but not copied into their archive (a PDF of
    # network figures they asked for, an earlier archive of their data).
    in_archive: bool = True
    # False for a file copied into the archive but kept at erasure: it belongs to a common text that stays
    # (a document of a published resource, of a meeting).
    erased: bool = True


@dataclass(frozen=True)
class PersonalDataKind:
    """One kind of data an app keeps about a person."""

    key: str  # file name in the archive, without extension: "competences-auto-evaluations"
    label: str  # French (gettext_lazy): "Auto-évaluations"
    description: str  # what the file holds (LISEZMOI.txt, register)
    source: str  # where the data comes from ("saisie par vous sur la page « Mon auto-évaluation »")
    purpose: str  # register: why it is kept
    legal_basis: str  # register: RGPD article 6 basis, in words
    retention: str  # register and LISEZMOI: how long it is kept
    recipients: str  # register: who can see it
    models: tuple[type[models.Model], ...]  # the models this kind covers (guard test)
    export: Callable[[object], list[dict]]  # user -> rows of JSON-ready values (flat dicts for the CSV)
    erase: Callable[[object], None]  # user -> delete or pseudonymise, inside the erasure transaction
    files: Callable[[object], Iterable[StoredFile]] = field(default=lambda user: ())  # uploaded files
    order: int = 100  # position in the archive, the register and the privacy page
    # The CSV's columns, so that its header is there even when the person has no row of this kind;
    # keys the rows hold beyond these follow them.
    columns: tuple[str, ...] = ()


_KINDS: dict[str, PersonalDataKind] = {}
_EXEMPT: dict[type[models.Model], str] = {}


def personal_data_register(kind: PersonalDataKind) -> None:
    """Declare one kind of personal data (from the owning app's `AppConfig.ready()`)."""
    if kind.key in _KINDS and _KINDS[kind.key] != kind:
        raise ValueError(f"personal data kind {kind.key!r} declared twice")
    _KINDS[kind.key] = kind


def personal_data_exempt(model: type[models.Model], *, reason: str) -> None:
    """Declare that `model`, though it looks personal to the guard test, holds no data about a person."""
    _EXEMPT[model] = reason


def personal_data_kinds() -> list[PersonalDataKind]:
    """Every declared kind, in order."""
    return sorted(_KINDS.values(), key=lambda kind: (kind.order, kind.key))


def personal_data_covered_models() -> dict[type[models.Model], str]:
    """Each model covered by a declaration (kind key) or an exemption (its reason)."""
    covered = dict(_EXEMPT)
    for kind in _KINDS.values():
        for model in kind.models:
            covered[model] = kind.key
    return covered


# --- The archive ("Télécharger mes données") ---------------------------------------------------

ARCHIVE_FILES_DIR = "fichiers/"
README_NAME = "LISEZMOI.txt"
# Files are copied into the archive by pieces of this size: a large upload is never held whole in memory.
FILE_COPY_CHUNK = 256 * 1024


def personal_data_archive(user) -> bytes:
    """`user`'s data as a ZIP: a JSON and a CSV file per declared kind, their uploaded files, LISEZMOI.txt."""
    buffer = io.BytesIO()
    personal_data_archive_write(user, buffer)
    return buffer.getvalue()


def personal_data_archive_write(user, output) -> None:
    """Write `user`'s archive into the binary file `output` (a temporary file when it may be large)."""
    made_at = timezone.now()
    written: list[tuple[PersonalDataKind, int, list[str]]] = []
    used_names: set[str] = set()
    with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for kind in personal_data_kinds():
            rows = list(kind.export(user))
            archive.writestr(f"{kind.key}.json", _json(rows))
            archive.writestr(f"{kind.key}.csv", _csv(rows, columns=kind.columns))
            copied = []
            for stored in kind.files(user):
                if not stored.in_archive:
                    continue
                name = _archive_file_name(stored.archive_name, used_names)
                if _copy_file(archive, stored, name):
                    used_names.add(name)
                    copied.append(name)
            written.append((kind, len(rows), copied))
        archive.writestr(README_NAME, _readme(user, made_at, written))


def _json(rows: list[dict]) -> str:
    return json.dumps(rows, ensure_ascii=False, indent=2, cls=DjangoJSONEncoder)


def _csv(rows: list[dict], *, columns: tuple[str, ...] = ()) -> str:
    """The rows as CSV for spreadsheet software: a byte-order mark (accents), semicolons, a header even when empty."""
    header = list(columns)
    for row in rows:
        header.extend(key for key in row if key not in header)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    if header:
        writer.writerow(header)
    for row in rows:
        writer.writerow([_csv_cell(row.get(key)) for key in header])
    return "\ufeff" + buffer.getvalue()


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("oui") if value else _("non")
    if isinstance(value, dict | list | tuple):
        # One cell per value: what is nested stays readable as JSON.
        value = json.dumps(value, ensure_ascii=False, cls=DjangoJSONEncoder)
    # The person's own texts may start like a formula: a spreadsheet must not run them.
    return neutralise(value)


def _archive_file_name(archive_name: str, used: set[str]) -> str:
    name = archive_name.lstrip("/")
    if not name.startswith(ARCHIVE_FILES_DIR):
        name = ARCHIVE_FILES_DIR + name
    stem, dot, extension = name.rpartition(".")
    if not dot or "/" in extension:
        stem, dot, extension = name, "", ""
    candidate, number = name, 2
    while candidate in used:
        candidate = f"{stem}-{number}{dot}{extension}"
        number += 1
    return candidate


def _copy_file(archive: zipfile.ZipFile, stored: StoredFile, name: str) -> bool:
    """Copy one stored file into the archive piece by piece; False when the storage no longer has it."""
    try:
        source = stored.storage.open(stored.name, "rb")
    except (FileNotFoundError, OSError):
        logger.warning("Archive de données : fichier %s introuvable", stored.name)
        return False
    with source, archive.open(name, "w", force_zip64=True) as target:
        shutil.copyfileobj(source, target, FILE_COPY_CHUNK)
    return True


def _readme(user, made_at, written) -> str:
    local = timezone.localtime(made_at)
    identity = user.get_full_name() or user.email
    lines = [
        _("Vos données personnelles sur la plateforme du réseau des conseils de développement"),
        "",
        _("Archive préparée pour %(identity)s (%(email)s), le %(date)s à %(time)s.")
        % {
            "identity": identity,
            "email": user.email,
            "date": date_format(local, "DATE_FORMAT"),
            "time": date_format(local, "TIME_FORMAT"),
        },
        _(
            "Elle contient tout ce que la plateforme conserve sur vous, rangé par sorte de données : pour "
            "chacune, un fichier JSON (pour les programmes) et un fichier CSV (pour un tableur) avec les mêmes "
            "lignes ; les fichiers que vous avez déposés sont dans le dossier « fichiers »."
        ),
        "",
    ]
    for kind, count, copied in written:
        lines += [
            f"== {kind.label} ==",
            _("Fichiers : %(json)s et %(csv)s (%(count)s ligne(s))")
            % {"json": f"{kind.key}.json", "csv": f"{kind.key}.csv", "count": count},
        ]
        if copied:
            lines.append(_("Fichiers déposés : %(names)s") % {"names": ", ".join(copied)})
        lines += [
            _("Contenu : %(description)s") % {"description": kind.description},
            _("Origine : %(source)s") % {"source": kind.source},
            _("Durée de conservation : %(retention)s") % {"retention": kind.retention},
            "",
        ]
    lines += [
        _("Vos droits"),
        _(
            "Vous pouvez faire rectifier ces données (la plupart depuis les pages où vous les avez saisies), "
            "les faire effacer en supprimant votre compte depuis la page « Mes données personnelles », ou "
            "écrire à l'équipe CNCD. Si vous estimez que vos droits ne sont pas respectés, vous pouvez "
            "adresser une réclamation à la CNIL (www.cnil.fr)."
        ),
        "",
    ]
    # Windows line ends: the file opens as it should in Notepad too.
    return "\r\n".join(str(line) for line in lines)


# --- Erasure ("Supprimer mon compte") -----------------------------------------------------------


def personal_data_erase(user) -> None:
    """Erase every declared kind of `user`'s data in one transaction, then delete their stored files."""
    with transaction.atomic():
        kinds = personal_data_kinds()
        # Listed before the rows that name them are deleted; removed only once the erasure is committed.
        files = [stored for kind in kinds for stored in kind.files(user) if stored.erased]
        # Upper apps first: what they hold may point at what the apps below still have to erase.
        for kind in reversed(kinds):
            kind.erase(user)
        transaction.on_commit(lambda: _files_delete(files))


def _files_delete(files: list[StoredFile]) -> None:
    for stored in files:
        try:
            stored.storage.delete(stored.name)
        except Exception:
            # The data is erased already; a file left behind is logged for the technical team.
            logger.exception("Effacement des données : fichier %s impossible à supprimer", stored.name)
