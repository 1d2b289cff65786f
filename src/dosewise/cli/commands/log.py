"""dosewise log dose|rating|assessment|side-effect|note|symptom|measure"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from dosewise.cli.output import console, print_json, show_alerts, warn
from dosewise.errors import RepeatedDose
from dosewise.services import journal
from dosewise.services.journal_schemas import LoggedOut
from dosewise.services.runtime import open_database

group = typer.Typer(help="Add to the journal: doses, ratings, side effects, notes, symptoms.", no_args_is_help=True)

At = Annotated[str | None, typer.Option("--at", help="When, local time: 'YYYY-MM-DD HH:MM' or 'HH:MM'. Default now.")]
By = Annotated[str, typer.Option("--by", help="Who is entering it: person or caregiver.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")]


def _done(out: LoggedOut, json_: bool) -> None:
    if json_:
        print_json(out)
    else:
        e = out.entry
        extra = ""
        if e.kind == "dose":
            extra = f" -> {e.thc_mg:.1f} mg THC, {e.cbd_mg:.1f} mg CBD"
        value = e.amount_text or (f"{e.value:g}" if isinstance(e.value, float) else str(e.value or ""))
        what = f"{e.item} {value}".strip() if e.kind != "note" else "saved"
        console.print(
            f"Logged {e.kind.replace('_', ' ')}: {escape(what)}{extra} (journal day {e.day}, {e.at:%Y-%m-%d %H:%M})"
        )
        for w in out.warnings:
            warn(w)
    show_alerts(out.alerts, title="NEW ALERT")


@group.command("dose")
def dose(
    product: Annotated[str, typer.Argument(help="Product name (or a unique start of it).")],
    amount: Annotated[str, typer.Argument(help="e.g. '5 drops', '0.5 ml', '2 sprays', '10 mg CBD'.")],
    at: At = None,
    by: By = "person",
    confirm_unusual: Annotated[bool, typer.Option(help="Store an unusually large dose (flagged).")] = False,
    again: Annotated[
        bool, typer.Option("--again", help="Log it even if the same dose was logged a moment ago (a second dose).")
    ] = False,
    note: Annotated[str | None, typer.Option(help="A note about this dose.")] = None,
    json_: JsonOpt = False,
) -> None:
    """Log a dose; it is converted to mg THC and mg CBD using the product's content."""
    try:
        out = journal.record_dose(
            open_database(),
            product=product,
            amount=amount,
            at=at,
            entered_by=by,
            confirm_unusual=confirm_unusual,
            confirm_repeat=again,
            note=note,
        )
    except RepeatedDose as exc:
        raise RepeatedDose(f"{exc.message} Add --again to log it as a second dose.", field=exc.field) from None
    _done(
        out,
        json_,
    )


@group.command("rating")
def rating(
    scale: Annotated[str, typer.Argument(help="spasticity, pain, sleep-disruption, fatigue, spasm-frequency, ...")],
    value: Annotated[str, typer.Argument(help="The score, e.g. 6.")],
    at: At = None,
    by: By = "person",
    json_: JsonOpt = False,
) -> None:
    """Log a symptom score."""
    _done(journal.record_rating(open_database(), scale=scale, value=value, at=at, entered_by=by), json_)


@group.command("assessment")
def assessment(
    scale: Annotated[str, typer.Argument(help="A multi-item scale: alsfrs-r.")],
    items: Annotated[list[str], typer.Argument(help="Item scores in order (12 for ALSFRS-R).")],
    at: At = None,
    by: By = "person",
    json_: JsonOpt = False,
) -> None:
    """Log a multi-item scale such as ALSFRS-R, item by item."""
    scores: list[float | str] = list(items)
    _done(journal.record_assessment(open_database(), scale=scale, items=scores, at=at, entered_by=by), json_)


@group.command("side-effect")
def side_effect(
    effect: Annotated[str, typer.Argument(help="e.g. drowsiness, dizziness, dry-mouth, nausea.")],
    severity: Annotated[str, typer.Option(help="mild, moderate or severe.")] = "mild",
    at: At = None,
    by: By = "person",
    note: Annotated[str | None, typer.Option(help="A note.")] = None,
    json_: JsonOpt = False,
) -> None:
    """Log a side effect."""
    _done(
        journal.record_side_effect(open_database(), effect=effect, severity=severity, at=at, entered_by=by, note=note),
        json_,
    )


@group.command("note")
def note(
    text: Annotated[str, typer.Argument(help="Anything worth remembering.")],
    at: At = None,
    by: By = "person",
    json_: JsonOpt = False,
) -> None:
    """Log a note (kept exactly as written)."""
    _done(journal.record_note(open_database(), text=text, at=at, entered_by=by), json_)


@group.command("symptom")
def symptom(
    name: Annotated[str, typer.Argument(help="e.g. breathless-lying-down, choking, fever, fall, chest-pain.")],
    at: At = None,
    by: By = "person",
    note: Annotated[str | None, typer.Option(help="A note.")] = None,
    json_: JsonOpt = False,
) -> None:
    """Log a symptom or event that may need attention (checked against red-flag rules)."""
    _done(journal.record_symptom(open_database(), symptom=name, at=at, entered_by=by, note=note), json_)


@group.command("measure")
def measure(
    kind: Annotated[str, typer.Argument(help="weight, temperature, bp (systolic) or pulse.")],
    value: Annotated[str, typer.Argument(help="The value (kg, °C, mmHg, beats/min).")],
    at: At = None,
    by: By = "person",
    json_: JsonOpt = False,
) -> None:
    """Log a measurement such as weight."""
    _done(journal.record_measurement(open_database(), kind=kind, value=value, at=at, entered_by=by), json_)


def register(app: typer.Typer) -> None:
    app.add_typer(group, name="log")
