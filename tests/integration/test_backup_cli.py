"""The backup, restore and export-tables commands as a person uses them."""

from __future__ import annotations

import csv
from pathlib import Path

from dosewise.services.demo import load_demo
from tests.conftest import NOW


def test_backup_then_restore_into_a_new_database(cli, fresh_db, tmp_path: Path, monkeypatch) -> None:
    load_demo(fresh_db, now=NOW)
    target = tmp_path / "ana-backup.json"
    r = cli("backup", str(target))
    assert r.code == 0, r.output
    assert "Wrote a backup of" in r.out and target.is_file()

    r = cli("restore", str(target))
    assert r.code == 1
    assert "already holds" in r.err and "--replace" in r.err and "Traceback" not in r.output

    from tests.conftest import _reset_caches

    monkeypatch.setenv("DOSEWISE_DATABASE_URL", f"sqlite:///{tmp_path / 'new.db'}")
    _reset_caches()
    r = cli("restore", str(target))
    assert r.code == 0, r.output
    assert "Restored" in r.out and "84 dose" in r.out
    r = cli("journal", "--days", "3")
    assert "Ana (demo)" in r.out


def test_damaged_backup_gives_one_clear_line(cli, fresh_db, tmp_path: Path) -> None:
    load_demo(fresh_db, now=NOW)
    target = tmp_path / "b.json"
    assert cli("backup", str(target)).code == 0
    target.write_bytes(target.read_bytes()[:5000])
    r = cli("restore", "--replace", str(target))
    assert r.code == 1
    assert "damaged or cut short" in r.err and "Nothing was changed" in r.err
    assert "Traceback" not in r.output
    r = cli("restore", str(tmp_path / "missing.json"))
    assert r.code == 1 and "No backup file" in r.err


def test_export_tables_writes_one_csv_per_table(cli, fresh_db, tmp_path: Path) -> None:
    load_demo(fresh_db, now=NOW)
    r = cli("export-tables", str(tmp_path / "tables"))
    assert r.code == 0, r.output
    files = sorted(p.name for p in (tmp_path / "tables").iterdir())
    assert "dose.csv" in files and "person.csv" in files and "alert.csv" in files
    with (tmp_path / "tables" / "dose.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 84
    assert list(rows[0])[:2] == ["id", "person_id"]
    assert float(rows[0]["cbd_mg"]) == 8.325 and rows[0]["at"].endswith("+00:00")
    with (tmp_path / "tables" / "person.csv").open(encoding="utf-8") as fh:
        person = next(csv.DictReader(fh))
    assert person["name"] == "Ana (demo)" and person["is_demo"] == "true"
