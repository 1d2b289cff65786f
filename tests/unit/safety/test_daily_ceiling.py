"""A daily ceiling set for the person (by a clinician or themself) only ever lowers a plan's ceiling.

Properties over random ceilings, products, protocols and journals (hypothesis): no planned day is above
min(protocol ceiling, set ceiling); the plan's stated ceiling is that minimum; no day-to-day increase is
larger than a protocol step. Examples: a ceiling caps the steps above it and holds the plan there; a ceiling
above the protocol's changes nothing; one below a single unit of the product refuses the plan, saying why.
"""

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from dosewise.errors import PlanRefused
from dosewise.model.products import Basis, Form, Product
from dosewise.safety.eligibility import PersonContext
from dosewise.safety.plan_builder import build_plan
from dosewise.safety.protocols import get_protocol, protocol_ids
from dosewise.safety.titration import DailyCeiling
from tests.unit.safety.test_titration_properties import _per_unit, plannable_products, products, signals

EPS = 1e-6
START = date(2026, 1, 5)
ADULT = PersonContext(age=47, flags=frozenset({"used-thc-before"}))
OIL = Product(name="Calm CBD oil 1000", form=Form.OIL, basis=Basis.ML, thc_mg=0, cbd_mg=33.3)
SATIVEX = Product(name="Sativex", form=Form.SPRAY, basis=Basis.SPRAY, thc_mg=2.7, cbd_mg=2.5)
limits = st.one_of(st.none(), st.floats(min_value=0.3, max_value=60, allow_nan=False))
ceilings = st.builds(DailyCeiling, thc_mg_day=limits, cbd_mg_day=limits)


def _plan(protocol, product, ceiling, today=START, journal=None):
    return build_plan(protocol, product, ADULT, start=START, today=today, signals=journal, ceiling=ceiling)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(plannable_products(), products()),
    st.sampled_from(protocol_ids()),
    ceilings,
    signals,
    st.integers(0, 90),
)
def test_no_planned_day_is_ever_above_the_ceiling_set_for_the_person(product, protocol_id, ceiling, journal, offset):
    try:
        body = _plan(protocol_id, product, ceiling, today=START + timedelta(days=offset), journal=journal)
    except PlanRefused as refused:
        assert str(refused)
        event("refused")
        return
    event(f"planned: {protocol_id}")
    protocol = get_protocol(protocol_id)
    thc_top, cbd_top = ceiling.lowers(protocol.ceiling_thc_mg_day, protocol.ceiling_cbd_mg_day)
    assert body.ceiling.thc_mg_per_day == pytest.approx(thc_top)
    assert body.ceiling.cbd_mg_per_day == pytest.approx(cbd_top)
    assert thc_top <= protocol.ceiling_thc_mg_day and cbd_top <= protocol.ceiling_cbd_mg_day  # only ever lower
    per = _per_unit(product)
    unit_step = 1 if protocol.raw.get("step_units_day") else 0
    for day in body.days:
        assert day.thc_mg_per_day <= thc_top + EPS
        assert day.cbd_mg_per_day <= cbd_top + EPS
        assert sum(d.thc_mg for d in day.doses) <= thc_top + EPS
    for a, b in zip(body.days, body.days[1:], strict=False):
        assert b.thc_mg_per_day - a.thc_mg_per_day <= protocol.step_thc_mg_day + unit_step * per.thc_mg + EPS
        assert b.cbd_mg_per_day - a.cbd_mg_per_day <= protocol.step_cbd_mg_day + unit_step * per.cbd_mg + EPS


def test_a_ceiling_cuts_the_steps_above_it_and_the_plan_stays_there():
    free = _plan("conservative", OIL, None, today=START + timedelta(days=60))
    capped = _plan("conservative", OIL, DailyCeiling(cbd_mg_day=12, set_by="by doc@example.org (clinician)"))
    assert max(d.cbd_mg_per_day for d in free.days) > 12  # the protocol alone would go higher
    assert max(d.cbd_mg_per_day for d in capped.days) <= 12
    top = capped.days[-1].cbd_mg_per_day
    assert 12 - 1.7 < top <= 12  # it climbs as close as whole drops allow, then stays
    assert capped.ceiling.cbd_mg_per_day == 12
    assert "Lowered to" in capped.ceiling.why and "doc@example.org (clinician)" in capped.ceiling.why
    assert capped.ceiling.set_by == "by doc@example.org (clinician)"


def test_a_ceiling_above_the_protocols_changes_nothing():
    free = _plan("nabiximols", SATIVEX, None)
    high = _plan("nabiximols", SATIVEX, DailyCeiling(thc_mg_day=100, cbd_mg_day=100))
    assert [d.doses for d in high.days] == [d.doses for d in free.days]
    assert high.ceiling.thc_mg_per_day == free.ceiling.thc_mg_per_day
    assert "Lowered" not in high.ceiling.why


def test_a_ceiling_below_one_unit_refuses_the_plan_and_says_why():
    with pytest.raises(PlanRefused, match=r"ceiling set for you \(2 mg THC a day\) is below one spray"):
        _plan("nabiximols", SATIVEX, DailyCeiling(thc_mg_day=2))
