"""A medicine marked as stopped by mistake can be restarted (service, CLI); it is checked again at once."""

import re
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


def _checked_drugs(db) -> set[str]:
    with db.read() as session:
        return {f.drug for f in checks.findings_for_person(session, get_person_row(session)).findings}


def test_a_restarted_medicine_is_current_again_with_its_start_date_and_checked_again(warfarin):
    medicines.stop_medicine(warfarin, name="warfarin", today=TODAY)
    assert "warfarin" not in _checked_drugs(warfarin)
    stopped = [m for m in medicines.list_medicines(warfarin, include_stopped=True) if m.name == "warfarin"]
    assert (stopped[0].started, stopped[0].stopped) == (date(2025, 3, 1), TODAY)  # still listed, with its dates
    out = medicines.restart_medicine(warfarin, name="Warfarin")
    assert (out.name, out.started, out.stopped) == ("warfarin", date(2025, 3, 1), None)
    assert "warfarin" in [m.name for m in medicines.list_medicines(warfarin)]
    assert "warfarin" in _checked_drugs(warfarin)


def test_restarting_a_medicine_that_is_current_or_unknown_is_refused_and_changes_nothing(warfarin):
    before = snapshot(warfarin)
    with pytest.raises(DosewiseError, match="No stopped medicine called 'warfarin'"):
        medicines.restart_medicine(warfarin, name="warfarin")
    with pytest.raises(DosewiseError, match="No stopped medicine called 'floopex'"):
        medicines.restart_medicine(warfarin, name="floopex")
    assert snapshot(warfarin) == before


def test_restarting_when_the_same_medicine_was_added_again_is_refused(warfarin):
    medicines.stop_medicine(warfarin, name="warfarin", today=TODAY)
    medicines.add_medicine(warfarin, name="warfarin")
    before = snapshot(warfarin)
    with pytest.raises(DosewiseError, match="already on your list"):
        medicines.restart_medicine(warfarin, name="warfarin")
    assert snapshot(warfarin) == before


def test_cli_med_restart_undoes_med_stop(cli, warfarin):
    assert cli("med", "stop", "warfarin").code == 0
    result = cli("med", "restart", "warfarin")
    assert result.code == 0 and "warfarin is current again (since 2025-03-01)." in result.out
    listed = cli("med", "list", "--json")
    assert "warfarin" in listed.out
    again = cli("med", "restart", "warfarin")
    assert again.code == 1 and "No stopped medicine called 'warfarin'" in again.err


def test_a_name_several_stopped_medicines_share_is_refused_with_their_numbers(cli, warfarin):
    first = medicines.stop_medicine(warfarin, name="warfarin", on=date(2026, 5, 1), today=TODAY)
    medicines.add_medicine(warfarin, name="Warfarin", since=date(2026, 6, 1))
    second = medicines.stop_medicine(warfarin, name="warfarin", today=TODAY)
    before = snapshot(warfarin)
    result = cli("med", "restart", "warfarin")
    assert result.code == 1 and "More than one stopped medicine is called 'warfarin'" in result.err
    assert f"number {first.id}: warfarin (since 2025-03-01, stopped 2026-05-01)" in " ".join(result.err.split())
    assert f"number {second.id}: Warfarin (since 2026-06-01, stopped {TODAY})" in " ".join(result.err.split())
    assert snapshot(warfarin) == before
    assert cli("med", "restart", str(second.id)).code == 0
    current = [(m.id, m.started) for m in medicines.list_medicines(warfarin) if m.name.casefold() == "warfarin"]
    assert current == [(second.id, date(2026, 6, 1))]


def test_cli_names_a_medicine_by_its_number_in_med_list(cli, warfarin):
    number = _warfarin(warfarin).id
    listed = cli("med", "list")
    assert re.search(rf"│ {number} +│ warfarin ", listed.out)
    assert cli("med", "edit", str(number), "--dose", "5 mg").code == 0
    assert _warfarin(warfarin).dose_text == "5 mg"
    missing = cli("med", "stop", str(number + 100))
    assert missing.code == 1 and f"No current medicine number {number + 100}" in missing.err
    assert cli("med", "stop", str(number)).code == 0
    assert "warfarin" not in [m.name for m in medicines.list_medicines(warfarin)]


def _warfarin(db):
    return next(m for m in medicines.list_medicines(db) if m.name == "warfarin")
