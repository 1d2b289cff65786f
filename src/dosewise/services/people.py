"""Person set-up: name, conditions, flags, weight, birth year."""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dosewise.errors import AlreadyExists, InvalidInput, NoPerson
from dosewise.knowledge.kb import condition_names, normalise
from dosewise.model.people import DEFAULT_PRIMARY_SCALE, Person, parse_condition, parse_flag, validate_person
from dosewise.model.scales import get_scale
from dosewise.services import alerts
from dosewise.services.runtime import (
    get_person_row,
    now_utc,
    person_id_of,
    remember_person,
    system_timezone_name,
    zone,
)
from dosewise.services.schemas import PersonOut
from dosewise.store import scope
from dosewise.store.db import Database
from dosewise.store.tables import DiagnosisRow, PersonRow


def person_out(row: PersonRow) -> PersonOut:
    return PersonOut(
        id=row.id,
        name=row.name,
        conditions=[d.condition_id for d in row.diagnoses],
        flags=list(row.flags),
        weight_kg=row.weight_kg,
        birth_year=row.birth_year,
        primary_scale=row.primary_scale,
        timezone=row.timezone,
        is_demo=row.is_demo,
        mcid_points=dict(((row.settings or {}).get("analysis") or {}).get("mcid_points") or {}),
    )


def set_person(
    db: Database,
    *,
    name: str | None = None,
    conditions: list[str] | None = None,
    flags: list[str] | None = None,
    clear_flags: list[str] | None = None,
    weight_kg: float | None = None,
    birth_year: int | None = None,
    primary_scale: str | None = None,
    timezone: str | None = None,
    mcid: dict[str, float | None] | None = None,
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
            session.flush()
            scope.act_for(session, row.id)  # the new person's from here on (both guards)
        _apply(
            session,
            row,
            name=name,
            conditions=conditions,
            flags=flags,
            clear_flags=clear_flags,
            weight_kg=weight_kg,
            birth_year=birth_year,
            primary_scale=primary_scale,
            timezone=timezone,
        )
        if mcid:
            row.settings = _with_mcid(dict(row.settings or {}), mcid)
        validate_person(
            Person(
                name=row.name,
                conditions=tuple(d.condition_id for d in row.diagnoses),
                flags=tuple(row.flags),
                weight_kg=row.weight_kg,
                birth_year=row.birth_year,
            ),
            today=now.date(),
        )
        session.flush()
        alerts.refresh_alerts(session, row, now=now)  # conditions decide which red-flag rules apply
        return person_out(row)


def _condition_id(text: str) -> str:
    """Return the condition id for an id or any of the guide's names and synonyms ('MS', 'MND', 'lou gehrig').

    Only exact names count (no guessing a diagnosis from a typo); otherwise the id list with a suggestion.
    """
    try:
        return parse_condition(text)
    except InvalidInput:
        wanted = normalise(text)
        for cid, names in condition_names().items():
            if wanted and wanted in names:
                return cid
        raise


def _apply(
    session: Session,
    row: PersonRow,
    *,
    name: str | None,
    conditions: list[str] | None,
    flags: list[str] | None,
    clear_flags: list[str] | None,
    weight_kg: float | None,
    birth_year: int | None,
    primary_scale: str | None,
    timezone: str | None,
) -> None:
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
        ids = [_condition_id(c) for c in conditions]
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


def parse_mcid_options(options: list[str]) -> dict[str, float | None]:
    """Read ``SCALE=POINTS`` (or ``SCALE=default``) options into {scale id: points or None}."""
    out: dict[str, float | None] = {}
    for text in options:
        scale, sep, value = text.partition("=")
        if not sep:
            raise InvalidInput(
                f"Write the MCID as SCALE=POINTS, for example spasticity=1.5 (got '{text}').", field="mcid"
            )
        sid = get_scale(scale).id
        if value.strip().lower() == "default":
            out[sid] = None
            continue
        try:
            points = float(value)
        except ValueError:
            raise InvalidInput(
                f"The MCID for {sid} must be a number of scale points (got '{value}').", field="mcid"
            ) from None
        out[sid] = points
    return out


def _with_mcid(settings: dict[str, Any], mcid: dict[str, float | None]) -> dict[str, Any]:
    """Return ``settings`` with per-scale MCID overrides (scale points) applied; None restores the default."""
    analysis = dict(settings.get("analysis") or {})
    per_scale = analysis.get("mcid_points")
    per_scale = dict(per_scale) if isinstance(per_scale, dict) else {}
    for sid, points in mcid.items():
        scale = get_scale(sid)
        if points is None:
            per_scale.pop(scale.id, None)
            continue
        if not math.isfinite(points) or not 0 < points <= (scale.max - scale.min):
            raise InvalidInput(
                f"The MCID for {scale.short} must be more than 0 and at most the scale's range "
                f"({scale.max - scale.min:g} points).",
                field="mcid",
            )
        per_scale[scale.id] = points
    analysis["mcid_points"] = per_scale
    if not per_scale:
        analysis.pop("mcid_points")
    settings["analysis"] = analysis
    return settings


def get_person(db: Database) -> PersonOut:
    """Return the person the app acts on."""
    with db.read() as session:
        return person_out(get_person_row(session))


def add_person(
    db: Database,
    *,
    name: str,
    conditions: list[str] | None = None,
    timezone: str | None = None,
    now: datetime | None = None,
) -> PersonOut:
    """Add another person to the database (a household member, a clinic's patient); names are unique."""
    now = now or now_utc()
    clean = (name or "").strip()
    if not clean:
        raise InvalidInput("A name is needed: dosewise person add NAME.", field="name")
    plain = db.for_everyone()  # a new person: names are unique across people
    with plain.transaction() as session:
        taken = {_name_key(n) for n in session.scalars(select(PersonRow.name))}
        if _name_key(clean) in taken:
            raise AlreadyExists(f"There is already a person called {clean}. Choose another name.", field="name")
        row = PersonRow(name=clean, flags=[], settings={}, timezone=timezone or system_timezone_name())
        session.add(row)
        session.flush()
    return set_person(plain.for_person(row.id), conditions=conditions, timezone=timezone, now=now)


def list_people(db: Database) -> list[PersonOut]:
    """Every person the database handle may see (a scoped handle: its one person), oldest first."""
    with db.read() as session:
        return [person_out(r) for r in session.scalars(select(PersonRow).order_by(PersonRow.id))]


def find_person(db: Database, text: str) -> PersonOut:
    """Return the person named ``text`` (exact name, any case) or with id ``text``; NotFound lists them."""
    person_id = person_id_of(db, text)
    with db.for_person(person_id).read() as session:
        return person_out(get_person_row(session))


def use_person(db: Database, text: str) -> PersonOut:
    """Choose the person CLI commands act for from now on (remembered in the data folder, 0600)."""
    person = find_person(db.for_everyone(), text)
    remember_person(person.id)
    return person


def _name_key(name: str) -> str:
    return " ".join(name.split()).casefold()
