"""The MCID per scale is a setting the person (or their clinician) can change; analyses use it."""

import pytest

from dosewise.errors import DosewiseError
from dosewise.services import demo, insights, people
from tests.helpers import snapshot


def test_a_clinician_set_mcid_is_used_by_the_analysis_and_can_be_reset(fresh_db, cli):
    demo.load_demo(fresh_db)
    default = insights.analyze(fresh_db).mcid
    assert cli("person", "set", "--mcid", "spasticity=2.5").code == 0
    assert insights.analyze(fresh_db).mcid == pytest.approx(2.5)
    assert "spasticity 2.5 points" in cli("person", "show").out
    assert cli("person", "set", "--mcid", "spasticity=default").code == 0
    assert insights.analyze(fresh_db).mcid == pytest.approx(default)


@pytest.mark.parametrize(
    ("option", "message"),
    [
        ("spasticity", "SCALE=POINTS"),
        ("spasticity=0", "more than 0"),
        ("spasticity=15", "at most the scale's range"),
        ("spasticity=lots", "must be a number"),
        ("wellbeing=1", "Unknown scale"),
    ],
)
def test_bad_mcid_is_refused_and_nothing_changes(person, option, message):
    before = snapshot(person)
    with pytest.raises(DosewiseError) as err:
        people.set_person(person, mcid=people.parse_mcid_options([option]))
    assert message in err.value.message
    assert snapshot(person) == before
