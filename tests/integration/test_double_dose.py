"""A double press is not a second dose: record_dose refuses the same dose a moment later, on every door."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from dosewise.errors import RepeatedDose
from dosewise.services import journal
from tests.conftest import NOW


def _doses(cli) -> int:
    days = json.loads(cli("journal", "--days", "2", "--json").out)["days"]
    return sum(1 for d in days for e in d["entries"] if e["kind"] == "dose")


def test_the_command_line_refuses_the_same_dose_twice_in_a_moment_until_told_again(person, cli):
    assert cli("log", "dose", "Calm CBD oil 1000", "5 drops").code == 0
    again = cli("log", "dose", "Calm CBD oil 1000", "5 drops")
    assert again.code == 1 and "a moment ago" in again.err and "--again" in again.err
    assert _doses(cli) == 1
    assert cli("log", "dose", "Calm CBD oil 1000", "5 drops", "--again").code == 0
    assert _doses(cli) == 2


def test_a_different_amount_product_or_time_is_a_new_dose(person):
    journal.record_dose(person, product="Calm CBD oil 1000", amount="5 drops", now=NOW)
    journal.record_dose(person, product="Calm CBD oil 1000", amount="6 drops", now=NOW)
    journal.record_dose(person, product="Sativex", amount="1 spray", now=NOW)
    later = NOW + timedelta(minutes=3)
    journal.record_dose(person, product="Calm CBD oil 1000", amount="5 drops", now=later)
    with pytest.raises(RepeatedDose):
        journal.record_dose(person, product="Calm CBD oil 1000", amount="5 drops", now=later + timedelta(minutes=1))


def test_editing_a_dose_is_not_a_repeat_of_itself(person):
    first = journal.record_dose(person, product="Calm CBD oil 1000", amount="5 drops", now=NOW)
    edited = journal.update_entry(
        person, entry_kind="dose", entry_id=first.entry.id, product="Calm CBD oil 1000", amount="5 drops", now=NOW
    )
    assert edited.entry.id == first.entry.id
