"""dosewise journal | export | import | delete | undelete"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table

from dosewise.cli.output import console, print_json, print_json_stream
from dosewise.errors import ImportRejected, InvalidInput
from dosewise.private import write_private
from dosewise.services import journal
from dosewise.services.runtime import open_database

if TYPE_CHECKING:
    from dosewise.services.journal_schemas import EntryOut

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")]


def _value(e: EntryOut) -> str:
    if e.kind == "dose":
        source = {"measured": ", lab-measured", "mixed": ", partly lab-measured"}.get(e.mg_source or "", "")
        return f"{e.amount_text} ({e.thc_mg:.1f} mg THC, {e.cbd_mg:.1f} mg CBD{source})" + (
            " [unusual]" if e.unusual else ""
        )
    if e.kind == "note":
        return e.note or ""
    if e.kind == "side_effect":
        return f"{e.severity}" + (f" - {e.note}" if e.note else "")
    if e.kind == "symptom":
        return e.note or ""
    return f"{e.value:g}" if isinstance(e.value, float) else str(e.value or "")


def show_journal(
    days: Annotated[int, typer.Option(help="How many journal days to show.")] = 7, json_: JsonOpt = False
) -> None:
    """Show the journal, newest first, with mg THC and mg CBD per day."""
    if json_:
        with journal.journal_stream(open_database(), days=days) as stream:  # one day at a time: memory flat
            print_json_stream({"person": stream.person, "is_demo": stream.is_demo}, "days", stream.days)
        return
    out = journal.read_journal(open_database(), days=days)
    title = f"Journal of {out.person} - last {days} days" + (" - DEMO DATA" if out.is_demo else "")
    if not out.days:
        console.print(f"{title}: no entries yet. Start with 'dosewise log rating spasticity 5'.")
        return
    table = Table("Day / time", "Kind", "What", "Amount / value", "Entered by", title=title, show_lines=False)
    table.columns[2].no_wrap = True  # a product's name stays whole; "who" wraps first
    for d in out.days:
        table.add_row(
            f"[bold]{d.day:%a %d %b}[/]",
            "",
            "[bold]day total[/]",
            f"[bold]{d.thc_mg:.1f} mg THC, {d.cbd_mg:.1f} mg CBD[/]",
            "",
        )
        for e in d.entries:
            who = escape(e.entered_by + (f" ({e.entered_by_account})" if e.entered_by_account else ""))
            table.add_row(f"  {e.at:%H:%M}", e.kind.replace("_", " "), escape(e.item), escape(_value(e)), who)
    console.print(table)


def export(
    csv_path: Annotated[Path | None, typer.Option("--csv", help="Write the journal as CSV to this file.")] = None,
    fhir_path: Annotated[Path | None, typer.Option("--fhir", help="Write a FHIR R4 Bundle to this file.")] = None,
) -> None:
    """Export the journal as CSV (--csv) or everything as a FHIR R4 Bundle (--fhir)."""
    if csv_path is None and fhir_path is None:
        raise InvalidInput("Say what to export, for example: dosewise export --csv journal.csv (or --fhir bundle.json)")
    if csv_path is not None:
        from dosewise.services import csv_io  # CSV import/export: only these commands need it

        lines = [0]

        def chunks() -> Iterator[bytes]:
            for line in csv_io.iter_csv(open_database()):
                lines[0] += 1
                yield line.encode("utf-8")

        write_private(csv_path, chunks())  # written as read: memory flat in the number of entries
        console.print(f"Wrote {max(lines[0] - 1, 0)} entries to {csv_path}.")
    if fhir_path is not None:
        from dosewise.reports.fhir import write_bundle
        from dosewise.services.fhir_source import fhir_source

        count = write_bundle(fhir_path, fhir_source(open_database()))
        console.print(f"Wrote a FHIR R4 Bundle of {count} resources to {fhir_path}.")


def import_(
    path: Annotated[Path, typer.Argument(help="A CSV file in the Dosewise format (docs/formats.md).")],
    json_: JsonOpt = False,
    allow_duplicates: Annotated[
        bool,
        typer.Option(
            "--allow-duplicates",
            help="Import lines that repeat another line or an entry already in the journal (refused otherwise: "
            "they would count a dose twice).",
        ),
    ] = False,
) -> None:
    """Import a journal CSV: all lines or none, with line-numbered errors."""
    from dosewise.services import csv_io

    if not path.is_file():
        raise ImportRejected(f"No file at {path}.")
    if path.stat().st_size > csv_io.MAX_IMPORT_BYTES:
        raise ImportRejected(f"The file is {path.stat().st_size / 1e6:.1f} MB; the import limit is 10 MB.")
    out = csv_io.import_csv(open_database(), path.read_bytes(), allow_duplicates=allow_duplicates)
    if json_:
        print_json(out)
    elif not out.imported:
        console.print("The file has a header but no entries: nothing was imported.")
    else:
        console.print(f"Imported {out.imported} entries: " + ", ".join(f"{v} {k}" for k, v in out.by_kind.items()))


def delete(
    kind: Annotated[str, typer.Argument(help="dose, rating, side_effect, note, symptom, measurement.")],
    entry_id: Annotated[int, typer.Argument(help="The entry's id (see journal --json).")],
) -> None:
    """Delete a journal entry (undo with 'dosewise undelete')."""
    e = journal.delete_entry(open_database(), kind=kind, entry_id=entry_id)
    console.print(f"Deleted {e.kind} {e.id} ({e.item}). Undo: dosewise undelete {e.kind} {e.id}")


def undelete(kind: str, entry_id: int) -> None:
    """Restore a deleted journal entry."""
    e = journal.restore_entry(open_database(), kind=kind, entry_id=entry_id)
    console.print(f"Restored {e.kind} {e.id} ({e.item}).")


def register(app: typer.Typer) -> None:
    app.command("journal")(show_journal)
    app.command("export")(export)
    app.command("import")(import_)
    app.command("delete")(delete)
    app.command("undelete")(undelete)
