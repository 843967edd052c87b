"""The référentiel's file formats: one module each (reader and writer), listed once in FORMATS.

Everything that offers a format goes through this registry: the download links and the export view
(`/referentiel/<label>/export/<key>/`), the import form's choices, read_file() for the import and its
service, the benchmarks. A new format is a module with a reader and a writer, plus one entry below.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from referentiel.formats import case, case_read, moodle, moodle_read, table_csv, xlsx
from referentiel.formats.common import MAX_IMPORT_BYTES, ImportResult
from referentiel.framework import FrameworkData, Problem


class Writer(Protocol):
    def __call__(self, data: FrameworkData, *, changed_at: datetime | None = None) -> bytes:
        """The file's bytes; `changed_at` is when the version last changed, for formats that carry a date."""


@dataclass(frozen=True)
class Format:
    """A file format of the référentiel: how it is named, served, read and written."""

    key: str  # in URLs and in the import form: stable, never renamed
    label: str  # the import form's choice
    link_label: str  # the download link
    suffix: str  # ends the file name: `referentiel-v1.0-case.json`
    content_type: str
    reader: Callable[[bytes], ImportResult]
    writer: Writer

    def filename(self, version_label: str) -> str:
        """The name of the downloaded file, e.g. `referentiel-v1.0.csv`."""
        return f"referentiel-{version_label}{self.suffix}"


CSV_CONTENT_TYPE = "text/csv; charset=utf-8"

FORMATS: tuple[Format, ...] = (
    Format(
        key="csv",
        label=gettext_lazy("CSV du projet"),
        link_label="CSV",
        suffix=".csv",
        content_type=CSV_CONTENT_TYPE,
        reader=table_csv.read_project_csv,
        writer=table_csv.export_csv,
    ),
    Format(
        key="xlsx",
        label=gettext_lazy("Classeur XLSX du projet"),
        link_label="XLSX",
        suffix=".xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        reader=xlsx.read_project_xlsx,
        writer=xlsx.export_xlsx,
    ),
    Format(
        key="case",
        label=gettext_lazy("JSON 1EdTech CASE"),
        link_label=gettext_lazy("JSON CASE"),
        suffix="-case.json",
        content_type="application/json",
        reader=case_read.read_case_json,
        writer=case.export_case_json,
    ),
    Format(
        key="moodle",
        label=gettext_lazy("CSV de référentiel Moodle"),
        link_label=gettext_lazy("CSV Moodle"),
        suffix="-moodle.csv",
        content_type=CSV_CONTENT_TYPE,
        reader=moodle_read.read_moodle_csv,
        writer=moodle.export_moodle_csv,
    ),
)
_BY_KEY = {file_format.key: file_format for file_format in FORMATS}


def get_format(key: str) -> Format | None:
    """The registered format of that key, or None."""
    return _BY_KEY.get(key)


def format_choices() -> list[tuple[str, str]]:
    """(key, label) of every format, for a form's choices."""
    return [(file_format.key, file_format.label) for file_format in FORMATS]


def read_file(*, raw: bytes, file_format: str) -> ImportResult:
    """Read `raw` in `file_format`; size and format are checked before anything else."""
    if len(raw) > MAX_IMPORT_BYTES:
        return ImportResult(
            FrameworkData(),
            [
                Problem(
                    _("Le fichier est trop volumineux (%(size)s Mo au plus).")
                    % {"size": MAX_IMPORT_BYTES // (1024 * 1024)}
                )
            ],
        )
    if not raw.strip():
        return ImportResult(FrameworkData(), [Problem(_("Le fichier est vide."))])
    registered = get_format(file_format)
    if registered is None:
        return ImportResult(FrameworkData(), [Problem(_("Format de fichier inconnu."))])
    return registered.reader(raw)
