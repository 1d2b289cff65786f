"""The daily dose ceiling a clinician (or the person) sets: set, lower, raise, clear, show; every change audited.

Units: mg THC and mg CBD per journal day, like a plan's ceiling. The ceiling only ever LOWERS what a plan
allows: plans use min(protocol ceiling, this) (services/plans.py reads it on every lay-out, so a running plan
is capped at once). Rules (who: the role the account acts in, services/access.py; None = no account, the
command line or this computer):

- a caregiver may not set, change or clear it (NotAllowed, 403);
- anyone else may set one or lower it;
- once a clinician has set it (even if someone lowered it since), it may be raised or cleared only by a
  clinician (the person's clinician: a clinician sees a journal only through the person's grant);
- never above the cited protocol ceiling (the current plan's, else the highest of any protocol): above it a
  ceiling would mean nothing, and raising "back up" stops there.
"""

from __future__ import annotations

import math
from datetime import datetime

from pydantic import BaseModel
from sqlalchemy.orm import Session

from dosewise.errors import InvalidInput, NotAllowed
from dosewise.model.inputs import check_text, parse_decimal
from dosewise.safety.protocols import get_protocol, protocol_ids
from dosewise.services.actors import who_words
from dosewise.services.alerts import refresh_alerts
from dosewise.services.auth import audit
from dosewise.services.ceiling_source import ceiling_row, day_words
from dosewise.services.journal_schemas import AlertOut
from dosewise.services.runtime import get_person_row, now_utc
from dosewise.store.db import Database
from dosewise.store.plans import current_plan
from dosewise.store.tables import DoseCeilingRow, PersonRow

MAX_NOTE_CHARS = 1000
NAMES = {"thc": "THC", "cbd": "CBD"}


class DoseCeilingOut(BaseModel):
    """The ceiling set for the person (mg/day; None = no extra limit on that cannabinoid), who set it and when."""

    thc_mg_per_day: float | None
    cbd_mg_per_day: float | None
    set_by: str  # an account's email, "command line" or "this computer"
    set_by_role: str | None  # person | clinician; None: no account
    set_at: datetime
    note: str | None
    words: str  # "Ceiling set by doc@example.org (clinician) on 2 December 2026"


class CeilingStateOut(BaseModel):
    """What ``ceiling show`` and the Plan page show: the ceiling (or None), the most it may be, who may change it."""

    ceiling: DoseCeilingOut | None
    highest_thc_mg_per_day: float  # the cited protocol ceiling: a ceiling set here can be at most this
    highest_cbd_mg_per_day: float
    highest_why: str
    new_alerts: list[AlertOut] = []  # a lower ceiling may put today's logged doses above it


def show_ceiling(db: Database) -> CeilingStateOut:
    """Return the person's ceiling (or None) and the highest it may be set to."""
    with db.read() as session:
        person = get_person_row(session)
        return _state(session, person)


def set_ceiling(
    db: Database,
    *,
    thc_mg: str | float | None = None,
    cbd_mg: str | float | None = None,
    note: str | None = None,
    actor: str,
    role: str | None,
    now: datetime | None = None,
) -> CeilingStateOut:
    """Set the daily ceiling (mg THC and/or mg CBD a day; a part not given keeps its value). Audited."""
    now = now or now_utc()
    _refuse_caregiver(role)
    wanted = {"thc": _mg(thc_mg, "thc"), "cbd": _mg(cbd_mg, "cbd")}
    if wanted["thc"] is None and wanted["cbd"] is None:
        raise InvalidInput("Give a ceiling in mg THC a day, mg CBD a day, or both.", field="thc_mg")
    note = _note(note)
    with db.transaction() as session:
        person = get_person_row(session)
        tops, why = _tops(session, person)
        for key, value in wanted.items():
            if value is not None and value > tops[key] + 1e-9:
                raise InvalidInput(
                    f"{value:g} mg {NAMES[key]} a day is above {why} ({tops[key]:g} mg {NAMES[key]} a day), which "
                    "always applies: a ceiling set here can only lower it.",
                    field=f"{key}_mg",
                )
        row = ceiling_row(session, person)
        before = {"thc": row.thc_mg_per_day, "cbd": row.cbd_mg_per_day} if row else {"thc": None, "cbd": None}
        after = {k: wanted[k] if wanted[k] is not None else before[k] for k in wanted}
        raised = any(_raises(before[k], after[k]) for k in after)
        if row is not None and raised:
            _refuse_unless_clinician(row, role, person, "raise")
        if row is None:
            row = DoseCeilingRow(person_id=person.id)
            session.add(row)
        row.thc_mg_per_day, row.cbd_mg_per_day = after["thc"], after["cbd"]
        row.set_by, row.set_by_role, row.set_at, row.note = actor, role, now, note
        row.clinician_set = role == "clinician" or bool(row.clinician_set)
        session.flush()
        action = "ceiling-raised" if raised else "ceiling-set" if not any(before.values()) else "ceiling-lowered"
        audit(
            session,
            actor=actor,
            action=action,
            person_id=person.id,
            account_id=None,
            detail={"role": role, "before": before, "after": after, "note": note, "clinician_set": row.clinician_set},
        )
        new = refresh_alerts(session, person, now=now)  # today's doses may now be above the ceiling
        return _state(session, person).model_copy(update={"new_alerts": new})


