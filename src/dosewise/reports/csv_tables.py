"""One CSV file per database table (for spreadsheets and audits; the backup is the file to restore from).

Values are as in the backup: times are ISO 8601 in UTC, dates ISO, JSON columns as compact JSON,
booleans as true/false, empty cells for missing values. Text that a spreadsheet would run as a formula
gets a ' prefix (as in the journal CSV); deleted journal entries are left out; files are 0600.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from dosewise.errors import InvalidInput
from dosewise.private import DIR_MODE, write_private
from dosewise.services.csv_io import protect_cell


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    if isinstance(value, float):
        return repr(value)
    return protect_cell(str(value))  # a note such as '=HYPERLINK(...)' must not run in a spreadsheet


def write_tables(folder: Path, tables: dict[str, tuple[list[str], list[list[Any]]]]) -> dict[str, int]:
    """Write ``<folder>/<table>.csv`` for each table (header + rows, UTF-8); return rows written per table."""
    folder = folder.expanduser()
    if folder.exists() and not folder.is_dir():
        raise InvalidInput(f"{folder} is a file, not a folder. Give a folder for the CSV files.")
    folder.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    for name, (columns, rows) in tables.items():
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([_cell(v) for v in row] for row in rows)
        write_private(folder / f"{name}.csv", buf.getvalue().encode("utf-8"))
        counts[name] = len(rows)
    return counts
