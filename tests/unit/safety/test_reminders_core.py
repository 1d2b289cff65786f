"""The pure reminder rules: quiet hours wrap midnight; a stop, a pause or the ceiling withdraw a dose reminder;
a dose logged fills its slot; the minimum interval moves a reminder later; nothing moves a dose into the next day."""

from datetime import UTC, date, datetime, time, timedelta

from dosewise.model.journal import PersonDay
from dosewise.model.vocab import PlanStatus, ReminderKind, ReminderState
from dosewise.safety.reminders import (
    Answer,
    DayFacts,
    DayPlan,
    LoggedDose,
    ReminderSettings,
    ScheduledDose,
    day_reminders,
    in_quiet,
)

DAY = date(2026, 11, 21)
PDAY = PersonDay(UTC, 4)
DOSES = (ScheduledDose(time(9), 4, "spray", 10.8, 10.0), ScheduledDose(time(21), 5, "spray", 13.5, 12.5))
ONLY_DOSES = ReminderSettings(kinds=frozenset({ReminderKind.DOSE}))


def plan(status: PlanStatus = PlanStatus.ACTIVE, interval: timedelta | None = None) -> DayPlan:
    return DayPlan("Sativex", status, DOSES, 30.0, 30.0, min_interval=interval)


def dose(hh: int, mm: int = 0, n: float = 4, thc: float = 10.8, i: int = 1) -> LoggedDose:
    return LoggedDose(i, datetime(2026, 11, 21, hh, mm, tzinfo=UTC), "Sativex", "oromucosal", n, "spray", thc, 10.0)


def run(p: DayPlan, facts: DayFacts = DayFacts(), hh: int = 12, answers: dict[str, Answer] | None = None):
    now = datetime(2026, 11, 21, hh, tzinfo=UTC)
    found = day_reminders(day=DAY, pday=PDAY, settings=ONLY_DOSES, plan=p, facts=facts, answers=answers or {}, now=now)
    return {r.key: r for r in found}


def test_quiet_hours_wrap_past_midnight():
    assert in_quiet(time(23), time(22), time(7)) and in_quiet(time(6, 59), time(22), time(7))
    assert not in_quiet(time(7), time(22), time(7)) and not in_quiet(time(12), time(22), time(7))
    assert in_quiet(time(9), time(8), time(10)) and not in_quiet(time(9), time(9), time(9))


def test_stopped_paused_and_urgent_withdraw_every_dose():
    for p, facts in (
        (plan(PlanStatus.STOPPED), DayFacts()),
        (plan(PlanStatus.PAUSED), DayFacts()),
        (plan(), DayFacts(urgent_open=True)),
    ):
        assert {r.state for r in run(p, facts).values()} == {ReminderState.WITHDRAWN}


def test_a_logged_dose_fills_the_first_open_slot_and_the_ceiling_withdraws_the_next():
    r = run(plan(), DayFacts(doses=(dose(8, n=7, thc=18.9),)))
    assert r["1121-d0900"].state is ReminderState.DONE
    assert r["1121-d2100"].state is ReminderState.WITHDRAWN and "ceiling" in (r["1121-d2100"].why or "")


def test_the_minimum_interval_moves_the_reminder_after_the_last_dose():
    r = run(plan(interval=timedelta(minutes=15)), DayFacts(doses=(dose(20, 55),)), hh=21)
    assert r["1121-d2100"].due == datetime(2026, 11, 21, 21, 10, tzinfo=UTC)
    assert not r["1121-d2100"].deliverable(datetime(2026, 11, 21, 21, 5, tzinfo=UTC))


def test_a_dose_in_quiet_hours_that_would_move_into_the_next_day_stays_silent():
    late = DayPlan("Sativex", PlanStatus.ACTIVE, (ScheduledDose(time(23), 1, "spray", 2.7, 2.5),), 30.0, 30.0)
    now = datetime(2026, 11, 21, 23, 30, tzinfo=UTC)
    found = day_reminders(day=DAY, pday=PDAY, settings=ONLY_DOSES, plan=late, facts=DayFacts(), answers={}, now=now)
    assert found[0].quiet and found[0].due.hour == 23 and not found[0].deliverable(now)
