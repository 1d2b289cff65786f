"""Queries over the journal tables (all kinds), newest first, soft-deleted rows excluded."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, select
from sqlalchemy.orm import Session

from dosewise.store.tables import (
    JOURNAL_TABLES,
    AssessmentRow,
    DoseRow,
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
) -> list:
    """Return journal rows of ``person_id`` with start <= at < end (None = open), newest first."""
    rows: list = []
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


def count_entries(session: Session, person_id: int) -> int:
    """Return how many live journal entries the person has (all kinds)."""
    from sqlalchemy import func

    total = 0
    for table in JOURNAL_TABLES:
        total += session.scalar(select(func.count()).select_from(table).where(live(table, person_id))) or 0
    return total
