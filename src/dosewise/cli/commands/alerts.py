"""dosewise alerts [--all] [--json]; dosewise alerts ack ID | --all"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from dosewise.cli.output import console, level_label, print_json
from dosewise.services import safety
from dosewise.services.runtime import open_database

group = typer.Typer(help="Red-flag alerts: see them and acknowledge them.", invoke_without_command=True)


@group.callback()
def alerts(
    ctx: typer.Context,
    all_: Annotated[bool, typer.Option("--all", help="Include acknowledged alerts.")] = False,
    json_: Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")] = False,
) -> None:
    """Check the red-flag rules now and list open alerts (urgent first)."""
    if ctx.invoked_subcommand is not None:
        return
    found = safety.check_alerts(open_database(), include_acknowledged=all_)
    if json_:
        print_json(found)
        return
    if not found:
        console.print("No open alerts.")
        return
    for a in found:
        done = f" (acknowledged {a.acknowledged_at.astimezone():%Y-%m-%d %H:%M})" if a.acknowledged_at else ""
        console.print(f"\n[bold]#{a.id} {level_label(a.level)}[/]: {escape(a.title)}{done}")
        console.print(f"  {escape(a.message)}")
        if a.advice:
            console.print(f"  [bold]{escape(a.advice)}[/]")
        console.print(f"  [dim]Why: {escape(a.why)} First seen {a.first_seen.astimezone():%Y-%m-%d %H:%M}.[/]")
    console.print("\nAcknowledge with: dosewise alerts ack ID (or --all)")


@group.command("ack")
def ack(
    alert_id: Annotated[int | None, typer.Argument(help="The alert number shown by 'dosewise alerts'.")] = None,
    all_: Annotated[bool, typer.Option("--all", help="Acknowledge every open alert.")] = False,
    json_: Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")] = False,
) -> None:
    """Acknowledge an alert: you have read it and acted on it."""
    done = safety.acknowledge_alerts(open_database(), alert_id=alert_id, all_=all_)
    if json_:
        print_json(done)
        return
    console.print(f"Acknowledged {len(done)} alert(s)." if done else "There were no open alerts.")


def register(app: typer.Typer) -> None:
    app.add_typer(group, name="alerts")
