"""A trial start years ahead (a typo in the year) is refused, as a plan's start is; nothing is stored."""

import pytest

from dosewise.errors import TrialError
from dosewise.services import trials
from tests.conftest import NOW
from tests.helpers import snapshot


def test_a_start_years_ahead_is_refused_and_nothing_changes(person):
    before = snapshot(person)
    with pytest.raises(TrialError) as err:
        trials.create_trial(person, active="Calm CBD oil 1000:10 drops", start="2099-01-01", now=NOW)
    assert "at most 365 days from today" in err.value.message
    assert snapshot(person) == before


def test_a_start_next_month_is_fine(person):
    out = trials.create_trial(person, active="Calm CBD oil 1000:10 drops", start="2026-12-20", seed=1, now=NOW)
    assert str(out.start) == "2026-12-20"
