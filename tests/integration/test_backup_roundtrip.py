"""Backup and restore: a round trip reproduces the database exactly, on SQLite and on PostgreSQL."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import delete

from dosewise.errors import BackupRejected
from dosewise.services import auth, backup, ceilings, coas, journal, plans, trials
from dosewise.services.demo import load_demo
from dosewise.store.db import Database
from dosewise.store.tables import AlertRow, Base, GrantRow, PlanEventRow, ProductRow, ReminderStateRow
from tests.conftest import NOW


def _fill(db: Database) -> None:
    """Add one row of every kind, with awkward text, to the demo person (JSON columns included)."""
    journal.record_assessment(db, scale="alsfrs-r", items=[4, 4, 3, 4, 3, 3, 4, 4, 3, 4, 4, 4], now=NOW)
    journal.record_measurement(db, kind="weight_kg", value=63.5, now=NOW)
    journal.record_symptom(db, symptom="fall", note='tripped on the "step", 2nd time', now=NOW)
    journal.record_note(db, text="Ünïcode ✓ — <script>alert(1)</script>\nsecond line, with, commas", now=NOW)
    coas.attach_coa(
        db,
        product="Calm",
        coa=coas.build_coa(
            lab='Lab "Ü" & Co',
            batch="B-1",
            tested_on=date(2026, 10, 1),
            unit="mg/ml",
            results={"cbd": "30.5", "thc": "ND"},
            loq=0.5,
            panels={"pesticides": "pass"},
        ),
    )
    with db.for_everyone().transaction() as s:
        product_name = s.query(ProductRow.name).order_by(ProductRow.id).first()[0]
    # a real plan and trial (JSON bodies as the app writes them: a restore checks them like new ones)
    plan = plans.new_plan(db, product=product_name, protocol="routine", now=NOW)
    trials.create_trial(db, active=f"{product_name}:5 drops", blocks=2, blinded=True, seed=42, now=NOW)
    with db.for_everyone().transaction() as s:
        s.add(PlanEventRow(plan_id=plan.id, kind="resume", at=NOW, note='Dr "Silva" agreed ✓', entered_by="caregiver"))
        s.add(
            ReminderStateRow(
                person_id=1, day=NOW.date(), key="1121-c", kind="check-in", answer="skipped", answered_at=NOW,
                channel="web", entered_by="caregiver", snoozed_until=NOW, sent_at=NOW, sent_count=2,
            )
        )  # fmt: skip
        s.add(
            AlertRow(
                person_id=1,
                rule_id="fall",
                key="fall:1",
                level="soon",
                message="A fall",
                why="logged",
                refs=["x"],
                first_seen=NOW - timedelta(days=1),
                last_seen=NOW,
            )
        )
    # the daily ceiling a clinician set (with its note): restored with who set it, when
    ceilings.set_ceiling(db, cbd_mg="30", note='Dr "Silva" ✓', actor="doc@example.org", role="clinician", now=NOW)
    # an account (its creation is an audit event) and a grant: accounts and consent are backed up too
    carer = auth.add_account(db, email="carer@example.org", role="caregiver", password="a long passphrase 1")
    with db.for_everyone().transaction() as s:
        s.add(GrantRow(person_id=1, account_id=carer.id, role="caregiver", version=1, granted_by="command line"))


def _empty(db: Database) -> None:
    with db.for_everyone().transaction() as s:
        for table in reversed(Base.metadata.sorted_tables):
            s.execute(delete(table))


@pytest.fixture
def filled(db: Database) -> Database:
    load_demo(db, now=NOW)
    _fill(db)
    return db


def test_round_trip_reproduces_every_table_exactly(filled: Database) -> None:
    before = backup.backup_document(filled, now=NOW)
    assert all(before["counts"][t] > 0 for t in before["counts"]), before["counts"]
    _empty(filled)
    out = backup.restore_document(filled, json.loads(json.dumps(before)))
    assert out.restored == before["counts"]
    after = backup.backup_document(filled, now=NOW)
    assert after["tables"] == before["tables"]
    assert after["checksum"] == before["checksum"]


def test_new_entries_after_restore_get_fresh_ids(filled: Database) -> None:
    doc = backup.backup_document(filled, now=NOW)
    _empty(filled)
    backup.restore_document(filled, doc)
    top = max(r["id"] for r in doc["tables"]["note"])
    logged = journal.record_note(filled, text="after restore", now=NOW)
    assert logged.entry.id > top


def test_restore_into_non_empty_database_refuses_without_replace(filled: Database) -> None:
    doc = backup.backup_document(filled, now=NOW)
    journal.record_note(filled, text="written after the backup", now=NOW)
    with pytest.raises(BackupRejected, match="--replace"):
        backup.restore_document(filled, doc)
    notes = [r["text"] for r in backup.backup_document(filled)["tables"]["note"]]
    assert "written after the backup" in notes
    out = backup.restore_document(filled, doc, replace=True)
    assert out.replaced
    assert backup.backup_document(filled, now=NOW)["tables"] == doc["tables"]


def _unchanged(db: Database, before: dict) -> bool:
    return backup.backup_document(db, now=NOW)["tables"] == before["tables"]


def test_truncated_backup_is_rejected_and_nothing_changes(filled: Database) -> None:
    doc = backup.backup_document(filled, now=NOW)
    data = json.dumps(doc).encode()
    for cut in (len(data) // 2, len(data) - 2):
        with pytest.raises(BackupRejected, match="damaged or cut short"):
            backup.restore_bytes(filled, data[:cut], replace=True)
    assert _unchanged(filled, doc)


def test_edited_backup_fails_its_checksum_and_nothing_changes(filled: Database) -> None:
    doc = backup.backup_document(filled, now=NOW)
    tampered = json.loads(json.dumps(doc))
    tampered["tables"]["dose"][0]["cbd_mg"] = 999.0
    with pytest.raises(BackupRejected, match="checksum does not match"):
        backup.restore_document(filled, tampered, replace=True)
    assert _unchanged(filled, doc)


def test_rows_that_do_not_fit_roll_back_the_whole_restore(filled: Database) -> None:
    doc = backup.backup_document(filled, now=NOW)
    bad = json.loads(json.dumps(doc))
    bad["tables"]["dose"][-1]["product_id"] = 9999  # no such product: fails after earlier tables were written
    bad["checksum"] = backup.checksum_of(bad["tables"])
    with pytest.raises(BackupRejected, match="do not fit together|which is not in the backup"):
        backup.restore_document(filled, bad, replace=True)
    assert _unchanged(filled, doc)


def test_wrong_types_and_versions_are_named(filled: Database) -> None:
    doc = backup.backup_document(filled, now=NOW)
    bad = json.loads(json.dumps(doc))
    bad["tables"]["rating"][0]["at"] = "yesterday"
    bad["checksum"] = backup.checksum_of(bad["tables"])
    with pytest.raises(BackupRejected, match="table 'rating': 'at'"):
        backup.restore_document(filled, bad, replace=True)
    newer = dict(doc, version=99)
    with pytest.raises(BackupRejected, match="version 99"):
        backup.restore_document(filled, newer, replace=True)
    with pytest.raises(BackupRejected, match="not a Dosewise backup"):
        backup.restore_bytes(filled, b'{"hello": 1}')
    assert _unchanged(filled, doc)


@pytest.mark.pg
def test_sqlite_backup_restores_into_postgresql_and_back(tmp_path: Path, pg_db: Database) -> None:
    lite = Database(f"sqlite:///{tmp_path / 'source.db'}")
    load_demo(lite, now=NOW)
    _fill(lite)
    doc = backup.backup_document(lite, now=NOW)
    backup.restore_document(pg_db, doc)
    from_pg = backup.backup_document(pg_db, now=NOW)
    assert from_pg["tables"] == doc["tables"]
    lite2 = Database(f"sqlite:///{tmp_path / 'again.db'}")
    backup.restore_document(lite2, from_pg)
    assert backup.backup_document(lite2, now=NOW)["tables"] == doc["tables"]
    lite.dispose()
    lite2.dispose()
