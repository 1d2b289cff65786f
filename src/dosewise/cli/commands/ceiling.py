"""dosewise ceiling set [--thc MG] [--cbd MG] [--note TEXT] | show [--json] | clear: the daily dose ceiling
(mg THC / mg CBD a day) set for the person; plans never go above it. Changes are recorded as "command line"."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from dosewise.cli.output import console, print_json
from dosewise.services import ceilings
from dosewise.services.actors import COMMAND_LINE
from dosewise.services.runtime import open_database

group = typer.Typer(help="The daily dose ceiling set for the person (plans never go above it).", no_args_is_help=True)
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")]


def _print(state: ceilings.CeilingStateOut) -> None:
    c = state.ceiling
    top = f"{state.highest_thc_mg_per_day:g} mg THC and {state.highest_cbd_mg_per_day:g} mg CBD a day"
    if c is None:
        console.print(f"No ceiling is set: plans follow {escape(state.highest_why)} (at most {top}).")
        return
    parts = [f"{v:g} mg {n} a day" for v, n in ((c.thc_mg_per_day, "THC"), (c.cbd_mg_per_day, "CBD")) if v]
    console.print(f"[bold]Daily ceiling: {' and '.join(parts)}[/] (never more than {top} either way).")
    console.print(escape(c.words) + (f': "{escape(c.note)}"' if c.note else "."))
    for a in state.new_alerts:
        console.print(f"[bold yellow]{escape(a.title)}:[/] {escape(a.message)}")


@group.command("set")
def set_(
    thc: Annotated[str | None, typer.Option("--thc", help="At most this many mg THC a day.")] = None,
    cbd: Annotated[str | None, typer.Option("--cbd", help="At most this many mg CBD a day.")] = None,
    note: Annotated[str | None, typer.Option("--note", help="Why, or who advised it (kept with the ceiling).")] = None,
    json_: JsonOpt = False,
) -> None:
    """Set (or lower) the daily ceiling; a running plan is capped at once. A part not given keeps its value."""
    state = ceilings.set_ceiling(open_database(), thc_mg=thc, cbd_mg=cbd, note=note, actor=COMMAND_LINE, role=None)
    if json_:
        print_json(state)
        return
    _print(state)


@group.command("show")
def show(json_: JsonOpt = False) -> None:
    """Show the ceiling, who set it and when."""
    state = ceilings.show_ceiling(open_database())
    if json_:
        print_json(state)
        return
    _print(state)


@group.command("clear")
def clear() -> None:
    """Remove the ceiling (a ceiling a clinician set can only be removed by a clinician, on the web)."""
    state = ceilings.clear_ceiling(open_database(), actor=COMMAND_LINE, role=None)
    console.print("The ceiling is removed.")
    _print(state)


def register(app: typer.Typer) -> None:
    app.add_typer(group, name="ceiling")
