"""A hand-edited backup that passes its (recomputed) checksum but holds nonsense is refused, nothing changed."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from dosewise.errors import BackupRejected
from dosewise.services import backup, journal, plans
from dosewise.store.db import Database
from tests.helpers import snapshot


@pytest.fixture
def full(person: Database) -> Database:
    journal.record_dose(person, product="Calm CBD oil 1000", amount="5 drops")
    journal.record_rating(person, scale="spasticity", value="6")
    journal.record_note(person, text="a note")
    journal.record_side_effect(person, effect="drowsiness")
    plans.new_plan(person, product="Calm CBD oil 1000", protocol="routine")
    return person


def _first(doc: dict, table: str) -> dict[str, Any]:
    return doc["tables"][table][0]


TAMPER: dict[str, tuple[Callable[[dict], None], str]] = {
    "rating of 40": (lambda d: _first(d, "rating").update(value=40), "outside the scale"),
    "dose of a missing product": (lambda d: _first(d, "dose").update(product_id=999), "product 999"),
    "plan body a string": (lambda d: _first(d, "plan").update(body="take lots"), "not a plan"),
    "plan body without days": (lambda d: _first(d, "plan")["body"].pop("days"), "not a plan Dosewise can read"),
    "plan day above its ceiling": (
        lambda d: _first(d, "plan")["body"]["days"][0].update(thc_mg_per_day=500.0, cbd_mg_per_day=5000.0),
        "above the plan's own daily ceiling",
    ),
    "unknown unit": (lambda d: _first(d, "dose").update(unit="bucket"), "unknown unit"),
    "negative mg": (lambda d: _first(d, "dose").update(thc_mg=-5.0), "not a positive amount"),
    "unknown side effect": (lambda d: _first(d, "side_effect").update(effect="flying"), "flying"),
    "unknown scale": (lambda d: _first(d, "rating").update(scale_id="happiness"), "happiness"),
    "entered by a robot": (lambda d: _first(d, "note").update(entered_by="robot"), "entered_by"),
    "empty note": (lambda d: _first(d, "note").update(text="   "), "note cannot be empty"),
    "weight of 3 kg": (lambda d: _first(d, "person").update(weight_kg=3.0), "Weight"),
    "unknown time zone": (lambda d: _first(d, "person").update(timezone="Mars/Olympus"), "time zone"),
    "row of a missing person": (lambda d: _first(d, "note").update(person_id=77), "person 77"),
    "product form": (lambda d: _first(d, "product").update(form="potion"), "potion"),
}


@pytest.mark.parametrize("case", list(TAMPER))
def test_a_tampered_backup_is_refused_with_what_is_wrong(full, case):
    doc = backup.backup_document(full)
    change, expected = TAMPER[case]
    change(doc)
    doc["checksum"] = backup.checksum_of(doc["tables"])  # the checksum is no protection against a careful edit
    journal.record_note(full, text="written after the backup")
    before = snapshot(full)
    with pytest.raises(BackupRejected) as err:
        backup.restore_bytes(full, json.dumps(doc).encode(), replace=True)
    assert expected in err.value.message, err.value.message
    assert "Nothing was changed" in err.value.message and err.value.problems
    assert snapshot(full) == before


def test_a_tampered_backup_is_one_line_in_the_cli(cli, full, tmp_path):
    doc = backup.backup_document(full)
    _first(doc, "rating")["value"] = 40
    doc["checksum"] = backup.checksum_of(doc["tables"])
    path = tmp_path / "edited.json"
    path.write_text(json.dumps(doc))
    before = snapshot(full)
    r = cli("restore", str(path), "--replace")
    assert r.code == 1 and "Row 1 of table 'rating'" in r.err and "Traceback" not in r.output
    assert snapshot(full) == before


def test_an_honest_backup_still_restores_exactly(full):
    doc = backup.backup_document(full)
    backup.restore_bytes(full, json.dumps(doc).encode(), replace=True)
    assert backup.backup_document(full)["checksum"] == doc["checksum"]


# ------------------------------------------------------------------ CSV duplicates

HEADER = "time,kind,item,value,unit,note\n"
DOSE = "2026-11-20T21:00:00+00:00,dose,Sativex,2,spray,,\n"


def test_the_same_dose_line_twice_in_one_file_is_refused_with_both_line_numbers(cli, person, tmp_path):
    path = tmp_path / "twice.csv"
    path.write_text(HEADER + DOSE + "2026-11-20T21:05:00+00:00,rating,spasticity,6,,\n" + DOSE)
    before = snapshot(person)
    r = cli("import", str(path))
    assert r.code == 1 and "Line 4" in r.err and "same entry as line 2" in r.err
    assert snapshot(person) == before


def test_a_line_identical_to_a_journal_entry_is_refused(cli, person, tmp_path):
    path = tmp_path / "once.csv"
    path.write_text(HEADER + DOSE)
    assert cli("import", str(path)).code == 0
    other = tmp_path / "again.csv"
    other.write_text(HEADER + "2026-11-20T22:00:00+00:00,note,,,,new\n" + DOSE)
    before = snapshot(person)
    r = cli("import", str(other))
    assert r.code == 1 and "Line 3" in r.err and "already in the journal" in r.err
    assert snapshot(person) == before


def test_two_different_doses_at_the_same_time_both_import(cli, person, tmp_path):
    path = tmp_path / "two.csv"
    path.write_text(HEADER + DOSE + "2026-11-20T21:00:00+00:00,dose,Calm CBD oil 1000,5,drop,,\n")
    assert cli("import", str(path)).code == 0
    days = journal.read_journal(person, days=7).days
    assert sum(1 for d in days for e in d.entries if e.kind == "dose") == 2


def test_repeated_lines_import_when_confirmed_with_a_flag(cli, person, tmp_path):
    """--allow-duplicates imports repeated lines knowingly (two doses really taken at the same minute)."""
    path = tmp_path / "twice.csv"
    path.write_text(HEADER + DOSE + DOSE)
    refused = cli("import", str(path))
    assert refused.code == 1 and "confirming that repeated lines are meant" in refused.err
    assert cli("import", str(path), "--allow-duplicates").code == 0
    doses = [e for d in journal.read_journal(person, days=7).days for e in d.entries if e.kind == "dose"]
    assert len(doses) == 2
    again = cli("import", str(path), "--allow-duplicates", "--json")
    assert again.code == 0 and json.loads(again.out)["imported"] == 2
    assert sum(1 for d in journal.read_journal(person, days=7).days for e in d.entries if e.kind == "dose") == 4


def test_the_web_import_form_imports_repeated_lines_only_when_ticked(person):
    from tests.web.conftest import make_client, token

    client = make_client()
    upload = {"file": ("twice.csv", (HEADER + DOSE + DOSE).encode(), "text/csv")}
    before = snapshot(person)
    refused = client.post("/journal/import", data={"csrf_token": token(client, "/journal")}, files=upload)
    assert refused.status_code == 400 and "same entry as line 2" in refused.text
    assert snapshot(person) == before
    page = client.get("/journal").text
    assert 'name="allow_duplicates"' in page and "Import repeated lines too" in page
    ticked = {"csrf_token": token(client, "/journal"), "allow_duplicates": "yes"}
    assert client.post("/journal/import", data=ticked, files=upload).status_code == 303
    assert sum(1 for d in journal.read_journal(person, days=7).days for e in d.entries if e.kind == "dose") == 2


def test_an_import_over_several_chunks_is_all_or_nothing(cli, person, tmp_path, monkeypatch):
    """Lines are checked and inserted a chunk at a time; a bad line in the last chunk still rolls back all."""
    from dosewise.services import csv_io

    monkeypatch.setattr(csv_io, "CHUNK_LINES", 3)
    lines = [f"2026-11-{d:02d}T09:00:00+00:00,rating,spasticity,{d % 10},,\n" for d in range(1, 11)]
    path = tmp_path / "many.csv"
    path.write_text(HEADER + "".join(lines) + "2026-11-11T09:00:00+00:00,rating,spasticity,40,,\n" + lines[0])
    before = snapshot(person)
    r = cli("import", str(path))
    assert r.code == 1 and "Line 12" in r.err and "Line 13" in r.err and "same entry as line 2" in r.err
    assert snapshot(person) == before
    path.write_text(HEADER + "".join(lines))
    assert cli("import", str(path)).code == 0
    ratings = [e for d in journal.read_journal(person, days=30).days for e in d.entries if e.kind == "rating"]
    assert len(ratings) == 10
