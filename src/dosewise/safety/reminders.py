"""The reminders a person's journal day expects, and which of them are still wanted (pure: values in, values out).

Kinds (``model.vocab.ReminderKind``): each planned dose of the current plan, the daily check-in, the score
after a dose, the plan's reviews (the four-week check, liver tests) and yesterday's missed check-in.

A reminder is **withdrawn** (never sent, or taken back) when it would prompt something unsafe or pointless:

- a dose while an urgent alert is open, or while the plan is stopped (urgent alert) or paused;
- a dose that would take the day past the plan's daily ceiling (mg THC or mg CBD, all products counted);
- a dose, check-in or score that is already logged (the dose is matched to its planned slot).

A dose within the protocol's minimum interval after the last logged dose of the product waits until the
interval has passed (``min_interval``; nabiximols: 15 minutes between sprays, Sativex SmPC in
knowledge/data/protocols.yaml). Other protocols give no interval, and Dosewise invents none.

Times: ``due`` is aware UTC; planned times, the check-in time and quiet hours are the person's local times
(``PersonDay`` zone). A reminder falling in quiet hours waits for their end when that is still the same
journal day; otherwise it is listed but never delivered (``quiet``). A planned dose is never moved into the
next journal day: a missed dose is not made up by a reminder.

Onset: Dosewise's sources give no onset time for any route (knowledge/data/cannabinoids.yaml: "Onset and
duration are not known"), so the score after a dose waits the minutes the person chose for the product's route
(inhaled, oromucosal, oral); with no choice for a route there is no such reminder. The check-in time (20:00),
the review time (10:00, as in the calendar export), quiet hours (22:00-07:00) and the 30-minute snooze are
Dosewise settings, not clinical facts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta

from dosewise.model.journal import PersonDay
from dosewise.model.units import format_quantity
from dosewise.model.vocab import PlanStatus, ReminderKind, ReminderState

SNOOZE = timedelta(minutes=30)  # Dosewise setting: "Snooze 30 min"
REVIEW_TIME = time(10, 0)  # the calendar export (reports/calendar.py) uses the same hour for reviews
DEFAULT_CHECKIN = time(20, 0)
DEFAULT_QUIET = (time(22, 0), time(7, 0))
EPS_MG = 1e-6
ROUTES = ("inhaled", "oromucosal", "oral")  # the routes a person can set an after-dose wait for
ROUTE_WORDS = {"inhaled": "inhaled products", "oromucosal": "mouth sprays", "oral": "oils, capsules and edibles"}
MAX_AFTER_DOSE_MINUTES = 12 * 60


@dataclass(frozen=True)
class ReminderSettings:
    """What the person turned on, their quiet hours and check-in time (local), and after-dose waits (minutes)."""

    kinds: frozenset[ReminderKind] = frozenset(ReminderKind)
    quiet_start: time = DEFAULT_QUIET[0]
    quiet_end: time = DEFAULT_QUIET[1]
    checkin_at: time = DEFAULT_CHECKIN
    after_dose_minutes: Mapping[str, int] = field(default_factory=dict)  # route -> minutes, chosen by the person


@dataclass(frozen=True)
class ScheduledDose:
    """One planned dose of the day: local time and the amount in the product's units (mg THC / CBD in it)."""

    at: time
    amount: float
    unit: str
    thc_mg: float
    cbd_mg: float


@dataclass(frozen=True)
class Review:
    kind: str  # effect | liver-tests
    what: str


@dataclass(frozen=True)
class DayPlan:
    """Today's part of the current plan. ``doses`` are what was scheduled (kept while stopped, to withdraw)."""

    product: str
    status: PlanStatus
    doses: tuple[ScheduledDose, ...]
    ceiling_thc_mg: float
    ceiling_cbd_mg: float
    min_interval: timedelta | None = None
    reviews: tuple[Review, ...] = ()
    status_note: str | None = None


@dataclass(frozen=True)
class LoggedDose:
    id: int
    at: datetime
    product: str
    route: str
    amount: float
    unit: str
    thc_mg: float
    cbd_mg: float


@dataclass(frozen=True)
class DayFacts:
    """What the journal holds for the day: doses (all products), score times, yesterday's check-in, alerts.

    ``checkin_yesterday`` is None when there was no yesterday to miss (the person was set up today).
    """

    doses: tuple[LoggedDose, ...] = ()
    ratings: tuple[datetime, ...] = ()
    checkin_yesterday: bool | None = None
    urgent_open: bool = False
    scale_name: str = "your main symptom"


