"""The catalogue's import (an existing list of resources, loaded by the CNCD team) and export (the public catalogue).

Import: a CSV (comma or semicolon, UTF-8 or Windows-1252) or an XLSX, one resource per row, with French
column headers (`IMPORT_COLUMNS`). Every row is read and checked before anything is written; the rows
read (never the file) wait in the session for the curator to confirm, and `catalogue_import` then creates
them all in one transaction through the toolbox's services, published by that curator.

Export: the public resources (`Resource.objects.public()`) as CSV (the same headers, so that an export can
be imported again) or JSON, each with its licence, its page's address and its authors as credited.
"""

import csv
import io
import json
import re
from dataclasses import asdict, dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models, transaction
from django.utils.translation import gettext as _

from competences.models import Competence, FrameworkVersion
from core.search import search_key
from core.spreadsheets import SpreadsheetRefused, header_columns, neutralise, xlsx_rows
from missions.models import Activity, Mission
from referentiel.formats.common import MAX_IMPORT_BYTES, ImportRefused, clean_cell, decode_text, read_csv_rows
from toolbox import services
from toolbox.enums import LICENCE_SHORT, LICENCE_URLS, Audience, Licence, LinkKind, ResourceKind
from toolbox.fields import KINDS, kind_fields
from toolbox.models import LONG_TEXT, Resource

MAX_ROWS = 500
MAX_COLUMNS = 60
# The rows kept in the session between the preview and the confirmation, in characters of JSON.
MAX_SESSION_CHARS = 4 * 1024 * 1024

# Column (French, folded: lower case, no accents, "_" between words) → Resource field.
COMMON_COLUMNS = {
    "nature": "kind",
    "titre": "title",
    "en_bref": "summary",
    "description": "description",
    "licence": "licence",
    "visibilite": "audience",
    "codes": "links",
    "auteurs": "other_authors",
}
KIND_COLUMNS = {
    "objectif": "purpose",
    "participants_min": "group_min",
    "participants_max": "group_max",
    "duree_minutes": "duration_minutes",
    "materiel": "materials",
    "deroule": "steps",
    "territoire": "territory",
    "contexte": "context",
    "actions": "actions",
    "resultats": "results",
    "a_eviter": "pitfalls",
    "type_modele": "template_kind",
    "adresse_outil": "tool_url",
    "ia": "is_ai",
    "usage": "use_purpose",
    "donnees": "data_flows",
    "hebergement": "hosting",
    "part_humaine": "human_part",
    "cout": "cost",
    "vigilance": "vigilance",
    "adresse": "url",
    "editeur": "publisher",
    "annee": "year",
}
IMPORT_COLUMNS = {**COMMON_COLUMNS, **KIND_COLUMNS}
COLUMN_OF = {name: column for column, name in IMPORT_COLUMNS.items()}
REQUIRED_COLUMNS = ("nature", "titre", "en_bref")
# Integer fields: the bounds a value must fall within.
INTEGER_BOUNDS = {
    "group_min": (1, 10_000),
    "group_max": (1, 10_000),
    "duration_minutes": (1, 100_000),
    "year": (1800, 2100),
}
TRUE_WORDS = {"oui", "o", "vrai", "yes", "y", "true", "1", "x"}
FALSE_WORDS = {"non", "n", "faux", "no", "false", "0", ""}
PUBLIC_WORDS = {"public", "publique", "tout le monde", "tous", "ouvert"}
MEMBER_WORDS = {"", "membres", "membre", "reseau", "membres du reseau", "prive", "privee"}

_url_check = URLValidator(schemes=["http", "https"])


class TransferRefused(ValueError):
    """The whole file is refused (unreadable, too big, missing columns); the message is for the user."""


