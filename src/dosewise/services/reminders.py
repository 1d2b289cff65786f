"""Reminders: list today's, answer one (taken / skipped / snooze), deliver the due ones, and the person's settings.

The reminders are computed each time from the plan, the journal and the alerts (``safety/reminders.py``);
only what happened to them is stored (``reminder_state``: answer, snooze, delivery), so a restarted scheduler
neither loses nor repeats one. "Taken" logs the planned amount through ``journal.record_dose`` (with its
double-dose guard) and records the answer in the same transaction. Settings live in
``person.settings["reminders"]``. Times: UTC inside, the person's zone outside.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dosewise.errors import InvalidInput, NotFound
from dosewise.model.journal import PersonDay, validate_entered_by
from dosewise.model.scales import get_scale
from dosewise.model.units import format_quantity
from dosewise.model.vocab import PlanStatus, ReminderKind, ReminderState
from dosewise.safety import reminders as core
from dosewise.safety.protocols import get_protocol
from dosewise.services import journal
from dosewise.services.plans import current_plan_day
from dosewise.services.reminder_schemas import (
    AnsweredOut,
    DeliveredOut,
    ReminderOut,
    ReminderSettingsOut,
    RemindersOut,
)
from dosewise.services.runtime import get_person_row, now_utc, person_day
from dosewise.store import reminders as stored
from dosewise.store.alerts import open_urgent
from dosewise.store.db import Database
from dosewise.store.journal_queries import live
from dosewise.store.tables import DoseRow, PersonRow, RatingRow, ReminderStateRow

CHANNELS = ("cli", "web", "notification")
ANSWERS = ("taken", "done", "skipped", "snooze")
ONSET_NOTE = (
    "Dosewise's sources give no time for when a product starts to work, for any route, so the score after a "
    "dose comes after the wait you choose for each route (off until you choose one)."
)


def recipients(session: Session, person: PersonRow, day: date) -> list[str]:
    """Return who receives the person's reminders: the person, and (counted, not named: who sees a journal is
    the person's own business) the caregivers with a live grant, who see and answer them on the Reminders
    and Today pages of the person, with browser notifications while a page is open."""
    caregivers = stored.caregivers_with_access(session, person.id, day)
    if not caregivers:
        return [person.name]
    return [person.name, f"{caregivers} caregiver{'s' if caregivers > 1 else ''} with access"]


# ------------------------------------------------------------------ settings


def settings_of(person: PersonRow) -> core.ReminderSettings:
    """Return the person's reminder settings (defaults for anything not set)."""
    raw: dict[str, Any] = dict((person.settings or {}).get("reminders") or {})
    off = set(raw.get("off") or [])
    quiet = raw.get("quiet") or [f"{core.DEFAULT_QUIET[0]:%H:%M}", f"{core.DEFAULT_QUIET[1]:%H:%M}"]
    return core.ReminderSettings(
        kinds=frozenset(k for k in ReminderKind if k.value not in off),
        quiet_start=time.fromisoformat(quiet[0]),
        quiet_end=time.fromisoformat(quiet[1]),
        checkin_at=time.fromisoformat(raw.get("checkin_at") or f"{core.DEFAULT_CHECKIN:%H:%M}"),
        after_dose_minutes={k: int(v) for k, v in (raw.get("after_dose_minutes") or {}).items() if v},
    )


def _settings_out(s: core.ReminderSettings) -> ReminderSettingsOut:
    return ReminderSettingsOut(
        kinds={k.value: k in s.kinds for k in ReminderKind},
        quiet_start=f"{s.quiet_start:%H:%M}",
        quiet_end=f"{s.quiet_end:%H:%M}",
        checkin_at=f"{s.checkin_at:%H:%M}",
        after_dose_minutes={r: s.after_dose_minutes.get(r) for r in core.ROUTES},
        onset_note=ONSET_NOTE,
    )


def get_settings(db: Database) -> ReminderSettingsOut:
    """Return the person's reminder settings."""
    with db.read() as session:
        return _settings_out(settings_of(get_person_row(session)))


