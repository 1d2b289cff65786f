"""One CSV file per database table (for spreadsheets and audits; the backup is the file to restore from).

Values are as in the backup: times are ISO 8601 in UTC, dates ISO, JSON columns as compact JSON,
booleans as true/false, empty cells for missing values.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from dosewise.errors import InvalidInput


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    if isinstance(value, float):
        return repr(value)
    return str(value)


def write_tables(folder: Path, tables: dict[str, tuple[list[str], list[list[Any]]]]) -> dict[str, int]:
    """Write ``<folder>/<table>.csv`` for each table (header + rows, UTF-8); return rows written per table."""
    folder = folder.expanduser()
    if folder.exists() and not folder.is_dir():
        raise InvalidInput(f"{folder} is a file, not a folder. Give a folder for the CSV files.")
    folder.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    for name, (columns, rows) in tables.items():
        with (folder / f"{name}.csv").open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow(columns)
            writer.writerows([_cell(v) for v in row] for row in rows)
        counts[name] = len(rows)
    return counts