@dataclass
class ImportRow:
    """One resource to create, as read from its row."""

    line: int
    kind: str
    data: dict
    links: list[tuple[str, str, str]] = field(default_factory=list)  # (LinkKind, code, title)

    @property
    def is_public(self) -> bool:
        return self.data.get("audience") == Audience.PUBLIC

    @property
    def kind_label(self) -> str:
        return ResourceKind(self.kind).label

    @property
    def licence_short(self) -> str:
        return str(LICENCE_SHORT.get(self.data.get("licence"), ""))

    @property
    def codes(self) -> list[str]:
        return [code for _kind, code, _title in self.links]

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, value: dict) -> "ImportRow":
        return cls(
            line=value["line"],
            kind=value["kind"],
            data=dict(value["data"]),
            links=[tuple(link) for link in value.get("links", [])],
        )


@dataclass
class ImportPreview:
    rows: list[ImportRow]
    problems: list[str]
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not self.problems


# Reading --------------------------------------------------------------------------------------


def _key(text) -> str:
    """A header or a choice as compared: folded, letters and digits only."""
    return re.sub(r"[^a-z0-9]", "", search_key(str(text or "")))


def _choices(enum, *extra: dict[str, str]) -> dict[str, str]:
    """Each value of `enum` under its code, its label and any extra spelling, compared by `_key`."""
    found = {}
    for value, label in enum.choices:
        found[_key(value)] = value
        found[_key(label)] = value
        found.setdefault(_key(label).rstrip("0123456789"), value)
    for spellings in extra:
        found.update({_key(word): value for word, value in spellings.items()})
    return found


KIND_CHOICES = _choices(
    ResourceKind,
    {
        "méthode": ResourceKind.METHOD,
        "retour d'expérience": ResourceKind.REPORT,
        "rex": ResourceKind.REPORT,
        "modèle": ResourceKind.TEMPLATE,
        "trame": ResourceKind.TEMPLATE,
        "outil": ResourceKind.TOOL,
        "externe": ResourceKind.EXTERNAL,
    },
)
LICENCE_CHOICES = _choices(
    Licence,
    {str(short): value for value, short in LICENCE_SHORT.items()},
    {_key(short).rstrip("0123456789"): value for value, short in LICENCE_SHORT.items() if value != Licence.CC0},
    {"etalab": Licence.ETALAB, "cc0": Licence.CC0, "domaine public": Licence.CC0},
)


def _plain_choices(name: str) -> dict[str, str]:
    found = {}
    for value, label in Resource._meta.get_field(name).choices:
        found[_key(value)] = value
        found[_key(label)] = value
    return found


def read_file(raw: bytes) -> list[tuple[int, list]]:
    """The numbered rows of an uploaded CSV or XLSX (told apart by content); TransferRefused otherwise."""
    if len(raw) > MAX_IMPORT_BYTES:
        raise TransferRefused(
            _("Le fichier est trop volumineux (%(size)s Mo au plus).") % {"size": MAX_IMPORT_BYTES // (1024 * 1024)}
        )
    if not raw.strip():
        raise TransferRefused(_("Le fichier est vide."))
    if raw.startswith(b"PK\x03\x04"):
        try:
            rows = xlsx_rows(raw, max_rows=MAX_ROWS + 1, max_columns=MAX_COLUMNS)
        except SpreadsheetRefused as refused:
            raise TransferRefused(str(refused)) from None
        return list(enumerate(rows, start=1))
    try:
        text = decode_text(raw)
        rows = read_csv_rows(text)
    except ImportRefused as refused:
        raise TransferRefused(str(refused)) from None
    return rows


def _cell_text(cell) -> tuple[str, bool]:
    """The cell's text and whether it held a spreadsheet formula."""
    formula = getattr(cell, "formula", False)
    value = getattr(cell, "value", cell)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool):
        value = "oui" if value else "non"
    return clean_cell(value), formula


class _LinkIndex:
    """The codes of the référentiel in force (missions, activities, competences), read once per import."""

    def __init__(self):
        self.version = FrameworkVersion.objects.current()
        self.items: dict[str, tuple[str, str, str]] = {}
        if self.version is None:
            return
        for model, kind in (
            (Mission, LinkKind.MISSION),
            (Activity, LinkKind.ACTIVITY),
            (Competence, LinkKind.COMPETENCE),
        ):
            for code, title in model.objects.filter(version=self.version).values_list("code", "title"):
                self.items[code.upper()] = (kind, code, title)

    def resolve(self, text: str) -> tuple[list[tuple[str, str, str]], list[str]]:
        links, unknown = [], []
        for code in (part.strip() for part in re.split(r"[;,\n]", text)):
            if not code:
                continue
            item = self.items.get(code.upper())
            if item is None:
                unknown.append(code)
            elif item not in links:
                links.append(item)
        return links, unknown


