"""Inputs that used to crash (500, traceback) are a clear 4xx or one-line CLI error, and change nothing.

Each case runs on SQLite and PostgreSQL through the web app, the JSON API, the CLI, the CSV import or a
restore, as a person (or a broken client) would send it.
"""

from __future__ import annotations

import json
import re
import warnings
from pathlib import Path

import pytest

from dosewise.services import backup, journal, plans
from dosewise.store.db import Database
from tests.helpers import snapshot

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

HUGE = "9" * 30  # far beyond 64 bits
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def _client() -> TestClient:
    from dosewise.web.app import create_app

    return TestClient(create_app(), base_url="http://127.0.0.1", follow_redirects=False, raise_server_exceptions=False)


def _token(client: TestClient) -> str:
    found = TOKEN.search(client.get("/today").text)
    assert found
    return found.group(1)


@pytest.fixture
def web(person: Database) -> TestClient:
    journal.record_note(person, text="first note")
    return _client()


@pytest.mark.parametrize(
    "path",
    [
        "/journal?days=%C2%B2",  # superscript two: str.isdigit() says yes, int() says no
        "/journal?days=%D9%A3",  # Arabic-Indic three
        f"/journal?days={HUGE}",
        f"/journal?deleted=note:{HUGE}",
        "/api/v1/journal?days=%C2%B2",
    ],
)
def test_odd_digits_and_huge_numbers_in_the_address_are_a_clear_400(web, person, path):
    before = snapshot(person)
    r = web.get(path)
    assert r.status_code == 400, r.text
    assert "whole number" in r.text
    assert snapshot(person) == before


@pytest.mark.parametrize("method,path", [("get", "/journal/note/{}/edit"), ("post", "/journal/note/{}/delete")])
def test_an_id_beyond_64_bits_is_not_found_not_a_crash(web, person, method, path):
    before = snapshot(person)
    url = path.format(HUGE)
    r = web.get(url) if method == "get" else web.post(url, data={"csrf_token": _token(web)})
    assert r.status_code == 404, r.text
    assert "No note entry number" in r.text
    api = web.get("/api/v1" + url) if method == "get" else web.post("/api/v1" + url, json={})
    assert api.status_code == 404 and "error" in api.json()
    assert snapshot(person) == before


def test_an_id_beyond_64_bits_in_a_json_body_is_refused(web, person):
    before = snapshot(person)
    r = web.post("/api/v1/today/side-effect", json={"effect": "drowsiness", "entry_id": HUGE})
    assert r.status_code == 400 and "whole number" in r.json()["error"]
    assert snapshot(person) == before


def test_the_cli_with_a_huge_id_is_one_line(cli, person):
    before = snapshot(person)
    r = cli("delete", "note", HUGE)
    assert r.code == 1 and "No note entry number" in r.err and "Traceback" not in r.output
    assert snapshot(person) == before


@pytest.mark.parametrize("depth", [50_000, 200])
def test_deeply_nested_json_in_a_request_body_is_a_clear_400(web, person, depth):
    before = snapshot(person)
    body = b'{"text": ' + b"[" * depth + b"]" * depth + b"}"
    r = web.post("/api/v1/journal/note", content=body, headers={"content-type": "application/json"})
    assert r.status_code == 400 and "nested too deeply" in r.json()["error"]
    assert snapshot(person) == before


def test_deeply_nested_json_in_a_backup_is_refused(cli, person, tmp_path: Path):
    before = snapshot(person)
    path = tmp_path / "deep.json"
    path.write_bytes(b'{"format": "dosewise-backup", "tables": ' + b"[" * 100_000 + b"]" * 100_000 + b"}")
    r = cli("restore", str(path), "--replace")
    assert r.code == 1 and "nested too deeply" in r.err and "Traceback" not in r.output
    assert snapshot(person) == before


