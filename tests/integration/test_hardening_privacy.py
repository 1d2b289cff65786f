"""Health data stays private: file modes, exports, caches, headers, the Host check, sessions and CSRF."""

from __future__ import annotations

import csv
import os
import re
import stat
import warnings
from datetime import timedelta
from pathlib import Path

import pytest

from dosewise import clock
from dosewise.config import get_settings
from dosewise.services import journal, runtime
from tests.conftest import _reset_caches
from tests.helpers import snapshot

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _client(**kw) -> TestClient:
    from dosewise.web.app import create_app

    return TestClient(create_app(), base_url="http://127.0.0.1", follow_redirects=False, **kw)


def _token(client: TestClient) -> str:
    found = TOKEN.search(client.get("/today").text)
    assert found
    return found.group(1)


# ------------------------------------------------------------------ files


def test_the_default_database_its_wal_and_shm_and_the_data_folder_are_owner_only(cli):
    old = os.umask(0o022)  # a usual desktop umask: files would be 0644 and folders 0755
    try:
        assert cli("person", "set", "--name", "Ana", "--condition", "ms-spasticity").code == 0
        assert cli("log", "note", "private").code == 0
        data = get_settings().data_dir
        files = {p.name: _mode(p) for p in data.iterdir()}
    finally:
        os.umask(old)
    assert _mode(data) == 0o700
    assert files["dosewise.db"] == 0o600
    assert files.get("dosewise.db-wal", 0o600) == 0o600 and files.get("dosewise.db-shm", 0o600) == 0o600
    assert "dosewise.db-wal" in files  # WAL mode: the journal really has these files


def test_an_older_install_with_readable_files_is_narrowed(tmp_path, monkeypatch):
    data = tmp_path / "old"
    data.mkdir(mode=0o755)
    db_file = data / "dosewise.db"
    db_file.touch(mode=0o644)
    db_file.chmod(0o644)
    monkeypatch.setenv("DOSEWISE_DATA_DIR", str(data))
    _reset_caches()
    runtime.open_database()
    assert _mode(data) == 0o700 and _mode(db_file) == 0o600


def test_the_secret_key_is_never_created_readable(monkeypatch, tmp_path):
    from dosewise.web import security

    seen: list[int] = []
    real_open = os.open

    def spy(path, flags, mode=0o777, *a, **kw):  # noqa: ANN001 - os.open's signature
        if security.SECRET_FILE in str(path) and flags & os.O_CREAT:  # the file or its temporary
            seen.append(mode)
        return real_open(path, flags, mode, *a, **kw)

    monkeypatch.setattr(os, "open", spy)
    old = os.umask(0)  # even with no umask at all
    try:
        secret = security.app_secret(get_settings())
    finally:
        os.umask(old)
    path = get_settings().data_dir / security.SECRET_FILE
    assert seen == [0o600] and _mode(path) == 0o600 and len(secret) >= 32
    assert security.app_secret(get_settings()) == secret  # kept, not replaced


def test_processes_starting_together_read_one_whole_secret(tmp_path, monkeypatch):
    """Two servers (or a server and a CLI) starting at the same moment never read an empty secret file."""
    from concurrent.futures import ThreadPoolExecutor

    from dosewise.config import Settings
    from dosewise.web import security

    for round_ in range(20):
        settings = Settings(data_dir=tmp_path / f"data{round_}")
        with ThreadPoolExecutor(max_workers=8) as pool:
            secrets_seen = list(pool.map(security.app_secret, [settings] * 8))
        assert len(set(secrets_seen)) == 1 and len(secrets_seen[0]) >= 32
        assert sorted(p.name for p in settings.data_dir.iterdir()) == [security.SECRET_FILE]  # no temporaries left


def test_backups_and_exports_are_owner_only_and_leftover_temporaries_are_removed(cli, person, tmp_path):
    journal.record_note(person, text="secret note")
    out = tmp_path / "out"
    out.mkdir()
    stale = out / ".dosewise-backup-abc123.tmp"  # left by an interrupted backup of an older version
    stale.write_text("half a backup")
    dead = out / ".dosewise-999999999-0a0b.tmp"  # left by a process that died
    dead.write_text("half")
    old = os.umask(0o022)
    try:
        assert cli("backup", str(out / "b.json")).code == 0
        assert cli("export", "--csv", str(out / "j.csv")).code == 0
        assert cli("export-tables", str(out / "tables")).code == 0
    finally:
        os.umask(old)
    assert not stale.exists() and not dead.exists()
    assert _mode(out / "b.json") == 0o600 and _mode(out / "j.csv") == 0o600
    assert _mode(out / "tables") == 0o700 and all(_mode(p) == 0o600 for p in (out / "tables").iterdir())
    assert [p.name for p in out.iterdir() if p.name.endswith(".tmp")] == []


def test_export_tables_protects_formulas_and_leaves_deleted_entries_out(cli, person, tmp_path):
    journal.record_note(person, text='=HYPERLINK("http://evil","click")')
    gone = journal.record_note(person, text="deleted secret")
    journal.delete_entry(person, kind="note", entry_id=gone.entry.id)
    assert cli("export-tables", str(tmp_path / "t")).code == 0
    rows = list(csv.DictReader((tmp_path / "t" / "note.csv").open(encoding="utf-8")))
    texts = [r["text"] for r in rows]
    assert texts == ['\'=HYPERLINK("http://evil","click")']


