"""Importing the same journal CSV twice must not count doses twice; many identical problems read as one."""

import pytest

from dosewise.errors import ImportRejected
from dosewise.services import csv_io, journal
from tests.conftest import NOW
from tests.helpers import snapshot


def test_importing_the_same_file_again_is_refused_and_changes_nothing(person):
    journal.record_dose(person, product="calm", amount="5 drops", at="2026-11-19 08:00", now=NOW)
    journal.record_rating(person, scale="spasticity", value=6, at="2026-11-20 21:05", now=NOW)
    text = csv_io.export_csv(person).encode()
    before = snapshot(person)
    with pytest.raises(ImportRejected) as err:
        csv_io.import_csv(person, text, now=NOW)
    assert "Lines 2, 3: this entry is already in the journal" in err.value.message
    assert "count it twice" in err.value.message
    assert snapshot(person) == before


def test_a_deleted_entry_can_be_imported_again(person):
    logged = journal.record_dose(person, product="calm", amount="5 drops", at="2026-11-19 08:00", now=NOW)
    text = csv_io.export_csv(person).encode()
    journal.delete_entry(person, kind="dose", entry_id=logged.entry.id)
    assert csv_io.import_csv(person, text, now=NOW).imported == 1


def test_the_same_mistake_on_many_lines_is_summarised_once(person):
    lines = "".join(f"2026-11-{d:02d} 08:00,dose,Nothing like this,5,drop,\n" for d in range(1, 11))
    with pytest.raises(ImportRejected) as err:
        csv_io.import_csv(person, ("time,kind,item,value,unit,note\n" + lines).encode(), now=NOW)
    assert err.value.message.count("No product called") == 1
    assert "Lines 2, 3, 4, 5, 6 and 5 more: No product called 'Nothing like this'" in err.value.message
    assert len(err.value.problems) == 10


def test_a_header_only_file_says_nothing_was_imported(cli, person, tmp_path):
    path = tmp_path / "empty.csv"
    path.write_text("time,kind,item,value,unit,note\n", encoding="utf-8")
    result = cli("import", str(path))
    assert result.code == 0
    assert "no entries: nothing was imported" in result.out
