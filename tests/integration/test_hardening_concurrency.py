"""64 people (or browser tabs) writing at once: every write is saved, none answers 'database is locked'."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from dosewise.services import journal
from dosewise.store.db import Database

WRITERS = 64
WRITES_EACH = 3


def _write(db: Database, n: int) -> list[str]:
    errors = []
    for i in range(WRITES_EACH):
        try:
            journal.record_note(db, text=f"writer {n} note {i}")
        except Exception as exc:  # noqa: BLE001 - the test counts every kind of failure
            errors.append(f"{type(exc).__name__}: {exc}")
    return errors


def test_64_concurrent_writers_all_succeed_on_both_databases(person: Database):
    with ThreadPoolExecutor(max_workers=WRITERS) as pool:
        results = list(pool.map(lambda n: _write(person, n), range(WRITERS)))
    errors = [e for r in results for e in r]
    assert errors == []
    notes = [e for d in journal.read_journal(person, days=7).days for e in d.entries if e.kind == "note"]
    assert len(notes) == WRITERS * WRITES_EACH
