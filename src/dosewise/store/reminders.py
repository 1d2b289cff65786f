"""Queries over stored reminder states (table ``reminder_state``): one row per reminder something happened to."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from dosewise.store.tables import ReminderStateRow


def states_of_day(session: Session, person_id: int, day: date) -> dict[str, ReminderStateRow]:
    """Return the stored states of the person's reminders of journal day ``day``, by reminder key."""
    rows = session.scalars(
        select(ReminderStateRow).where(ReminderStateRow.person_id == person_id, ReminderStateRow.day == day)
    )
    return {r.key: r for r in rows}


def state_for_update(session: Session, person_id: int, day: date, key: str, kind: str) -> ReminderStateRow:
    """Return the stored state of one reminder, adding an empty one (in the session) if there is none yet."""
    row = session.scalars(
        select(ReminderStateRow).where(
            ReminderStateRow.person_id == person_id, ReminderStateRow.day == day, ReminderStateRow.key == key
        )
    ).first()
    if row is None:
        row = ReminderStateRow(person_id=person_id, day=day, key=key, kind=kind, sent_count=0)
        session.add(row)
    return row


def states_between(session: Session, person_id: int, first: date, last: date) -> Sequence[ReminderStateRow]:
    """Return the stored reminder states of journal days ``first`` to ``last`` (inclusive)."""
    return session.scalars(
        select(ReminderStateRow).where(
            ReminderStateRow.person_id == person_id, ReminderStateRow.day >= first, ReminderStateRow.day <= last
        )
    ).all()
