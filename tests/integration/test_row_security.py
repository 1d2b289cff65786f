"""Row-level security on PostgreSQL: the person scope enforced a second time, by the database (migration 0009).

The app connects as an ordinary role here (``tests.conftest.APP_ROLE``, as it must in production). Every
statement below is sent on the session's raw connection (``session.connection().execute``): no ORM hook, so
the application's own scope (store/scope.py) is not involved and only the database decides what is seen.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Boolean, Date, DateTime, Float, Integer, LargeBinary, String, Table, Text, insert, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.types import JSON

from dosewise.errors import NotFound
from dosewise.services import runtime, today
from dosewise.store import scope
from dosewise.store.db import Database
from dosewise.store.tables import PERSON_OWNED_TABLES, Base, CoaResultRow, NoteRow, PersonRow, PlanEventRow
from tests.conftest import NOW, _reset_caches

pytestmark = pytest.mark.pg

# Every table row-level security guards: the person table, every person-owned table, and the two child tables
# without a person_id (reached through their parent).
GUARDED: list[Table] = [
    t.__table__
    for t in (PersonRow, *PERSON_OWNED_TABLES, CoaResultRow, PlanEventRow)  # type: ignore[misc]
]
# Tables with a person_id that are not one person's rows: the sign-in and consent records (who may open whom),
# read before any person is chosen, and the request tokens (no health data). Anything else must be guarded.
NOT_A_PERSONS = {"account", "access_grant", "audit_event", "request_token"}


def _value(column: Any, ids: dict[str, int], n: int, name: str) -> Any:
    """A valid value for a required column of one test row (foreign keys point at the same person's rows)."""
    for fk in column.foreign_keys:
        return ids[fk.column.table.name]
    kind = column.type
    if isinstance(kind, Boolean):
        return False
    if isinstance(kind, Integer):
        return n
    if isinstance(kind, Float):
        return 1.0
    if isinstance(kind, DateTime) or getattr(kind, "impl", None) is not None and isinstance(kind.impl, DateTime):
        return NOW
    if isinstance(kind, Date):
        return date(2026, 11, 21)
    if isinstance(kind, JSON):
        return {}
    if isinstance(kind, LargeBinary):
        return b""
    if isinstance(kind, String | Text):
        return f"{name}'s row {n}"[: getattr(kind, "length", None) or 100]
    raise AssertionError(f"no test value for {column}")


def _one_row_everywhere(db: Database, name: str) -> dict[str, int]:
    """Give a new person one row in every guarded table (through the explicit everyone door); return the ids."""
    ids: dict[str, int] = {}
    with db.for_everyone().transaction() as session:
        conn = session.connection()
        for table in Base.metadata.sorted_tables:
            if table not in GUARDED:
                continue
            row = {
                c.name: _value(c, ids, len(ids) + 1, name)
                for c in table.columns
                if not c.primary_key and not c.nullable and c.default is None and c.server_default is None
            }
            if table.name == "person":
                row["name"] = name
            ids[table.name] = conn.execute(insert(table).values(row).returning(table.c.id)).scalar_one()
    return ids


def _owner_of(table: Table) -> str:
    """SQL for the person a row of ``table`` belongs to."""
    if table.name == "person":
        return "id"
    if "person_id" in table.columns:
        return "person_id"
    parent, key = ("coa", "coa_id") if table.name == "coa_result" else ("plan", "plan_id")
    return f"(SELECT person_id FROM {parent} WHERE {parent}.id = {table.name}.{key})"


def _owners(db: Database) -> dict[str, set[int]]:
    """Per guarded table, whose rows a transaction of ``db`` sees, asked on the raw connection."""
    with db.read() as session:
        conn = session.connection()
        return {t.name: set(conn.execute(text(f'SELECT {_owner_of(t)} FROM "{t.name}"')).scalars()) for t in GUARDED}


@pytest.fixture
def two(pg_db: Database) -> tuple[Database, dict[str, int], dict[str, int]]:
    """Ana and Ben, each with one row in every guarded table; the app's handle (an ordinary role)."""
    return pg_db, _one_row_everywhere(pg_db, "Ana"), _one_row_everywhere(pg_db, "Ben")


def test_the_app_connects_as_a_role_row_security_holds(pg_db: Database) -> None:
    with pg_db.engine.connect() as conn:
        assert scope.bypassing_role(conn) is None
    assert runtime.row_security_warning(pg_db) is None


def test_every_guarded_table_has_forced_row_security_and_no_other_table_holds_a_persons_rows(pg_db: Database) -> None:
    with pg_db.engine.connect() as conn:
        flags = dict(
            conn.execute(
                text("SELECT relname, relrowsecurity AND relforcerowsecurity FROM pg_class WHERE relkind = 'r'")
            ).all()
        )
    assert {t.name: flags[t.name] for t in GUARDED} == {t.name: True for t in GUARDED}
    with_person = {t.name for t in Base.metadata.sorted_tables if "person_id" in t.columns}
    assert with_person - {t.name for t in GUARDED} == NOT_A_PERSONS  # a new person-owned table must be guarded


def test_a_persons_scope_sees_only_their_rows_in_every_table(two: tuple[Database, dict[str, int], dict[str, int]]):
    db, ana, ben = two
    everyone = _owners(db.for_everyone())
    assert everyone == {t.name: {ana["person"], ben["person"]} for t in GUARDED}  # both are there
    assert _owners(db.for_person(ana["person"])) == {t.name: {ana["person"]} for t in GUARDED}
    assert _owners(db.for_person(ben["person"])) == {t.name: {ben["person"]} for t in GUARDED}


def test_a_persons_scope_cannot_write_another_persons_rows(two: tuple[Database, dict[str, int], dict[str, int]]):
    db, ana, ben = two
    before = _owners(db.for_everyone())
    with db.for_person(ana["person"]).transaction() as session:
        conn = session.connection()
        for table in GUARDED:
            touched = conn.execute(text(f'UPDATE "{table.name}" SET id = id WHERE id = :id'), {"id": ben[table.name]})
            assert touched.rowcount == 0, table.name  # Ben's row is not there to change
            gone = conn.execute(text(f'DELETE FROM "{table.name}" WHERE id = :id'), {"id": ben[table.name]})
            assert gone.rowcount == 0, table.name
        for table in GUARDED:
            if "person_id" not in table.columns:
                continue
            with pytest.raises(DBAPIError, match="row-level security"), conn.begin_nested():
                conn.execute(  # Ana's own row handed to Ben
                    text(f'UPDATE "{table.name}" SET person_id = :ben WHERE id = :id'),
                    {"ben": ben["person"], "id": ana[table.name]},
                )
            with pytest.raises(DBAPIError, match="row-level security"), conn.begin_nested():
                row = {c: v for c, v in _copy_of(conn, table, ana[table.name]).items() if c != "id"}
                conn.execute(insert(table).values({**row, "person_id": ben["person"], **_unique(table)}))
    assert _owners(db.for_everyone()) == before


def _copy_of(conn: Any, table: Table, row_id: int) -> dict[str, Any]:
    return dict(conn.execute(table.select().where(table.c.id == row_id)).mappings().one())


def _unique(table: Table) -> dict[str, Any]:
    """Values that keep a copied row clear of unique indexes, so only the policy can refuse it."""
    return {"key": "another key"} if "key" in table.columns else {}


def test_with_no_scope_the_app_sees_and_writes_no_persons_rows(two: tuple[Database, dict[str, int], dict[str, int]]):
    db, ana, _ben = two
    assert _owners(db.unscoped()) == {t.name: set() for t in GUARDED}
    with db.engine.connect() as conn:  # a bare connection, nothing set: the same
        assert {t.name: conn.execute(text(f'SELECT count(*) FROM "{t.name}"')).scalar() for t in GUARDED} == {
            t.name: 0 for t in GUARDED
        }
    with pytest.raises(DBAPIError, match="row-level security"), db.unscoped().read() as session:
        session.connection().execute(
            text("INSERT INTO note (person_id, text, at, entered_by, created_at) VALUES (:p, 'x', now(), 'p', now())"),
            {"p": ana["person"]},
        )


def _careless_route(db: Database) -> set[str]:
    """A route with a bug: it reads notes and writes no person filter (the kind of query the scope exists for)."""
    with db.read() as session:
        return set(session.scalars(select(NoteRow.text)))


def test_a_route_that_forgets_the_scope_still_cannot_read_another_persons_rows(
    two: tuple[Database, dict[str, int], dict[str, int]], pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    db, ana, ben = two
    mine, theirs = _careless_route(db.for_everyone()), set()
    assert len(mine) == 2  # one note each
    monkeypatch.setattr(scope, "_criteria", lambda person_id: [])  # the first wall gone: no filter is added
    owner = Database(pg_url, auto_migrate=False)  # the tables' owner, a superuser: policies do not hold it
    try:
        theirs = _careless_route(owner.for_person(ana["person"]))
    finally:
        owner.dispose()
    assert theirs == mine  # the control: without either wall, Ana's page would list Ben's note too
    seen = _careless_route(db.for_person(ana["person"]))  # the app's ordinary role: the database still filters
    assert len(seen) == 1 and seen < mine
    with db.for_person(ana["person"]).read() as session:
        assert session.get(NoteRow, ben["note"]) is None
        assert session.get(NoteRow, ana["note"]) is not None
    with pytest.raises(NotFound):
        today.get_entry(db.for_person(ana["person"]), kind="note", entry_id=ben["note"])


def test_serve_warns_when_the_role_bypasses_row_security(pg_db: Database, pg_url: str, tmp_path: Path) -> None:
    owner = Database(pg_url, auto_migrate=False)
    try:
        warning = runtime.row_security_warning(owner)
    finally:
        owner.dispose()
    assert warning is not None and "superuser" in warning and "not enforced" in warning
    assert runtime.row_security_warning(pg_db) is None
    lite = Database(f"sqlite:///{tmp_path / 'lite.db'}")
    assert runtime.row_security_warning(lite) is None  # SQLite: nothing to warn about
    lite.dispose()


def test_serve_prints_the_warning_before_it_starts(
    pg_db: Database, pg_url: str, cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn

    monkeypatch.setattr(uvicorn, "run", lambda *a, **kw: None)  # start-up only: no server
    monkeypatch.setenv("DOSEWISE_DATABASE_URL", pg_url)  # the owner, a superuser
    _reset_caches()
    out = cli("serve", "--no-reminders", "--port", "8765")
    assert out.code == 0 and "row-level security is not enforced" in " ".join(out.output.split())
    monkeypatch.setenv("DOSEWISE_DATABASE_URL", pg_db.url)  # the app's ordinary role: no warning
    _reset_caches()
    assert "row-level security" not in cli("serve", "--no-reminders", "--port", "8765").output
