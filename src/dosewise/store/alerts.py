"""Queries over stored red-flag alerts (table ``alert``); 'open' means not yet acknowledged."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from dosewise.model.vocab import AlertLevel
from dosewise.store.tables import AlertRow


def alerts(session: Session, person_id: int, *, open_only: bool = False) -> Sequence[AlertRow]:
    """Return the person's alerts in the order first seen (only unacknowledged ones if ``open_only``)."""
    q = select(AlertRow).where(AlertRow.person_id == person_id)
    if open_only:
        q = q.where(AlertRow.acknowledged_at.is_(None))
    return session.scalars(q.order_by(AlertRow.first_seen, AlertRow.id)).all()


def open_urgent(session: Session, person_id: int) -> Sequence[AlertRow]:
    """Return the urgent alerts not yet acknowledged, in the order first seen."""
    return session.scalars(
        select(AlertRow)
        .where(AlertRow.person_id == person_id, AlertRow.level == AlertLevel.URGENT, AlertRow.acknowledged_at.is_(None))
        .order_by(AlertRow.first_seen)
    ).all()


def latest_of_rule(session: Session, person_id: int, rule_id: str) -> AlertRow | None:
    """Return the newest alert of one rule, or None (the episode a new hit may belong to)."""
    return session.scalars(
        select(AlertRow)
        .where(AlertRow.person_id == person_id, AlertRow.rule_id == rule_id)
        .order_by(AlertRow.first_seen.desc(), AlertRow.id.desc())
        .limit(1)
    ).first()


def key_exists(session: Session, person_id: int, key: str) -> bool:
    """True if an alert with this episode key (rule + time of the triggering entry) is already stored."""
    return (
        session.scalars(select(AlertRow.id).where(AlertRow.person_id == person_id, AlertRow.key == key)).first()
        is not None
    )


def red_flags_since(session: Session, person_id: int, since: datetime) -> Sequence[AlertRow]:
    """Return the urgent and soon alerts first seen at or after ``since`` (the red flags a plan reacts to)."""
    return session.scalars(
        select(AlertRow).where(
            AlertRow.person_id == person_id,
            AlertRow.first_seen >= since,
            AlertRow.level.in_((AlertLevel.URGENT, AlertLevel.SOON)),
        )
    ).all()
