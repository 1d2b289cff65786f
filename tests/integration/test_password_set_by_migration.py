"""Migration 0010 on SQLite and PostgreSQL: accounts made before it keep everything, and those whose password
someone else chose (invited, or added on the command line for someone) are marked from the audit trail."""

from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import text

from dosewise.services import auth, runtime
from dosewise.store.db import Database, _alembic_config
from tests.conftest import NOW

ACCOUNTS = (  # id, email, role, owner, who added it (the audit's actor)
    (1, "ana@example.org", "person", True, "ana@example.org"),
    (2, "nurse@example.org", "clinician", False, "ana@example.org"),
    (3, "carer@example.org", "caregiver", False, "command line"),
    (4, "self@example.org", "caregiver", False, "self@example.org"),
)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.pg)])
def old_db(request, tmp_path, monkeypatch) -> str:
    """A database at 0009 with four accounts and the audit rows that added them."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'old.db'}"
    else:
        from tests.conftest import _empty_pg, _require_pg

        url = _require_pg(request.getfixturevalue("pg_url"))
        _empty_pg(url)
    database = Database(url, auto_migrate=False)
    command.upgrade(_alembic_config(database.engine), "0009")
    detail = "CAST(:detail AS JSON)" if database.engine.dialect.name == "postgresql" else ":detail"
    with database.engine.begin() as conn:
        for account_id, email, role, owner, actor in ACCOUNTS:
            conn.execute(
                text(
                    "INSERT INTO account (id, email, role, password_hash, is_owner, created_at) "
                    "VALUES (:id, :email, :role, 'x', :owner, :now)"
                ),
                {"id": account_id, "email": email, "role": role, "owner": owner, "now": NOW.replace(tzinfo=None)},
            )
            conn.execute(
                text(
                    "INSERT INTO audit_event (at, actor, action, account_id, detail) "
                    f"VALUES (:now, :actor, 'account-added', :id, {detail})"
                ),
                {"now": NOW.replace(tzinfo=None), "actor": actor, "id": account_id, "detail": "{}"},
            )
    database.dispose()
    monkeypatch.setenv("DOSEWISE_DATABASE_URL", url)
    return url


def test_accounts_whose_password_someone_else_chose_are_marked(old_db: str) -> None:
    db = runtime.open_database()  # migrates to head
    accounts = {a.email: (a.role, a.is_owner, a.password_set_by) for a in auth.list_accounts(db)}
    assert accounts == {
        "ana@example.org": ("person", True, None),
        "nurse@example.org": ("clinician", False, "ana@example.org"),
        "carer@example.org": ("caregiver", False, "command line"),
        "self@example.org": ("caregiver", False, None),
    }
