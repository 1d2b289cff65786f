"""Editing an entry validates it exactly like a new one; a rejected edit changes nothing."""

import pytest

from dosewise.errors import DosewiseError
from dosewise.services import journal
from tests.conftest import NOW
from tests.helpers import snapshot


def test_editing_a_dose_recomputes_its_mg_and_keeps_its_id(person):
    e = journal.record_dose(person, product="calm", amount="5 drops", at="2026-11-20 09:00", now=NOW).entry
    out = journal.update_entry(
        person,
        entry_kind="dose",
        entry_id=e.id,
        product="Sativex",
        amount="2 sprays",
        at="2026-11-20 09:30",
        entered_by="caregiver",
        now=NOW,
    )
    assert out.entry.id == e.id
    assert (out.entry.item, out.entry.thc_mg, out.entry.entered_by) == ("Sativex", 5.4, "caregiver")
    days = journal.read_journal(person, days=3, now=NOW).days
    assert [x.item for d in days for x in d.entries] == ["Sativex"]


@pytest.mark.parametrize(
    ("kind", "fields", "message"),
    [
        ("dose", {"product": "calm", "amount": "2 sprays", "at": "2026-11-20 09:00"}, "not measured in sprays"),
        ("rating", {"scale": "spasticity", "value": 12, "at": "2026-11-20 09:00"}, "outside the scale"),
        ("note", {"text": "", "at": "2026-11-20 09:00"}, "cannot be empty"),
    ],
)
def test_a_bad_edit_is_refused_and_nothing_changes(person, kind, fields, message):
    journal.record_dose(person, product="calm", amount="5 drops", at="2026-11-20 09:00", now=NOW)
    journal.record_rating(person, scale="spasticity", value=5, at="2026-11-20 09:00", now=NOW)
    journal.record_note(person, text="first", at="2026-11-20 09:00", now=NOW)
    before = snapshot(person)
    with pytest.raises(DosewiseError) as err:
        journal.update_entry(person, entry_kind=kind, entry_id=1, now=NOW, **fields)
    assert message in err.value.message
    assert snapshot(person) == before


def test_editing_a_deleted_or_missing_entry_is_refused(person):
    e = journal.record_note(person, text="gone", now=NOW).entry
    journal.delete_entry(person, kind="note", entry_id=e.id, now=NOW)
    with pytest.raises(DosewiseError, match="to edit"):
        journal.update_entry(person, entry_kind="note", entry_id=e.id, text="back?", at="2026-11-21 10:00", now=NOW)
    with pytest.raises(DosewiseError, match="to edit"):
        journal.update_entry(person, entry_kind="rating", entry_id=999, scale="pain", value=3, now=NOW)


def test_editing_a_measurement_changes_what_was_measured_and_its_value(person):
    """A measurement's own field is called ``kind``: editing one once crashed with a TypeError."""
    e = journal.record_measurement(person, kind="weight", value=64, at="2026-11-20 09:00", now=NOW).entry
    out = journal.update_entry(
        person, entry_kind="measurement", entry_id=e.id, kind="pulse", value=72, at="2026-11-20 09:00", now=NOW
    )
    assert (out.entry.id, out.entry.item, out.entry.value, out.entry.unit) == (e.id, "heart_rate", 72.0, "beats/min")
