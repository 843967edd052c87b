"""Import of trainings (CNCD team: a CSV or XLSX checked, previewed, then confirmed) and export of the catalogue.

Import: one training per line under a header line of French column names (`COLUMNS`). Every line is read
and checked before anything is written; a line matches an existing training by its title and organisme
(compared without case or accents) and updates it, otherwise it creates a draft. The preview lists every
line with what will happen or its errors; nothing is written while one line has an error. The lines read
(never the file) wait in the session until the curator confirms; `import_apply` then writes them all in one
transaction. The management command `import_trainings` runs the same code.

Sessions sit in one column, separated by « ; » or line breaks, each written `début|fin|lieu|région`
(fin, lieu and région optional; dates JJ/MM/AAAA or AAAA-MM-JJ; région by name or INSEE code).

Export: the trainings the visitor may see, as CSV with the same columns (an export can be imported again).
"""

import csv
import io
import json
import re
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _

from core.audit import audit_log
from core.search import search_key
from core.spreadsheets import SpreadsheetRefused, header_columns, neutralise, xlsx_rows
from members.models import Region
from referentiel.formats.common import ImportRefused, clean_cell, decode_text, read_csv_rows
from training import generations, services
from training.enums import ProviderKind, TrainingFormat, TrainingStatus
from training.models import SHORT_TEXT, Training, TrainingSession

MAX_IMPORT_BYTES = 2 * 1024 * 1024
MAX_IMPORT_MB = MAX_IMPORT_BYTES // (1024 * 1024)
MAX_ROWS = 500
MAX_COLUMNS = 40
MAX_SESSIONS = 30  # per training line
MAX_SESSION_CHARS = 4 * 1024 * 1024  # the lines kept in the session between preview and confirmation

COLUMNS = (
    "titre",
    "organisme",
    "type_organisme",
    "format",
    "en_bref",
    "description",
    "duree_heures",
    "cout_euros",
    "precision_cout",
    "lien",
    "competences",
    "sessions",
    "etat",
)
REQUIRED_COLUMNS = ("titre", "organisme")
TEXT_LIMITS = {
    "titre": 200,
    "organisme": 200,
    "en_bref": SHORT_TEXT,
    "description": Training._meta.get_field("description").max_length,
    "precision_cout": 200,
    "lien": 500,
}
CREATE, UPDATE = "create", "update"

_url_check = URLValidator(schemes=["http", "https"])


class TransferRefused(ValueError):
    """The whole file is refused (unreadable, too big, missing columns); the message is for the user."""


def _key(text) -> str:
    return re.sub(r"[^a-z0-9]", "", search_key(str(text or "")))


def _choices(enum, extra: dict) -> dict[str, str]:
    found = {}
    for value, label in enum.choices:
        found[_key(value)] = value
        found[_key(label)] = value
    found.update({_key(word): value for word, value in extra.items()})
    return found


PROVIDER_CHOICES = _choices(
    ProviderKind,
    {"universite": ProviderKind.UNIVERSITY, "université": ProviderKind.UNIVERSITY, "autre": ProviderKind.OTHER},
)
FORMAT_CHOICES = _choices(
    TrainingFormat,
    {
        "présentiel": TrainingFormat.ON_SITE,
        "presentiel": TrainingFormat.ON_SITE,
        "sur site": TrainingFormat.ON_SITE,
        "distanciel": TrainingFormat.REMOTE,
        "en ligne": TrainingFormat.REMOTE,
        "webinaire": TrainingFormat.REMOTE,
        "mixte": TrainingFormat.HYBRID,
    },
)
STATUS_CHOICES = _choices(TrainingStatus, {"publiée": TrainingStatus.PUBLISHED, "publier": TrainingStatus.PUBLISHED})


def match_key(title: str, provider: str) -> tuple[str, str]:
    """How a line finds its training: title and organisme, without case, accents or punctuation."""
    return _key(title), _key(provider)


