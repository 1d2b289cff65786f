"""dosewise backup FILE | restore FILE [--replace] | export-tables DIR"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from dosewise.cli.output import console, print_json
from dosewise.reports import backup as backup_file
from dosewise.reports import csv_tables
from dosewise.services import backup
from dosewise.services.runtime import open_database

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")]


def backup_(path: Annotated[Path, typer.Argument(help="The backup file to write (JSON).")]) -> None:
    """Write everything in the database to one backup file (versioned JSON with a checksum)."""
    doc = backup.backup_document(open_database())
    size = backup_file.write_backup(path, doc)
    rows = sum(doc["counts"].values())
    console.print(
        f"Wrote a backup of {rows} rows ({size / 1024:.0f} KB) to {path}. Restore it with: dosewise restore {path}"
    )


def restore(
    path: Annotated[Path, typer.Argument(help="A backup file written by 'dosewise backup'.")],
    replace: Annotated[bool, typer.Option("--replace", help="Delete the data in this database first.")] = False,
    json_: JsonOpt = False,
) -> None:
    """Restore a backup into an empty database (or replace the current data with --replace)."""
    out = backup.restore_bytes(open_database(), backup_file.read_backup(path), replace=replace)
    if json_:
        print_json(out)
        return
    total = sum(out.restored.values())
    what = "Replaced the data with" if out.replaced else "Restored"
    console.print(f"{what} {total} rows from {path}: " + ", ".join(f"{n} {t}" for t, n in out.restored.items() if n))


def export_tables(folder: Annotated[Path, typer.Argument(help="Folder for one CSV file per table.")]) -> None:
    """Write each database table as a CSV file (for spreadsheets; restore uses the backup file)."""
    counts = csv_tables.write_tables(folder, backup.table_dump(open_database()))
    console.print(f"Wrote {len(counts)} CSV files ({sum(counts.values())} rows) to {folder}.")


def register(app: typer.Typer) -> None:
    app.command("backup")(backup_)
    app.command("restore")(restore)
    app.command("export-tables")(export_tables)
