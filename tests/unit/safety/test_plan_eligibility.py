"""Who may get a plan: pregnancy and breastfeeding, the rapid protocol, CBD-first protocols, unknown age."""

from datetime import date

import pytest

from dosewise.errors import PlanRefused
from dosewise.knowledge.references import load_references, missing_references
from dosewise.model.products import Basis, Form, Product
from dosewise.safety.eligibility import PersonContext, rules
from dosewise.safety.plan_builder import build_plan
from dosewise.safety.protocols import get_protocol

START = date(2026, 11, 22)
CBD_OIL = Product(name="Calm CBD oil 1000", form=Form.OIL, basis=Basis.ML, thc_mg=0, cbd_mg=33.3)
BALANCED = Product(name="Balance 10:10", form=Form.OIL, basis=Basis.ML, thc_mg=10, cbd_mg=10)
THC_OIL = Product(name="THC oil 20:1", form=Form.OIL, basis=Basis.ML, thc_mg=20, cbd_mg=1)
FULL_SPECTRUM = Product(name="Full spectrum 30:2", form=Form.OIL, basis=Basis.ML, thc_mg=2, cbd_mg=30)
THC_BEFORE = frozenset({"used-thc-before"})


def plan(protocol, product, person):
    return build_plan(protocol, product, person, start=START, today=START).stored()


@pytest.mark.parametrize("flag", ["pregnant", "breastfeeding"])
@pytest.mark.parametrize("protocol", ["conservative", "routine"])
def test_pregnancy_and_breastfeeding_refuse_every_plan_cbd_only_included(flag, protocol):
    with pytest.raises(PlanRefused) as refused:
        plan(protocol, CBD_OIL, PersonContext(age=30, flags=frozenset({flag})))
    text = refused.value.message
    assert "No cannabinoid plan" in text and "FDA" in text and "CBD-only" in text and "journal" in text


def test_the_pregnancy_rule_cites_the_fda_and_its_references_resolve():
    refs = rules()["no_plan_flags"]["refs"]
    assert missing_references(refs) == [] and "fda-cbd-pregnancy-2019" in refs
    fda = load_references()["fda-cbd-pregnancy-2019"]
    assert fda.url and fda.url.startswith("https://www.fda.gov/") and fda.verified is False  # URL not opened here
    assert load_references()["usda-wic-fda-cannabis-2019"].verified


def test_the_rapid_protocol_needs_the_person_to_have_used_thc_before():
    with pytest.raises(PlanRefused) as refused:
        plan("rapid", BALANCED, PersonContext(age=50))
    assert "routine protocol" in refused.value.message and "used THC" in refused.value.message
    body = plan("rapid", BALANCED, PersonContext(age=50, flags=THC_BEFORE))
    assert body["days"][0]["thc_mg_per_day"] > 0
    assert get_protocol("rapid").raw["requires_flag"] == "used-thc-before"


@pytest.mark.parametrize("product", [THC_OIL, BALANCED], ids=["thc-dominant", "balanced"])
@pytest.mark.parametrize("protocol", ["conservative", "routine"])
def test_a_product_that_is_not_cbd_predominant_is_refused_on_a_cbd_first_protocol(product, protocol):
    with pytest.raises(PlanRefused) as refused:
        plan(protocol, product, PersonContext(age=50, flags=THC_BEFORE))
    assert "CBD-predominant" in refused.value.message and protocol in refused.value.message


@pytest.mark.parametrize("protocol", ["conservative", "routine"])
def test_a_cbd_phase_never_holds_more_thc_than_the_thc_phase_starts_with(protocol):
    body = plan(protocol, FULL_SPECTRUM, PersonContext(age=50))
    thc_start = get_protocol(protocol).start_thc_mg_day
    cbd_steps = [s for s in body["steps"] if s["phase"] == "cbd"]
    assert cbd_steps and all(s["thc_mg_per_day"] <= thc_start + 1e-9 for s in cbd_steps)
    assert all(s["cbd_mg_per_day"] > s["thc_mg_per_day"] for s in cbd_steps)


def test_an_unknown_age_asks_for_the_birth_year_first():
    with pytest.raises(PlanRefused) as refused:
        plan("conservative", CBD_OIL, PersonContext(age=None))
    assert "year of birth" in refused.value.message and refused.value.field == "birth_year"