@dataclass
class ImportLine:
    """One line of the file: the training it describes, what importing it will do, or its errors."""

    line: int
    title: str
    provider: str
    values: dict = field(default_factory=dict)  # JSON-ready: decimals as text
    codes: list[str] | None = None  # None: the column was empty (an update keeps the competences)
    sessions: list[dict] | None = None  # {starts_on, ends_on, place, region (code)}; None as for codes
    status: str = ""
    action: str = ""
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def action_label(self) -> str:
        if self.errors:
            return _("Erreur")
        return _("Mise à jour") if self.action == UPDATE else _("Création")

    @property
    def session_count(self) -> int:
        return len(self.sessions or [])

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, value: dict) -> "ImportLine":
        return cls(**value)


@dataclass
class ImportPreview:
    lines: list[ImportLine]
    problems: list[str] = field(default_factory=list)  # about the whole file
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def error_lines(self) -> list[ImportLine]:
        return [line for line in self.lines if line.errors]

    @property
    def ok(self) -> bool:
        return bool(self.lines) and not self.problems and not self.error_lines

    @property
    def created(self) -> int:
        return sum(1 for line in self.lines if line.ok and line.action == CREATE)

    @property
    def updated(self) -> int:
        return sum(1 for line in self.lines if line.ok and line.action == UPDATE)


# Reading ----------------------------------------------------------------------------------------


def read_file(raw: bytes) -> list[tuple[int, list]]:
    """The numbered rows of an uploaded CSV or XLSX (told apart by content); TransferRefused otherwise."""
    if len(raw) > MAX_IMPORT_BYTES:
        raise TransferRefused(_("Le fichier est trop volumineux (%(size)s Mo au plus).") % {"size": MAX_IMPORT_MB})
    if not raw.strip():
        raise TransferRefused(_("Le fichier est vide."))
    if raw.startswith(b"PK\x03\x04"):
        try:
            rows = xlsx_rows(raw, max_rows=MAX_ROWS + 1, max_columns=MAX_COLUMNS)
        except SpreadsheetRefused as refused:
            raise TransferRefused(str(refused)) from None
        return list(enumerate(rows, start=1))
    try:
        rows = read_csv_rows(decode_text(raw))
    except ImportRefused as refused:
        raise TransferRefused(str(refused)) from None
    return rows


def _cell_text(cell) -> tuple[str, bool]:
    formula = getattr(cell, "formula", False)
    value = getattr(cell, "value", cell)
    if isinstance(value, datetime):
        value = value.date().isoformat()
    elif isinstance(value, date):
        value = value.isoformat()
    elif isinstance(value, float) and value.is_integer():
        value = int(value)
    return clean_cell(value), formula


DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y")


def _date(text: str) -> date | None:
    for date_format in DATE_FORMATS:
        try:
            return datetime.strptime(text.strip(), date_format).date()
        except ValueError:
            continue
    return None


def _decimal(text: str, *, places: int, maximum: Decimal) -> Decimal | None:
    """A positive number written the French or the English way ("1 200,50", "1200.5", "150 €"); None if not."""
    cleaned = text.replace("\u00a0", "").replace("\u202f", "").replace(" ", "").replace("€", "").replace(",", ".")
    cleaned = cleaned.removesuffix("euros").removesuffix("h")
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        return None
    if not number.is_finite() or number < 0 or number > maximum:
        return None
    return number.quantize(Decimal(1).scaleb(-places))


class _Context:
    """What checking the lines needs, read once per file: the référentiel's codes, regions, trainings."""

    def __init__(self):
        from training.selectors import current_referentiel

        referentiel = current_referentiel()
        self.version = referentiel.version
        self.codes = {code.upper(): code for code in referentiel.titles}
        self.regions: dict[str, str] = {}
        for code, name in Region.objects.values_list("code", "name"):
            self.regions[_key(code)] = code
            self.regions[_key(name)] = code
        self.trainings = {
            match_key(title, provider): pk
            for pk, title, provider in Training.objects.values_list("pk", "title", "provider")
        }


