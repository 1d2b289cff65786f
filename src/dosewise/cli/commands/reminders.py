"""dosewise reminders [--json]; dosewise reminders answer ID taken|skipped|snooze; dosewise reminders set ..."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from dosewise.cli.output import console, print_json
from dosewise.errors import InvalidInput
from dosewise.services import reminders
from dosewise.services.reminder_schemas import ReminderOut, ReminderSettingsOut
from dosewise.services.runtime import open_database

group = typer.Typer(help="Reminders that follow your plan: list, answer, settings.", invoke_without_command=True)
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")]
KINDS = ("dose", "check-in", "after-dose-rating", "review", "missed")


def _line(r: ReminderOut) -> str:
    state = r.state_label + (" (quiet hours)" if r.quiet else "")
    text = f"{r.due_time}  {r.id:<11} {r.kind_label:<19} {state:<8} {escape(r.what)}"
    return text + (f"\n{'':19}[dim]{escape(r.why)}[/]" if r.why and r.state != "done" else "")


@group.callback()
def list_(ctx: typer.Context, json_: JsonOpt = False) -> None:
    """List today's reminders: what each is for, when it is due, and whether it is still to do."""
    if ctx.invoked_subcommand is not None:
        return
    out = reminders.list_reminders(open_database())
    if json_:
        print_json(out)
        return
    if not out.reminders:
        console.print(f"No reminders for {out.day}. Turn kinds on with: dosewise reminders set --on KIND")
        return
    console.print(f"Reminders for {out.day} ({out.due_now} due now):")
    for r in out.reminders:
        console.print(_line(r))


@group.command("answer")
def answer(
    reminder_id: Annotated[str, typer.Argument(help="The reminder's id as listed, for example 1121-d0900.")],
    what: Annotated[str, typer.Argument(help="taken, skipped or snooze (30 minutes).")],
    by: Annotated[str, typer.Option("--by", help="Who answers: person or caregiver.")] = "person",
    again: Annotated[
        bool, typer.Option("--again", help="A second dose of the same amount within two minutes is really meant.")
    ] = False,
    json_: JsonOpt = False,
) -> None:
    """Answer a reminder: taken (a dose is logged as planned), skipped, or snooze."""
    out = reminders.answer_reminder(
        open_database(), reminder_id=reminder_id, answer=what, channel="cli", entered_by=by, confirm_repeat=again
    )
    if json_:
        print_json(out)
        return
    if out.logged is not None:
        e = out.logged.entry
        console.print(f"Logged dose: {escape(e.item)} {escape(e.amount_text or '')} at {e.at:%H:%M}")
    elif out.answer == "snooze":
        console.print(f"Snoozed until {out.reminder.due_time}.")
    else:
        console.print(f"{out.reminder.kind_label}: {out.reminder.state_label.lower()}.")


def _wait(text: str) -> tuple[str, str]:
    route, _, minutes = text.partition("=")
    if not minutes:
        raise InvalidInput("Write the wait after a dose as ROUTE=MINUTES, for example oromucosal=90 (or =off).")
    return route, minutes


def _show(s: ReminderSettingsOut) -> None:
    on = [k for k, v in s.kinds.items() if v]
    console.print(f"On: {', '.join(on) or 'none'}")
    console.print(f"Quiet hours: {s.quiet_start}-{s.quiet_end}   Check-in at {s.checkin_at}")
    waits = ", ".join(f"{r} {m} min" if m else f"{r} off" for r, m in s.after_dose_minutes.items())
    console.print(f"Score after a dose: {waits}")
    console.print(f"[dim]{escape(s.onset_note)}[/]")


@group.command("set")
def set_(
    on: Annotated[list[str] | None, typer.Option("--on", help=f"Turn a kind on: {', '.join(KINDS)}.")] = None,
    off: Annotated[list[str] | None, typer.Option("--off", help="Turn a kind off.")] = None,
    quiet: Annotated[str | None, typer.Option("--quiet", help="Quiet hours, local: HH:MM-HH:MM (22:00-07:00).")] = None,
    checkin: Annotated[str | None, typer.Option("--checkin", help="Time of the daily check-in, HH:MM.")] = None,
    after_dose: Annotated[
        list[str] | None,
        typer.Option("--after-dose", help="Wait before the score after a dose: ROUTE=MINUTES or ROUTE=off."),
    ] = None,
    json_: JsonOpt = False,
) -> None:
    """Choose which reminders you get, your quiet hours, the check-in time and the wait after a dose."""
    kinds = {k: True for k in on or []} | {k: False for k in off or []}
    start = end = None
    if quiet is not None:
        start, sep, end = quiet.partition("-")
        if not sep:
            raise InvalidInput("Write quiet hours as HH:MM-HH:MM, for example 22:00-07:00.", field="quiet")
    waits = dict(_wait(w) for w in after_dose or [])
    out = reminders.set_settings(
        open_database(),
        kinds=kinds,
        quiet_start=start,
        quiet_end=end,
        checkin_at=checkin,
        after_dose_minutes=waits,
    )
    if json_:
        print_json(out)
        return
    _show(out)


def register(app: typer.Typer) -> None:
    app.add_typer(group, name="reminders")
