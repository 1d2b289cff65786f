"""dosewise person set|show"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from dosewise.cli.output import console, print_json
from dosewise.services import people
from dosewise.services.choices import CONDITIONS, FLAGS
from dosewise.services.runtime import open_database

if TYPE_CHECKING:
    from dosewise.services.schemas import PersonOut

group = typer.Typer(help="Who the journal is for: name, conditions, flags.", no_args_is_help=True)

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")]


@group.command("set")
def set_(
    name: Annotated[str | None, typer.Option(help="Name or nickname.")] = None,
    condition: Annotated[list[str] | None, typer.Option(help=f"Condition id: {', '.join(CONDITIONS)}.")] = None,
    flag: Annotated[list[str] | None, typer.Option(help=f"Add a flag: {', '.join(FLAGS)}.")] = None,
    clear_flag: Annotated[list[str] | None, typer.Option(help="Remove a flag.")] = None,
    weight_kg: Annotated[float | None, typer.Option(help="Weight in kg.")] = None,
    birth_year: Annotated[int | None, typer.Option(help="Year of birth.")] = None,
    primary_scale: Annotated[str | None, typer.Option(help="The symptom scale analyses use.")] = None,
    timezone: Annotated[str | None, typer.Option(help="IANA time zone, e.g. Europe/Lisbon.")] = None,
    mcid: Annotated[
        list[str] | None,
        typer.Option(
            help="Minimal important difference for a scale, SCALE=POINTS (e.g. spasticity=1.5) or SCALE=default."
        ),
    ] = None,
    json_: JsonOpt = False,
) -> None:
    """Create the person, or change the given details."""
    out = people.set_person(
        open_database(),
        name=name,
        conditions=condition,
        flags=flag,
        clear_flags=clear_flag,
        weight_kg=weight_kg,
        birth_year=birth_year,
        primary_scale=primary_scale,
        timezone=timezone,
        mcid=people.parse_mcid_options(mcid or []),
    )
    if json_:
        print_json(out)
    else:
        _show(out)


@group.command("show")
def show(json_: JsonOpt = False) -> None:
    """Show the person's details."""
    out = people.get_person(open_database())
    print_json(out) if json_ else _show(out)


def _show(p: PersonOut) -> None:
    demo = " [bold magenta](DEMO DATA)[/]" if p.is_demo else ""
    console.print(f"[bold]{p.name}[/]{demo}")
    console.print(f"  Conditions: {', '.join(CONDITIONS[c] for c in p.conditions) or 'none set'}")
    console.print(f"  Flags: {', '.join(p.flags) or 'none'}")
    console.print(f"  Weight: {p.weight_kg or '-'} kg   Born: {p.birth_year or '-'}   Primary scale: {p.primary_scale}")
    console.print(f"  Time zone: {p.timezone}")
    if p.mcid_points:
        console.print(
            "  Minimal important differences (your clinician's choice): "
            + ", ".join(f"{k} {v:g} points" for k, v in p.mcid_points.items())
        )


def register(app: typer.Typer) -> None:
    app.add_typer(group, name="person")
