"""Opening the database and finding the person a command acts on."""

from __future__ import annotations

import os
from datetime import datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.orm import Session

from dosewise import clock
from dosewise.config import Settings, get_settings
from dosewise.errors import InvalidInput, NoPerson
from dosewise.model.journal import PersonDay
from dosewise.store.db import Database
from dosewise.store.rows import row_by_id
from dosewise.store.tables import PersonRow

_databases: dict[str, Database] = {}


def open_database(settings: Settings | None = None) -> Database:
    """Return the (process-cached) database for the settings, migrated to the newest schema."""
    url = (settings or get_settings()).resolved_database_url()
    if url not in _databases:
        _databases[url] = Database(url)
    return _databases[url]


def now_utc() -> datetime:
    """The current time in UTC, from the one controllable clock."""
    return clock.now()


def system_timezone_name() -> str:
    """Return the machine's IANA time zone name (DOSEWISE_TIMEZONE wins), or 'UTC'."""
    configured = get_settings().timezone
    if configured:
        return configured
    try:
        from tzlocal import get_localzone_name

        return get_localzone_name() or "UTC"
    except Exception:  # a machine without zone info falls back to UTC
        return os.environ.get("TZ") or "UTC"


def zone(name: str) -> tzinfo:
    """Return the zone for an IANA name; raise InvalidInput if unknown."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(
            f"Unknown time zone '{name}'. Use an IANA name such as Europe/London.", field="timezone"
        ) from None


def get_person_row(session: Session, person_id: int | None = None) -> PersonRow:
    """Return the person (by id, or the first one); raise NoPerson with how to create one."""
    if person_id is not None:
        row = row_by_id(session, PersonRow, person_id)
    else:
        row = session.scalars(select(PersonRow).order_by(PersonRow.id).limit(1)).first()
    if row is None:
        raise NoPerson(
            "No person is set up yet. Run: dosewise person set --name NAME --condition CONDITION "
            "(or 'dosewise demo' to try it with demo data)."
        )
    return row


def day_start_hour() -> int:
    """Return the local hour at which a journal day starts (DOSEWISE_DAY_START_HOUR)."""
    return get_settings().day_start_hour


def person_day(person: PersonRow) -> PersonDay:
    """Return the person's calendar: their zone and the journal day's start hour."""
    return PersonDay(zone(person.timezone), day_start_hour())
