"""Reminders follow the plan: a day's reminders, withdrawal (logged, urgent stop, ceiling), the minimum interval,
snooze, quiet hours, and a scheduler restart that neither loses nor repeats. Service and CLI, SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from dosewise import clock
from dosewise.errors import InvalidInput
from dosewise.services import journal, people, plans, products, reminders
from dosewise.store.db import Database
from tests.conftest import NOW
from tests.helpers import snapshot

DAY = NOW.date()  # 2026-11-21; the plan started 10 days before: 4 sprays at 09:00, 5 at 21:00


def at(hh: int, mm: int = 0) -> None:
    clock.set_now(NOW.replace(hour=hh, minute=mm))


@pytest.fixture
def ana(db: Database) -> Database:
    """Ana (set up 10 days ago, UTC) on the nabiximols plan since then; the clock stands at 06:00 on day 11."""
    clock.set_now(NOW - timedelta(days=10))
    people.set_person(db, name="Ana", conditions=["ms-spasticity"], weight_kg=64, birth_year=1979, timezone="UTC")
    products.add_product(db, name="Sativex", form="spray", thc_mg=2.7, cbd_mg=2.5, per="spray")
    products.add_product(db, name="Calm CBD oil", form="oil", cbd_mg=33.3, thc_mg=0, per="ml", drop_ml=0.05)
    plans.new_plan(db, product="Sativex", protocol="nabiximols")
    journal.record_rating(db, scale="spasticity", value=6, at=(NOW - timedelta(days=2)).isoformat(), now=NOW)
    at(6)
    return db


def states(db: Database) -> dict[str, str]:
    return {r.id: r.state for r in reminders.list_reminders(db).reminders}


def delivered(db: Database) -> list[str]:
    return [r.id for r in reminders.deliver_due(db).reminders]


def test_a_plan_day_gives_exactly_the_expected_reminders(ana):
    out = reminders.list_reminders(ana)
    got = [(r.id, r.kind, r.due_time, r.state, r.amount_text) for r in out.reminders]
    assert got == [
        ("1121-m", "missed", "07:00", "due", None),  # yesterday (day 10) has no score
        ("1121-d0900", "dose", "09:00", "due", "4 sprays"),
        ("1121-c", "check-in", "20:00", "due", None),
        ("1121-d2100", "dose", "21:00", "due", "5 sprays"),
    ]
    assert "4 sprays of Sativex (10.8 mg THC, 10 mg CBD)" in out.reminders[1].what
    assert out.due_now == 0 and out.recipients == ["Ana"]
    at(9, 1)
    assert delivered(ana) == ["1121-m", "1121-d0900"]


def test_logging_the_planned_dose_withdraws_its_reminder(ana):
    at(8, 55)
    journal.record_dose(ana, product="Sativex", amount="4 sprays")
    at(9, 5)
    assert states(ana)["1121-d0900"] == "done"
    assert "1121-d0900" not in delivered(ana)
    r = reminders.list_reminders(ana).reminders
    assert next(x for x in r if x.id == "1121-d2100").state == "due"


def test_answering_taken_logs_the_planned_amount_with_the_channel(ana, cli):
    at(9, 2)
    r = cli("reminders", "answer", "1121-d0900", "taken")
    assert r.code == 0, r.err
    assert "Logged dose: Sativex 4 sprays at 09:02" in r.out
    doses = journal.read_journal(ana, days=1).days[0].entries
    assert [(e.item, e.amount_text, e.note) for e in doses if e.kind == "dose"] == [
        ("Sativex", "4 sprays", "Planned dose, from a reminder (cli).")
    ]
    assert states(ana)["1121-d0900"] == "done"
    before = snapshot(ana)  # answering again is refused and changes nothing
    again = cli("reminders", "answer", "1121-d0900", "taken")
    assert again.code == 1 and "already answered" in again.err and snapshot(ana) == before


def test_the_double_dose_guard_applies_to_a_taken_answer(ana):
    at(9, 0)
    reminders.set_settings(ana, kinds={"dose": True})
    journal.record_dose(ana, product="Sativex", amount="5 sprays")  # the evening amount, now: fills 09:00
    before = snapshot(ana)
    with pytest.raises(InvalidInput, match="withdrawn|already"):
        reminders.answer_reminder(ana, reminder_id="1121-d0900", answer="taken")
    assert snapshot(ana) == before


def test_an_urgent_alert_withdraws_every_dose_reminder(ana, cli):
    at(9, 2)
    reminders.answer_reminder(ana, reminder_id="1121-d0900", answer="taken", channel="web")
    at(12)
    journal.record_symptom(ana, symptom="chest-pain")
    out = {r.id: r for r in reminders.list_reminders(ana).reminders}
    assert out["1121-d0900"].state == "done"  # what was taken stays taken
    assert out["1121-d2100"].state == "withdrawn" and "urgent alert" in out["1121-d2100"].why
    at(21, 1)
    assert "1121-d2100" not in delivered(ana)
    before = snapshot(ana)
    r = cli("reminders", "answer", "1121-d2100", "taken")
    assert r.code == 1 and "withdrawn" in r.err and snapshot(ana) == before
    clock.advance(timedelta(days=1))  # the next day: the plan is stopped, every dose withdrawn
    doses = [r for r in reminders.list_reminders(ana).reminders if r.kind == "dose"]
    assert doses and {r.state for r in doses} == {"withdrawn"}
    assert [r.id for r in reminders.deliver_due(ana).reminders if r.kind == "dose"] == []


def test_a_dose_that_would_pass_the_daily_ceiling_is_withdrawn(ana):
    at(8)
    journal.record_dose(ana, product="Sativex", amount="10 sprays")  # 27 mg THC: fills the 09:00 slot
    at(21, 1)
    evening = next(r for r in reminders.list_reminders(ana).reminders if r.id == "1121-d2100")
    assert evening.state == "withdrawn" and "ceiling" in evening.why and "30 mg THC" in evening.why
    assert "1121-d2100" not in delivered(ana)


def test_the_minimum_interval_since_the_last_dose_delays_a_dose_reminder(ana):
    at(20, 50)  # the morning dose, late: it fills the 09:00 slot
    journal.record_dose(ana, product="Sativex", amount="4 sprays")
    at(21, 1)
    evening = next(r for r in reminders.list_reminders(ana).reminders if r.id == "1121-d2100")
    assert evening.due_time == "21:05" and "15 minutes" in evening.why and not evening.due_now
    assert "1121-d2100" not in delivered(ana)
    at(21, 5)
    assert "1121-d2100" in delivered(ana)


def test_snooze_30_minutes_then_it_comes_back_once(ana, cli):
    at(9, 1)
    assert delivered(ana) == ["1121-m", "1121-d0900"]
    assert cli("reminders", "answer", "1121-d0900", "snooze").code == 0
    assert states(ana)["1121-d0900"] == "snoozed"
    at(9, 20)
    assert delivered(ana) == []
    at(9, 31)
    assert delivered(ana) == ["1121-d0900"] and states(ana)["1121-d0900"] == "due"
    assert delivered(ana) == []
    r = cli("reminders", "answer", "1121-c", "snooze")  # not due until 20:00
    assert r.code == 1 and "not due until 20:00" in r.err


def test_quiet_hours_hold_a_reminder_until_they_end_or_keep_it_silent(ana, cli):
    assert cli("reminders", "set", "--quiet", "08:00-10:00", "--checkin", "23:30").code == 0
    r = {x.id: x for x in reminders.list_reminders(ana).reminders}
    assert r["1121-d0900"].due_time == "10:00" and "quiet hours" in r["1121-d0900"].why
    assert cli("reminders", "set", "--quiet", "23:00-07:30").code == 0
    r = {x.id: x for x in reminders.list_reminders(ana).reminders}
    assert r["1121-c"].quiet and r["1121-m"].due_time == "07:30"  # the check-in at 23:30 is silent
    clock.set_now(NOW.replace(hour=23, minute=45))
    assert "1121-c" not in delivered(ana)


def _restarted(db: Database) -> list[str]:
    """Deliver from a new connection, as a scheduler restarted in a new process would (nothing in memory)."""
    again = Database(db.url)
    try:
        return [r.id for r in reminders.deliver_due(again).reminders]
    finally:
        again.dispose()


def test_a_restarted_scheduler_neither_loses_nor_repeats(ana, cli):
    at(9, 1)
    first = cli("remind", "--once", "--no-desktop")
    assert first.code == 0 and "1121-d0900" in first.out and "4 sprays of Sativex" in first.out
    assert _restarted(ana) == []
    assert "No reminder is due now" in cli("remind", "--once", "--no-desktop").out
    clock.set_now(NOW.replace(hour=21, minute=30))  # the scheduler was down from 09:01 to 21:30
    assert _restarted(ana) == ["1121-c", "1121-d2100"]  # not lost
    assert _restarted(ana) == []  # not repeated


def test_settings_turn_kinds_off_and_bad_input_is_one_line(ana, cli):
    r = cli("reminders", "set", "--off", "missed", "--off", "check-in", "--after-dose", "oromucosal=90", "--json")
    assert r.code == 0, r.err
    data = json.loads(r.out)
    assert data["kinds"]["missed"] is False and data["after_dose_minutes"]["oromucosal"] == 90
    assert "no time for when a product starts to work" in data["onset_note"]
    at(9, 0)
    reminders.answer_reminder(ana, reminder_id="1121-d0900", answer="taken")
    ids = [x.id for x in reminders.list_reminders(ana).reminders]
    assert ids == ["1121-d0900", "1121-r0900", "1121-d2100"]
    rating = next(x for x in reminders.list_reminders(ana).reminders if x.kind == "after-dose-rating")
    assert rating.due_time == "10:30" and "90 minutes after your 4 sprays of Sativex" in rating.what
    at(10, 31)
    journal.record_rating(ana, scale="spasticity", value=4)
    assert states(ana)["1121-r0900"] == "done"
    before = snapshot(ana)
    for bad, message in (
        (("--quiet", "22"), "HH:MM-HH:MM"),
        (("--quiet", "25:00-07:00"), "not a time of day"),
        (("--on", "lunch"), "Unknown reminder kind"),
        (("--after-dose", "nasal=5"), "Unknown route"),
        (("--after-dose", "oral=0"), "1 to 720"),
    ):
        r = cli("reminders", "set", *bad)
        assert r.code == 1 and message in r.err and "Traceback" not in r.output, (bad, r.err)
    assert snapshot(ana) == before
    r = cli("reminders", "answer", "nope", "taken")
    assert r.code == 1 and "No reminder 'nope' today" in r.err
    r = cli("reminders", "answer", "1121-d2100", "maybe")
    assert r.code == 1 and "taken, skipped or snooze" in r.err
    assert cli("remind").code == 1


def test_a_held_plan_still_reminds_and_a_skipped_dose_is_not_filled_by_a_later_one(ana):
    plans.hold_plan(ana)
    at(9, 1)
    reminders.answer_reminder(ana, reminder_id="1121-d0900", answer="skipped")
    at(21, 0)
    journal.record_dose(ana, product="Sativex", amount="5 sprays")
    assert states(ana)["1121-d0900"] == "skipped" and states(ana)["1121-d2100"] == "done"


def test_the_background_scheduler_of_serve_delivers_a_due_reminder_once(ana):
    import threading

    from dosewise.cli import scheduler

    at(9, 1)
    seen: list[str] = []
    stop = threading.Event()
    thread = threading.Thread(
        target=scheduler.run,
        args=(ana, lambda r: seen.append(r.id)),
        kwargs={"stop": stop, "desktop": False, "every": 0.05},
    )
    thread.start()
    try:
        for _ in range(200):
            if "1121-d0900" in seen:
                break
            stop.wait(0.05)
    finally:
        stop.set()
        thread.join(5)
    assert seen == ["1121-m", "1121-d0900"]  # each once, though it ran many rounds


def test_adherence_per_week_counts_doses_check_ins_and_reminder_answers(ana):
    from dosewise.services import adherence, reports

    at(9, 1)
    assert delivered(ana) == ["1121-m", "1121-d0900"]
    reminders.answer_reminder(ana, reminder_id="1121-d0900", answer="taken")
    at(20, 0)
    journal.record_rating(ana, scale="spasticity", value=5)
    journal.record_dose(ana, product="Sativex", amount="1 spray")  # fills the 21:00 slot
    journal.record_dose(ana, product="Sativex", amount="2 sprays")  # beyond the plan
    clock.set_now(NOW.replace(hour=10) + timedelta(days=1))
    out = adherence.weekly_adherence(ana, weeks=2)
    assert out.product == "Sativex" and len(out.weeks) == 2
    week = out.weeks[-1]
    plan = plans.show_plan(ana)
    planned = sum(len(d.doses) for d in plan.days if week.start <= d.date <= week.end)
    assert (week.start, week.end, week.days) == (DAY - timedelta(days=6), DAY, 7)
    assert (week.doses_planned, week.doses_taken, week.doses_extra) == (planned, 2, 1)
    assert (week.checkins, week.reminders_sent, week.reminders_answered) == (2, 2, 1)
    assert out.weeks[0].days == 4  # the plan started on 11 November
    report = reports.clinician_report(ana)
    assert report.weekly is not None and report.weekly.weeks[-1] == adherence.weekly_adherence(ana, weeks=4).weeks[-1]


def test_adherence_of_a_person_with_nothing_logged_is_empty(db):
    from dosewise.services import adherence

    people.set_person(db, name="Bo", conditions=["ms-spasticity"], birth_year=1970, timezone="UTC")
    assert adherence.weekly_adherence(db).weeks == []
    assert [r.kind for r in reminders.list_reminders(db).reminders] == ["check-in"]


def test_the_calendar_export_keeps_alarms_and_follows_the_plan(ana):
    from icalendar import Calendar

    from dosewise.reports.calendar import plan_to_ics

    def dose_events() -> list:
        cal = Calendar.from_ical(plan_to_ics(plans.show_plan(ana), timezone="UTC"))
        return [e for e in cal.walk("VEVENT") if "review" not in str(e.get("summary"))]

    before = dose_events()
    assert before and all(e.walk("VALARM") for e in before)
    assert any(e.decoded("dtstart").date() > DAY for e in before)
    at(12)
    journal.record_symptom(ana, symptom="chest-pain")  # the plan stops: the export has no dose from today on
    after = dose_events()
    assert after and all(e.decoded("dtstart").date() < DAY for e in after) and all(e.walk("VALARM") for e in after)


def test_the_scheduler_reminds_every_person_of_a_shared_database(ana):
    """With several people in one database (a household), each person's due reminders are delivered, once."""
    from dosewise.cli import scheduler

    ben = ana.for_person(people.add_person(ana, name="Ben", conditions=["dystonia"], timezone="UTC").id)
    people.set_person(ben, birth_year=1970)
    products.add_product(ben, name="Ben spray", form="spray", thc_mg=2.7, cbd_mg=2.5, per="spray")
    clock.set_now(NOW - timedelta(days=3))
    plans.new_plan(ben, product="Ben spray", protocol="nabiximols")
    at(21, 1)  # both have a 21:00 dose (Ana 5 sprays, Ben 2 on day 4 of his plan)
    seen: list[str] = []
    scheduler.deliver_round(ana.unscoped(), lambda r: seen.append(r.what), desktop=False)
    assert any("Sativex" in what for what in seen) and any("Ben spray" in what for what in seen)
    again: list[str] = []
    scheduler.deliver_round(ana.unscoped(), lambda r: again.append(r.what), desktop=False)
    assert again == []  # each delivered once


def test_a_caregiver_with_access_is_counted_among_who_receives_reminders(ana, cheap_hashes):
    from dosewise.services import auth, sharing

    auth.add_account(ana, email="carer@example.org", role="caregiver", password="blue kettle on the stove 42")
    sharing.share(ana, person="Ana", email="carer@example.org", role="caregiver")
    assert reminders.list_reminders(ana).recipients == ["Ana", "1 caregiver with access"]
    at(9, 1)
    assert reminders.deliver_due(ana).recipients == ["Ana", "1 caregiver with access"]
    sharing.revoke(ana, person="Ana", email="carer@example.org")
    assert reminders.list_reminders(ana).recipients == ["Ana"]
