"""A flag set after a THC plan was made: 'plan show' says it is *this* plan that cannot go on, and what to do."""

from dosewise.services import people
from tests.helpers import snapshot


def test_showing_a_thc_plan_after_a_psychosis_flag_names_the_plan(person, cli):
    assert cli("plan", "new", "Sativex", "--protocol", "nabiximols").code == 0
    people.set_person(person, flags=["psychosis-history"])
    before = snapshot(person)
    r = cli("plan", "show")
    assert r.code == 1
    assert "Your nabiximols plan for Sativex cannot go on: No plan with THC" in r.err
    assert "dosewise plan stop" in r.err
    assert "Traceback" not in r.output
    assert snapshot(person) == before
    assert cli("plan", "stop").code == 0
