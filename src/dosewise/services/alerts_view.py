"""Read-only alert views used by the edges before every command / page."""

from __future__ import annotations

from dosewise.services import alerts
from dosewise.services.journal_schemas import AlertOut
from dosewise.services.runtime import get_person_row, open_database


def urgent_banner() -> list[AlertOut]:
    """Return the urgent alerts that are not yet acknowledged (raises NoPerson if nobody is set up)."""
    db = open_database()
    with db.read() as session:
        person = get_person_row(session)
        return alerts.urgent_unacknowledged(session, person.id)
