"""dosewise trial new | show | analyze | stop: schedule, today's arm, analysis and early stops."""

import json
import random
from datetime import date, datetime, time, timedelta

import pytest

from dosewise.errors import InvalidInput, TrialError, UnknownProduct
from dosewise.model.journal import journal_day
from dosewise.services import insights, trials
from dosewise.services.runtime import now_utc, zone
from dosewise.store.tables import PersonRow, RatingRow
from tests.conftest import NOW

ACTIVE = "Calm CBD oil 1000:10 drops"
TODAY = date(2026, 11, 21)  # journal day of NOW in UTC


def rate_schedule(db, trial, *, effect, skip_period=None, seed=0, until=NOW):
    """Rate spasticity twice a day through the schedule: 6 on control, 6 + effect on active, with noise."""
    rng = random.Random(seed)
    with db.for_everyone().transaction() as session:
        person = session.query(PersonRow).first()
        for i, p in enumerate(trial.periods):
            if i == skip_period:
                continue
            day = p.start
            while day <= p.end:
                for hour in (8, 20):
                    at = datetime.combine(day, time(hour), tzinfo=zone("UTC"))
                    if at < until:
                        value = 6 + (effect if p.arm == "active" else 0) + rng.choice([-1, 0, 0, 1])
                        session.add(RatingRow(person_id=person.id, scale_id="spasticity", value=value, at=at))
                day += timedelta(days=1)


def test_new_trial_json_has_the_schedule_starting_tomorrow(person, cli):
    res = cli(
        "trial",
        "new",
        "--active",
        ACTIVE,
        "--control",
        "none",
        "--blocks",
        "4",
        "--period-days",
        "7",
        "--washout-days",
        "2",
        "--scale",
        "spasticity",
        "--seed",
        "11",
        "--json",
    )
    assert res.code == 0, res.err
    out = json.loads(res.out)
    tomorrow = journal_day(now_utc(), tz=zone("UTC"), day_start_hour=4) + timedelta(days=1)
    assert out["seed"] == 11 and out["start"] == tomorrow.isoformat() and out["blinded"] is False
    assert len(out["periods"]) == 8
    assert set(out["periods"][0]) >= {"start", "end", "arm", "washout_days"}
    assert {p["arm"] for p in out["periods"]} == {"active", "control"}
    assert out["active"]["product"] == "Calm CBD oil 1000" and out["active"]["cbd_mg"] == pytest.approx(16.65)
    assert "starts on" in out["today"]["instruction"]
    shown = json.loads(cli("trial", "show", "--json").out)
    assert shown["periods"] == out["periods"]


def test_the_stored_seed_recreates_the_same_schedule(person):
    first = trials.create_trial(person, active=ACTIVE, seed=99, start="2026-12-01", now=NOW)
    trials.stop_trial(person, now=NOW)
    again = trials.create_trial(person, active=ACTIVE, seed=99, start="2026-12-01", now=NOW)
    assert [p.arm for p in again.periods] == [p.arm for p in first.periods]


def test_one_running_trial_at_a_time_and_bad_arms_are_refused(person):
    with pytest.raises(UnknownProduct):
        trials.create_trial(person, active="Nonexistent:1 ml", now=NOW)
    with pytest.raises(InvalidInput, match="PRODUCT:AMOUNT"):
        trials.create_trial(person, active="Calm CBD oil 1000", now=NOW)
    with pytest.raises(TrialError, match="no trial yet"):
        trials.show_trial(person, now=NOW)
    trials.create_trial(person, active=ACTIVE, now=NOW)
    with pytest.raises(TrialError, match="already running"):
        trials.create_trial(person, active="Sativex:2 sprays", now=NOW)


def test_a_past_start_records_a_trial_under_way_with_todays_arm(person):
    out = trials.create_trial(
        person,
        active="Sativex:2 sprays",
        control="Calm CBD oil 1000:5 drops",
        start=TODAY - timedelta(days=10),
        seed=5,
        blinded=True,
        now=NOW,
    )
    assert out.today.arm in {"active", "control"} and out.today.block == 1
    assert out.today.in_washout is False  # day 11 = the 4th day of period 2
    assert "helper" in out.today.instruction and "Sativex" not in out.today.instruction  # blinded
    assert any("already under way" in n for n in out.notes)


def test_trial_analysis_gives_model_design_and_randomisation_results(person, cli):
    trial = trials.create_trial(person, active=ACTIVE, start=TODAY - timedelta(days=60), seed=3, now=NOW)
    rate_schedule(person, trial, effect=-2)
    out = trials.analyze_trial(person, now=NOW)
    assert out.design == "randomised" and out.blinded is False and out.label == "randomised, open-label"
    assert out.estimate.high < 0 and out.verdict == "likely_helps"
    assert out.design_based.blocks_used == 4 and out.design_based.estimate.high < 0
    assert out.randomisation_p == pytest.approx(0.125) and out.design_based.smallest_p == pytest.approx(0.125)
    assert "smallest p this design can reach is 0.125" in " ".join(out.notes)
    assert insights.analyze(person, now=NOW).design == "randomised"  # the best design wins
    res = cli("trial", "analyze", "--json")
    assert res.code == 0 and json.loads(res.out)["randomisation_p"] == pytest.approx(0.125)


def test_a_period_without_ratings_drops_its_block_with_a_note(person):
    trial = trials.create_trial(person, active=ACTIVE, start=TODAY - timedelta(days=60), seed=3, now=NOW)
    rate_schedule(person, trial, effect=-2, skip_period=2)
    out = trials.analyze_trial(person, now=NOW)
    assert out.design_based.blocks_used == 3
    assert any("Block 2 is left out" in n for n in out.notes)


def test_a_trial_stopped_early_says_so(person, cli):
    trial = trials.create_trial(person, active=ACTIVE, start=TODAY - timedelta(days=20), seed=3, now=NOW)
    rate_schedule(person, trial, effect=-2)
    stopped = trials.stop_trial(person, now=NOW)
    assert stopped.status == "stopped" and stopped.today.arm is None
    with pytest.raises(TrialError, match="stopped early"):
        trials.analyze_trial(person, now=NOW)
    with pytest.raises(TrialError, match="already stopped"):
        trials.stop_trial(person, now=NOW)
    res = cli("trial", "analyze")
    assert res.code == 1 and "stopped early" in res.err and "Traceback" not in res.output


def test_the_dose_log_is_checked_against_the_schedule(person):
    from dosewise.services import journal

    trial = trials.create_trial(person, active=ACTIVE, start=TODAY - timedelta(days=60), seed=3, now=NOW)
    rate_schedule(person, trial, effect=-2)
    active = [p for p in trial.periods if p.arm == "active"]
    control = [p for p in trial.periods if p.arm == "control"]
    for p in active[1:]:  # the first active period has no logged dose
        journal.record_dose(
            person,
            product="Calm CBD oil 1000",
            amount="10 drops",
            at=datetime.combine(p.start, time(9), tzinfo=zone("UTC")),
            now=NOW,
        )
    journal.record_dose(
        person,
        product="Calm CBD oil 1000",
        amount="10 drops",
        at=datetime.combine(control[0].start, time(9), tzinfo=zone("UTC")),
        now=NOW,
    )
    notes = " ".join(trials.analyze_trial(person, now=NOW).notes)
    assert f"No dose of Calm CBD oil 1000 is logged in active period {active[0].start}" in notes
    assert f"Calm CBD oil 1000 is logged during control period {control[0].start}" in notes
    assert f"active period {active[1].start}" not in notes
