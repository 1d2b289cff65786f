"""Titration plans: SmPC/label schedules, rounding down, ceilings, refusals, cautions and journal adaptation."""

from datetime import date, timedelta

import pytest

from dosewise.errors import PlanRefused
from dosewise.model.products import Basis, Form, Product
from dosewise.safety.eligibility import PersonContext
from dosewise.safety.plan_builder import build_plan
from dosewise.safety.titration import Signal

START = date(2026, 11, 22)
ADULT = PersonContext(age=47)
OIL = Product(name="Calm CBD oil 1000", form=Form.OIL, basis=Basis.ML, thc_mg=0, cbd_mg=33.3)
SATIVEX = Product(name="Sativex", form=Form.SPRAY, basis=Basis.SPRAY, thc_mg=2.7, cbd_mg=2.5)
DRONABINOL = Product(name="Dronabinol 2.5", form=Form.CAPSULE, basis=Basis.UNIT, thc_mg=2.5, cbd_mg=0)


def plan(protocol, product=OIL, person=ADULT, signals=None, today=START):
    return build_plan(protocol, product, person, start=START, today=today, signals=signals).stored()


def test_nabiximols_follows_the_smpc_first_days_and_never_passes_30_mg_thc():
    body = plan("nabiximols", SATIVEX)
    sprays = [sum(d["amount"] for d in day["doses"]) for day in body["days"]]
    assert sprays[:5] == [1, 1, 2, 2, 3]  # days 1-2 one, 3-4 two, day 5 three (SmPC)
    assert [d["time"] for d in body["days"][4]["doses"]] == ["09:00", "21:00"]  # day 5: morning + evening
    assert sprays[9] == 8  # 8 a day by day 10
    assert max(sprays) == 11  # 12 would be 32.4 mg THC, above the 30 mg/day ceiling
    assert all(day["thc_mg_per_day"] <= 30 for day in body["days"])


def test_oil_doses_are_whole_drops_rounded_down():
    body = plan("conservative")
    first = body["days"][0]
    assert first["doses"] == [{"time": "21:00", "amount": 3, "unit": "drop", "thc_mg": 0.0, "cbd_mg": 4.995}]
    assert all(d["cbd_mg_per_day"] <= 40 for d in body["days"])


def test_dronabinol_starts_at_2_5_mg_twice_a_day_before_lunch_and_dinner():
    first = plan("dronabinol", DRONABINOL)["days"][0]
    assert [(d["time"], d["amount"], d["thc_mg"]) for d in first["doses"]] == [("11:00", 1, 2.5), ("17:00", 1, 2.5)]


def test_plan_json_has_the_documented_shape():
    body = plan("routine")
    assert {"protocol", "product", "ceiling", "days", "reviews"} <= set(body)
    day = body["days"][0]
    assert {"date", "doses", "thc_mg_per_day", "cbd_mg_per_day"} <= set(day)
    assert {"time", "amount", "unit", "thc_mg", "cbd_mg"} == set(day["doses"][0])
    review = next(r for r in body["reviews"] if r["kind"] == "effect")
    assert review["date"] == (START + timedelta(days=28)).isoformat() and "20 %" in review["what"]


def test_thc_plans_are_refused_with_a_psychosis_history():
    with pytest.raises(PlanRefused, match="No plan with THC"):
        plan("nabiximols", SATIVEX, PersonContext(age=40, flags=frozenset({"psychosis-history"})))


def test_a_cbd_only_plan_is_still_possible_with_a_psychosis_history():
    body = plan("conservative", OIL, PersonContext(age=40, flags=frozenset({"psychosis-history"})))
    assert all(d["thc_mg_per_day"] == 0 for d in body["days"])


def test_under_18_is_refused():
    with pytest.raises(PlanRefused, match="under 18"):
        plan("conservative", OIL, PersonContext(age=17))


def test_unknown_content_is_refused_with_the_reason():
    unknown = Product(name="Mystery oil", form=Form.OIL, basis=Basis.ML, thc_mg=None, cbd_mg=None)
    with pytest.raises(PlanRefused, match="How much THC and CBD does 'Mystery oil' contain"):
        plan("conservative", unknown, PersonContext(age=40, flags=frozenset()))


def test_a_capsule_larger_than_the_start_dose_is_refused():
    big = Product(name="CBD 25", form=Form.CAPSULE, basis=Basis.UNIT, thc_mg=0, cbd_mg=25)
    with pytest.raises(PlanRefused, match="smallest measurable amount"):
        plan("conservative", big)


def test_flower_cannot_be_planned():
    flower = Product(name="Bedrocan", form=Form.FLOWER, basis=Basis.G, thc_mg=220, cbd_mg=1)
    with pytest.raises(PlanRefused, match="whole drops, sprays, capsules"):
        plan("rapid", flower, PersonContext(age=47, flags=frozenset({"used-thc-before"})))


def test_hepatotoxic_comedication_adds_a_liver_caution_and_baseline_tests():
    body = plan("routine", OIL, PersonContext(age=60, drug_ids=frozenset({"valproate"})))
    assert any("valproate" in c and "liver" in c for c in body["cautions"])
    assert body["reviews"][0]["kind"] == "liver-tests" and body["reviews"][0]["date"] == START.isoformat()


def test_a_moderate_side_effect_holds_the_step():
    normal = plan("conservative")["days"]
    held = plan(
        "conservative",
        signals=[Signal(day=START + timedelta(days=1), severity_rank=2)],
        today=START + timedelta(days=2),
    )["days"]
    assert normal[3]["action"] == "step_up"
    assert held[2]["action"] == "hold" and held[3]["cbd_mg_per_day"] == held[0]["cbd_mg_per_day"]
    assert held[5]["action"] == "step_up"  # a full 3-day interval after the hold


def test_a_severe_side_effect_steps_back_and_stops_further_steps():
    days = plan(
        "conservative",
        signals=[Signal(day=START + timedelta(days=4), severity_rank=3)],
        today=START + timedelta(days=5),
    )["days"]
    assert days[3]["cbd_mg_per_day"] > days[0]["cbd_mg_per_day"]  # stepped up on day 4
    assert days[5]["action"] == "step_back" and "clinician" in days[5]["note"]
    assert days[5]["cbd_mg_per_day"] == days[0]["cbd_mg_per_day"]
    assert {d["cbd_mg_per_day"] for d in days[5:]} == {days[0]["cbd_mg_per_day"]}


def test_a_red_flag_steps_back():
    days = plan(
        "nabiximols",
        SATIVEX,
        signals=[Signal(day=START + timedelta(days=4), red_flag=True)],
        today=START + timedelta(days=4),
    )["days"]
    assert days[5]["action"] == "step_back"
    assert sum(d["amount"] for d in days[5]["doses"]) == 2


def test_future_journal_signals_are_ignored():
    days = plan("conservative", signals=[Signal(day=START + timedelta(days=10), severity_rank=3)])["days"]
    assert all(d["action"] != "step_back" for d in days)


def test_a_severe_side_effect_on_the_first_step_pauses_the_plan():
    days = plan("dronabinol", DRONABINOL, signals=[Signal(day=START, severity_rank=3)], today=START)["days"]
    assert days[1]["action"] == "pause" and "no more doses" in days[1]["note"]
    assert all(d["doses"] == [] and d["thc_mg_per_day"] == 0 for d in days[1:])
