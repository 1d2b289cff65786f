"""Property tests over random products, protocols and journals (hypothesis):

no plan ever exceeds its ceiling; no day-to-day increase is larger than the protocol's step; every plan
starts at or below the protocol's start dose; every amount is a whole number of measurable units.
"""

from datetime import date, timedelta

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from dosewise.errors import PlanRefused
from dosewise.model.products import Basis, Form, Product
from dosewise.model.units import amount_of
from dosewise.safety.eligibility import PersonContext
from dosewise.safety.plan_builder import build_plan
from dosewise.safety.protocols import get_protocol, protocol_ids
from dosewise.safety.titration import Signal, measuring_unit

EPS = 1e-6
START = date(2026, 1, 5)
FORMS = {Form.OIL: Basis.ML, Form.CAPSULE: Basis.UNIT, Form.SPRAY: Basis.SPRAY, Form.EDIBLE: Basis.UNIT}
content = st.one_of(st.just(0.0), st.floats(min_value=0.05, max_value=120, allow_nan=False))


@st.composite
def products(draw):
    form = draw(st.sampled_from(list(FORMS)))
    thc, cbd = draw(content), draw(content)
    if thc == 0 and cbd == 0:
        cbd = 10.0
    return Product(
        name="P",
        form=form,
        basis=FORMS[form],
        thc_mg=round(thc, 3),
        cbd_mg=round(cbd, 3),
        drop_ml=draw(st.sampled_from([0.025, 0.04, 0.05, 0.1])),
    )


signals = st.lists(
    st.builds(
        lambda off, sev, red: Signal(day=START + timedelta(days=off), severity_rank=sev, red_flag=red),
        st.integers(0, 80),
        st.integers(0, 3),
        st.booleans(),
    ),
    max_size=8,
)
people = st.builds(
    lambda age, flags: PersonContext(age=age, flags=frozenset(flags)),
    st.integers(18, 95),
    st.sets(
        st.sampled_from(["liver-disease", "heart-disease", "psychosis-history", "drives", "used-thc-before"]),
        max_size=3,
    ),
)


def _per_unit(product):
    return amount_of(1, measuring_unit(product), product)


small = st.floats(min_value=0.2, max_value=5, allow_nan=False)


@st.composite
def plannable_products(draw):
    """Products with small units (most plans can start): oils, sprays and capsules of a few mg per unit."""
    form = draw(st.sampled_from([Form.OIL, Form.SPRAY, Form.CAPSULE]))
    scale = 20.0 if form is Form.OIL else 1.0  # per ml for oils (about 20 drops per ml)
    thc = draw(st.one_of(st.just(0.0), small)) * scale
    cbd = draw(st.one_of(st.just(0.0), small)) * scale
    if thc == 0 and cbd == 0:
        thc = 2.5 * scale
    return Product(name="P", form=form, basis=FORMS[form], thc_mg=round(thc, 3), cbd_mg=round(cbd, 3))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(products(), st.sampled_from(protocol_ids()), people, signals, st.integers(0, 90))
def test_random_products_respect_ceiling_step_size_and_start_dose(product, protocol_id, person, journal, today_offset):
    _check_plan(product, protocol_id, person, journal, today_offset)


@settings(max_examples=700, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    plannable_products(),
    st.sampled_from(protocol_ids()),
    st.builds(PersonContext, age=st.integers(18, 95), flags=st.just(frozenset({"used-thc-before"}))),
    signals,
    st.integers(0, 90),
)
def test_plannable_products_respect_ceiling_step_size_and_start_dose(
    product, protocol_id, person, journal, today_offset
):
    _check_plan(product, protocol_id, person, journal, today_offset)


def _check_plan(product, protocol_id, person, journal, today_offset):
    try:
        body = build_plan(
            protocol_id, product, person, start=START, today=START + timedelta(days=today_offset), signals=journal
        ).stored()
    except PlanRefused as refused:
        assert str(refused)  # a refusal always says why
        event("refused")
        return
    event(f"planned: {protocol_id}")
    protocol = get_protocol(protocol_id)
    per = _per_unit(product)
    days = body["days"]
    # 1. never above the daily ceiling (THC <= 30 mg unless the protocol's maximum is lower)
    assert body["ceiling"]["thc_mg_per_day"] <= 30
    for d in days:
        assert d["thc_mg_per_day"] <= body["ceiling"]["thc_mg_per_day"] + EPS
        assert d["cbd_mg_per_day"] <= body["ceiling"]["cbd_mg_per_day"] + EPS
        assert all(isinstance(x["amount"], int) and x["amount"] > 0 for x in d["doses"])
    # 2. no increase from one day to the next is larger than one protocol step
    unit_step = 1 if protocol.raw.get("step_units_day") else 0
    max_thc = protocol.step_thc_mg_day + unit_step * per.thc_mg
    max_cbd = protocol.step_cbd_mg_day + unit_step * per.cbd_mg
    for a, b in zip(days, days[1:], strict=False):
        assert b["thc_mg_per_day"] - a["thc_mg_per_day"] <= max_thc + EPS
        assert b["cbd_mg_per_day"] - a["cbd_mg_per_day"] <= max_cbd + EPS
    # 3. the first day is at or below the protocol's start dose
    first = days[0]
    if "schedule_units" in protocol.raw:
        assert sum(x["amount"] for x in first["doses"]) <= sum(protocol.raw["schedule_units"][0])
    else:
        assert first["thc_mg_per_day"] <= protocol.start_thc_mg_day + EPS
        assert first["cbd_mg_per_day"] <= protocol.start_cbd_mg_day + EPS
    # 4. no THC at all for a person with a psychosis history
    if "psychosis-history" in person.flags:
        assert all(d["thc_mg_per_day"] == 0 for d in days)
