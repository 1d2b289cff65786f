"""Plan refusals a person meets in the CLI and the web app, on SQLite and PostgreSQL: each says why, stores
nothing, and leaves logging possible."""

from dosewise.services import people, plans, products
from tests.helpers import snapshot


def test_pregnancy_refuses_a_cbd_only_plan_but_logging_still_works(person, cli):
    assert cli("person", "set", "--flag", "pregnant").code == 0
    before = snapshot(person)
    r = cli("plan", "new", "Calm", "--protocol", "conservative")
    assert r.code == 1 and "No cannabinoid plan" in r.err and "FDA" in r.err
    assert snapshot(person) == before
    assert cli("log", "dose", "Calm", "5 drops").code == 0


def test_breastfeeding_set_after_the_plan_stops_showing_it(person, cli):
    assert cli("plan", "new", "Calm", "--protocol", "conservative").code == 0
    people.set_person(person, flags=["breastfeeding"])
    r = cli("plan", "show")
    assert r.code == 1 and "cannot go on" in r.err and "breastfeeding" in r.err


def test_rapid_needs_used_thc_before_set_in_person_set(person, cli):
    products.add_product(person, name="Balance 10:10", form="oil", thc_mg=10, cbd_mg=10, per="ml", drop_ml=0.05)
    before = snapshot(person)
    r = cli("plan", "new", "Balance", "--protocol", "rapid")
    assert r.code == 1 and "routine protocol" in r.err and snapshot(person) == before
    r = cli("person", "set", "--flag", "used-thc-before")
    assert r.code == 0 and "used-thc-before" in r.out
    assert cli("plan", "new", "Balance", "--protocol", "rapid").code == 0


def test_a_thc_dominant_oil_on_the_routine_protocol_is_refused_with_the_reason(person, cli):
    products.add_product(person, name="THC oil 20:1", form="oil", thc_mg=20, cbd_mg=1, per="ml", drop_ml=0.05)
    before = snapshot(person)
    r = cli("plan", "new", "THC oil", "--protocol", "routine")
    assert r.code == 1 and "more THC than CBD" in r.err and "CBD-predominant" in r.err
    assert snapshot(person) == before


def test_no_plan_without_a_birth_year_and_none_for_under_18s(db, cli):
    people.set_person(db, name="Kim", conditions=["dystonia"], timezone="UTC")
    products.add_product(db, name="Calm CBD oil 1000", form="oil", cbd_mg=33.3, thc_mg=0, per="ml")
    r = cli("plan", "new", "Calm", "--protocol", "conservative")
    assert r.code == 1 and "year of birth" in r.err
    assert cli("person", "set", "--birth-year", "2012").code == 0
    assert "under 18" in cli("plan", "new", "Calm", "--protocol", "conservative").err
    assert cli("person", "set", "--birth-year", "1970").code == 0
    assert plans.new_plan(db, product="Calm", protocol="conservative").status == "active"
