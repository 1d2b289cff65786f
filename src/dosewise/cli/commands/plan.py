"""dosewise plan new PRODUCT --protocol P [--start DATE] | show [--json] | export --ics FILE | hold | continue |
resume --note TEXT | stop"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from dosewise.cli.output import console, print_json
from dosewise.errors import InvalidInput
from dosewise.private import write_private
from dosewise.reports.calendar import plan_to_ics
from dosewise.services import plans
from dosewise.services.runtime import open_database
from dosewise.services.safety_schemas import PlanDayOut, PlanOut

group = typer.Typer(help="Start-low-go-slow titration plans with a daily ceiling.", no_args_is_help=True)
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")]


def _date(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(f"Could not read the date '{text}'. Use YYYY-MM-DD.", field="start") from None


def _doses(day: PlanDayOut) -> str:
    return ", ".join(f"{d.time} {d.amount} {d.unit}{'' if d.amount == 1 else 's'}" for d in day.doses) or "none"


STATUS_LINES = {
    "held": "[bold]Status: staying on this dose{since}[/] (it will not step up).",
    "paused": "[bold white on red] Status: PAUSED{since} [/] Take no planned dose.",
    "stopped": "[bold white on red] Status: STOPPED{since} [/] Do not take another dose.",
}


def _status(plan: PlanOut) -> None:
    """Say loudly where the plan stands, why, and how it can go on (a stop only with a clinician's agreement)."""
    line = STATUS_LINES.get(plan.status)
    if line is None:
        return
    console.print(line.format(since=f" since {plan.status_since}" if plan.status_since else ""))
    if plan.status_note:
        console.print(escape(plan.status_note))
    if plan.status in ("stopped", "paused"):
        console.print('Only when a clinician agreed: dosewise plan resume --note "who agreed and when"')
    elif plan.hold == "chosen":
        console.print("To let it climb again: dosewise plan continue")
    elif plan.status == "held":
        console.print('Step up again only if your clinician agreed: dosewise plan continue --note "who and when"')


def _show(plan: PlanOut, *, days: int = 14) -> None:
    console.print(
        f"[bold]{escape(plan.protocol_title)}[/] with {escape(plan.product)} "
        f"({plan.product_content}, by {plan.content_source})"
    )
    _status(plan)
    ceil = plan.ceiling
    console.print(
        f"Daily ceiling: {_mg(ceil.thc_mg_per_day)} mg THC, {_mg(ceil.cbd_mg_per_day)} mg CBD "
        f"(at most {plan.ceiling.max_units_per_day} {plan.unit}s a day). {plan.ceiling.why}"
    )
    for c in plan.cautions:
        console.print(f"[bold yellow]Caution:[/] {escape(c)}")
    if plan.today:
        t = plan.today
        console.print(
            f"\n[bold]Today ({t.date}):[/] {_doses(t)} = {_mg(t.thc_mg_per_day)} mg THC, {_mg(t.cbd_mg_per_day)} mg CBD"
        )
        for d in plan.days:
            if plan.today.date <= d.date <= plan.today.date + timedelta(days=1) and d.note:
                console.print(f"[bold yellow]{d.date}: {escape(d.note)}[/]")
    if plan.next_change:
        n = plan.next_change
        console.print(
            f"Next step on {n.date} if side effects stay none or mild: {_doses(n)} = "
            f"{_mg(n.thc_mg_per_day)} mg THC, {_mg(n.cbd_mg_per_day)} mg CBD"
        )
    start = plan.today.date if plan.today else plan.start
    table = Table("Date", "Doses", "mg THC", "mg CBD", "Step", title=f"Next {days} days")
    for d in [d for d in plan.days if d.date >= start][:days]:
        step = d.status if d.status in ("stopped", "paused") else d.action
        table.add_row(str(d.date), _doses(d), f"{_mg(d.thc_mg_per_day)}", f"{_mg(d.cbd_mg_per_day)}", step)
    console.print(table)
    for r in plan.reviews:
        console.print(f"Review {r.date}: {escape(r.what)}")
    for text in plan.notes:
        console.print(f"[dim]{escape(text)}[/]")
    for e in plan.events:
        note = f': "{escape(e.note)}"' if e.note else ""
        who = f" · {escape(e.entered_by_words)}" if e.entered_by_words else ""
        console.print(f"[dim]{e.at.astimezone():%Y-%m-%d %H:%M} {e.kind}{note}{who}[/]")


@group.command("new")
def new(
    product: Annotated[str, typer.Argument(help="Your product's name (see 'dosewise product list').")],
    protocol: Annotated[str, typer.Option(help="conservative, routine, rapid, nabiximols or dronabinol.")],
    start: Annotated[str | None, typer.Option(help="First day YYYY-MM-DD (default today).")] = None,
    json_: JsonOpt = False,
) -> None:
    """Make a day-by-day plan in your product's own units (replaces any active plan)."""
    plan = plans.new_plan(open_database(), product=product, protocol=protocol, start=_date(start))
    if json_:
        print_json(plan)
        return
    _show(plan)


@group.command("show")
def show(
    json_: JsonOpt = False, days: Annotated[int, typer.Option(help="How many days to list.", min=1, max=120)] = 14
) -> None:
    """Show today's doses, the next step, the ceiling and review points (adapted to your journal)."""
    plan = plans.show_plan(open_database())
    if json_:
        print_json(plan)
        return
    _show(plan, days=days)


@group.command("export")
def export(ics: Annotated[Path, typer.Option("--ics", help="Calendar file to write (.ics).")]) -> None:
    """Write calendar reminders for each planned dose and review."""
    plan = plans.show_plan(open_database())
    try:
        write_private(ics, plan_to_ics(plan, timezone=plan.timezone))
    except OSError as exc:
        raise InvalidInput(
            f"Could not write '{ics}': {exc.strerror}. Choose a folder you can write to.", field="ics"
        ) from None
    console.print(f"Wrote {len(plan.days)} days of reminders to {ics}.")


@group.command("protocols")
def protocols(json_: JsonOpt = False) -> None:
    """List the protocols, what they do and their sources."""
    found = plans.list_protocols()
    if json_:
        print_json(found)
        return
    for p in found:
        console.print(
            f"\n[bold]{p.id}[/]: {escape(p.title)} (ceiling {p.ceiling_thc_mg_per_day:g} mg THC, "
            f"{p.ceiling_cbd_mg_per_day:g} mg CBD a day)"
        )
        console.print(f"  {escape(p.basis)}")
        console.print(f"  [dim]Sources: {', '.join(p.refs)}[/]")


@group.command("stop")
def stop() -> None:
    """End the plan for good (it stays stored); make a new one to start again."""
    plan = plans.end_plan(open_database())
    console.print(f"Ended the {plan.protocol} plan for {escape(plan.product)}.")


NoteOpt = Annotated[str | None, typer.Option("--note", help="Who agreed and when (kept with the plan).")]


@group.command("hold")
def hold(json_: JsonOpt = False) -> None:
    """This dose works: stay on today's dose (the plan stops stepping up; side effects still step it back)."""
    plan = plans.hold_plan(open_database())
    if json_:
        print_json(plan)
        return
    console.print(f"Your plan stays on today's dose: {_doses(plan.today) if plan.today else 'none'}.")


@group.command("continue")
def continue_(note: NoteOpt = None, json_: JsonOpt = False) -> None:
    """Let a held plan climb again, after a full interval (a note is needed after a safety step back)."""
    plan = plans.continue_plan(open_database(), note=note)
    if json_:
        print_json(plan)
        return
    console.print("Your plan may step up again after a full interval, if side effects stay none or mild.")


@group.command("resume")
def resume(
    note: Annotated[str, typer.Option("--note", help="Who agreed to restart, and when (required, kept).")],
    json_: JsonOpt = False,
) -> None:
    """Restart a plan stopped after an urgent alert, one step lower, once a clinician agreed (--note)."""
    plan = plans.resume_plan(open_database(), note=note)
    if json_:
        print_json(plan)
        return
    t = plan.today
    console.print(f"Restarted one step lower: {_doses(t) if t else 'none'} today. Your note is kept with the plan.")


def _mg(value: float) -> str:
    """Format mg for reading (0.1 mg); the plan itself keeps exact values and is checked against its ceiling."""
    return f"{round(value, 1):g}"


def register(app: typer.Typer) -> None:
    app.add_typer(group, name="plan")