def set_settings(
    db: Database,
    *,
    kinds: dict[str, bool] | None = None,
    quiet_start: str | None = None,
    quiet_end: str | None = None,
    checkin_at: str | None = None,
    after_dose_minutes: Mapping[str, int | str | None] | None = None,
) -> ReminderSettingsOut:
    """Change the reminder settings: kinds on/off, quiet hours and check-in time ("HH:MM" local), and the wait
    (minutes, 1-720; None turns it off) before the score after a dose, per route (inhaled, oromucosal, oral)."""
    with db.transaction() as session:
        person = get_person_row(session)
        raw: dict[str, Any] = dict((person.settings or {}).get("reminders") or {})
        off = set(raw.get("off") or [])
        for kind, on in (kinds or {}).items():
            k = _kind(kind).value
            off.discard(k) if on else off.add(k)
        raw["off"] = sorted(off)
        quiet = list(raw.get("quiet") or [f"{t:%H:%M}" for t in core.DEFAULT_QUIET])
        quiet = [_hhmm(quiet_start, "quiet_start") or quiet[0], _hhmm(quiet_end, "quiet_end") or quiet[1]]
        raw["quiet"] = quiet
        raw["checkin_at"] = _hhmm(checkin_at, "checkin_at") or raw.get("checkin_at") or "20:00"
        waits = dict(raw.get("after_dose_minutes") or {})
        for route, minutes in (after_dose_minutes or {}).items():
            waits[_route(route)] = _minutes(minutes)
        raw["after_dose_minutes"] = waits
        person.settings = {**(person.settings or {}), "reminders": raw}
        session.flush()
        return _settings_out(settings_of(person))


def _kind(text: str) -> ReminderKind:
    key = text.strip().lower().replace("_", "-").replace("checkin", "check-in")
    try:
        return ReminderKind(key)
    except ValueError:
        kinds = ", ".join(k.value for k in ReminderKind)
        raise InvalidInput(f"Unknown reminder kind '{text}'. Use one of: {kinds}.", field="kind") from None


def _hhmm(text: str | None, field: str) -> str | None:
    if text is None or not text.strip():
        return None
    try:
        return f"{time.fromisoformat(text.strip().zfill(5)):%H:%M}"
    except ValueError:
        raise InvalidInput(
            f"'{text}' is not a time of day; write it as HH:MM, for example 22:00.", field=field
        ) from None


def _route(text: str) -> str:
    key = text.strip().lower()
    if key not in core.ROUTES:
        raise InvalidInput(f"Unknown route '{text}'. Use one of: {', '.join(core.ROUTES)}.", field="route")
    return key


def _minutes(value: int | str | None) -> int | None:
    if value is None or str(value).strip().lower() in ("", "off", "none"):
        return None
    try:
        minutes = int(str(value).strip())
    except ValueError:
        raise InvalidInput(f"The wait must be whole minutes, or 'off' (got '{value}').", field="minutes") from None
    if not 1 <= minutes <= core.MAX_AFTER_DOSE_MINUTES:
        raise InvalidInput(f"The wait must be 1 to {core.MAX_AFTER_DOSE_MINUTES} minutes.", field="minutes")
    return minutes


# ------------------------------------------------------------------ computing a day


def compute_day(session: Session, person: PersonRow, day: date, now: datetime) -> list[core.Reminder]:
    """Return the person's reminders of journal day ``day`` (computed from plan, journal, alerts and states)."""
    pday = person_day(person)
    answers = {k: _answer(r) for k, r in stored.states_of_day(session, person.id, day).items()}
    return core.day_reminders(
        day=day,
        pday=pday,
        settings=settings_of(person),
        plan=_day_plan(session, person, day),
        facts=_facts(session, person, pday, day),
        answers=answers,
        now=now,
    )


def _answer(row: ReminderStateRow) -> core.Answer:
    return core.Answer(answer=row.answer, snoozed_until=row.snoozed_until, sent_at=row.sent_at, dose_id=row.dose_id)


