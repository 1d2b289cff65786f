"""dosewise remind --daemon [--once]: deliver due reminders as desktop notifications, or print them."""

from __future__ import annotations

import threading
from typing import Annotated

import typer
from rich.markup import escape

from dosewise.cli.output import console
from dosewise.cli.scheduler import ROUND_SECONDS, deliver_round, run
from dosewise.errors import InvalidInput
from dosewise.services.reminder_schemas import ReminderOut
from dosewise.services.runtime import open_database


def show(r: ReminderOut) -> None:
    """Print one delivered reminder as a line."""
    console.print(f"{r.due_time} Reminder ({escape(r.kind_label)}, {r.id}): {escape(r.what)}")


def remind(
    daemon: Annotated[
        bool, typer.Option("--daemon", help="Keep running, delivering reminders as they fall due.")
    ] = False,
    once: Annotated[bool, typer.Option("--once", help="Deliver what is due now, then stop.")] = False,
    desktop: Annotated[
        bool, typer.Option("--desktop/--no-desktop", help="Use desktop notifications (notify-send) when available.")
    ] = True,
    every: Annotated[float, typer.Option("--every", help="Seconds between checks.", min=1)] = ROUND_SECONDS,
) -> None:
    """Deliver due reminders (desktop notification when available, and a printed line); marks them sent."""
    if not daemon and not once:
        raise InvalidInput("Add --daemon to keep running, or --once to deliver what is due now and stop.")
    db = open_database()
    if once:
        if not deliver_round(db, show, desktop=desktop):
            console.print("No reminder is due now.")
        return
    console.print("Delivering reminders as they fall due (press Ctrl+C to stop).")
    try:
        run(db, show, stop=threading.Event(), desktop=desktop, every=every)
    except KeyboardInterrupt:
        console.print("Stopped.")


def register(app: typer.Typer) -> None:
    app.command("remind")(remind)
