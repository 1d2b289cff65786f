"""dosewise plan new/show/export/stop with the example person (Ana): units, ceiling, refusals, adaptation."""

import json
from datetime import timedelta

from icalendar import Calendar

from dosewise.services import journal, people, plans
from tests.conftest import NOW
from tests.helpers import snapshot


def test_nabiximols_plan_for_sativex_in_sprays(person, cli):
    r = cli("plan", "new", "Sativex", "--protocol", "nabiximols", "--json")
    assert r.code == 0, r.err
    plan = json.loads(r.out)
    assert plan["protocol"] == "nabiximols" and plan["unit"] == "spray"
    assert plan["ceiling"]["thc_mg_per_day"] == 30 and plan["ceiling"]["max_units_per_day"] == 11
    day1 = plan["days"][0]
    assert day1["doses"] == [{"time": "21:00", "amount": 1, "unit": "spray", "thc_mg": 2.7, "cbd_mg": 2.5}]
    assert max(d["thc_mg_per_day"] for d in plan["days"]) <= 30


def test_plan_show_json_shape_and_text(person, cli):
    assert cli("plan", "new", "Calm", "--protocol", "conservative").code == 0
    data = json.loads(cli("plan", "show", "--json").out)
    assert {"protocol", "product", "ceiling", "days", "reviews"} <= set(data)
    assert {"date", "doses", "thc_mg_per_day", "cbd_mg_per_day"} <= set(data["days"][0])
    text = cli("plan", "show").out
    assert "Daily ceiling" in text and "drops" in text and "Four-week review" in text


def test_refused_plan_says_why_and_stores_nothing(person, cli):
    people.set_person(person, flags=["psychosis-history"])
    before = snapshot(person)
    r = cli("plan", "new", "Sativex", "--protocol", "nabiximols")
    assert r.code == 1 and "No plan with THC" in r.err and "psychosis" in r.err
    assert snapshot(person) == before


def test_under_18_refused(person, cli):
    people.set_person(person, birth_year=NOW.year - 16)
    r = cli("plan", "new", "Calm", "--protocol", "conservative")
    assert r.code == 1 and "under 18" in r.err


def test_born_18_years_ago_may_still_be_17_and_is_refused(person, cli):
    people.set_person(person, birth_year=NOW.year - 18)
    assert cli("plan", "new", "Calm", "--protocol", "conservative").code == 1
    people.set_person(person, birth_year=NOW.year - 19)
    assert cli("plan", "new", "Calm", "--protocol", "conservative").code == 0


def test_unknown_protocol_is_a_clear_error(person, cli):
    r = cli("plan", "new", "Calm", "--protocol", "turbo")
    assert r.code == 1 and "conservative, routine, rapid, nabiximols, dronabinol" in r.err


def test_severe_side_effect_steps_the_plan_back(person):
    start = (NOW - timedelta(days=6)).date()
    plans.new_plan(person, product="Calm", protocol="conservative", start=start, now=NOW)
    before = plans.show_plan(person, now=NOW)
    assert before.today.cbd_mg_per_day > before.days[0].cbd_mg_per_day
    journal.record_side_effect(person, effect="dizziness", severity="severe", now=NOW)
    after = plans.show_plan(person, now=NOW)
    tomorrow = next(d for d in after.days if d.date == NOW.date() + timedelta(days=1))
    assert tomorrow.action == "step_back" and "clinician" in tomorrow.note
    assert tomorrow.cbd_mg_per_day < after.today.cbd_mg_per_day


def test_export_ics_has_a_reminder_per_dose(person, cli, tmp_path):
    cli("plan", "new", "Sativex", "--protocol", "nabiximols")
    path = tmp_path / "plan.ics"
    r = cli("plan", "export", "--ics", str(path))
    assert r.code == 0
    cal = Calendar.from_ical(path.read_bytes())
    events = [c for c in cal.walk("VEVENT")]
    plan = plans.show_plan(person)
    assert len(events) == sum(len(d.doses) for d in plan.days) + len(plan.reviews)
    first = sorted(events, key=lambda e: e.decoded("dtstart"))[0]
    assert "1 spray" in str(first.get("summary")) and "2.7 mg THC" in str(first.get("summary"))


def test_plan_stop_and_show_without_plan(person, cli):
    cli("plan", "new", "Calm", "--protocol", "routine")
    assert cli("plan", "stop").code == 0
    r = cli("plan", "show")
    assert r.code == 1 and "no active plan" in r.err


def test_plan_show_text_tells_about_a_step_back_today(person, cli):
    cli("plan", "new", "Calm", "--protocol", "conservative", "--start", str((NOW - timedelta(days=5)).date()))
    assert cli("log", "side-effect", "nausea", "--severity", "severe").code == 0
    text = cli("plan", "show").out
    assert "previous dose" in text and "Contact your clinician" in text


def test_export_to_an_unwritable_place_is_one_clear_error(person, cli, tmp_path):
    cli("plan", "new", "Calm", "--protocol", "conservative")
    r = cli("plan", "export", "--ics", str(tmp_path / "no" / "such" / "dir" / "plan.ics"))
    assert r.code == 1 and "Could not write" in r.err and "Traceback" not in r.output


def test_ics_keeps_local_dose_times_in_the_persons_zone(person):
    from dosewise.reports.calendar import plan_to_ics

    people.set_person(person, timezone="Europe/Madrid")
    plans.new_plan(person, product="Sativex", protocol="nabiximols", now=NOW)
    plan = plans.show_plan(person, now=NOW)
    cal = Calendar.from_ical(plan_to_ics(plan, timezone=plan.timezone))
    assert [c.get("tzid") for c in cal.walk("VTIMEZONE")] == ["Europe/Madrid"]
    first = sorted(cal.walk("VEVENT"), key=lambda e: e.decoded("dtstart"))[0]
    start = first.decoded("dtstart")
    assert (start.hour, start.minute, str(start.tzinfo)) == (21, 0, "Europe/Madrid")


def test_protocols_are_listed_with_sources_and_ceilings(fresh_db, cli):
    data = json.loads(cli("plan", "protocols", "--json").out)
    assert [p["id"] for p in data] == ["conservative", "routine", "rapid", "nabiximols", "dronabinol"]
    assert all(p["refs"] and p["ceiling_thc_mg_per_day"] <= 30 for p in data)
    assert "12" in next(p["basis"] for p in data if p["id"] == "nabiximols")
