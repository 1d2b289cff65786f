"""CSV export/import: a round trip reproduces the journal; any bad line rejects the whole file."""

import csv
import io
from datetime import timedelta

import pytest

from dosewise.errors import ImportRejected
from dosewise.services import csv_io, journal, medicines, people, products
from tests.conftest import NOW
from tests.helpers import snapshot

HEADER = "time,kind,item,value,unit,note\n"


def _fill(db):
    journal.record_dose(db, product="calm", amount="5 drops", at="2026-11-19 08:00", now=NOW)
    journal.record_dose(
        db, product="Sativex", amount="2 sprays", at="2026-11-20 21:00", entered_by="caregiver", now=NOW
    )
    journal.record_dose(db, product="calm", amount="10 mg CBD", at="2026-11-20 08:00", now=NOW)
    journal.record_rating(db, scale="spasticity", value=6, at="2026-11-20 21:05", now=NOW)
    journal.record_assessment(
        db, scale="alsfrs-r", items=[4, 4, 3, 4, 3, 3, 4, 3, 2, 4, 4, 4], at="2026-11-20 12:00", now=NOW
    )
    journal.record_side_effect(db, effect="drowsiness", severity="mild", at="2026-11-20 22:00", now=NOW)
    journal.record_note(db, text='slept badly, "cold" weather\n<script>x</script>', at="2026-11-20 23:00", now=NOW)
    journal.record_symptom(db, symptom="fall", at="2026-11-20 23:30", now=NOW)
    journal.record_measurement(db, kind="weight", value=63.5, at="2026-11-21 07:00", now=NOW)


def _journal_view(db):
    out = journal.read_journal(db, days=30, now=NOW)
    return [
        (e.kind, e.at, e.item, e.value, e.unit, e.thc_mg, e.cbd_mg, e.note, e.entered_by, e.severity)
        for d in out.days
        for e in d.entries
    ]


def test_export_then_import_into_an_empty_journal_reproduces_it(person, tmp_path, monkeypatch):
    _fill(person)
    text = csv_io.export_csv(person)
    original = _journal_view(person)

    from dosewise.config import get_settings
    from dosewise.services import runtime

    monkeypatch.setenv("DOSEWISE_DATABASE_URL", f"sqlite:///{tmp_path / 'second.db'}")
    get_settings.cache_clear()
    other = runtime.open_database()
    people.set_person(other, name="Ana", conditions=["ms-spasticity"], timezone="UTC")
    medicines.add_medicine(other, name="baclofen")
    products.add_product(other, name="Calm CBD oil 1000", form="oil", cbd_mg=33.3, thc_mg=0, per="ml")
    products.add_product(other, name="Sativex", form="spray", thc_mg=2.7, cbd_mg=2.5, per="spray")
    result = csv_io.import_csv(other, text.encode(), now=NOW)
    assert result.imported == 9
    assert _journal_view(other) == original
    assert csv_io.export_csv(other) == text


def _good_lines(n):
    start = NOW - timedelta(days=30)
    return "".join(f"{(start + timedelta(hours=i)).isoformat()},rating,spasticity,{i % 11},,\n" for i in range(n))


def test_one_bad_line_among_500_imports_nothing_and_names_the_line(person):
    lines = _good_lines(500).splitlines(keepends=True)
    lines.insert(311, f"{NOW.isoformat()},rating,spasticity,11,,\n")  # file line 313 (header is line 1)
    before = snapshot(person)
    with pytest.raises(ImportRejected) as err:
        csv_io.import_csv(person, (HEADER + "".join(lines)).encode(), now=NOW)
    assert "Nothing was imported" in err.value.message
    assert "Line 313:" in err.value.message and "outside the scale" in err.value.message
    assert snapshot(person) == before


def test_500_good_lines_import(person):
    assert csv_io.import_csv(person, (HEADER + _good_lines(500)).encode(), now=NOW).imported == 500


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"time,kind,item,value\n2026-11-20T10:00:00+00:00,rating,pain,3\n", "missing column(s): unit, note"),
        ("time,kind,item,value,unit,note\n2026-11-20T10:00:00,note,,,,caf\xe9\n".encode("latin-1"), "not UTF-8"),
        (b"time,kind,item,value,unit,note\n2026-11-20T10:00:00+00:00,dose,calm,5,spray,\n", "not measured in sprays"),
        (b"time,kind,item,value,unit,note\n2026-11-20T10:00:00+00:00,dose,Nope,5,drop,\n", "No product called"),
        (b"time,kind,item,value,unit,note\n2099-11-20T10:00:00+00:00,note,,,,hi\n", "future"),
        (b"time,kind,item,value,unit,note\nyesterday,note,,,,hi\n", "cannot read the time"),
        (b"time,kind,item,value,unit,note\n2026-11-20T10:00:00+00:00,dose,Sativex,40,spray,\n", "far above usual"),
        (b"time,kind,item,value,unit,note\n2026-11-20T10:00:00+00:00,mood,,,,\n", "unknown kind 'mood'"),
    ],
)
def test_bad_files_are_rejected_whole_with_a_reason(person, data, message):
    before = snapshot(person)
    with pytest.raises(ImportRejected) as err:
        csv_io.import_csv(person, data, now=NOW)
    assert message in err.value.message
    assert snapshot(person) == before


def test_a_50_mb_file_is_refused_before_reading_it(person):
    data = (HEADER + "x" * (50 * 1024 * 1024)).encode()
    before = snapshot(person)
    with pytest.raises(ImportRejected, match="import limit is 10 MB"):
        csv_io.import_csv(person, data, now=NOW)
    assert snapshot(person) == before


@pytest.mark.parametrize(
    "text",
    [
        '=HYPERLINK("http://x","click")',
        "+1",
        "-2 drops extra",
        "@SUM(A1)",
        "'=already quoted",
        "''=two quotes",
        "'plain quote",
        "\tTAB first",
    ],
)
def test_notes_that_look_like_formulas_cannot_run_in_a_spreadsheet_and_round_trip(person, text):
    journal.record_note(person, text=text, at="2026-11-20 10:00", now=NOW)
    exported = csv_io.export_csv(person)
    note_cell = next(csv.reader(io.StringIO(exported.splitlines()[1] + "\n")))[5]
    assert not note_cell.startswith(("=", "+", "-", "@", "\t"))
    journal.delete_entry(person, kind="note", entry_id=1, now=NOW)
    csv_io.import_csv(person, exported.encode(), now=NOW)
    assert journal.read_journal(person, days=3, now=NOW).days[0].entries[0].note == text
