"""Editing a medicine: name, dose or start date, checked like a new one; a refused edit changes nothing."""

from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest

from dosewise import clock
from dosewise.errors import DosewiseError, NotFound
from dosewise.services import medicines, people
from dosewise.services.runtime import get_person_row
from dosewise.store.tables import MedicineRow, PersonRow
from tests.helpers import snapshot

TODAY = date(2026, 11, 21)


def _baclofen(db) -> int:
    return next(m.id for m in medicines.list_medicines(db) if m.name == "baclofen")


def test_renaming_looks_the_drug_up_again_and_reports_its_interactions(person):
    med, check = medicines.edit_medicine(person, medicine_id=_baclofen(person), name=" clobazam ")
    assert (med.name, med.drug_id, med.dose_text) == ("clobazam", "clobazam", "10 mg three times a day")
    assert any(f.drug == "clobazam" and f.severity == "serious" for f in check.findings)
    assert all(f.drug == "clobazam" for f in check.findings)
    assert [m.name for m in medicines.list_medicines(person)] == ["clobazam"]


def test_a_brand_name_resolves_to_its_drug_and_a_case_change_is_not_a_duplicate(person):
    mid = _baclofen(person)
    assert medicines.edit_medicine(person, medicine_id=mid, name="Lioresal")[0].drug_id == "baclofen"
    assert medicines.edit_medicine(person, medicine_id=mid, name="LIORESAL")[0].name == "LIORESAL"


def test_dose_and_start_date_change_and_a_blank_dose_clears_it(person):
    mid = _baclofen(person)
    med, _ = medicines.edit_medicine(
        person, medicine_id=mid, dose_text="20 mg at night", since=date(2025, 1, 2), today=TODAY
    )
    assert (med.name, med.dose_text, med.started) == ("baclofen", "20 mg at night", date(2025, 1, 2))
    med, _ = medicines.edit_medicine(person, medicine_id=mid, dose_text=" ")
    assert med.dose_text is None and med.started == date(2025, 1, 2)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"name": "  "}, "name"),
        ({"name": "x" * 121}, "name"),
        ({"dose_text": "d" * 201}, "dose"),
        ({"since": TODAY + timedelta(days=1), "dose_text": "5 mg"}, "since"),
        ({"name": "warfarin", "dose_text": "5 mg"}, "name"),
        ({}, None),
    ],
)
def test_a_refused_edit_changes_nothing(person, change, field):
    medicines.add_medicine(person, name="warfarin", since=date(2025, 3, 1))
    before = snapshot(person)
    with pytest.raises(DosewiseError) as err:
        medicines.edit_medicine(person, medicine_id=_baclofen(person), today=TODAY, **change)
    assert err.value.field == field
    assert snapshot(person) == before


def test_the_start_date_is_checked_in_the_persons_own_calendar(person):
    zone = "Pacific/Kiritimati"  # UTC+14: often already tomorrow there
    with person.transaction() as session:
        get_person_row(session).timezone = zone
    local_today = clock.now().astimezone(ZoneInfo(zone)).date()
    med, _ = medicines.edit_medicine(person, medicine_id=_baclofen(person), since=local_today)
    assert med.started == local_today
    with pytest.raises(DosewiseError, match="in the future"):
        medicines.edit_medicine(person, medicine_id=_baclofen(person), since=local_today + timedelta(days=1))


def test_a_missing_stopped_or_other_persons_medicine_is_not_found(person):
    person = person.for_person(people.get_person(person).id)  # Ana's handle: the database now holds Ben too
    with person.for_everyone().transaction() as session:
        other = PersonRow(name="Ben")
        session.add(other)
        session.flush()
        session.add(MedicineRow(person_id=other.id, name="warfarin"))
        other_id = other.id
    with person.for_everyone().read() as session:
        others = session.query(MedicineRow).filter(MedicineRow.person_id == other_id).one().id
    medicines.add_medicine(person, name="clobazam")
    stopped = medicines.stop_medicine(person, name="clobazam").id
    before = snapshot(person)
    for medicine_id in (9999, others, stopped):
        with pytest.raises(NotFound):
            medicines.edit_medicine(person, medicine_id=medicine_id, dose_text="5 mg")
    assert snapshot(person) == before


def test_cli_edits_a_medicine_by_name_and_shows_its_findings(cli, person):
    result = cli("med", "edit", "BACLOFEN", "--rename", "clobazam", "--dose", "10 mg at night", "--since", "2025-01-02")
    assert result.code == 0, result.err
    assert "Saved clobazam (10 mg at night), since 2025-01-02" in result.out
    assert "clobazam" in result.out.split("Saved", 1)[1].split("\n", 1)[1]  # the finding, not only the name
    listed = cli("med", "list", "--json")
    assert '"clobazam"' in listed.out and '"baclofen"' not in listed.out


def test_cli_json_and_refusals(cli, person):
    import json

    body = json.loads(cli("med", "edit", "baclofen", "--dose", "5 mg", "--json").out)
    assert body["medicine"]["dose_text"] == "5 mg" and "findings" in body["check"]
    before = snapshot(person)
    missing = cli("med", "edit", "aspirin", "--dose", "5 mg")
    assert missing.code == 1 and "No current medicine called 'aspirin'" in missing.err
    nothing = cli("med", "edit", "baclofen")
    assert nothing.code == 1 and "Nothing to change" in nothing.err
    future = cli("med", "edit", "baclofen", "--since", "2999-01-01")
    assert future.code == 1 and "in the future" in future.err
    assert snapshot(person) == before
