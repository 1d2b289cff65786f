"""Test helpers: a database snapshot (a rejected write changed nothing) and cheap password hashing."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from dosewise.store.db import Database
from dosewise.store.tables import Base


def snapshot(db: Database) -> dict[str, list[tuple]]:
    """Return every row of every table, as sorted tuples, keyed by table name."""
    out: dict[str, list[tuple]] = {}
    with db.engine.connect() as conn:
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