# ------------------------------------------------------------------ HTTP


def test_json_csv_and_pdf_answers_are_not_cached(person):
    c = _client()
    for path in ("/api/v1/today", "/journal.csv", "/today", "/api/v1/journal"):
        r = c.get(path)
        assert r.status_code == 200 and r.headers["cache-control"] == "no-store", path
    assert "no-store" not in c.get("/static/app.css").headers.get("cache-control", "")


def test_pdf_report_is_not_cached(person):
    c = _client()
    r = c.get("/report.pdf")
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    assert r.headers["cache-control"] == "no-store"


@pytest.mark.parametrize(
    "send",
    [
        lambda c: c.get("/no-such-page"),
        lambda c: c.post("/journal/note", data={"text": "x"}),  # 403
        lambda c: c.get("/journal?days=x"),  # 400
        lambda c: c.get("/today", headers={"host": "evil.example"}),  # 400 from the Host check
        lambda c: c.post("/api/v1/journal/note", content=b"x" * (2 * 1024 * 1024)),  # 413
        lambda c: c.get("/__boom"),  # 500
    ],
)
def test_every_response_carries_the_security_headers(person, send):
    from dosewise.web.app import create_app

    app = create_app()

    @app.get("/__boom")
    def boom() -> None:
        raise RuntimeError("a bug")

    c = TestClient(app, base_url="http://127.0.0.1", follow_redirects=False, raise_server_exceptions=False)
    r = send(c)
    assert r.status_code >= 400
    assert "frame-ancestors 'none'" in r.headers["content-security-policy"]
    assert r.headers["x-content-type-options"] == "nosniff" and r.headers["cache-control"] == "no-store"
    assert "Traceback" not in r.text and "a bug" not in r.text


@pytest.mark.parametrize("bind", ["127.0.0.1", "0.0.0.0"])
def test_a_forged_host_header_is_refused_whatever_the_binding(person, monkeypatch, bind):
    monkeypatch.setenv("DOSEWISE_HOST", bind)
    get_settings.cache_clear()
    c = _client()
    assert c.get("/today", headers={"host": "attacker.example"}).status_code == 400
    assert c.get("/today", headers={"host": "attacker.example:8000"}).status_code == 400
    assert c.get("/today", headers={"host": "localhost:8000"}).status_code == 200


def test_a_request_body_over_the_limit_is_refused_and_changes_nothing(person):
    c = _client()
    before = snapshot(person)
    r = c.post("/api/v1/journal/note", json={"text": "x" * (2 * 1024 * 1024)})
    assert r.status_code == 413 and "too large" in r.text
    assert snapshot(person) == before


def test_a_streamed_body_without_length_over_the_limit_is_refused(person):
    c = _client()
    before = snapshot(person)

    def chunks():
        for _ in range(40):
            yield b"x" * 65536

    r = c.post("/api/v1/journal/note", content=chunks(), headers={"content-type": "application/json"})
    assert r.status_code == 413 and "too large" in r.json()["error"]
    assert snapshot(person) == before


# ------------------------------------------------------------------ sessions and CSRF


def test_a_form_token_expires(person):
    c = _client()
    t = _token(c)
    before = snapshot(person)
    clock.advance(timedelta(hours=13))
    r = c.post("/journal/note", data={"text": "late", "csrf_token": t})
    assert r.status_code == 403 and "expired" in r.text
    assert snapshot(person) == before
    assert c.post("/journal/note", data={"text": "fresh", "csrf_token": _token(c)}).status_code == 303


def test_a_session_cookie_the_client_made_up_is_replaced_and_gets_no_valid_token(person):
    c = _client()
    c.cookies.set("dosewise_session", "attacker-chosen")
    r = c.get("/today")
    assert "attacker-chosen" not in r.headers.get("set-cookie", "") and "dosewise_session=" in r.headers["set-cookie"]
    # a token minted for the made-up value cannot exist; a token from another browser is refused
    other = _client()
    stolen = _token(other)
    before = snapshot(person)
    assert c.post("/journal/note", data={"text": "x", "csrf_token": stolen}).status_code == 403
    assert snapshot(person) == before


def test_the_session_cookie_is_http_only_and_same_site(person):
    cookie = _client().get("/today").headers["set-cookie"]
    assert "dosewise_session=" in cookie and "HttpOnly" in cookie and "samesite=lax" in cookie.lower()


def test_the_openapi_document_describes_the_refusals_of_every_write(person):
    c = _client()
    schema = c.get("/openapi.json").json()
    posts = {path: item["post"] for path, item in schema["paths"].items() if "post" in item}
    assert posts
    for path, post in posts.items():
        assert {"400", "403", "413"} <= set(post["responses"]), path
    r = c.post("/journal/note", data={"text": "x"})  # what the document says: a form without a token is a 403
    assert r.status_code == 403