def _text_limit(name: str) -> int:
    model_field = Resource._meta.get_field(name)
    return model_field.max_length or LONG_TEXT


def _value(name: str, text: str, problem) -> object:
    """The value of field `name` read from `text`; `problem(message)` records why it is refused."""
    model_field = Resource._meta.get_field(name)
    if isinstance(model_field, models.BooleanField):
        word = search_key(text).strip()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        problem(_("écrivez « oui » ou « non »"))
        return False
    if isinstance(model_field, models.IntegerField):
        if not text:
            return None
        low, high = INTEGER_BOUNDS.get(name, (0, 32_767))
        try:
            number = int(text.replace(" ", "").replace("\u00a0", ""))
        except ValueError:
            problem(_("« %(value)s » n'est pas un nombre entier") % {"value": text[:40]})
            return None
        if not low <= number <= high:
            problem(_("%(value)s n'est pas entre %(low)s et %(high)s") % {"value": number, "low": low, "high": high})
            return None
        return number
    if model_field.choices:
        if not text:
            return ""
        value = _plain_choices(name).get(_key(text))
        if value is None:
            accepted = ", ".join(str(code) for code, _label in model_field.choices)
            message = _("« %(value)s » n'est pas une valeur connue (%(accepted)s)")
            problem(message % {"value": text[:60], "accepted": accepted})
            return ""
        return value
    limit = _text_limit(name)
    if len(text) > limit:
        problem(_("le texte dépasse %(max)s caractères") % {"max": limit})
        return text[:limit]
    if isinstance(model_field, models.URLField) and text:
        try:
            _url_check(text)
        except ValidationError:
            problem(_("« %(value)s » n'est pas une adresse web (http:// ou https://)") % {"value": text[:80]})
    return text


def _row_read(line: int, cells: dict[str, str], links: _LinkIndex, problems: list[str]) -> ImportRow | None:
    def problem(column: str, message: str) -> None:
        values = {"line": line, "column": column, "message": message}
        problems.append(_("Ligne %(line)s, colonne « %(column)s » : %(message)s.") % values)

    before = len(problems)
    kind = KIND_CHOICES.get(_key(cells.get("nature", "")))
    if kind is None:
        accepted = ", ".join(ResourceKind.values)
        problem("nature", _("choisissez une nature parmi %(accepted)s") % {"accepted": accepted})
    data: dict = {}
    for column in ("titre", "en_bref", "description", "auteurs"):
        name = IMPORT_COLUMNS[column]
        data[name] = _value(name, cells.get(column, ""), lambda message, column=column: problem(column, message))
    for column in ("titre", "en_bref"):
        if not cells.get(column):
            problem(column, _("obligatoire"))
    licence_text = cells.get("licence", "")
    data["licence"] = LICENCE_CHOICES.get(_key(licence_text)) if licence_text else Licence.CC_BY_SA
    if data["licence"] is None:
        accepted = ", ".join(str(short) for short in LICENCE_SHORT.values())
        problem("licence", _("licence inconnue : %(accepted)s") % {"accepted": accepted})
    audience = search_key(cells.get("visibilite", "")).strip()
    if audience in PUBLIC_WORDS or _key(audience) in (_key(Audience.PUBLIC.label), _key(Audience.PUBLIC)):
        data["audience"] = Audience.PUBLIC
    elif audience in MEMBER_WORDS or _key(audience) in (_key(Audience.MEMBERS.label), _key(Audience.MEMBERS)):
        data["audience"] = Audience.MEMBERS
    else:
        problem("visibilite", _("écrivez « public » ou « membres »"))
    found, unknown = links.resolve(cells.get("codes", ""))
    if unknown:
        if links.version is None:
            problem("codes", _("aucun référentiel n'est publié : les codes ne peuvent pas être reliés"))
        else:
            problem(
                "codes",
                _("code inconnu dans le référentiel %(label)s : %(codes)s")
                % {"label": links.version.label, "codes": ", ".join(unknown[:10])},
            )
    if kind is not None:
        spec = KINDS[kind]
        for name in spec.fields:
            if name not in COLUMN_OF:  # the council of a field report is chosen on the site, not imported
                continue
            column = COLUMN_OF[name]
            data[name] = _value(name, cells.get(column, ""), lambda message, column=column: problem(column, message))
        for name in spec.required:
            if name in COLUMN_OF and data.get(name) in (None, ""):
                problem(COLUMN_OF[name], _("obligatoire pour « %(kind)s »") % {"kind": ResourceKind(kind).label})
        low, high = data.get("group_min"), data.get("group_max")
        if low is not None and high is not None and low > high:
            problem("participants_min", _("le nombre minimal dépasse le nombre maximal"))
    if len(problems) > before or kind is None:
        return None
    return ImportRow(line=line, kind=kind, data=data, links=[tuple(link) for link in found])