@dataclass(frozen=True)
class Answer:
    """What is stored about one reminder: the person's answer, a snooze, delivery, and the dose it logged."""

    answer: str | None = None  # taken | done | skipped
    snoozed_until: datetime | None = None
    sent_at: datetime | None = None
    dose_id: int | None = None


@dataclass(frozen=True)
class Reminder:
    key: str  # short and stable: "1121-d0900" (day, kind letter, local time)
    kind: ReminderKind
    day: date
    due: datetime  # aware UTC
    state: ReminderState
    what: str  # what it is for, in plain words
    why: str | None = None  # why it is withdrawn, or waits
    quiet: bool = False  # falls in quiet hours: listed, never delivered
    product: str | None = None
    amount: float | None = None
    unit: str | None = None
    sent_at: datetime | None = None

    def deliverable(self, now: datetime) -> bool:
        """Return True when a notification should go out now (due, not quiet, not yet sent since due)."""
        if self.state is not ReminderState.DUE or self.quiet or self.due > now:
            return False
        return self.sent_at is None or self.sent_at < self.due


LETTER = {
    ReminderKind.DOSE: "d",
    ReminderKind.CHECK_IN: "c",
    ReminderKind.AFTER_DOSE_RATING: "r",
    ReminderKind.REVIEW: "v",
    ReminderKind.MISSED: "m",
}


def reminder_key(day: date, kind: ReminderKind, suffix: str = "") -> str:
    """Return the short, stable id of a reminder: ``MMDD-<letter><suffix>`` ("1121-d0900", "1121-c")."""
    return f"{day:%m%d}-{LETTER[kind]}{suffix}"


def in_quiet(local: time, start: time, end: time) -> bool:
    """Return True if the local time ``local`` is in quiet hours [start, end) (they may wrap past midnight)."""
    if start == end:
        return False
    return start <= local < end if start < end else local >= start or local < end


def day_reminders(
    *,
    day: date,
    pday: PersonDay,
    settings: ReminderSettings,
    plan: DayPlan | None,
    facts: DayFacts,
    answers: Mapping[str, Answer],
    now: datetime,
) -> list[Reminder]:
    """Return the reminders of journal day ``day`` with their states, in due order."""
    out: list[Reminder] = []
    on = settings.kinds
    if plan is not None and ReminderKind.DOSE in on:
        out += _dose_reminders(day, pday, plan, facts, answers, now)
    if ReminderKind.CHECK_IN in on:
        out.append(_checkin(day, pday, settings, facts, answers, now))
    if ReminderKind.AFTER_DOSE_RATING in on:
        out += _after_dose(day, pday, settings, facts, answers, now)
    if plan is not None and ReminderKind.REVIEW in on:
        out += [_review(day, pday, r, answers, now) for r in plan.reviews]
    if ReminderKind.MISSED in on and facts.checkin_yesterday is False:
        out.append(_missed(day, pday, settings, answers, now))
    _, end = pday.bounds(day)
    return sorted((_quiet(r, pday, settings, end) for r in out), key=lambda r: (r.due, r.key))


def _local(day: date, at: time, pday: PersonDay) -> datetime:
    """Return the UTC instant of local ``at`` within journal day ``day`` (times before the day start: next date)."""
    when = datetime.combine(day, at, tzinfo=pday.tz)
    if at.hour < pday.start_hour:
        when += timedelta(days=1)
    return when.astimezone(UTC)


def _open_state(
    key: str, due: datetime, answers: Mapping[str, Answer], now: datetime
) -> tuple[ReminderState, datetime]:
    """Return the state and due time of a reminder nothing has closed: snoozed until later, or due."""
    a = answers.get(key)
    if a is not None and a.snoozed_until is not None and a.snoozed_until > due:
        return (ReminderState.SNOOZED if a.snoozed_until > now else ReminderState.DUE), a.snoozed_until
    return ReminderState.DUE, due


def _answered(key: str, answers: Mapping[str, Answer]) -> ReminderState | None:
    a = answers.get(key)
    if a is None or a.answer is None:
        return None
    return ReminderState.SKIPPED if a.answer == "skipped" else ReminderState.DONE


