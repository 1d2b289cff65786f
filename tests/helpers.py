"""Test helpers: a database snapshot (a rejected write changed nothing) and cheap password hashing."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import Connection, select, text

from dosewise.store.db import Database
from dosewise.store.tables import Base


def snapshot(db: Database) -> dict[str, list[tuple]]:
    """Return every row of every table, as sorted tuples, keyed by table name."""
    out: dict[str, list[tuple]] = {}
    with every_row(db) as conn:
        for table in Base.metadata.sorted_tables:
            rows = conn.execute(select(table)).all()
            out[table.name] = sorted((tuple(r) for r in rows), key=repr)
    return out


def cheap_password_hashing(patch: pytest.MonkeyPatch) -> None:
    """Argon2id with tiny costs for tests that count sign-ins and refusals, not hashing work (the real costs
    are in services/auth; bench/bench_people.py times a real sign-in)."""
    from argon2 import PasswordHasher

    from dosewise.services import auth

    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    patch.setattr(auth, "_hasher", lambda: cheap)
    patch.setattr(auth, "_decoy_hash", lambda: cheap.hash("decoy"))


@contextmanager
def every_row(db: Database) -> Iterator[Connection]:
    """A raw connection that sees every person's rows (what a test compares before and after), also on
    PostgreSQL where row-level security shows a connection with no scope nothing (``app.all_people``)."""
    with db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT set_config('app.all_people', 'on', true)"))
        yield conn
