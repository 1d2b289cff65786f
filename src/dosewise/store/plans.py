"""Queries over titration plans (table ``plan``): when the person's first plan started."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from dosewise.store.tables import PlanRow


def first_plan_start(session: Session, person_id: int, *, on_or_before: date) -> date | None:
    """Return the earliest start day of any of the person's plans (any status) up to ``on_or_before``."""
    return session.scalar(
        select(PlanRow.start)
        .where(PlanRow.person_id == person_id, PlanRow.start <= on_or_before)
        .order_by(PlanRow.start)
        .limit(1)
    )
