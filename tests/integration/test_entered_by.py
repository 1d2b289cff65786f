"""Journal entries say who entered them: the account (its role is the truth), the command line or this
computer; shown in plain words in the journal (CLI and JSON), kept by CSV export/import and backup/restore,
and named as the FHIR Observation's performer. SQLite and PostgreSQL."""

from __future__ import annotations

import json

from fhir.resources.R4B import get_fhir_model_class
from sqlalchemy import select

from dosewise.reports.fhir import build_bundle
from dosewise.services import backup, csv_io, journal, people
from dosewise.services.fhir_source import fhir_source
from dosewise.store.db import Database
from dosewise.store.tables import NoteRow, RatingRow
from tests.conftest import NOW

CARER, DOC = "maria@example.org", "dr.silva@clinic.org"


def _ana(db: Database) -> Database:
    people.set_person(db, name="Ana", conditions=["ms-spasticity"], timezone="UTC")
    return db.for_person(people.get_person(db).id)


def _entries(db: Database) -> list[tuple[str, str, str | None, str]]:
    found = journal.read_journal(db, days=3, now=NOW).days
    return sorted(
        (e.note or e.item, e.entered_by, e.entered_by_account, e.entered_by_words) for d in found for e in d.entries
    )


def test_the_signed_in_accounts_role_is_the_truth_whatever_the_form_says(db):
    ana = _ana(db)
    carer = ana.acting_as("caregiver", CARER)
    journal.record_rating(carer, scale="spasticity", value=6, entered_by="person", now=NOW)  # the form said "me"
    journal.record_note(ana.acting_as("clinician", DOC), text="Review in 4 weeks", now=NOW)
    journal.record_note(ana.acting_as(None, "this computer"), text="by the browser", entered_by="caregiver", now=NOW)
    assert _entries(ana) == [
        ("Review in 4 weeks", "clinician", DOC, f"entered by {DOC} (clinician)"),
        ("by the browser", "caregiver", "this computer", "entered on this computer (caregiver)"),
        ("spasticity", "caregiver", CARER, f"entered by {CARER} (caregiver)"),
    ]


def test_the_command_line_says_so_and_an_edit_keeps_who_entered_it(db, cli):
    _ana(db)
    assert cli("log", "note", "slept badly", "--by", "caregiver").code == 0
    entry = json.loads(cli("journal", "--json").out)["days"][0]["entries"][0]
    assert entry["entered_by_account"] == "command line"
    assert entry["entered_by_words"] == "entered on the command line (caregiver)"
    shown = cli("journal").out
    assert "Entered by" in shown and "caregiver" in shown and "(command" in shown
    journal.update_entry(db.acting_as("caregiver", CARER), entry_kind="note", entry_id=entry["id"], text="slept ok")
    with db.for_everyone().read() as s:
        row = s.scalars(select(NoteRow)).one()
    assert (row.text, row.entered_by, row.entered_by_account) == ("slept ok", "caregiver", "command line")


def test_csv_export_and_import_keep_who_entered_each_entry(db):
    ana = _ana(db)
    journal.record_rating(ana.acting_as("caregiver", CARER), scale="pain", value=4, now=NOW)
    journal.record_note(ana.acting_as("clinician", DOC), text="=not a formula", now=NOW)
    journal.record_note(ana, text="before accounts", now=NOW)
    text = csv_io.export_csv(ana)
    assert text.splitlines()[0].endswith(",entered_by,flags,entered_by_account")
    ben = db.for_person(people.add_person(db, name="Ben", conditions=["dystonia"], timezone="UTC").id)
    out = csv_io.import_csv(ben.acting_as("person", "ben@example.org"), text.encode(), now=NOW)
    assert out.imported == 3
    assert [e[1:3] for e in _entries(ben)] == [e[1:3] for e in _entries(ana)]  # not stamped with the importer
    assert ("pain", "caregiver", CARER) in [e[:3] for e in _entries(ben)]


def test_backup_and_restore_keep_who_entered_each_entry(db):
    ana = _ana(db)
    journal.record_rating(ana.acting_as("caregiver", CARER), scale="pain", value=4, now=NOW)
    doc = backup.backup_document(ana, now=NOW)
    backup.restore_document(db, json.loads(json.dumps(doc)), replace=True)
    with db.for_everyone().read() as s:
        assert [(r.entered_by, r.entered_by_account) for r in s.scalars(select(RatingRow))] == [("caregiver", CARER)]


def test_fhir_names_who_entered_each_observation(db):
    ana = _ana(db)
    journal.record_rating(ana.acting_as("caregiver", CARER), scale="pain", value=4, now=NOW)
    journal.record_rating(ana, scale="spasticity", value=6, now=NOW)
    bundle = build_bundle(fhir_source(ana, now=NOW))
    obs = {r["code"]["text"]: r for e in bundle["entry"] if (r := e["resource"])["resourceType"] == "Observation"}
    pain = next(v for k, v in obs.items() if "pain" in k.lower())
    spasticity = next(v for k, v in obs.items() if "spastic" in k.lower())
    assert pain["performer"] == [{"display": f"{CARER} (caregiver)"}]
    assert pain["note"][0]["text"] == f"Entered by {CARER} (caregiver)."
    assert spasticity["performer"][0]["reference"].startswith("urn:uuid:")
    for r in (pain, spasticity):
        get_fhir_model_class("Observation").model_validate(r)
