"""Test helpers: a full snapshot of the database to prove that a rejected write changed nothing."""

from __future__ import annotations

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
