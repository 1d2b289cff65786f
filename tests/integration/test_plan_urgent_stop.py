"""An urgent red flag stops the plan: no planned dose from the alert on, until a clinician agreed (resume --note).

Service, CLI (text and --json) and the calendar export, on SQLite and PostgreSQL.
"""

import json
from datetime import timedelta

from icalendar import Calendar

from dosewise import clock
from dosewise.reports.calendar import plan_to_ics
from dosewise.services import journal, plans
from tests.conftest import NOW
from tests.helpers import snapshot

TODAY = NOW.date()


def _sativex_for_ten_days(db) -> int:
    """Start Sativex (nabiximols) 10 days ago; return today's sprays."""
    plans.new_plan(db, product="Sativex", protocol="nabiximols", start=TODAY - timedelta(days=10), now=NOW)
    today = plans.show_plan(db).today
    return sum(d.amount for d in today.doses)


def test_an_urgent_alert_stops_the_plan_from_its_day_on(person, cli):
    before = _sativex_for_ten_days(person)
    assert before == 9  # the case: 9 sprays (24.3 mg THC) were still planned after an urgent alert
    r = cli("log", "symptom", "chest-pain")
    assert r.code == 0 and "URGENT" in r.err and "Do not take another dose" in r.err
    data = json.loads(cli("plan", "show", "--json").out)
    assert data["status"] == "stopped" and data["status_since"] == TODAY.isoformat()
    from_alert = [d for d in data["days"] if d["date"] >= TODAY.isoformat()]
    assert len(from_alert) > 60 and all(d["doses"] == [] and d["thc_mg_per_day"] == 0 for d in from_alert)
    assert data["next_change"] is None
    earlier = [d for d in data["days"] if d["date"] < TODAY.isoformat()]
    assert all(d["doses"] for d in earlier)  # the days before the alert keep what was planned
    text = cli("plan", "show").out
    assert "STOPPED" in text and "Do not take another dose" in text and "clinician" in text
    assert "plan resume --note" in text


def test_acknowledging_the_alert_does_not_restart_the_plan(person, cli):
    _sativex_for_ten_days(person)
    journal.record_symptom(person, symptom="fainting")
    assert cli("alerts", "ack", "--all").code == 0
    clock.advance(timedelta(days=3))
    shown = plans.show_plan(person)
    assert shown.status == "stopped" and shown.today.doses == [] and shown.status_since == TODAY


def test_resume_needs_a_note_and_restarts_one_step_lower_keeping_the_note(person, cli):
    _sativex_for_ten_days(person)
    step_before = plans.show_plan(person).today.step
    journal.record_symptom(person, symptom="chest-pain")
    clock.advance(timedelta(days=1))
    before = snapshot(person)
    r = cli("plan", "resume", "--note", "  ")
    assert r.code == 1 and "who agreed" in r.err.lower() and snapshot(person) == before
    assert cli("plan", "resume").code != 0 and snapshot(person) == before  # --note is required
    r = cli("plan", "resume", "--note", "Dr Silva agreed by phone", "--json")
    assert r.code == 0, r.err
    data = json.loads(r.out)
    assert data["status"] == "held" and data["hold"] == "resumed"
    assert data["today"]["step"] == step_before - 1 and data["today"]["doses"]
    body = plans.show_plan(person)
    assert [(e.kind, e.note) for e in body.events] == [("resume", "Dr Silva agreed by phone")]
    text = cli("plan", "show").out
    assert "Dr Silva agreed by phone" in text and "staying on this dose" in text
    later = [d for d in body.days if d.date > body.today.date]
    assert {d.step for d in later} == {step_before - 1}  # held: it does not climb again by itself


def test_a_new_urgent_alert_after_a_resume_stops_it_again(person):
    _sativex_for_ten_days(person)
    journal.record_symptom(person, symptom="chest-pain")
    clock.advance(timedelta(days=1))
    plans.resume_plan(person, note="GP agreed")
    journal.record_side_effect(person, effect="hallucinations", severity="mild")  # a new urgent episode
    shown = plans.show_plan(person)
    assert shown.status == "stopped" and shown.today.doses == []


def test_the_calendar_has_no_dose_reminder_from_the_alert_on(person, cli, tmp_path):
    _sativex_for_ten_days(person)
    journal.record_symptom(person, symptom="chest-pain")
    path = tmp_path / "plan.ics"
    assert cli("plan", "export", "--ics", str(path)).code == 0
    events = Calendar.from_ical(path.read_bytes()).walk("VEVENT")
    dose_days = {e.decoded("dtstart").date() for e in events if "review" not in str(e.get("summary")).lower()}
    assert dose_days and max(dose_days) < TODAY
    assert plan_to_ics(plans.show_plan(person)).count(b"BEGIN:VEVENT") == len(events)


def test_no_new_plan_while_an_urgent_alert_is_open_or_the_plan_is_stopped(person, cli):
    _sativex_for_ten_days(person)
    journal.record_symptom(person, symptom="chest-pain")
    before = snapshot(person)
    r = cli("plan", "new", "Calm", "--protocol", "conservative")
    assert r.code == 1 and "urgent alert is open" in r.err and snapshot(person) == before
    cli("alerts", "ack", "--all")
    r = cli("plan", "new", "Calm", "--protocol", "conservative")
    assert r.code == 1 and "stopped after an urgent alert" in r.err
    assert cli("plan", "stop").code == 0  # ending it is explicit; then a new plan starts from the lowest dose
    assert cli("plan", "new", "Calm", "--protocol", "conservative").code == 0


def test_resume_or_hold_when_they_do_not_apply_is_refused_and_changes_nothing(person, cli):
    plans.new_plan(person, product="Calm", protocol="conservative", now=NOW)
    before = snapshot(person)
    r = cli("plan", "resume", "--note", "Dr Silva agreed")
    assert r.code == 1 and "nothing to restart" in r.err and snapshot(person) == before