def test_a_csv_cell_beyond_the_csv_field_limit_is_one_clear_error(cli, person, tmp_path: Path):
    before = snapshot(person)
    path = tmp_path / "big.csv"
    path.write_text('time,kind,item,value,unit,note\n2026-11-20T10:00:00+00:00,note,,,,"' + "x" * 200_000 + '"\n')
    r = cli("import", str(path))
    assert r.code == 1 and "line 2 cannot be read" in r.err and "Traceback" not in r.output
    assert snapshot(person) == before


def test_editing_a_missing_entry_through_the_form_is_a_404_page(web, person):
    before = snapshot(person)
    r = web.post("/journal/note/999/edit", data={"text": "changed", "csrf_token": _token(web)})
    assert r.status_code == 404
    assert "No note entry number 999" in r.text and "<html" in r.text
    assert snapshot(person) == before


@pytest.mark.parametrize("name", ["Calm\nCBD", "Calm\rCBD", "Calm\u2028CBD", "Calm\tCBD"])
def test_a_product_name_with_a_line_break_is_refused(web, person, cli, name):
    before = snapshot(person)
    r = web.post("/api/v1/products", json={"name": name, "form": "oil", "cbd_mg": "10", "thc_mg": "0", "per": "ml"})
    assert r.status_code == 400 and "one line" in r.json()["error"]
    assert cli("product", "add", name, "--form", "oil", "--cbd", "10", "--thc", "0", "--per", "ml").code == 1
    assert snapshot(person) == before


def test_the_calendar_of_a_plan_whose_product_name_has_a_line_break_still_exports(person):
    from dosewise.reports.calendar import plan_to_ics
    from dosewise.store.tables import ProductRow

    plans.new_plan(person, product="Calm CBD oil 1000", protocol="routine")
    with person.for_everyone().transaction() as session:  # a name saved before line breaks were refused
        session.query(ProductRow).filter_by(name="Calm CBD oil 1000").one().name = "Calm\r\nCBD"
    ics = plan_to_ics(plans.show_plan(person), timezone="UTC").decode()
    assert "Calm  CBD" in ics and "BEGIN:VEVENT" in ics


@pytest.mark.parametrize(
    "send",
    [
        lambda c: c.post("/api/v1/journal/note", json={"text": "a\x00b"}),
        lambda c: c.post("/journal/note", data={"text": "a\x00b", "csrf_token": _token(c)}),
        lambda c: c.post("/api/v1/products", json={"name": "Oil\x00", "form": "oil", "cbd_mg": "1", "per": "ml"}),
    ],
)
def test_a_nul_byte_is_refused_at_the_boundary_on_both_databases(web, person, send):
    before = snapshot(person)
    r = send(web)
    assert r.status_code == 400 and "NUL character" in r.text
    assert snapshot(person) == before


def test_a_nul_byte_in_a_csv_line_is_refused_with_its_line(cli, person, tmp_path: Path):
    before = snapshot(person)
    path = tmp_path / "nul.csv"
    path.write_bytes(b"time,kind,item,value,unit,note\n2026-11-20T10:00:00+00:00,note,,,,a\x00b\n")
    r = cli("import", str(path))
    assert r.code == 1 and "Line 2" in r.err and "NUL" in r.err
    assert snapshot(person) == before


@pytest.mark.parametrize("column,value", [("text", "a\x00b"), ("id", 2**40)])
def test_a_backup_with_a_nul_byte_or_huge_id_is_refused_the_same_on_both(person, column, value):
    journal.record_note(person, text="in the backup")
    doc = backup.backup_document(person)
    journal.record_note(person, text="after the backup")
    before = snapshot(person)
    doc["tables"]["note"][0][column] = value
    doc["checksum"] = backup.checksum_of(doc["tables"])
    with pytest.raises(backup.BackupRejected, match="NUL|outside"):
        backup.restore_bytes(person, json.dumps(doc).encode(), replace=True)
    assert snapshot(person) == before
