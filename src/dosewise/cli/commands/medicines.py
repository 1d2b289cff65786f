"""dosewise med add|list|edit|stop|restart"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import typer
from rich.table import Table

from dosewise.cli.output import console, print_json, show_findings
from dosewise.errors import InvalidInput
from dosewise.services import medicines
from dosewise.services.runtime import open_database

group = typer.Typer(help="Your other medicines (checked for interactions).", no_args_is_help=True)
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")]
WHICH_HELP = "The medicine's number as 'dosewise med list' shows it, or its name."


def which(text: str) -> dict[str, Any]:
    """Read a medicine named on the command line: its number (digits) or its name."""
    text = text.strip()
    return {"medicine_id": int(text)} if text.isdigit() else {"name": text}


def parse_date(text: str | None, field: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(f"Could not read the date '{text}'. Use YYYY-MM-DD.", field=field) from None


@group.command("add")
def add(
    name: Annotated[str, typer.Argument(help="Generic or brand name, e.g. baclofen or Lioresal.")],
    dose: Annotated[str | None, typer.Option(help="How you take it, e.g. '10 mg three times a day'.")] = None,
    since: Annotated[str | None, typer.Option(help="Start date YYYY-MM-DD.")] = None,
    json_: JsonOpt = False,
) -> None:
    """Add a medicine and check it against your cannabinoid products."""
    med, result = medicines.add_medicine(open_database(), name=name, dose_text=dose, since=parse_date(since, "since"))
    if json_:
        print_json({"medicine": med, "check": result})
        return
    console.print(f"Added [bold]{med.name}[/]" + (f" ({med.dose_text})" if med.dose_text else ""))
    show_findings(result)


@group.command("list")
def list_(
    all_: Annotated[bool, typer.Option("--all", help="Include stopped medicines.")] = False, json_: JsonOpt = False
) -> None:
    """List your medicines."""
    meds = medicines.list_medicines(open_database(), include_stopped=all_)
    if json_:
        print_json(meds)
        return
    table = Table("No.", "Medicine", "Dose", "Since", "Stopped", title="Medicines")
    for m in meds:
        table.add_row(str(m.id), m.name, m.dose_text or "", str(m.started or ""), str(m.stopped or ""))
    console.print(table)


@group.command("edit")
def edit(
    medicine: Annotated[str, typer.Argument(help="The current medicine to change. " + WHICH_HELP)],
    rename: Annotated[str | None, typer.Option(help="A new name, e.g. to correct a typo.")] = None,
    dose: Annotated[str | None, typer.Option(help="How you take it now ('' clears it).")] = None,
    since: Annotated[str | None, typer.Option(help="Start date YYYY-MM-DD.")] = None,
    json_: JsonOpt = False,
) -> None:
    """Change a medicine's name, dose or start date and check it again."""
    current = medicines.pick_medicine(open_database(), **which(medicine))
    med, result = medicines.edit_medicine(
        open_database(), medicine_id=current.id, name=rename, dose_text=dose, since=parse_date(since, "since")
    )
    if json_:
        print_json({"medicine": med, "check": result})
        return
    console.print(
        f"Saved [bold]{med.name}[/]"
        + (f" ({med.dose_text})" if med.dose_text else "")
        + (f", since {med.started}" if med.started else "")
    )
    show_findings(result)


@group.command("stop")
def stop(
    medicine: Annotated[str, typer.Argument(help=WHICH_HELP)],
    on: Annotated[str | None, typer.Option(help="Date stopped (default today).")] = None,
) -> None:
    """Mark a medicine as stopped."""
    med = medicines.stop_medicine(open_database(), **which(medicine), on=parse_date(on, "on"))
    console.print(f"Stopped {med.name} on {med.stopped}.")


@group.command("restart")
def restart(
    medicine: Annotated[
        str, typer.Argument(help="A stopped medicine: its number as 'dosewise med list --all' shows it, or its name.")
    ],
    json_: JsonOpt = False,
) -> None:
    """Undo 'stop': the medicine is current again (and checked for interactions again)."""
    med = medicines.restart_medicine(open_database(), **which(medicine))
    if json_:
        print_json(med)
        return
    console.print(f"{med.name} is current again" + (f" (since {med.started})." if med.started else "."))


def register(app: typer.Typer) -> None:
    app.add_typer(group, name="med")