def rows_read(rows: list[tuple[int, list]]) -> ImportPreview:
    """Check every row of the file; the resources to create and every line's problems."""
    try:
        header_at, columns = header_columns(
            rows, cell_text=_cell_text, required=REQUIRED_COLUMNS, expected=IMPORT_COLUMNS
        )
    except SpreadsheetRefused as refused:
        raise TransferRefused(str(refused)) from None
    ignored = [column for column in dict.fromkeys(columns) if column and column not in IMPORT_COLUMNS]
    if len(rows) - header_at - 1 > MAX_ROWS:
        raise TransferRefused(_("Le fichier compte trop de ressources (%(max)s au plus).") % {"max": MAX_ROWS})
    links = _LinkIndex()
    problems: list[str] = []
    read: list[ImportRow] = []
    for line, raw_cells in rows[header_at + 1 :]:
        cells: dict[str, str] = {}
        for column, cell in zip(columns, raw_cells, strict=False):
            if column not in IMPORT_COLUMNS or column in cells:
                continue
            text, formula = _cell_text(cell)
            if formula:
                problems.append(
                    _(
                        "Ligne %(line)s, colonne « %(column)s » : la cellule contient une formule ; "
                        "saisissez une valeur."
                    )
                    % {"line": line, "column": column}
                )
            cells[column] = text
        if not any(cells.values()):
            continue
        row = _row_read(line, cells, links, problems)
        if row is not None:
            read.append(row)
    if not read and not problems:
        problems.append(_("Le fichier ne contient aucune ressource (une par ligne, sous la ligne des en-têtes)."))
    return ImportPreview(rows=read, problems=problems, ignored_columns=ignored)


def preview_file(raw: bytes) -> ImportPreview:
    """Read and check an uploaded file; a refused file gives one problem and no row."""
    try:
        preview = rows_read(read_file(raw))
    except TransferRefused as refused:
        return ImportPreview(rows=[], problems=[str(refused)])
    if len(json.dumps([row.to_json() for row in preview.rows])) > MAX_SESSION_CHARS:
        too_long = _("Le fichier contient trop de texte : découpez-le en plusieurs imports.")
        return ImportPreview(rows=[], problems=[too_long])
    return preview


# Writing --------------------------------------------------------------------------------------


@transaction.atomic
def catalogue_import(*, rows: list[ImportRow], curator) -> list[Resource]:
    """Create and publish every row's resource, all or none, with `curator` as their owner and publisher."""
    if not curator.is_curator:
        raise services.ToolboxError(_("Seule l'équipe CNCD peut importer des ressources."))
    created = []
    for row in rows:
        links = [services.LinkData(kind, code, title) for kind, code, title in row.links]
        try:
            resource = services.resource_create(user=curator, kind=row.kind, data=dict(row.data), links=links)
            services.resource_submit(resource_id=resource.pk, user=curator)
            resource = services.resource_publish(resource_id=resource.pk, actor=curator, make_public=row.is_public)
        except ValidationError as error:
            raise services.ToolboxError(
                _("Ligne %(line)s : %(message)s") % {"line": row.line, "message": " ".join(error.messages)}
            ) from None
        created.append(resource)
    return created


