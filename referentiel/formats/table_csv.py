"""The project's CSV: its own table (referentiel.formats.common.COLUMNS), one row per item.

Named table_csv rather than csv so that `import csv` keeps meaning the standard library everywhere.
"""

import csv
import io
from datetime import datetime

from core.spreadsheets import neutralise
from referentiel.formats.common import (
    ImportRefused,
    ImportResult,
    decode_text,
    finish,
    framework_from_project_rows,
    project_rows,
    read_csv_rows,
)
from referentiel.framework import FrameworkData, Problem


def read_project_csv(raw: bytes) -> ImportResult:
    """The project's table in CSV, comma or semicolon separated."""
    problems: list[Problem] = []
    try:
        rows = read_csv_rows(decode_text(raw))
    except ImportRefused as refused:
        return ImportResult(FrameworkData(), refused.problems)
    data = framework_from_project_rows(rows, problems)
    return finish(data, problems)


def export_csv(data: FrameworkData, *, changed_at: datetime | None = None) -> bytes:
    """The project's CSV, UTF-8 with a BOM so that spreadsheets open it with the right accents (no date in it).

    A spreadsheet opens it: a cell that it would run as a formula gets a leading apostrophe, taken off on import.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in project_rows(data):
        writer.writerow([neutralise(cell) for cell in row])
    return buffer.getvalue().encode("utf-8-sig")
