"""Opening the database and finding the person a command acts on."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.orm import Session

from dosewise import clock
from dosewise.config import Settings, get_settings
from dosewise.errors import InvalidInput, NoPerson, NotFound, PersonNotChosen
from dosewise.model.journal import PersonDay
from dosewise.private import private_dir, write_private
from dosewise.services.actors import COMMAND_LINE
from dosewise.store import scope
from dosewise.store.db import Database, SharedReads, share_reads, stop_sharing
from dosewise.store.rows import row_by_id
from dosewise.store.scope import scoped_person
from dosewise.store.tables import PersonRow

_databases: dict[str, Database] = {}
CHOSEN_FILE = "chosen-person.json"  # in the data dir, 0600: {database url: person id} chosen by `person use`


@dataclass
class _CliChoice:
    """The person a CLI run acts for: ``--person`` or the remembered choice (only while a command runs)."""

    active: bool = False
    text: str | None = None
    person_id: int | None = None


_cli = _CliChoice()


def open_database(settings: Settings | None = None) -> Database:
    """Return the (process-cached) database for the settings, migrated to the newest schema.

    While a CLI command runs, the handle is scoped to the person it acts for (``--person``, else the one
    chosen with ``dosewise person use``, else unscoped: the only person). Web requests scope it themselves.
    """
    settings = settings or get_settings()
    url = settings.resolved_database_url()
    if url not in _databases:
        _databases[url] = Database(url)
    db = _databases[url]
    if not _cli.active:
        return db
    if _cli.person_id is None:
        _cli.person_id = _cli_person_id(db, settings, url)
    acting = db.acting_as(None, COMMAND_LINE)  # entries a command writes say "entered on the command line"
    return acting if _cli.person_id is None else acting.for_person(_cli.person_id)


def close_databases() -> None:
    """Close every database this process opened (a CLI run ends; the next open starts afresh)."""
    for db in _databases.values():
        db.dispose()
    _databases.clear()


@contextmanager
def shared_page_reads() -> Iterator[None]:
    """Let the reads inside (a web page that writes nothing) share one session for the person they act for:
    the person, the plan and the other rows several services need are loaded once (store.db.SharedReads)."""
    reads = SharedReads()
    token = share_reads(reads)
    try:
        yield
    finally:
        stop_sharing(token)
        reads.close()


def start_cli(person: str | None) -> None:
    """A CLI command starts: it acts for ``person`` (a name or id), or the remembered / only person."""
    _cli.active, _cli.text, _cli.person_id = True, person, None


def end_cli() -> None:
    """The CLI command ended: later handles in this process are unscoped again."""
    _cli.active, _cli.text, _cli.person_id = False, None, None


def _cli_person_id(db: Database, settings: Settings, url: str) -> int | None:
    if _cli.text is not None:
        return person_id_of(db, _cli.text)
    remembered = _remembered(settings).get(url)
    if remembered is None:
        return None
    with db.for_everyone().read() as session:  # choosing the person: does the remembered one still exist?
        return remembered if row_by_id(session, PersonRow, remembered) is not None else None


def person_id_of(db: Database, text: str) -> int:
    """Return the id of the person named ``text`` (any case) or numbered ``text``; NotFound lists them."""
    wanted = " ".join(text.split()).casefold()
    with db.for_everyone().read() as session:  # choosing a person by name reads the list of people
        rows = session.scalars(select(PersonRow).order_by(PersonRow.id)).all()
    for row in rows:
        if wanted.isdigit() and row.id == int(wanted):
            return row.id
    named = [r.id for r in rows if " ".join(r.name.split()).casefold() == wanted]
    if len(named) == 1:
        return named[0]
    listed = ", ".join(f"{r.name} ({r.id})" for r in rows[:_LISTED]) or "nobody yet"
    raise NotFound(f"No person called '{text.strip()}'. The people here: {listed}.", field="person")


def row_security_warning(db: Database) -> str | None:
    """A warning when PostgreSQL will not enforce the person scope itself (the app connects as a superuser or
    a BYPASSRLS role, so row-level security is skipped); None when it will, and on SQLite."""
    role = db.bypassing_role()
    if role is None:
        return None
    return (
        f"Warning: Dosewise connects to PostgreSQL as '{role}', a superuser or a role with BYPASSRLS, so "
        "row-level security is not enforced: only the application keeps each person's rows apart. Connect as "
        "an ordinary role (see README: 'A clinic on PostgreSQL')."
    )


def remember_person(person_id: int, settings: Settings | None = None) -> None:
    """Remember the person CLI commands act for by default with this database (a 0600 file)."""
    settings = settings or get_settings()
    chosen = _remembered(settings)
    chosen[settings.resolved_database_url()] = int(person_id)
    path = private_dir(Path(settings.data_dir)) / CHOSEN_FILE
    write_private(path, json.dumps(chosen, indent=1).encode())


def _remembered(settings: Settings) -> dict[str, int]:
    path = Path(settings.data_dir) / CHOSEN_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): int(v) for k, v in data.items() if isinstance(v, int)} if isinstance(data, dict) else {}


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
    """Return the person the session acts for; raise NoPerson / PersonNotChosen saying what to do.

    A scoped session (``Database.for_person``) acts for its person. An unscoped one acts for the only
    person of the database, and is scoped to them from then on; with several people it refuses, listing
    them, rather than guess (services never choose a person). Looking for the only person reads across
    people (on PostgreSQL past row-level security, ``scope.see_everyone``); with nobody set up the session
    stays that way, so the first person can be created in it.
    """
    wanted = person_id if person_id is not None else scoped_person(session)
    if wanted is not None:
        row = row_by_id(session, PersonRow, wanted)
        if row is None:
            raise NoPerson("That person does not exist (or is not shared with you). See: dosewise person list.")
        return row
    scope.see_everyone(session)
    rows = session.scalars(select(PersonRow).order_by(PersonRow.id).limit(_LISTED + 1)).all()
    if not rows:
        raise NoPerson(
            "No person is set up yet. Run: dosewise person set --name NAME --condition CONDITION "
            "(or 'dosewise demo' to try it with demo data)."
        )
    if len(rows) > 1:
        names = ", ".join(f"{r.name} ({r.id})" for r in rows[:_LISTED]) + (", ..." if len(rows) > _LISTED else "")
        raise PersonNotChosen(
            f"This database holds several people: {names}. Say which one: --person NAME "
            "(or choose one for every command: dosewise person use NAME)."
        )
    scope.act_for(session, rows[0].id)
    return rows[0]


_LISTED = 10  # people named in the "say which one" message


def day_start_hour() -> int:
    """Return the local hour at which a journal day starts (DOSEWISE_DAY_START_HOUR)."""
    return get_settings().day_start_hour


def person_day(person: PersonRow) -> PersonDay:
    """Return the person's calendar: their zone and the journal day's start hour."""
    return PersonDay(zone(person.timezone), day_start_hour())