def _sessions(text: str, context: _Context, problem) -> list[dict]:
    sessions = []
    parts = [part.strip() for part in re.split(r"[;\n]", text) if part.strip()]
    if len(parts) > MAX_SESSIONS:
        problem(_("trop de sessions (%(max)s au plus par formation)") % {"max": MAX_SESSIONS})
        return []
    for part in parts:
        pieces = [piece.strip() for piece in part.split("|")]
        pieces += [""] * (4 - len(pieces))
        start_text, end_text, place, region_text = pieces[:4]
        starts = _date(start_text)
        if starts is None:
            problem(_("date de début de session illisible « %(value)s » (JJ/MM/AAAA)") % {"value": start_text[:30]})
            continue
        ends = None
        if end_text:
            ends = _date(end_text)
            if ends is None:
                problem(_("date de fin de session illisible « %(value)s » (JJ/MM/AAAA)") % {"value": end_text[:30]})
                continue
            if ends < starts:
                problem(
                    _("la session du %(start)s finit avant de commencer (%(end)s)")
                    % {"start": starts.strftime("%d/%m/%Y"), "end": ends.strftime("%d/%m/%Y")}
                )
                continue
        region = ""
        if region_text:
            region = context.regions.get(_key(region_text), "")
            if not region:
                problem(_("région inconnue « %(value)s »") % {"value": region_text[:60]})
                continue
        if len(place) > 200:
            problem(_("le lieu d'une session dépasse 200 caractères"))
            continue
        sessions.append(
            {
                "starts_on": starts.isoformat(),
                "ends_on": ends.isoformat() if ends else None,
                "place": place,
                "region": region,
            }
        )
    return sessions


def _line_read(line: int, cells: dict[str, str], context: _Context, seen: dict) -> ImportLine:
    read = ImportLine(line=line, title=cells.get("titre", ""), provider=cells.get("organisme", ""))

    def problem(column: str, message: str) -> None:
        read.errors.append(_("Colonne « %(column)s » : %(message)s.") % {"column": column, "message": message})

    for column, limit in TEXT_LIMITS.items():
        if len(cells.get(column, "")) > limit:
            problem(column, _("le texte dépasse %(max)s caractères") % {"max": limit})
    if not read.title:
        problem("titre", _("l'intitulé de la formation est obligatoire"))
    if not read.provider:
        problem("organisme", _("l'organisme est obligatoire"))
    key = match_key(read.title, read.provider)
    existing = context.trainings.get(key)
    read.action = UPDATE if existing else CREATE
    if read.title and read.provider:
        if key in seen:
            problem("titre", _("même intitulé et même organisme que la ligne %(line)s") % {"line": seen[key]})
        else:
            seen[key] = line
    values: dict = {"title": read.title[:200], "provider": read.provider[:200]}
    if cells.get("en_bref"):
        values["summary"] = cells["en_bref"][:SHORT_TEXT]
    elif not existing:
        problem("en_bref", _("obligatoire pour une nouvelle formation (une ou deux phrases)"))
    for column, name in (("description", "description"), ("precision_cout", "cost_note")):
        if cells.get(column):
            values[name] = cells[column][: TEXT_LIMITS[column]]
    if cells.get("lien"):
        try:
            _url_check(cells["lien"])
            values["url"] = cells["lien"]
        except ValidationError:
            problem("lien", _("« %(value)s » n'est pas une adresse web (https://…)") % {"value": cells["lien"][:80]})
    for column, name, choices, enum in (
        ("type_organisme", "provider_kind", PROVIDER_CHOICES, ProviderKind),
        ("format", "format", FORMAT_CHOICES, TrainingFormat),
    ):
        text = cells.get(column, "")
        if not text:
            continue
        value = choices.get(_key(text))
        if value is None:
            accepted = ", ".join(str(label) for label in enum.labels)
            problem(column, _("« %(value)s » inconnu (%(accepted)s)") % {"value": text[:40], "accepted": accepted})
        else:
            values[name] = value
    if cells.get("duree_heures"):
        hours = _decimal(cells["duree_heures"], places=1, maximum=Decimal("9999"))
        if hours is None or hours == 0:
            problem(
                "duree_heures", _("« %(value)s » n'est pas une durée en heures") % {"value": cells["duree_heures"][:30]}
            )
        else:
            values["duration_hours"] = str(hours)
    if cells.get("cout_euros"):
        free = _key(cells["cout_euros"]) in ("gratuit", "gratuite")
        cost = Decimal("0.00") if free else _decimal(cells["cout_euros"], places=2, maximum=Decimal("999999"))
        if cost is None:
            problem(
                "cout_euros",
                _("« %(value)s » n'est pas un coût en euros (par exemple 450 ou 1200,50)")
                % {"value": cells["cout_euros"][:30]},
            )
        else:
            values["cost_euros"] = str(cost)
    if cells.get("competences"):
        codes, unknown = [], []
        for code in (part.strip() for part in re.split(r"[;,\s]+", cells["competences"])):
            if not code:
                continue
            known = context.codes.get(code.upper())
            if known is None:
                unknown.append(code)
            elif known not in codes:
                codes.append(known)
        if unknown:
            if context.version is None:
                problem("competences", _("aucun référentiel n'est publié : les codes ne peuvent pas être reliés"))
            else:
                problem(
                    "competences",
                    _("code inconnu dans le référentiel %(label)s : %(codes)s")
                    % {"label": context.version.label, "codes": ", ".join(code[:40] for code in unknown[:10])},
                )
        read.codes = codes
    if cells.get("sessions"):
        read.sessions = _sessions(cells["sessions"], context, lambda message: problem("sessions", message))
    if cells.get("etat"):
        status = STATUS_CHOICES.get(_key(cells["etat"]))
        if status is None:
            problem("etat", _("écrivez « brouillon », « publiée » ou « archivée »"))
        else:
            read.status = status
    read.values = values
    return read


