"""Randomised n-of-1 trials: create, show, analyse and stop (stored in the ``trial`` table).

The schedule is made once by analysis.trial.make_schedule from the stored seed and kept in the row's
``schedule`` JSON (so it can be re-created and checked); ``design`` holds the arms, blocks and period lengths.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from pydantic import BaseModel
from sqlalchemy.orm import Session

from dosewise.errors import InvalidInput, TrialError
from dosewise.model.scales import get_scale
from dosewise.model.units import format_quantity, parse_amount
from dosewise.services.insights_schemas import AnalysisOut
from dosewise.services.products import find_product, to_model
from dosewise.services.runtime import get_person_row, now_utc, person_day, zone
from dosewise.store.db import Database
from dosewise.store.tables import PersonRow, TrialRow
from dosewise.store.trials import latest_trial

if TYPE_CHECKING:
    from dosewise.analysis.trial import Period

MAX_FUTURE_START_DAYS = 365  # like a plan's start: further ahead is a typo in the year
MAX_PAST_START_DAYS = 365


class PeriodOut(BaseModel):
    block: int
    start: date
    end: date
    arm: str  # "active" | "control"
    washout_days: int


class TodayOut(BaseModel):
    day: date
    arm: str | None  # None before the start or after the end
    block: int | None
    in_washout: bool
    instruction: str


Arm = dict[str, str | float]  # one arm as stored: product, amount (text), thc_mg and cbd_mg (mg a dose), route


class TrialOut(BaseModel):
    id: int
    scale: str
    status: str  # active | stopped | finished
    blinded: bool
    seed: int
    start: date
    end: date
    active: Arm
    control: Arm | None
    blocks: int
    period_days: int
    washout_days: int
    today: TodayOut
    periods: list[PeriodOut]
    notes: list[str]


def _arm(session: Session, person: PersonRow, text: str) -> Arm | None:
    """Parse 'PRODUCT:AMOUNT' (or 'none') into the stored arm description."""
    if text.strip().lower() in ("none", "nothing", "no treatment"):
        return None
    if ":" not in text:
        raise InvalidInput(
            f"Write the arm as PRODUCT:AMOUNT, for example 'Calm CBD oil 1000:10 drops' (got '{text}').", field="arm"
        )
    name, amount_text = text.rsplit(":", 1)
    product = find_product(session, person.id, name)
    amount = parse_amount(amount_text, to_model(product))
    return {
        "product": product.name,
        "amount": format_quantity(amount.quantity, amount.unit),
        "thc_mg": round(amount.thc_mg, 3),
        "cbd_mg": round(amount.cbd_mg, 3),
        "route": product.route,
    }


def periods_of(row: TrialRow) -> list[Period]:
    """Return the stored schedule as Period objects."""
    from dosewise.analysis.trial import periods_from_schedule  # numpy: loaded when a trial is in play

    return periods_from_schedule(row.schedule)


def _today(person: PersonRow, now: datetime) -> date:
    return person_day(person).of(now)


def _parse_start(start: date | str | None, today: date) -> date:
    if start is None:
        return today + timedelta(days=1)
    if isinstance(start, str):
        try:
            start = date.fromisoformat(start.strip())
        except ValueError:
            raise InvalidInput(f"Could not read the start date '{start}'. Use YYYY-MM-DD.", field="start") from None
    if start < today - timedelta(days=MAX_PAST_START_DAYS):
        raise TrialError(
            f"A trial can be recorded as under way for at most {MAX_PAST_START_DAYS} days back.", field="start"
        )
    if start > today + timedelta(days=MAX_FUTURE_START_DAYS):
        raise TrialError(
            f"A trial can start at most {MAX_FUTURE_START_DAYS} days from today (got {start}). Check the year.",
            field="start",
        )
    return start


def create_trial(
    db: Database,
    *,
    active: str,
    control: str = "none",
    blocks: int = 4,
    period_days: int = 7,
    washout_days: int = 2,
    scale: str = "spasticity",
    blinded: bool = False,
    seed: int | None = None,
    start: date | str | None = None,
    now: datetime | None = None,
) -> TrialOut:
    """Create a randomised schedule of AB/BA blocks; start defaults to tomorrow (a past start = under way)."""
    now = now or now_utc()
    scale_obj = get_scale(scale)
    if seed is not None and not 0 <= seed < 2**31:
        raise InvalidInput("The seed must be a whole number from 0 to 2147483647.", field="seed")
    with db.transaction() as session:
        person = get_person_row(session)
        today = _today(person, now)
        current = latest_trial(session, person.id)
        if current is not None and _status(current, today) == "active":
            raise TrialError(
                f"A trial is already running (started {current.start}). Finish it, or stop it first "
                "with: dosewise trial stop."
            )
        active_arm, control_arm = _arm(session, person, active), _arm(session, person, control)
        if active_arm is None:
            raise InvalidInput(
                "The active arm must be a product and amount, for example 'Sativex:2 sprays'.", field="active"
            )
        if control_arm == active_arm:
            raise InvalidInput(
                "The control arm is the same as the active arm; the trial could find nothing.", field="control"
            )
        first = _parse_start(start, today)
        seed = seed if seed is not None else random.SystemRandom().randrange(2**31)
        from dosewise.analysis.trial import make_schedule

        periods = make_schedule(first, blocks=blocks, period_days=period_days, washout_days=washout_days, seed=seed)
        row = TrialRow(
            person_id=person.id,
            scale_id=scale_obj.id,
            seed=seed,
            blinded=blinded,
            start=first,
            status="active",
            design={
                "active": active_arm,
                "control": control_arm,
                "blocks": blocks,
                "period_days": period_days,
                "washout_days": washout_days,
                "randomiser": "python random.Random(seed): block is AB if random() < 0.5",
            },
            schedule=[
                {
                    "block": p.block,
                    "start": p.start.isoformat(),
                    "end": p.end.isoformat(),
                    "arm": p.arm,
                    "washout_days": p.washout_days,
                }
                for p in periods
            ],
        )
        session.add(row)
        session.flush()
        return trial_out(row, person, today)


def _status(row: TrialRow, today: date) -> str:
    if row.status == "stopped":
        return "stopped"
    return "finished" if periods_of(row)[-1].end < today else "active"


def _arm_text(arm: Arm | None) -> str:
    return f"{arm['product']} {arm['amount']}" if arm else "no cannabinoid product (control)"


def _today_out(row: TrialRow, today: date, status: str) -> TodayOut:
    from dosewise.analysis.trial import assignment_on

    period = assignment_on(periods_of(row), today) if status == "active" else None
    if period is None:
        first = periods_of(row)[0].start
        text = (
            f"The trial starts on {first}."
            if today < first and status == "active"
            else f"The trial is {status}; nothing is scheduled today."
        )
        return TodayOut(day=today, arm=None, block=None, in_washout=False, instruction=text)
    washout = today < period.analysed_start
    arm = row.design["active"] if period.arm == "active" else row.design.get("control")
    text = (
        f"Today: {_arm_text(arm)}." if not row.blinded else "Today: take the trial dose your helper prepared for today."
    )
    if washout:
        text += " (Washout day: rate as usual; these days are not analysed.)"
    return TodayOut(day=today, arm=period.arm, block=period.block, in_washout=washout, instruction=text)


def trial_out(row: TrialRow, person: PersonRow, today: date) -> TrialOut:
    status = _status(row, today)
    periods = periods_of(row)
    notes = ["Randomised AB/BA blocks; the seed is stored so the schedule can be checked."]
    if row.blinded:
        notes.append(
            "Blinded: the schedule is for the helper who prepares identical-looking doses; keep it "
            "out of sight of the person who rates."
        )
    else:
        notes.append("Open-label: the person knows which arm is taken, so expectation can colour the ratings.")
    if row.start < row.created_at.astimezone(zone(person.timezone)).date():
        notes.append(f"Recorded as already under way (started {row.start}, entered later).")
    d = row.design
    return TrialOut(
        id=row.id,
        scale=row.scale_id,
        status=status,
        blinded=row.blinded,
        seed=row.seed,
        start=row.start,
        end=periods[-1].end,
        active=d["active"],
        control=d.get("control"),
        blocks=d["blocks"],
        period_days=d["period_days"],
        washout_days=d["washout_days"],
        today=_today_out(row, today, status),
        periods=[
            PeriodOut(block=p.block, start=p.start, end=p.end, arm=p.arm, washout_days=p.washout_days) for p in periods
        ],
        notes=notes,
    )


def _require_trial(session: Session, person: PersonRow) -> TrialRow:
    row = latest_trial(session, person.id)
    if row is None:
        raise TrialError('There is no trial yet. Create one with: dosewise trial new --active "PRODUCT:AMOUNT".')
    return row


def show_trial(db: Database, *, now: datetime | None = None) -> TrialOut:
    """Return the latest trial with today's assignment and the whole schedule."""
    now = now or now_utc()
    with db.read() as session:
        person = get_person_row(session)
        return trial_out(_require_trial(session, person), person, _today(person, now))


def stop_trial(db: Database, *, now: datetime | None = None) -> TrialOut:
    """Stop the running trial early; blocks that ended before today can still be analysed."""
    now = now or now_utc()
    with db.transaction() as session:
        person = get_person_row(session)
        row = _require_trial(session, person)
        today = _today(person, now)
        if _status(row, today) != "active":
            raise TrialError(f"The latest trial is already {_status(row, today)}; there is nothing to stop.")
        row.status, row.stopped_at = "stopped", now
        session.flush()
        return trial_out(row, person, today)


def analyze_trial(db: Database, *, now: datetime | None = None) -> AnalysisOut:
    """Analyse the latest trial: model-based and design-based estimates with the randomisation p."""
    from dosewise.services.insights import analyze  # numpy and scipy: loaded when an analysis is asked for

    with db.read() as session:
        person = get_person_row(session)
        row = _require_trial(session, person)
        scale = row.scale_id
    return analyze(db, scale=scale, now=now, design="randomised")