def _day_plan(session: Session, person: PersonRow, day: date) -> core.DayPlan | None:
    found = current_plan_day(session, person, day)
    if found is None:
        return None
    row, body, status = found
    days = [d for d in body.days if d.date <= day]
    today = days[-1] if days and days[-1].date == day else None
    if today is None:
        return None
    doses = today.doses or next((d.doses for d in reversed(days) if d.doses), [])  # what was scheduled
    interval = get_protocol(row.protocol).raw.get("min_minutes_between_sprays")
    return core.DayPlan(
        product=body.product,
        status=PlanStatus(status),
        doses=tuple(
            core.ScheduledDose(time.fromisoformat(d.time), d.amount, d.unit, d.thc_mg, d.cbd_mg) for d in doses
        ),
        ceiling_thc_mg=body.ceiling.thc_mg_per_day,
        ceiling_cbd_mg=body.ceiling.cbd_mg_per_day,
        min_interval=timedelta(minutes=interval) if interval else None,
        reviews=tuple(core.Review(r.kind, r.what) for r in body.reviews if r.date == day),
        status_note=today.note,
    )


def _facts(session: Session, person: PersonRow, pday: PersonDay, day: date) -> core.DayFacts:
    start, end = pday.bounds(day)
    doses = session.scalars(select(DoseRow).where(live(DoseRow, person.id), DoseRow.at >= start, DoseRow.at < end))
    scale = person.primary_scale
    ratings = session.scalars(
        select(RatingRow.at)
        .where(live(RatingRow, person.id), RatingRow.scale_id == scale, RatingRow.at >= start)
        .where(RatingRow.at < end)
    ).all()
    y_start, _ = pday.bounds(day - timedelta(days=1))
    yesterday = None
    if person.created_at < y_start:
        yesterday = (
            session.scalar(
                select(RatingRow.id)
                .where(live(RatingRow, person.id), RatingRow.scale_id == scale, RatingRow.at >= y_start)
                .where(RatingRow.at < start)
                .limit(1)
            )
            is not None
        )
    return core.DayFacts(
        doses=tuple(
            core.LoggedDose(d.id, d.at, d.product.name, d.product.route, d.amount, d.unit, d.thc_mg, d.cbd_mg)
            for d in doses
        ),
        ratings=tuple(ratings),
        checkin_yesterday=yesterday,
        urgent_open=bool(open_urgent(session, person.id)),
        scale_name=get_scale(scale).short.lower() if scale else "your main symptom",
    )


def _out(r: core.Reminder, position: int, pday: PersonDay, now: datetime) -> ReminderOut:
    due = r.due.astimezone(pday.tz)
    return ReminderOut(
        id=r.key,
        position=position,
        kind=r.kind.value,
        kind_label=r.kind.label,
        state=r.state.value,
        state_label=r.state.label,
        day=r.day,
        due=due,
        due_time=f"{due:%H:%M}",
        what=r.what,
        why=r.why,
        quiet=r.quiet,
        open=r.state in (ReminderState.DUE, ReminderState.SNOOZED),
        due_now=r.state is ReminderState.DUE and not r.quiet and r.due <= now,
        product=r.product,
        amount_text=format_quantity(r.amount, r.unit) if r.amount is not None and r.unit else None,
    )


# ------------------------------------------------------------------ use cases


def list_reminders(db: Database, *, now: datetime | None = None) -> RemindersOut:
    """Return today's reminders (journal day of ``now``), in due order, with their states."""
    now = now or now_utc()
    with db.read() as session:
        person = get_person_row(session)
        pday = person_day(person)
        day = pday.of(now)
        found = compute_day(session, person, day, now)
        outs = [_out(r, i, pday, now) for i, r in enumerate(found, start=1)]
        return RemindersOut(
            day=day,
            now=now.astimezone(pday.tz),
            reminders=outs,
            due_now=sum(o.due_now for o in outs),
            recipients=recipients(session, person, day),
        )


