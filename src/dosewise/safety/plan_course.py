"""The course of a titration plan, day by day: an explicit state machine driven by the journal and by events.

States (``model.vocab.PlanStatus``, worded there) of a current plan on one day:

- ``active``  titrating: steps up after each step's interval if side effects stayed none or mild;
- ``held``    stays on its step and never steps up: the person chose "this dose works, stay here", or the
              plan stepped back after a severe side effect or a red flag, or it was resumed after a stop;
              only ``continue`` (the person, explicitly) lets it climb again;
- ``paused``  no doses: a severe side effect or a red flag came on the first, lowest step;
- ``stopped`` no doses: an urgent red-flag alert was raised (the Sativex label: stop and seek advice);
- ``ended``   (the whole plan, not a day) the person ended it, or it was replaced by a new plan.

Transitions, in the order they act on a day:

1. events of that day, in time order (``PlanEvent``): an urgent alert stops (from its own day, so no day
   from the alert on lists a dose); ``resume`` (a clinician agreed; a note is required by the service) lifts
   a stop or a pause, one step lower than the step before the stop, and holds there; ``hold`` holds an
   active plan; ``continue`` lets a held plan climb again, with a fresh interval;
2. the day is laid out (no doses while paused or stopped);
3. the day's journal signal acts from the next day: severe side effect or a (non-urgent) red flag steps
   back one step and holds (on the first step: pause); a moderate side effect restarts the interval;
   otherwise an active plan steps up when the step's interval (days) is over.

Acknowledging an alert is not an event here: only ``resume`` ends a stop. Messages come from
knowledge/data/side_effect_rules.yaml (MacCallum & Russo 2018; dronabinol label; Sativex SmPC).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum

from dosewise.knowledge.files import YamlRecord
from dosewise.model.vocab import PlanAction, PlanStatus
from dosewise.safety.protocols import side_effect_rules
from dosewise.safety.titration import DEFAULT_HORIZON_DAYS, Plan, PlanDay, Signal


class EventKind(StrEnum):
    """Something that changes a plan's course from its day on."""

    URGENT_ALERT = "urgent_alert"  # an urgent red-flag alert was raised (never undone by acknowledging it)
    HOLD = "hold"  # the person: "this dose works, stay here"
    CONTINUE = "continue"  # the person: climb again from the current step
    RESUME = "resume"  # the person, with a clinician's agreement (note): restart after a stop or a pause


class HoldReason(StrEnum):
    CHOSEN = "chosen"  # the person chose to stay
    STEP_BACK = "step_back"  # after a severe side effect or red flag: climbing again needs the clinician
    RESUMED = "resumed"  # restarted after a stop: climbing again needs the clinician


SAFETY_HOLDS = frozenset({HoldReason.STEP_BACK, HoldReason.RESUMED})


@dataclass(frozen=True)
class PlanEvent:
    """One event: its journal day, its exact time (orders events of one day) and an optional note."""

    kind: EventKind
    day: date
    at: datetime
    note: str | None = None
    title: str | None = None  # the alert's title, for the stop message


