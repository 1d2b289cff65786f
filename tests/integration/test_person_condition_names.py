"""'person set --condition' accepts the names the guides know (MS, MND, lou gehrig), like 'dosewise guide' does."""

import pytest

from dosewise.errors import InvalidInput
from dosewise.services import people
from tests.helpers import snapshot


@pytest.mark.parametrize(
    ("name", "condition"),
    [
        ("MS", "ms-spasticity"),
        ("mnd", "als"),
        ("Lou Gehrig", "als"),
        ("spinal cord injury", "sci-spasticity"),
        ("ms-spasticity", "ms-spasticity"),
    ],
)
def test_a_guide_name_sets_the_condition(fresh_db, name, condition):
    out = people.set_person(fresh_db, name="Ana", conditions=[name], timezone="UTC")
    assert out.conditions == [condition]


def test_an_unknown_condition_is_refused_with_the_list_and_nothing_changes(person):
    before = snapshot(person)
    with pytest.raises(InvalidInput) as err:
        people.set_person(person, conditions=["cancer"])
    assert "Choose from: als, ms-spasticity" in err.value.message
    assert snapshot(person) == before
