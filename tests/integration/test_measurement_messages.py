"""Measurement errors use the words people type (weight, temperature, bp, pulse) and say the unit to use."""

import pytest

from dosewise.errors import InvalidInput
from dosewise.services import journal
from tests.conftest import NOW
from tests.helpers import snapshot


@pytest.mark.parametrize(
    ("kind", "value", "message"),
    [
        ("weight", "140 lb", "Weight must be a number in kg, for example 63.5 (got '140 lb')."),
        ("temperature", "101", "Temperature must be between 30 and 45 °C (got 101)."),
        ("bp", "120/80", "only the upper number"),
        ("pulse", "0", "Pulse must be between 20 and 250 beats/min"),
        ("height", "170", "Use one of: weight (kg), temperature (°C), bp (mmHg), pulse (beats/min)."),
    ],
)
def test_measurement_error_names_what_the_person_typed(person, kind, value, message):
    before = snapshot(person)
    with pytest.raises(InvalidInput) as err:
        journal.record_measurement(person, kind=kind, value=value, now=NOW)
    assert message in err.value.message
    assert "_kg" not in err.value.message and "_c " not in err.value.message
    assert snapshot(person) == before
