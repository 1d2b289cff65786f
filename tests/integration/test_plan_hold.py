"""'This dose works, stay here': hold the plan at today's step and let it climb again (service and CLI)."""

import json
from datetime import timedelta

from dosewise import clock
from dosewise.services import journal, plans
from tests.conftest import NOW
from tests.helpers import snapshot

TODAY = NOW.date()


def test_hold_keeps_todays_dose_on_every_later_day_and_continue_climbs_again(person, cli):
    plans.new_plan(person, product="Calm", protocol="conservative", start=TODAY - timedelta(days=4), now=NOW)
    today = plans.show_plan(person).today
    r = cli("plan", "hold", "--json")
    assert r.code == 0, r.err
    held = json.loads(r.out)
    assert held["status"] == "held" and held["hold"] == "chosen" and held["next_change"] is None
    later = [d for d in held["days"] if d["date"] >= TODAY.isoformat()]
    assert {d["cbd_mg_per_day"] for d in later} == {today.cbd_mg_per_day}
    assert "staying on this dose" in cli("plan", "show").out
    clock.advance(timedelta(days=10))
    assert plans.show_plan(person).today.cbd_mg_per_day == today.cbd_mg_per_day  # still there 10 days on
    assert cli("plan", "continue").code == 0
    climbing = plans.show_plan(person)
    assert climbing.status == "active" and climbing.next_change.cbd_mg_per_day > today.cbd_mg_per_day
    assert [e.kind for e in climbing.events] == ["hold", "continue"]


def test_holding_twice_or_continuing_an_active_plan_is_refused_and_changes_nothing(person, cli):
    plans.new_plan(person, product="Calm", protocol="conservative", now=NOW)
    before = snapshot(person)
    r = cli("plan", "continue")
    assert r.code == 1 and "nothing to continue" in r.err and snapshot(person) == before
    assert cli("plan", "hold").code == 0
    before = snapshot(person)
    r = cli("plan", "hold")
    assert r.code == 1 and "already stays" in r.err and snapshot(person) == before


def test_after_a_safety_step_back_climbing_again_needs_a_note(person, cli):
    plans.new_plan(person, product="Calm", protocol="conservative", start=TODAY - timedelta(days=6), now=NOW)
    journal.record_side_effect(person, effect="dizziness", severity="severe", now=NOW)
    clock.advance(timedelta(days=1))
    shown = plans.show_plan(person)
    assert shown.status == "held" and shown.hold == "step_back"
    before = snapshot(person)
    r = cli("plan", "continue")
    assert r.code == 1 and "clinician agreed" in r.err and snapshot(person) == before
    assert cli("plan", "continue", "--note", "Neurologist agreed at clinic").code == 0
    assert plans.show_plan(person).status == "active"