def rows_read(rows: list[tuple[int, list]]) -> ImportPreview:
    """Check every row of the file: what each line will create or update, or its errors."""
    try:
        header_at, columns = header_columns(rows, cell_text=_cell_text, required=REQUIRED_COLUMNS, expected=COLUMNS)
    except SpreadsheetRefused as refused:
        raise TransferRefused(str(refused)) from None
    if len(rows) - header_at - 1 > MAX_ROWS:
        raise TransferRefused(_("Le fichier compte trop de formations (%(max)s au plus).") % {"max": MAX_ROWS})
    ignored = [column for column in dict.fromkeys(columns) if column and column not in COLUMNS]
    context = _Context()
    lines: list[ImportLine] = []
    seen: dict = {}
    for line, raw_cells in rows[header_at + 1 :]:
        cells: dict[str, str] = {}
        formulas = []
        for column, cell in zip(columns, raw_cells, strict=False):
            if column not in COLUMNS or column in cells:
                continue
            text, formula = _cell_text(cell)
            if formula:
                formulas.append(column)
            cells[column] = text
        if not any(cells.values()):
            continue
        read = _line_read(line, cells, context, seen)
        for column in formulas:
            read.errors.append(
                _("Colonne « %(column)s » : la cellule contient une formule ; saisissez une valeur.")
                % {"column": column}
            )
        lines.append(read)
    problems = []
    if not lines:
        problems.append(_("Le fichier ne contient aucune formation (une par ligne, sous la ligne des en-têtes)."))
    return ImportPreview(lines=lines, problems=problems, ignored_columns=ignored)


def preview_file(raw: bytes) -> ImportPreview:
    """Read and check an uploaded file; a refused file gives one problem and no line."""
    try:
        preview = rows_read(read_file(raw))
    except TransferRefused as refused:
        return ImportPreview(lines=[], problems=[str(refused)])
    if len(json.dumps([line.to_json() for line in preview.lines])) > MAX_SESSION_CHARS:
        return ImportPreview(
            lines=[], problems=[_("Le fichier contient trop de texte : découpez-le en plusieurs imports.")]
        )
    return preview


# Writing ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int


def _model_values(values: dict) -> dict:
    found = dict(values)
    for name in ("duration_hours", "cost_euros"):
        if found.get(name) is not None:
            found[name] = Decimal(found[name])
    return found


def _session_values(session: dict, regions: dict[str, int]) -> dict:
    return {
        "starts_on": date.fromisoformat(session["starts_on"]),
        "ends_on": date.fromisoformat(session["ends_on"]) if session.get("ends_on") else None,
        "place": session.get("place") or "",
        "region_id": regions.get(session.get("region") or ""),
        "registration_url": "",
    }


