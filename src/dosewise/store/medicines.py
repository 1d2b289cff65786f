"""Queries over the person's medicines (table ``medicine``); 'current' means not stopped."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from dosewise.store.tables import MedicineRow


def medicines(session: Session, person_id: int, *, include_stopped: bool = True) -> Sequence[MedicineRow]:
    """Return the person's medicines in the order they were added (current ones only unless include_stopped)."""
    q = select(MedicineRow).where(MedicineRow.person_id == person_id)
    if not include_stopped:
        q = q.where(MedicineRow.stopped.is_(None))
    return session.scalars(q.order_by(MedicineRow.id)).all()


def current_medicines(session: Session, person_id: int) -> Sequence[MedicineRow]:
    """Return the medicines the person takes now (not stopped), in the order they were added."""
    return medicines(session, person_id, include_stopped=False)
