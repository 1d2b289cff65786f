"""dosewise trial new | show | analyze | stop"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from dosewise.cli.commands.analyze import show_analysis
from dosewise.cli.output import console, print_json
from dosewise.services import trials
from dosewise.services.runtime import open_database

group = typer.Typer(help="Randomised n-of-1 trials: a fair test of whether a product helps you.", no_args_is_help=True)
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")]


def _show(out: trials.TrialOut) -> None:
    control = f"{out.control['product']} {out.control['amount']}" if out.control else "none"
    console.print(
        f"[bold]Trial {out.id}[/] ({out.status}, {'blinded' if out.blinded else 'open-label'}) on "
        f"{out.scale}: active {escape(str(out.active['product']))} {out.active['amount']} vs control "
        f"{escape(control)}; {out.blocks} blocks of 2 x {out.period_days} days, first "
        f"{out.washout_days} day(s) of each period not analysed; seed {out.seed}."
    )
    console.print(f"[bold]{escape(out.today.instruction)}[/]")
    table = Table("Block", "From", "To", "Arm", "Washout days", title="Schedule")
    for p in out.periods:
        table.add_row(str(p.block), str(p.start), str(p.end), p.arm.upper(), str(p.washout_days))
    console.print(table)
    for note in out.notes:
        console.print(f"- {escape(note)}")


@group.command("new")
def new(
    active: Annotated[str, typer.Option("--active", help="Active arm as PRODUCT:AMOUNT, e.g. 'Sativex:2 sprays'.")],
    control: Annotated[str, typer.Option("--control", help="'none' or PRODUCT:AMOUNT (e.g. a placebo).")] = "none",
    blocks: Annotated[int, typer.Option(help="Number of AB/BA blocks (3-4 or more).")] = 4,
    period_days: Annotated[int, typer.Option("--period-days", help="Days per period.")] = 7,
    washout_days: Annotated[int, typer.Option("--washout-days", help="First days of each period not analysed.")] = 2,
    scale: Annotated[str, typer.Option(help="The one primary scale to rate daily.")] = "spasticity",
    blinded: Annotated[bool, typer.Option("--blinded", help="A helper prepares identical-looking doses.")] = False,
    seed: Annotated[int | None, typer.Option(help="Random seed (stored; default random).")] = None,
    start: Annotated[
        str | None, typer.Option(help="First day YYYY-MM-DD (default tomorrow; past = under way).")
    ] = None,
    json_: JsonOpt = False,
) -> None:
    """Create a randomised schedule of AB/BA blocks."""
    out = trials.create_trial(
        open_database(),
        active=active,
        control=control,
        blocks=blocks,
        period_days=period_days,
        washout_days=washout_days,
        scale=scale,
        blinded=blinded,
        seed=seed,
        start=start,
    )
    print_json(out) if json_ else _show(out)


@group.command("show")
def show(json_: JsonOpt = False) -> None:
    """Show today's assignment and the whole schedule."""
    out = trials.show_trial(open_database())
    print_json(out) if json_ else _show(out)


@group.command("analyze")
def analyze(json_: JsonOpt = False) -> None:
    """Analyse the trial: model-based and design-based, with the randomisation-test p-value."""
    out = trials.analyze_trial(open_database())
    print_json(out) if json_ else show_analysis(out)


@group.command("stop")
def stop(json_: JsonOpt = False) -> None:
    """Stop the running trial early (blocks already ended can still be analysed)."""
    out = trials.stop_trial(open_database())
    if json_:
        print_json(out)
    else:
        console.print(
            f"Trial {out.id} stopped. Blocks that ended before today can still be analysed: dosewise trial analyze."
        )


def register(app: typer.Typer) -> None:
    app.add_typer(group, name="trial")
