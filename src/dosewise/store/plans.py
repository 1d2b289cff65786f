"""Queries over titration plans (table ``plan``): the plan being followed, and when the first plan started.

PlanRow.status is the record's lifecycle: ``current`` (followed now), ``ended`` or ``replaced``.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from dosewise.store.db import page_memoized
from dosewise.store.tables import PlanRow

CURRENT = "current"  # PlanRow.status of the plan being followed (the others: ended, replaced)


def first_plan_start(session: Session, person_id: int, *, on_or_before: date) -> date | None:
    """Return the earliest start day of any of the person's plans (any status) up to ``on_or_before``."""
    return session.scalar(
        select(PlanRow.start)
        .where(PlanRow.person_id == person_id, PlanRow.start <= on_or_before)
        .order_by(PlanRow.start)
        .limit(1)
    )


def current_plan(session: Session, person_id: int) -> PlanRow | None:
    """Return the plan the person follows now (the newest ``current`` one), or None.

    Once per page (store.db.page_memo): its stored body (every day of the plan) is read and decoded once.
    """
    return page_memoized(
        session,
        ("current_plan", person_id),
        lambda: session.scalars(
            select(PlanRow)
            .where(PlanRow.person_id == person_id, PlanRow.status == CURRENT)
            .order_by(PlanRow.id.desc())
            .limit(1)
        ).first(),
    )


def current_plans(session: Session, person_id: int) -> list[PlanRow]:
    """Return every ``current`` plan of the person (one, or none; a new plan replaces them all)."""
    return list(session.scalars(select(PlanRow).where(PlanRow.person_id == person_id, PlanRow.status == CURRENT)))
