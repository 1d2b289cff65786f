"""Showing a plan (CLI, web page, clinician report) never writes to the database."""

from dosewise.services import journal, plans
from tests.conftest import NOW
from tests.helpers import snapshot


def test_showing_an_adapted_plan_changes_nothing(person):
    plans.new_plan(person, product="Sativex", protocol="nabiximols", now=NOW)
    journal.record_side_effect(person, effect="dizziness", severity="moderate", now=NOW)
    before = snapshot(person)
    shown = plans.show_plan(person, now=NOW)
    assert shown.days  # the plan is there, adapted to the journal
    assert snapshot(person) == before
