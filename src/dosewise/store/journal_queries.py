"""Queries over the journal tables (all kinds), newest first, soft-deleted rows excluded."""

from __future__ import annotations

import heapq
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, select
from sqlalchemy.orm import Session

from dosewise.store.tables import (
    JOURNAL_TABLES,
    AssessmentRow,
    DoseRow,
    JournalRow,
    MeasurementRow,
    NoteRow,
    RatingRow,
    SideEffectRow,
    SymptomRow,
)

KIND_OF_TABLE: dict[type[Any], str] = {
    DoseRow: "dose",
    RatingRow: "rating",
    SideEffectRow: "side_effect",
    NoteRow: "note",
    SymptomRow: "symptom",
    MeasurementRow: "measurement",
    AssessmentRow: "assessment",
}
TABLE_OF_KIND: dict[str, type[Any]] = {v: k for k, v in KIND_OF_TABLE.items()}


def live(table: Any, person_id: int) -> ColumnElement[bool]:
    """Return the condition "a row of ``person_id`` that is not deleted" for a journal ``table``."""
    return and_(table.person_id == person_id, table.deleted_at.is_(None))


def live_rows(table: Any, person_id: int) -> Any:
    """Return a SELECT of ``table``'s rows of ``person_id`` that are not deleted."""
    return select(table).where(live(table, person_id))


def entries_between(
    session: Session,
    person_id: int,
    start: datetime | None,
    end: datetime | None,
    *,
    kinds: tuple[str, ...] | None = None,
) -> list[JournalRow]:
    """Return journal rows of ``person_id`` with start <= at < end (None = open), newest first."""
    rows: list[JournalRow] = []
    for table in JOURNAL_TABLES:
        kind = KIND_OF_TABLE[table]
        if kinds is not None and kind not in kinds:
            continue
        if table is AssessmentRow:
            continue  # shown through its total rating row
        q = live_rows(table, person_id)
        if start is not None:
            q = q.where(table.at >= start)
        if end is not None:
            q = q.where(table.at < end)
        rows.extend(session.scalars(q))
    rows.sort(key=lambda r: (r.at, KIND_OF_TABLE[type(r)], r.id), reverse=True)
    return rows


STREAM_BATCH = 1000  # rows fetched per round trip when streaming (server-side cursor on PostgreSQL)


def iter_entries(
    session: Session, person_id: int, start: datetime | None, *, newest_first: bool = True
) -> Iterator[Any]:
    """Yield the live journal rows of ``person_id`` from ``start`` on (None = all), streamed and merged.

    Each table is read in time order through its own cursor (``yield_per``), and the tables are merged, so
    memory stays flat however long the journal is. Same order as ``entries_between`` (or its reverse).
    """
    streams = []
    for table in JOURNAL_TABLES:
        if table is AssessmentRow:
            continue  # shown through its total rating row
        q = live_rows(table, person_id)
        if start is not None:
            q = q.where(table.at >= start)
        order = (table.at.desc(), table.id.desc()) if newest_first else (table.at, table.id)
        streams.append(session.scalars(q.order_by(*order).execution_options(yield_per=STREAM_BATCH)))
    return heapq.merge(*streams, key=lambda r: (r.at, KIND_OF_TABLE[type(r)], r.id), reverse=newest_first)


def count_entries(session: Session, person_id: int) -> int:
    """Return how many live journal entries the person has (all kinds)."""
    from sqlalchemy import func

    total = 0
    for table in JOURNAL_TABLES:
        total += session.scalar(select(func.count()).select_from(table).where(live(table, person_id))) or 0
    return total