# Export ---------------------------------------------------------------------------------------

EXPORT_COLUMNS = [
    "nature",
    "titre",
    "en_bref",
    "description",
    "adresse_page",
    "licence",
    "licence_nom",
    "licence_adresse",
    "auteurs_plateforme",
    "auteurs",
    "codes",
    "publiee_le",
    "visibilite",
    *KIND_COLUMNS,
    "conseil",
]
LICENCE_NOTE = (
    "Chaque ressource est publiée sous la licence indiquée avec elle (licence, licence_url) : réutilisez-la dans "
    "ses conditions en citant ses auteur·rices et l'adresse de la ressource. Une ressource externe « droits "
    "réservés » reste soumise aux conditions de sa source."
)


def public_resources():
    """The public catalogue, with what its export reads loaded in a fixed number of queries."""
    return (
        Resource.objects.public()
        .select_related("owner__profile", "council")
        .prefetch_related("links", "coauthors__profile")
        .order_by("-published_at", "-pk")
    )


def resource_page_url(resource: Resource) -> str:
    return settings.SITE_URL.rstrip("/") + services.resource_url(resource)


def credited_authors(resource: Resource) -> list[str]:
    """The platform's authors as each chose to be credited (the unnamed left out)."""
    people = ([resource.owner] if resource.owner else []) + sorted(resource.coauthors.all(), key=lambda user: user.pk)
    names = (person.credit_name() for person in people)
    return [name for name in names if name]


def _export_value(resource: Resource, name: str):
    value = getattr(resource, name)
    if name == "council":
        return str(resource.council) if resource.council_id else ""
    return value


def resource_record(resource: Resource) -> dict:
    """What the export says of one public resource (JSON values)."""
    return {
        "title": resource.title,
        "kind": resource.kind,
        "kind_label": str(resource.get_kind_display()),
        "summary": resource.summary,
        "description": resource.description,
        "url": resource_page_url(resource),
        "licence": {
            "code": resource.licence,
            "name": str(LICENCE_SHORT.get(resource.licence, resource.licence)),
            "url": LICENCE_URLS.get(resource.licence, ""),
        },
        "authors": credited_authors(resource),
        "other_authors": resource.other_authors,
        "codes": [link.code for link in resource.links.all()],
        "published_at": resource.published_at.isoformat() if resource.published_at else None,
        "fields": {name: _export_value(resource, name) for name in kind_fields(resource.kind)},
    }


def export_json(resources) -> str:
    records = [resource_record(resource) for resource in resources]
    return json.dumps({"licence_note": LICENCE_NOTE, "resources": records}, ensure_ascii=False, indent=2)


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    return neutralise(value)


def export_csv(resources) -> str:
    """UTF-8 with a BOM (spreadsheets then read the accents), every cell neutralised against formulas."""
    output = io.StringIO()
    output.write("\ufeff")
    writer = csv.writer(output)
    writer.writerow(EXPORT_COLUMNS)
    for resource in resources:
        record = resource_record(resource)
        own = set(kind_fields(resource.kind))
        row = {
            "nature": resource.kind,
            "titre": resource.title,
            "en_bref": resource.summary,
            "description": resource.description,
            "adresse_page": record["url"],
            "licence": resource.licence,
            "licence_nom": record["licence"]["name"],
            "licence_adresse": record["licence"]["url"],
            "auteurs_plateforme": ", ".join(record["authors"]),
            "auteurs": resource.other_authors,
            "codes": "; ".join(record["codes"]),
            "publiee_le": record["published_at"] or "",
            "visibilite": resource.audience,
            "conseil": _export_value(resource, "council") if "council" in own else "",
        }
        for column, name in KIND_COLUMNS.items():
            row[column] = getattr(resource, name) if name in own else ""
        writer.writerow([_csv_cell(row[column]) for column in EXPORT_COLUMNS])
    return output.getvalue()
