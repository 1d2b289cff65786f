"""Looking rows up by an id a person typed: an id no column can hold is simply not there."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy.orm import Session

from dosewise.model.inputs import is_id

T = TypeVar("T")


def row_by_id(session: Session, table: type[T], row_id: Any) -> T | None:
    """Return the row with ``row_id``, or None (also for ids beyond 64 bits, which SQLite cannot bind)."""
    return session.get(table, row_id) if is_id(row_id) else None
