"""dosewise person set|show|add|list|use: who the journal is for (several people may share one database)."""

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


@group.command("add")
def add(
    name: Annotated[str, typer.Argument(help="Name or nickname of the new person.")],
    condition: Annotated[list[str] | None, typer.Option(help=f"Condition id: {', '.join(CONDITIONS)}.")] = None,
    timezone: Annotated[str | None, typer.Option(help="IANA time zone, e.g. Europe/Lisbon.")] = None,
    json_: JsonOpt = False,
) -> None:
    """Add another person to this database (a household member, a clinic's patient)."""
    out = people.add_person(open_database(), name=name, conditions=condition, timezone=timezone)
    if json_:
        print_json(out)
        return
    _show(out)
    console.print(f"Commands act for them with --person {out.id} (or: dosewise person use {out.id}).")


@group.command("list")
def list_(json_: JsonOpt = False) -> None:
    """List the people in this database (the one commands act for is marked)."""
    db = open_database()
    everyone = people.list_people(db.for_everyone())  # the admin list: every person here
    if json_:
        print_json(everyone)
        return
    for p in everyone:
        mark = "*" if p.id == db.person_id else " "
        conditions = ", ".join(CONDITIONS[c] for c in p.conditions) or "no condition set"
        console.print(f"{mark} {p.id:>4}  [bold]{p.name}[/]  ({conditions})")
    if not everyone:
        console.print("Nobody yet. Add someone: dosewise person add NAME --condition CONDITION.")


@group.command("use")
def use(
    person: Annotated[str, typer.Argument(help="The name or number (see 'dosewise person list').")],
    json_: JsonOpt = False,
) -> None:
    """Choose the person every command acts for from now on (until another 'person use')."""
    out = people.use_person(open_database(), person)
    if json_:
        print_json(out)
        return
    console.print(f"Commands now act for [bold]{out.name}[/] ({out.id}). Another person: --person NAME.")


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
