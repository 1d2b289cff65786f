"""`dosewise journal --json` and the CSV export are written as they are read (memory flat), same output as before."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from dosewise.cli.output import print_json
from dosewise.services import csv_io, journal
from dosewise.store import journal_queries
from dosewise.store.db import Database
from tests.conftest import NOW


def _fill(db: Database) -> None:
    for i in range(30):
        at = NOW - timedelta(hours=7 * i + 1)
        journal.record_dose(db, product="Sativex", amount="1 spray", at=at, now=NOW)
        journal.record_rating(db, scale="spasticity", value=i % 11, at=at, now=NOW)
        if i % 4 == 0:
            journal.record_note(db, text=f'Nœte [{i}] = "quoted"\nline two', at=at, now=NOW)


def test_journal_json_streams_exactly_what_print_json_printed(person, cli, capsys: pytest.CaptureFixture[str]):
    _fill(person)
    streamed = cli("journal", "--json", "--days", "30")
    assert streamed.code == 0
    capsys.readouterr()
    print_json(journal.read_journal(person, days=30))
    assert streamed.out == capsys.readouterr().out
    days = json.loads(streamed.out)["days"]
    assert len(days) >= 9 and sum(len(d["entries"]) for d in days) == 68


def test_an_empty_journal_streams_an_empty_list(person, cli):
    out = cli("journal", "--json")
    assert out.code == 0 and json.loads(out.out) == {"person": "Ana", "is_demo": False, "days": []}


def test_rows_are_fetched_in_batches_not_all_at_once(person, cli, monkeypatch: pytest.MonkeyPatch):
    """With batches of 2 rows, the journal and the CSV still come out whole and in order."""
    _fill(person)
    whole = cli("journal", "--json", "--days", "30").out
    csv_text = csv_io.export_csv(person)
    monkeypatch.setattr(journal_queries, "STREAM_BATCH", 2)
    assert cli("journal", "--json", "--days", "30").out == whole
    assert csv_io.export_csv(person) == csv_text
    times = [line.split(",")[0] for line in csv_text.splitlines()[1:] if line[:4].isdigit()]
    assert times == sorted(times)


def test_the_csv_export_command_writes_every_entry(person, cli, tmp_path):
    _fill(person)
    path = tmp_path / "journal.csv"
    r = cli("export", "--csv", str(path))
    assert r.code == 0 and "Wrote 68 entries" in r.out
    assert path.read_text(encoding="utf-8") == csv_io.export_csv(person)
    assert path.stat().st_mode & 0o777 == 0o600
