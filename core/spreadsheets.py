"""What every CSV or XLSX export of the project shares, and the bounded readers of uploaded ones."""

import csv
import io
import re
import zipfile
from dataclasses import dataclass

from django.utils.translation import gettext as _

from core.search import search_key

# Spreadsheets run a cell starting with one of these as a formula (CSV/formula injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value) -> str:
    """The value as text a spreadsheet will not run as a formula (a leading apostrophe)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


# --- Reading uploaded spreadsheets ---------------------------------------------------------------
#
# An upload limit counts compressed bytes: a 63 KB XLSX once unpacked to 240 MB (a "zip bomb"). So
# the zip directory of an XLSX is checked before any member is decompressed, and every reader counts
# rows and cells as it goes instead of trusting what the file declares (`<dimension>`).

XLSX_MAX_MEMBERS = 200
XLSX_MAX_MEMBER_BYTES = 12 * 1024 * 1024
XLSX_MAX_TOTAL_BYTES = 32 * 1024 * 1024
XLSX_MAX_RATIO = 100
# Below this size a member may be as compressible as it likes: it costs nothing to read.
XLSX_RATIO_FROM_BYTES = 256 * 1024
# Python's csv module refuses a longer field on its own (csv.field_size_limit(), 131,072 by default);
# each reader may set a lower bound.
CSV_MAX_FIELD_CHARS = 100_000


class SpreadsheetRefused(ValueError):
    """An uploaded CSV or XLSX refused before or while reading it; the message is for the user, in French."""


@dataclass(frozen=True)
class SheetCell:
    """A cell read from an uploaded sheet: its value and whether it holds a formula."""

    value: object
    formula: bool = False


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f}"


def xlsx_check(raw: bytes) -> None:
    """Refuse an XLSX whose members would unpack too big or too compressed; nothing is decompressed."""
    if not raw.startswith(b"PK\x03\x04"):
        raise SpreadsheetRefused(_("Ce fichier n'est pas un classeur XLSX."))
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        raise SpreadsheetRefused(_("Ce classeur XLSX est illisible ou endommagé.")) from None
    if len(members) > XLSX_MAX_MEMBERS:
        raise SpreadsheetRefused(
            _("Ce classeur XLSX contient trop d'éléments (%(max)s au plus).") % {"max": XLSX_MAX_MEMBERS}
        )
    total = 0
    for member in members:
        # The sizes of the zip's directory bound what Python will ever decompress: a member that
        # unpacks to more than its declared size fails its CRC check instead.
        if member.file_size > XLSX_MAX_MEMBER_BYTES:
            raise SpreadsheetRefused(
                _(
                    "Ce classeur XLSX est refusé : une fois décompressé, l'élément « %(name)s » ferait "
                    "%(size)s Mo (%(max)s Mo au plus)."
                )
                % {
                    "name": member.filename[:60],
                    "size": _megabytes(member.file_size),
                    "max": _megabytes(XLSX_MAX_MEMBER_BYTES),
                }
            )
        if member.file_size > XLSX_RATIO_FROM_BYTES and member.file_size > XLSX_MAX_RATIO * max(
            member.compress_size, 1
        ):
            raise SpreadsheetRefused(
                _(
                    "Ce classeur XLSX est refusé : l'élément « %(name)s » est compressé plus de %(ratio)s fois, "
                    "ce qui est le signe d'une « bombe de décompression »."
                )
                % {"name": member.filename[:60], "ratio": XLSX_MAX_RATIO}
            )
        total += member.file_size
    if total > XLSX_MAX_TOTAL_BYTES:
        raise SpreadsheetRefused(
            _("Ce classeur XLSX est refusé : une fois décompressé, il ferait %(size)s Mo (%(max)s Mo au plus).")
            % {"size": _megabytes(total), "max": _megabytes(XLSX_MAX_TOTAL_BYTES)}
        )


def xlsx_rows(raw: bytes, *, max_rows: int, max_columns: int) -> list[list[SheetCell]]:
    """The rows of the first sheet of an uploaded XLSX, checked by `xlsx_check` first, then counted as read.

    Raises SpreadsheetRefused, in French, on a file that is too big, too compressed, too long or too
    wide, or that openpyxl cannot read.
    """
    xlsx_check(raw)
    from openpyxl import load_workbook

    rows: list[list[SheetCell]] = []
    try:
        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=False)
        try:
            sheet = workbook.worksheets[0]
            # The declared <dimension> would pad every row and add missing ones up to its size: ignore it.
            sheet.reset_dimensions()
            for number, row in enumerate(sheet.iter_rows(), start=1):
                if number > max_rows:
                    raise SpreadsheetRefused(
                        _("Le classeur compte trop de lignes (%(max)s au plus).") % {"max": max_rows}
                    )
                if len(row) > max_columns:
                    raise SpreadsheetRefused(
                        _("La ligne %(line)s du classeur compte trop de colonnes (%(max)s au plus).")
                        % {"line": number, "max": max_columns}
                    )
                rows.append([SheetCell(cell.value, getattr(cell, "data_type", None) == "f") for cell in row])
        finally:
            workbook.close()
    except SpreadsheetRefused:
        raise
    except Exception:  # noqa: BLE001 - openpyxl and its XML parser raise anything on a malformed file
        raise SpreadsheetRefused(_("Ce classeur XLSX est illisible ou endommagé.")) from None
    return rows


def csv_rows(
    text: str, *, delimiter: str, max_rows: int, max_field_chars: int = CSV_MAX_FIELD_CHARS
) -> list[tuple[int, list[str]]]:
    """The rows of an uploaded CSV with their line numbers, bounded in lines and in characters per cell.

    A record whose quoted cell spans several lines is numbered by its first line, where an editor shows it.
    Raises SpreadsheetRefused, in French, on a malformed file or one past the bounds.
    """
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = []
    first_line = 1
    try:
        for row in reader:
            if reader.line_num > max_rows:
                raise SpreadsheetRefused(_("Le fichier compte trop de lignes (%(max)s au plus).") % {"max": max_rows})
            if any(len(cell) > max_field_chars for cell in row):
                raise SpreadsheetRefused(_field_too_long(first_line, max_field_chars))
            rows.append((first_line, row))
            first_line = reader.line_num + 1
    except csv.Error as error:
        if "field larger than field limit" in str(error):
            raise SpreadsheetRefused(_field_too_long(first_line, max_field_chars)) from None
        raise SpreadsheetRefused(
            _("Le fichier CSV est mal formé (ligne %(line)s).") % {"line": reader.line_num}
        ) from None
    return rows


def _field_too_long(line: int, limit: int) -> str:
    return _("Ligne %(line)s : une cellule dépasse %(max)s caractères ; le fichier est refusé.") % {
        "line": line,
        "max": min(limit, csv.field_size_limit()),
    }


def column_key(text) -> str:
    """A column heading as an import compares it: lower case, no accents, words joined by "_"."""
    return re.sub(r"[^a-z0-9]+", "_", search_key(str(text or "")).strip()).strip("_")


def header_columns(rows: list[tuple[int, list]], *, cell_text, required, expected) -> tuple[int, list[str]]:
    """Where an import's heading row is (the first row with text) and its column keys (`column_key`).

    `cell_text(cell)` returns (text, is_formula); refused with a French message when the file is empty or a
    `required` column is missing (`expected`: every column the import reads, named in the message).
    """
    header_at = next((index for index, (_line, cells) in enumerate(rows) if any(cell_text(c)[0] for c in cells)), None)
    if header_at is None:
        raise SpreadsheetRefused(_("Le fichier est vide."))
    header_line, header_cells = rows[header_at]
    columns = [column_key(cell_text(cell)[0]) for cell in header_cells]
    missing = [column for column in required if column not in columns]
    if missing:
        raise SpreadsheetRefused(
            _("Ligne %(line)s : il manque les colonnes %(columns)s (en-têtes attendus : %(expected)s).")
            % {"line": header_line, "columns": ", ".join(missing), "expected": ", ".join(expected)}
        )
    return header_at, columns