def clear_ceiling(db: Database, *, actor: str, role: str | None, now: datetime | None = None) -> CeilingStateOut:
    """Remove the ceiling (plans go back to the protocol's own); a clinician's only by a clinician. Audited."""
    _refuse_caregiver(role)
    with db.transaction() as session:
        person = get_person_row(session)
        row = ceiling_row(session, person)
        if row is None:
            raise InvalidInput("No ceiling is set: there is nothing to remove.")
        _refuse_unless_clinician(row, role, person, "remove")
        audit(
            session,
            actor=actor,
            action="ceiling-cleared",
            person_id=person.id,
            account_id=None,
            detail={"role": role, "before": {"thc": row.thc_mg_per_day, "cbd": row.cbd_mg_per_day}},
        )
        session.delete(row)
        session.flush()
        return _state(session, person)


def _refuse_caregiver(role: str | None) -> None:
    if role == "caregiver":
        raise NotAllowed(
            "A caregiver cannot set, change or remove the dose ceiling: only the person's clinician or the person "
            "themself can."
        )


def _refuse_unless_clinician(row: DoseCeilingRow, role: str | None, person: PersonRow, what: str) -> None:
    if row.clinician_set and role != "clinician":
        raise NotAllowed(
            f"A clinician set this ceiling (last changed {who_words(row.set_by, row.set_by_role)} on "
            f"{day_words(row.set_at, person)}): only a clinician can {what} it. You can lower it."
        )


def _raises(before: float | None, after: float | None) -> bool:
    if before is None:
        return False
    return after is None or after > before + 1e-9


def _mg(raw: str | float | None, key: str) -> float | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    what = f"ceiling in mg {NAMES[key]} a day"
    value = parse_decimal(raw, what=what) if isinstance(raw, str) else float(raw)
    if not math.isfinite(value) or value <= 0:
        raise InvalidInput(f"The {what} must be more than 0 (to take none, stop the plan instead).", field=f"{key}_mg")
    return round(value, 3)


def _note(note: str | None) -> str | None:
    text = (note or "").strip() or None
    if text is None:
        return None
    if len(text) > MAX_NOTE_CHARS:
        raise InvalidInput(f"The note can be at most {MAX_NOTE_CHARS} characters.", field="note")
    return check_text(text, field="note")


def _tops(session: Session, person: PersonRow) -> tuple[dict[str, float], str]:
    """The cited protocol ceilings (mg/day): the current plan's, else the highest of any protocol."""
    every = [get_protocol(p) for p in protocol_ids()]
    highest = {"thc": max(p.ceiling_thc_mg_day for p in every), "cbd": max(p.ceiling_cbd_mg_day for p in every)}
    plan = current_plan(session, person.id)
    if plan is None:
        return highest, "the highest ceiling of any protocol"
    protocol = get_protocol(plan.protocol)
    tops = {"thc": protocol.ceiling_thc_mg_day, "cbd": protocol.ceiling_cbd_mg_day}
    # A protocol without CBD (dronabinol: 0 mg) sets no CBD limit to stay under: the highest of any protocol.
    return {k: v if v > 0 else highest[k] for k, v in tops.items()}, f"the {protocol.id} protocol's ceiling"


def _state(session: Session, person: PersonRow) -> CeilingStateOut:
    tops, why = _tops(session, person)
    row = ceiling_row(session, person)
    out = None
    if row is not None:
        out = DoseCeilingOut(
            thc_mg_per_day=row.thc_mg_per_day,
            cbd_mg_per_day=row.cbd_mg_per_day,
            set_by=row.set_by,
            set_by_role=row.set_by_role,
            set_at=row.set_at,
            note=row.note,
            words=f"Ceiling set {who_words(row.set_by, row.set_by_role)} on {day_words(row.set_at, person)}",
        )
    return CeilingStateOut(
        ceiling=out, highest_thc_mg_per_day=tops["thc"], highest_cbd_mg_per_day=tops["cbd"], highest_why=why
    )
