"""Logging a red flag from 'Something worrying?' is a journal entry that raises its alert at once."""

import pytest

from dosewise.errors import InvalidInput
from dosewise.services import journal, people, worries
from tests.conftest import NOW
from tests.helpers import snapshot


@pytest.fixture
def als(db):
    people.set_person(db, name="Sam", conditions=["als"], birth_year=1968, timezone="UTC")
    return db


def test_logging_an_als_breathing_red_flag_saves_it_and_raises_the_urgent_alert(als):
    offered = worries.list_worries(als)
    assert [w.label for w in offered][:2] == ["Short of breath", "Breathless when lying flat"]
    out = worries.log_worry(als, item="breathless-lying-down", entered_by="caregiver", now=NOW)
    assert (out.entry.kind, out.entry.item, out.entry.entered_by) == ("symptom", "breathless-lying-down", "caregiver")
    assert [a.level for a in out.alerts] == ["urgent"]
    days = journal.read_journal(als, days=1, now=NOW).days
    assert [e.item for d in days for e in d.entries] == ["breathless-lying-down"]


def test_a_side_effect_red_flag_is_logged_at_the_severity_that_raises_its_alert(als):
    out = worries.log_worry(als, item="palpitations", now=NOW)
    assert (out.entry.kind, out.entry.severity) == ("side_effect", "moderate")
    assert [a.level for a in out.alerts] == ["soon"]


def test_something_that_is_not_the_persons_red_flag_is_refused_and_nothing_changes(als):
    before = snapshot(als)
    with pytest.raises(InvalidInput, match="not one of your red flags"):
        worries.log_worry(als, item="pounding-headache", now=NOW)  # a spinal-cord-injury red flag
    assert snapshot(als) == before