@transaction.atomic
def import_apply(*, lines: list[ImportLine], actor, file_name: str = "") -> ImportResult:
    """Write the checked lines: create the new trainings (as drafts unless « etat » says otherwise), update the
    others (their sessions and competences replaced when the line gives some). Refuses lines with errors."""
    services._curator_check(actor)
    if any(line.errors for line in lines):
        raise services.TrainingError(_("Des lignes ont des erreurs : corrigez le fichier, rien n'a été importé."))
    regions = dict(Region.objects.values_list("code", "pk"))
    existing = {
        match_key(title, provider): pk
        for pk, title, provider in Training.objects.values_list("pk", "title", "provider")
    }
    created = updated = 0
    touched = []
    for line in lines:
        values = _model_values(line.values)
        pk = existing.get(match_key(line.title, line.provider))
        if pk is None:
            training = Training(status=line.status or TrainingStatus.DRAFT, created_by=actor, **values)
            training.full_clean(exclude=["created_by"])
            training.save()
            existing[match_key(line.title, line.provider)] = training.pk
            created += 1
        else:
            training = Training.objects.select_for_update().get(pk=pk)
            # The title and organisme only found the training: their stored spelling stays.
            values.pop("title", None)
            values.pop("provider", None)
            for name, value in values.items():
                setattr(training, name, value)
            if line.status:
                training.status = line.status
            training.lock_version += 1
            training.full_clean(exclude=["created_by"])
            training.save()
            updated += 1
        if line.codes is not None:
            services._codes_set(training, line.codes)
        if line.sessions is not None:
            training.sessions.all().delete()
            TrainingSession.objects.bulk_create(
                TrainingSession(training=training, **_session_values(session, regions)) for session in line.sessions
            )
            generations.bump(generations.CATALOGUE)  # a bulk write sends no signal
        touched.append(training.pk)
    audit_log(
        actor=actor,
        action="training.import.done",
        data={"created": created, "updated": updated, "file": file_name[:120], "trainings": touched[:500]},
    )
    return ImportResult(created=created, updated=updated)


# Export and template --------------------------------------------------------------------------------


def _number(value) -> str:
    if value is None:
        return ""
    text = format(value.normalize(), "f") if isinstance(value, Decimal) else str(value)
    return text.replace(".", ",")


def _sessions_text(sessions) -> str:
    parts = []
    for session in sessions:
        pieces = [
            session.starts_on.strftime("%d/%m/%Y"),
            session.ends_on.strftime("%d/%m/%Y") if session.ends_on else "",
            session.place,
            session.region.name if session.region_id else "",
        ]
        parts.append("|".join(pieces).rstrip("|"))
    return " ; ".join(parts)


def export_rows(trainings) -> list[list[str]]:
    """The header and one row per training, in the import's columns."""
    rows = [list(COLUMNS)]
    trainings = trainings.prefetch_related("competences", "sessions__region").order_by("title", "pk")
    for training in trainings:
        rows.append(
            [
                training.title,
                training.provider,
                str(ProviderKind(training.provider_kind).label),
                str(TrainingFormat(training.format).label),
                training.summary,
                training.description,
                _number(training.duration_hours),
                _number(training.cost_euros),
                training.cost_note,
                training.url,
                " ; ".join(item.code for item in training.competences.all()),
                _sessions_text(training.sessions.all()),
                str(TrainingStatus(training.status).label),
            ]
        )
    return rows


def export_csv(trainings) -> str:
    output = io.StringIO()
    output.write("\ufeff")  # spreadsheets open UTF-8 with a BOM without asking
    writer = csv.writer(output, delimiter=";")
    for row in export_rows(trainings):
        writer.writerow([neutralise(value) for value in row])
    return output.getvalue()


TEMPLATE_EXAMPLE = [
    "Animer une concertation citoyenne",
    "CNFPT – INSET de Dunkerque",
    "CNFPT",
    "Sur place",
    "Trois jours pour concevoir et animer une démarche de concertation avec des habitant·es.",
    "Programme : cadre juridique, choix des méthodes, animation, restitution.",
    "21",
    "0",
    "Gratuite pour les agents territoriaux",
    "https://www.cnfpt.fr/",
    "C-ANI-01 ; C-ANI-09",
    "12/03/2027|14/03/2027|Dunkerque|Hauts-de-France ; 05/10/2027||En ligne",
    "Brouillon",
]


def template_csv() -> str:
    output = io.StringIO()
    output.write("\ufeff")
    writer = csv.writer(output, delimiter=";")
    writer.writerow(COLUMNS)
    writer.writerow(TEMPLATE_EXAMPLE)
    return output.getvalue()


def template_xlsx() -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Formations"
    sheet.append(list(COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.append(TEMPLATE_EXAMPLE)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
