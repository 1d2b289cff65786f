"""Person set-up: name, conditions, flags, weight, birth year."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from dosewise.errors import InvalidInput, NoPerson
from dosewise.model.people import DEFAULT_PRIMARY_SCALE, Person, parse_condition, parse_flag, validate_person
from dosewise.model.scales import get_scale
from dosewise.services.runtime import get_person_row, now_utc, system_timezone_name, zone
from dosewise.services.schemas import PersonOut
from dosewise.store.db import Database
from dosewise.store.tables import DiagnosisRow, PersonRow


def person_out(row: PersonRow) -> PersonOut:
    return PersonOut(
        id=row.id, name=row.name, conditions=[d.condition_id for d in row.diagnoses], flags=list(row.flags),
        weight_kg=row.weight_kg, birth_year=row.birth_year, primary_scale=row.primary_scale,
        timezone=row.timezone, is_demo=row.is_demo,
    )


def set_person(
    db: Database, *, name: str | None = None, conditions: list[str] | None = None,
    flags: list[str] | None = None, clear_flags: list[str] | None = None, weight_kg: float | None = None,
    birth_year: int | None = None, primary_scale: str | None = None, timezone: str | None = None,
    now: datetime | None = None,
) -> PersonOut:
    """Create the person, or update the given fields of the existing one (one transaction)."""
    now = now or now_utc()
    with db.transaction() as session:
        try:
            row = get_person_row(session)
        except NoPerson:
            if not name:
                raise InvalidInput("A name is needed the first time: --name NAME.", field="name") from None
            row = PersonRow(name=name, flags=[], settings={}, timezone=timezone or system_timezone_name())
            session.add(row)
        _apply(session, row, name=name, conditions=conditions, flags=flags, clear_flags=clear_flags,
               weight_kg=weight_kg, birth_year=birth_year, primary_scale=primary_scale, timezone=timezone)
        validate_person(
            Person(name=row.name, conditions=tuple(d.condition_id for d in row.diagnoses), flags=tuple(row.flags),
                   weight_kg=row.weight_kg, birth_year=row.birth_year),
            today=now.date(),
        )
        session.flush()
        return person_out(row)


def _apply(session: Session, row: PersonRow, *, name, conditions, flags, clear_flags, weight_kg, birth_year,
           primary_scale, timezone) -> None:
    if name is not None:
        row.name = name.strip()
    if weight_kg is not None:
        row.weight_kg = weight_kg
    if birth_year is not None:
        row.birth_year = birth_year
    if timezone is not None:
        zone(timezone)
        row.timezone = timezone
    if conditions:
        ids = [parse_condition(c) for c in conditions]
        row.diagnoses.clear()
        session.flush()
        row.diagnoses.extend(DiagnosisRow(condition_id=c) for c in dict.fromkeys(ids))
        if primary_scale is None:
            row.primary_scale = DEFAULT_PRIMARY_SCALE.get(ids[0], "spasticity")
    if flags:
        row.flags = sorted(set(row.flags) | {parse_flag(f) for f in flags})
    if clear_flags:
        row.flags = sorted(set(row.flags) - {parse_flag(f) for f in clear_flags})
    if primary_scale is not None:
        row.primary_scale = get_scale(primary_scale).id


def get_person(db: Database) -> PersonOut:
    """Return the person the app acts on."""
    with db.read() as session:
        return person_out(get_person_row(session))