def answer_reminder(
    db: Database,
    *,
    reminder_id: str,
    answer: str,
    channel: str = "cli",
    entered_by: str = "person",
    confirm_repeat: bool = False,
    now: datetime | None = None,
) -> AnsweredOut:
    """Answer one of today's reminders: ``taken`` (a dose: logs the planned amount; other kinds: done),
    ``skipped`` or ``snooze`` (30 minutes). Withdrawn or closed reminders cannot be answered."""
    now = now or now_utc()
    what = answer.strip().lower()
    if what not in ANSWERS:
        raise InvalidInput("Answer taken, skipped or snooze.", field="answer")
    if channel not in CHANNELS:
        raise InvalidInput(f"Unknown channel '{channel}'. Use one of: {', '.join(CHANNELS)}.", field="channel")
    entered_by = validate_entered_by(entered_by)
    with db.read() as session:
        person = get_person_row(session)
        pday = person_day(person)
        target = _find(compute_day(session, person, pday.of(now), now), reminder_id)
    _check_open(target)
    if what == "snooze" and target.due > now:
        raise InvalidInput(
            f"This reminder is not due until {target.due.astimezone(pday.tz):%H:%M}: there is nothing to snooze yet.",
            field="answer",
        )
    logged = None
    if what in ("taken", "done") and target.kind is ReminderKind.DOSE:
        logged = _take(db, target, channel=channel, entered_by=entered_by, confirm_repeat=confirm_repeat, now=now)
    else:
        with db.transaction() as session:
            person = get_person_row(session)
            row = stored.state_for_update(session, person.id, target.day, target.key, target.kind.value)
            if what == "snooze":
                row.snoozed_until = now + core.SNOOZE
            else:
                row.answer, row.answered_at = ("skipped" if what == "skipped" else "done"), now
            row.channel, row.entered_by = channel, entered_by
    return AnsweredOut(reminder=_after(db, target.key, now), answer=what, channel=channel, logged=logged)


def _find(found: list[core.Reminder], reminder_id: str) -> core.Reminder:
    key = reminder_id.strip().lower()
    hit = next((r for r in found if r.key == key), None)
    if hit is None:
        raise NotFound(f"No reminder '{reminder_id}' today. List today's reminders to see their ids.")
    return hit


def _check_open(r: core.Reminder) -> None:
    if r.state is ReminderState.WITHDRAWN:
        raise InvalidInput(f"This reminder is withdrawn: {r.why}", field="answer")
    if r.state in (ReminderState.DONE, ReminderState.SKIPPED):
        raise InvalidInput(f"This reminder is already answered ({r.state.label.lower()}).", field="answer")


def _take(db: Database, r: core.Reminder, *, channel: str, entered_by: str, confirm_repeat: bool, now: datetime) -> Any:
    """Log the planned amount (double-dose guard included) and mark the reminder taken, in one transaction."""

    def mark(session: Session, dose: DoseRow) -> None:
        row = stored.state_for_update(session, dose.person_id, r.day, r.key, r.kind.value)
        row.answer, row.answered_at, row.channel, row.entered_by, row.dose_id = (
            "taken",
            now,
            channel,
            entered_by,
            dose.id,
        )

    return journal.record_dose(
        db,
        product=r.product or "",
        quantity=r.amount,
        unit=r.unit,
        entered_by=entered_by,
        confirm_repeat=confirm_repeat,
        note=f"Planned dose, from a reminder ({channel}).",
        now=now,
        then=mark,
    )


def _after(db: Database, key: str, now: datetime) -> ReminderOut:
    out = list_reminders(db, now=now)
    return next(r for r in out.reminders if r.id == key)


def deliver_due_everyone(db: Database, *, now: datetime | None = None) -> list[DeliveredOut]:
    """Deliver what is due now for every person the handle may see (a scoped handle: its one person),
    each person in their own transaction, so one person's trouble never holds back another's reminders."""
    if db.person_id is not None:
        return [deliver_due(db, now=now)]
    with db.for_everyone().read() as session:  # the scheduler delivers for everyone: the list of people
        ids = list(session.scalars(select(PersonRow.id).order_by(PersonRow.id)))
    return [deliver_due(db.for_person(pid), now=now) for pid in ids]


def deliver_due(db: Database, *, now: datetime | None = None) -> DeliveredOut:
    """Return the reminders to deliver now and mark them sent (one transaction): due, not quiet, not yet sent
    since they fell due. Called by the scheduler (``dosewise remind``, ``dosewise serve``)."""
    now = now or now_utc()
    with db.transaction() as session:
        person = get_person_row(session)
        pday = person_day(person)
        day = pday.of(now)
        found = compute_day(session, person, day, now)
        out = []
        for i, r in enumerate(found, start=1):
            if r.deliverable(now):
                row = stored.state_for_update(session, person.id, r.day, r.key, r.kind.value)
                row.sent_at, row.sent_count = now, (row.sent_count or 0) + 1
                out.append(_out(r, i, pday, now))
        return DeliveredOut(reminders=out, recipients=recipients(session, person, day))
