"""Red-flag alerts: evaluated on every journal write and on demand.

The rules live in dosewise.safety.alerts (pure); this module stores and acknowledges alerts.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from dosewise.store.tables import PersonRow


def refresh_alerts(session: Session, person: PersonRow, *, now: datetime) -> list[dict]:
    """Evaluate the rules for ``person`` inside the caller's transaction; return NEW alerts as dicts."""
    return []


def urgent_unacknowledged(session: Session, person_id: int) -> list[dict]:
    """Return urgent alerts not yet acknowledged (shown on every CLI command and web page)."""
    return []
