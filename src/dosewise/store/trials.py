"""Queries over n-of-1 trials (table ``trial``)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from dosewise.store.tables import TrialRow


def latest_trial(session: Session, person_id: int) -> TrialRow | None:
    """Return the person's newest trial (any status), or None."""
    return session.scalars(
        select(TrialRow).where(TrialRow.person_id == person_id).order_by(TrialRow.id.desc()).limit(1)
    ).first()