def _dose_reminders(
    day: date, pday: PersonDay, plan: DayPlan, facts: DayFacts, answers: Mapping[str, Answer], now: datetime
) -> list[Reminder]:
    slots = sorted(plan.doses, key=lambda d: d.at)
    keys = [reminder_key(day, ReminderKind.DOSE, f"{s.at:%H%M}") for s in slots]
    taken = _match(keys, plan.product, facts, answers)
    mine = sorted((d for d in facts.doses if d.product == plan.product), key=lambda d: d.at)
    thc = sum(d.thc_mg for d in facts.doses)
    cbd = sum(d.cbd_mg for d in facts.doses)
    out = []
    for key, slot in zip(keys, slots, strict=True):
        due = _local(day, slot.at, pday)
        what = (
            f"Take {_amount(slot.amount, slot.unit)} of {plan.product} ({slot.thc_mg:g} mg THC, "
            f"{slot.cbd_mg:g} mg CBD), planned for {slot.at:%H:%M}."
        )
        base = Reminder(key, ReminderKind.DOSE, day, due, ReminderState.DUE, what, product=plan.product,
                        amount=slot.amount, unit=slot.unit, sent_at=_sent(key, answers))  # fmt: skip
        answered = _answered(key, answers)
        why = _withdrawn_why(plan, facts, slot, thc, cbd)
        if key in taken:
            out.append(_with(base, state=ReminderState.DONE, why="Logged in your journal."))
        elif answered is ReminderState.SKIPPED:
            out.append(_with(base, state=ReminderState.SKIPPED))
        elif why is not None:
            out.append(_with(base, state=ReminderState.WITHDRAWN, why=why))
        else:
            state, due = _open_state(key, due, answers, now)
            due, wait = _after_interval(due, mine, plan.min_interval)
            out.append(_with(base, state=state, due=due, why=wait))
    return out


def _match(keys: list[str], product: str, facts: DayFacts, answers: Mapping[str, Answer]) -> set[str]:
    """Return the keys of the planned doses that are logged.

    A dose logged by answering a reminder belongs to that reminder; the other doses of the plan's product
    fill the remaining slots in time order (skipped slots are not filled).
    """
    mine = [d for d in sorted(facts.doses, key=lambda d: d.at) if d.product == product]
    ids = {d.id for d in mine}
    taken = {k for k in keys if (a := answers.get(k)) is not None and a.dose_id in ids}
    used = {answers[k].dose_id for k in taken}
    free = [d for d in mine if d.id not in used]
    open_keys = [k for k in keys if k not in taken and _answered(k, answers) is not ReminderState.SKIPPED]
    taken |= set(open_keys[: len(free)])
    return taken


def _withdrawn_why(plan: DayPlan, facts: DayFacts, slot: ScheduledDose, thc: float, cbd: float) -> str | None:
    """Return why a planned dose must not be prompted now, or None."""
    if facts.urgent_open or plan.status is PlanStatus.STOPPED:
        return "Your plan is stopped after an urgent alert: do not take another dose. Contact a clinician."
    if plan.status is PlanStatus.PAUSED:
        return "Your plan is paused: take no planned dose until you have talked to your clinician."
    if plan.status is PlanStatus.ENDED:
        return "Your plan has ended."
    if thc + slot.thc_mg > plan.ceiling_thc_mg + EPS_MG or cbd + slot.cbd_mg > plan.ceiling_cbd_mg + EPS_MG:
        return (
            f"Today's doses already come to {thc:g} mg THC and {cbd:g} mg CBD; this dose would pass your plan's "
            f"daily ceiling ({plan.ceiling_thc_mg:g} mg THC, {plan.ceiling_cbd_mg:g} mg CBD)."
        )
    return None


