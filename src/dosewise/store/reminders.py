"""Queries over stored reminder states (table ``reminder_state``): one row per reminder something happened to."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from dosewise.store.tables import GrantRow, ReminderStateRow


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


def caregivers_with_access(session: Session, person_id: int, today: date) -> int:
    """Return how many caregiver accounts hold a live grant (not revoked, not past its last day) to the person."""
    live = (
        GrantRow.person_id == person_id,
        GrantRow.role == "caregiver",
        GrantRow.revoked_at.is_(None),
        or_(GrantRow.until.is_(None), GrantRow.until >= today),
    )
    return int(session.scalar(select(func.count(func.distinct(GrantRow.account_id))).where(*live)) or 0)
