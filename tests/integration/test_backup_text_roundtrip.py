"""Any text a person can type survives backup and restore byte for byte (property test, SQLite)."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dosewise.services import backup, journal
from tests.conftest import NOW

# Notes as the journal accepts them: any printable Unicode (no NUL, which PostgreSQL cannot store), 1-4000 chars.
note_text = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), min_size=1, max_size=300
).filter(lambda t: t.strip())


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=note_text)
def test_note_text_round_trips_exactly(fresh_db, text: str) -> None:
    from dosewise.services import people

    if not backup.backup_document(fresh_db)["tables"]["person"]:
        people.set_person(fresh_db, name="Ana", conditions=["ms-spasticity"], timezone="UTC")
    journal.record_note(fresh_db, text=text, now=NOW)
    doc = json.loads(json.dumps(backup.backup_document(fresh_db, now=NOW), ensure_ascii=False))
    backup.restore_document(fresh_db, doc, replace=True)
    notes = [n["text"] for n in backup.backup_document(fresh_db)["tables"]["note"]]
    assert notes[-1] == text
    assert backup.backup_document(fresh_db, now=NOW)["checksum"] == doc["checksum"]
