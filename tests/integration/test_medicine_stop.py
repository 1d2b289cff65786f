"""Stopping a medicine: a future date would hide its interactions while it is still taken, so it is refused."""

from datetime import date

import pytest

from dosewise.errors import DosewiseError
from dosewise.services import checks, medicines
from dosewise.services.runtime import get_person_row
from tests.helpers import snapshot

TODAY = date(2026, 11, 21)


@pytest.fixture
def warfarin(person):
    medicines.add_medicine(person, name="warfarin", since=date(2025, 3, 1))
    return person


@pytest.mark.parametrize(
    ("on", "message"),
    [(date(2030, 1, 1), "in the future"), (date(2020, 1, 1), "was started on 2025-03-01")],
)
def test_impossible_stop_date_is_refused_and_nothing_changes(warfarin, on, message):
    before = snapshot(warfarin)
    with pytest.raises(DosewiseError) as err:
        medicines.stop_medicine(warfarin, name="warfarin", on=on, today=TODAY)
    assert message in err.value.message
    assert snapshot(warfarin) == before
    with warfarin.read() as session:
        found = checks.findings_for_person(session, get_person_row(session))
    assert any(f.drug == "warfarin" and f.severity == "serious" for f in found.findings)


def test_stop_defaults_to_today(warfarin):
    assert medicines.stop_medicine(warfarin, name="warfarin", today=TODAY).stopped == TODAY


def test_cli_refuses_future_stop_date(cli, warfarin):
    result = cli("med", "stop", "warfarin", "--on", "2999-01-01")
    assert result.code == 1
    assert "in the future" in result.err
    assert cli("med", "stop", "warfarin").code == 0


def test_med_add_and_check_name_a_drug_warning_the_same_way(cli, person):
    added = cli("med", "add", "quinine")
    checked = cli("check")
    assert "quinine + any cannabinoid" in added.out
    assert "quinine + any cannabinoid" in checked.out
    assert "+ ANY" not in added.out


def test_the_same_medicine_twice_is_refused_and_nothing_changes(cli, person):
    before = snapshot(person)
    result = cli("med", "add", "Baclofen")
    assert result.code == 1
    assert "baclofen is already on your list" in result.err
    assert snapshot(person) == before
    assert cli("med", "stop", "baclofen").code == 0
    assert cli("med", "add", "baclofen", "--dose", "5 mg").code == 0
