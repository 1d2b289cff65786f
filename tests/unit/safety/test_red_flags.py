"""Red-flag rules: the data is complete and cited, and each kind of rule fires when (and only when) it should."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from dosewise.knowledge.references import missing_references
from dosewise.model.journal import PersonDay, side_effects, symptoms
from dosewise.model.people import CONDITIONS
from dosewise.safety.alerts import Context, Event, evaluate, rules

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
ALS = Context(conditions=frozenset({"als"}))
MS = Context(conditions=frozenset({"ms-spasticity"}))
SCI = Context(conditions=frozenset({"sci-spasticity"}))


def fired(events, ctx=MS, now=NOW):
    return [h.rule_id for h in evaluate(events, ctx, now=now)]


def sym(item, hours_ago=1):
    return Event(kind="symptom", item=item, at=NOW - timedelta(hours=hours_ago))


def se(item, severity, days_ago=0):
    return Event(kind="side_effect", item=item, at=NOW - timedelta(days=days_ago, minutes=1), severity=severity)


def measure(item, value, days_ago=0.0):
    return Event(kind="measure", item=item, at=NOW - timedelta(days=days_ago, minutes=1), value=value)


def test_every_rule_has_the_shared_fields_and_resolving_references():
    for r in rules():
        assert r.level in ("urgent", "soon", "info")
        assert r.applies_to == ("all",) or set(r.applies_to) <= set(CONDITIONS)
        assert r.refs and missing_references(list(r.refs)) == []
    assert len({r.id for r in rules()}) == len(rules())


def test_every_symptom_and_side_effect_a_rule_watches_can_be_logged():
    known_symptoms, known_effects = set(symptoms()), set(side_effects())
    for r in rules():
        for group in (r.trigger, r.trigger.with_any):
            if group is None:
                continue
            assert set(group.symptoms) <= known_symptoms, r.id
            assert set(group.side_effects) - {"*"} <= known_effects, r.id


def test_every_trigger_has_the_settings_its_kind_needs():
    needs = {
        "event": ("within_hours",),
        "measure_rise": ("measure", "within_hours", "baseline_days", "above_baseline"),
        "measure_drop": ("measure", "within_days", "percent"),
        "worsening": ("within_days", "min_days"),
        "above_ceiling": ("within_hours",),
        "above_set_ceiling": ("within_hours",),
    }
    for r in rules():
        assert all(getattr(r.trigger, name) is not None for name in needs[r.trigger.kind]), r.id


def test_als_breathlessness_lying_down_is_urgent_and_replaces_the_general_rule():
    hits = evaluate([sym("breathless-lying-down")], ALS, now=NOW)
    assert [h.rule_id for h in hits] == ["als-breathing"] and hits[0].level == "urgent"
    assert "NICE" in hits[0].why or "National Institute" in hits[0].why


def test_condition_specific_rules_only_apply_to_that_condition():
    assert fired([sym("breathless-lying-down")], MS) == ["breathless-any"]
    assert fired([sym("pounding-headache")], MS) == []
    assert fired([sym("pounding-headache")], SCI) == ["sci-autonomic-dysreflexia"]


def test_old_entries_outside_the_window_do_not_fire():
    assert fired([sym("chest-pain", hours_ago=24 * 4)]) == []
    assert fired([sym("chest-pain", hours_ago=2)]) == ["fainting-chest-pain"]


def test_spasms_need_fever_or_new_weakness_to_fire():
    assert fired([sym("spasms-worse")]) == []
    assert fired([sym("spasms-worse"), sym("new-weakness")]) == ["spasms-fever-weakness"]
    assert fired([sym("spasms-worse"), measure("temperature_c", 38.3)]) == ["spasms-fever-weakness"]
    assert fired([sym("spasms-worse"), measure("temperature_c", 37.2)]) == []


def test_blood_pressure_20_above_usual_in_sci_is_urgent():
    usual = [measure("systolic_bp", v, days_ago=d) for v, d in ((100, 10), (104, 8), (102, 5))]
    assert fired(usual + [measure("systolic_bp", 121)], SCI) == []
    hits = evaluate(usual + [measure("systolic_bp", 123)], SCI, now=NOW)
    assert [h.rule_id for h in hits] == ["sci-bp-rise"] and hits[0].level == "urgent"


def test_weight_falling_5_percent_in_als_prompts_the_team():
    assert fired([measure("weight_kg", 64, 60), measure("weight_kg", 61.5)], ALS) == []
    assert fired([measure("weight_kg", 64, 60), measure("weight_kg", 60.5)], ALS) == ["als-weight-loss"]


def test_suicidal_thoughts_are_urgent_at_any_severity():
    hits = evaluate([se("suicidal-thoughts", "mild")], MS, now=NOW)
    assert hits[0].rule_id == "psychiatric-suicidal" and hits[0].level == "urgent"


def test_a_side_effect_worsening_over_days_fires_but_a_steady_one_does_not():
    assert fired([se("dizziness", "mild", 3), se("dizziness", "mild", 1)]) == []
    assert fired([se("dizziness", "mild", 3), se("dizziness", "moderate", 1)]) == ["side-effect-worsening"]


def test_worsening_counts_journal_days_not_utc_dates():
    # New York, journal day starting at 04:00: 18:00 and 02:00 the next night are one evening (one journal
    # day), though they fall on two UTC dates; 02:00 and 06:00 are two journal days on one UTC date.
    ny = PersonDay(ZoneInfo("America/New_York"), 4)
    evening = datetime(2026, 11, 19, 18, 0, tzinfo=ny.tz)
    one_night = [
        Event(kind="side_effect", item="dizziness", at=evening, severity="mild"),
        Event(kind="side_effect", item="dizziness", at=evening + timedelta(hours=8), severity="moderate"),
    ]
    assert len({e.at.astimezone(UTC).date() for e in one_night}) == 2
    assert fired(one_night, ctx=Context(conditions=MS.conditions, day=ny)) == []
    assert fired(one_night) == ["side-effect-worsening"]  # counted by UTC date it would fire
    two_days = [
        Event(kind="side_effect", item="dizziness", at=evening + timedelta(hours=8), severity="mild"),
        Event(kind="side_effect", item="dizziness", at=evening + timedelta(hours=12), severity="moderate"),
    ]
    assert fired(two_days, ctx=Context(conditions=MS.conditions, day=ny)) == ["side-effect-worsening"]


def test_medicine_specific_rules_need_the_medicine():
    events = [measure("temperature_c", 38.6), sym("spasms-worse")]
    assert "baclofen-withdrawal" not in fired(events)
    assert "baclofen-withdrawal" in fired(
        events, Context(conditions=frozenset({"ms-spasticity"}), drug_ids=frozenset({"baclofen"}))
    )


@pytest.mark.parametrize(
    ("item", "rule"),
    [
        ("jaundice", "liver-injury-signs"),
        ("fall", "fall"),
        ("repeated-vomiting", "repeated-vomiting"),
        ("confusion-severe", "severe-confusion"),
        ("fainting", "fainting-chest-pain"),
    ],
)
def test_single_symptom_rules_fire(item, rule):
    assert rule in fired([sym(item)])


def test_unverified_rules_say_so_in_why():
    hit = evaluate([sym("spasms-worse"), sym("fever")], MS, now=NOW)[0]
    assert not hit.verified and "unverified" in hit.why


def test_a_day_above_the_plan_ceiling_fires_only_with_a_plan():
    total = Event(kind="dose_total", item="thc_mg", at=NOW - timedelta(hours=1), value=32.4)
    assert "dose-above-plan-ceiling" not in fired([total])
    with_plan = Context(conditions=frozenset({"ms-spasticity"}), ceiling_mg_day=(("thc_mg", 30.0),))
    hits = [h for h in evaluate([total], with_plan, now=NOW) if h.rule_id == "dose-above-plan-ceiling"]
    assert hits and "32.4 mg THC" in hits[0].why and "30 mg" in hits[0].why
    under = Event(kind="dose_total", item="thc_mg", at=NOW - timedelta(hours=1), value=29.7)
    assert "dose-above-plan-ceiling" not in [h.rule_id for h in evaluate([under], with_plan, now=NOW)]