def _after_interval(
    due: datetime, mine: Sequence[LoggedDose], interval: timedelta | None
) -> tuple[datetime, str | None]:
    """Move ``due`` after the minimum interval since the last logged dose of the product, if one applies."""
    if interval is None or not mine:
        return due, None
    ready = max(d.at for d in mine) + interval
    if ready <= due:
        return due, None
    minutes = int(interval.total_seconds() // 60)
    return ready, f"Waits until {minutes} minutes after your last dose (the product's minimum interval)."


def _checkin(
    day: date, pday: PersonDay, s: ReminderSettings, facts: DayFacts, answers: Mapping[str, Answer], now: datetime
) -> Reminder:
    key = reminder_key(day, ReminderKind.CHECK_IN)
    due = _local(day, s.checkin_at, pday)
    what = f"Daily check-in: how is {facts.scale_name} today (0-10)? It takes one tap on the Today page."
    base = Reminder(key, ReminderKind.CHECK_IN, day, due, ReminderState.DUE, what, sent_at=_sent(key, answers))
    if facts.ratings:
        return _with(base, state=ReminderState.DONE, why="Today's score is logged.")
    answered = _answered(key, answers)
    if answered is not None:
        return _with(base, state=answered)
    state, due = _open_state(key, due, answers, now)
    return _with(base, state=state, due=due)


def _after_dose(
    day: date, pday: PersonDay, s: ReminderSettings, facts: DayFacts, answers: Mapping[str, Answer], now: datetime
) -> list[Reminder]:
    out = []
    for dose in sorted(facts.doses, key=lambda d: d.at):
        minutes = s.after_dose_minutes.get(dose.route)
        if not minutes:
            continue
        local = dose.at.astimezone(pday.tz)
        key = reminder_key(day, ReminderKind.AFTER_DOSE_RATING, f"{local:%H%M}")
        due = dose.at + timedelta(minutes=minutes)
        what = (
            f"How is {facts.scale_name} now, {minutes} minutes after your {_amount(dose.amount, dose.unit)} of "
            f"{dose.product}? (The wait you chose for {ROUTE_WORDS.get(dose.route, dose.route)}.)"
        )
        base = Reminder(key, ReminderKind.AFTER_DOSE_RATING, day, due, ReminderState.DUE, what,
                        product=dose.product, sent_at=_sent(key, answers))  # fmt: skip
        if any(r > dose.at for r in facts.ratings):
            out.append(_with(base, state=ReminderState.DONE, why="A score after this dose is logged."))
        elif (answered := _answered(key, answers)) is not None:
            out.append(_with(base, state=answered))
        else:
            state, due = _open_state(key, due, answers, now)
            out.append(_with(base, state=state, due=due))
    return out


def _review(day: date, pday: PersonDay, r: Review, answers: Mapping[str, Answer], now: datetime) -> Reminder:
    key = reminder_key(day, ReminderKind.REVIEW, r.kind[:1])
    base = Reminder(key, ReminderKind.REVIEW, day, _local(day, REVIEW_TIME, pday), ReminderState.DUE, r.what,
                    sent_at=_sent(key, answers))  # fmt: skip
    answered = _answered(key, answers)
    if answered is not None:
        return _with(base, state=answered)
    state, due = _open_state(key, base.due, answers, now)
    return _with(base, state=state, due=due)


def _missed(day: date, pday: PersonDay, s: ReminderSettings, answers: Mapping[str, Answer], now: datetime) -> Reminder:
    key = reminder_key(day, ReminderKind.MISSED)
    morning = max(s.quiet_end, time(pday.start_hour, 0))
    what = "Yesterday's check-in is missing. If you remember how yesterday was, add yesterday's score in the journal."
    base = Reminder(key, ReminderKind.MISSED, day, _local(day, morning, pday), ReminderState.DUE, what,
                    sent_at=_sent(key, answers))  # fmt: skip
    answered = _answered(key, answers)
    if answered is not None:
        return _with(base, state=answered)
    state, due = _open_state(key, base.due, answers, now)
    return _with(base, state=state, due=due)


def _quiet(r: Reminder, pday: PersonDay, s: ReminderSettings, day_end: datetime) -> Reminder:
    """Move an open reminder out of quiet hours, within its journal day; if it cannot be, mark it quiet."""
    if r.state not in (ReminderState.DUE, ReminderState.SNOOZED):
        return r
    local = r.due.astimezone(pday.tz)
    if not in_quiet(local.time().replace(second=0, microsecond=0), s.quiet_start, s.quiet_end):
        return r
    end = datetime.combine(local.date(), s.quiet_end, tzinfo=pday.tz)
    if end <= local:
        end += timedelta(days=1)
    end_utc = end.astimezone(UTC)
    if end_utc < day_end:
        return _with(r, due=end_utc, why=f"Waits for the end of your quiet hours ({s.quiet_end:%H:%M}).")
    return _with(r, quiet=True, why=f"In your quiet hours ({s.quiet_start:%H:%M}-{s.quiet_end:%H:%M}): not sent.")


def _sent(key: str, answers: Mapping[str, Answer]) -> datetime | None:
    a = answers.get(key)
    return a.sent_at if a is not None else None


def _with(r: Reminder, **changes: object) -> Reminder:
    return replace(r, **changes)  # type: ignore[arg-type]  # field names and values checked by replace()


def _amount(amount: float, unit: str) -> str:
    return format_quantity(amount, unit)