@dataclass
class _Course:
    """The mutable state while laying out: current step, days on it, status and why it is held."""

    last: int
    idx: int = 0
    days_in: int = 0
    status: PlanStatus = PlanStatus.ACTIVE
    hold: HoldReason | None = None
    stopped_at_step: int = 0  # the step the plan was on when it stopped (resume goes one lower)
    action: PlanAction = PlanAction.START
    notes: list[str] = field(default_factory=list)

    def say(self, action: PlanAction, text: str) -> None:
        """Set the day's action and its note; a later change on the same day replaces both (the last counts)."""
        self.action = action
        self.notes = [" ".join(text.split())]

    def apply(self, event: PlanEvent, rules: dict[str, YamlRecord]) -> None:
        """Apply one event at the start of its day."""
        if event.kind is EventKind.URGENT_ALERT and self.status is not PlanStatus.STOPPED:
            self.stopped_at_step = self.idx
            self.status, self.hold = PlanStatus.STOPPED, None
            what = f" ({event.title})" if event.title else ""
            self.say(PlanAction.STOP, f"Urgent alert{what}: " + rules["stop-on-urgent-alert"]["message"])
        elif event.kind is EventKind.RESUME and self.status in (PlanStatus.STOPPED, PlanStatus.PAUSED):
            below = self.stopped_at_step - 1 if self.status is PlanStatus.STOPPED else 0
            self.idx, self.days_in = max(below, 0), 0
            self.status, self.hold = PlanStatus.HELD, HoldReason.RESUMED
            self.say(PlanAction.RESUME, rules["resume-one-step-lower"]["message"] + _quoted(event.note))
        elif event.kind is EventKind.HOLD and self.status is PlanStatus.ACTIVE:
            self.status, self.hold = PlanStatus.HELD, HoldReason.CHOSEN
            self.say(PlanAction.STAY, rules["hold-chosen"]["message"])
        elif event.kind is EventKind.CONTINUE and self.status is PlanStatus.HELD:
            self.status, self.hold, self.days_in = PlanStatus.ACTIVE, None, 0
            self.say(PlanAction.TITRATE, rules["continue-titration"]["message"] + _quoted(event.note))

    def react(self, signal: Signal | None, step_days: int, rules: dict[str, YamlRecord]) -> None:
        """Apply the day's journal signal (and the step's interval) for the next day."""
        if self.status in (PlanStatus.STOPPED, PlanStatus.PAUSED):
            return
        if signal is not None and (signal.red_flag or signal.severity_rank >= 3):
            if self.idx == 0:
                self.status, self.hold = PlanStatus.PAUSED, None
                self.say(PlanAction.PAUSE, rules["pause-at-first-step"]["message"])
                return
            key = "step-back-on-red-flag" if signal.red_flag else "step-back-on-severe"
            self.idx, self.days_in = self.idx - 1, 0
            self.status, self.hold = PlanStatus.HELD, HoldReason.STEP_BACK
            self.say(PlanAction.STEP_BACK, rules[key]["message"])
        elif signal is not None and signal.severity_rank >= 2:
            self.days_in = 0
            self.say(PlanAction.HOLD, rules["hold-on-moderate"]["message"])
        elif self.status is PlanStatus.ACTIVE and self.days_in >= step_days and self.idx < self.last:
            self.idx, self.days_in, self.action = self.idx + 1, 0, PlanAction.STEP_UP


def _quoted(note: str | None) -> str:
    return f' Your note: "{note}"' if note else ""


def lay_out(
    plan: Plan,
    *,
    start: date,
    signals: list[Signal],
    today: date,
    events: list[PlanEvent] | None = None,
    horizon_days: int = DEFAULT_HORIZON_DAYS,
) -> list[PlanDay]:
    """Lay the steps out day by day from ``start``; the journal and the events up to ``today`` adapt it.

    Signals and events after ``today`` are ignored (they cannot have happened yet).
    """
    rules = {r["id"]: r for r in side_effect_rules()}
    by_day = {s.day: s for s in signals if s.day <= today}
    todo: dict[date, list[PlanEvent]] = {}
    # In time order; at the same instant an urgent alert acts last, so a stop is never undone by a tie.
    for ev in sorted(
        (e for e in events or [] if e.day <= today), key=lambda e: (e.at, e.kind is EventKind.URGENT_ALERT)
    ):
        todo.setdefault(ev.day, []).append(ev)
    course = _Course(last=len(plan.steps) - 1)
    days: list[PlanDay] = []
    for offset in range(max(horizon_days, (today - start).days + 8)):
        day = start + timedelta(days=offset)
        for ev in todo.get(day, []):
            course.apply(ev, rules)
        step = plan.steps[course.idx]
        dosing = course.status not in (PlanStatus.STOPPED, PlanStatus.PAUSED)
        days.append(
            PlanDay(
                date=day,
                step=course.idx if dosing else -1,
                phase=step.phase if dosing else course.status.value,
                doses=step.doses if dosing else (),
                action=course.action,
                note=" ".join(course.notes) or None,
                status=course.status,
                hold=course.hold.value if course.hold else None,
            )
        )
        course.days_in += 1
        course.action, course.notes = PlanAction.CONTINUE, []
        course.react(by_day.get(day), step.days, rules)
    return days
