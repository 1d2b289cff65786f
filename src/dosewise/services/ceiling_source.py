"""The daily ceiling set for the person (by a clinician or themself), read for plans, alerts and pages.

mg THC and mg CBD per journal day (the same units as a plan's ceiling, safety/plan_body.py: BodyCeiling).
A plan uses min(protocol ceiling, this ceiling) (safety/titration.py: DailyCeiling); the red-flag rule
``dose-above-set-ceiling`` warns when a day's logged doses add up to more. Who set it is put in plain words
with ``services/actors.who_words``, the same words the journal uses for who entered an entry.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from dosewise.safety.titration import DailyCeiling
from dosewise.services.actors import who_words
from dosewise.services.runtime import person_day
from dosewise.store.tables import DoseCeilingRow, PersonRow


def day_words(at: datetime, person: PersonRow) -> str:
    """The person's journal day of ``at`` in words: "2 December 2026"."""
    day = person_day(person).of(at)
    return f"{day.day} {day:%B %Y}"


def ceiling_row(session: Session, person: PersonRow) -> DoseCeilingRow | None:
    """Return the person's ceiling row, or None when none is set."""
    return session.scalar(select(DoseCeilingRow).where(DoseCeilingRow.person_id == person.id))


def daily_ceiling(session: Session, person: PersonRow) -> DailyCeiling | None:
    """Return the ceiling set for ``person`` as the core's DailyCeiling (with who set it, when), or None."""
    row = ceiling_row(session, person)
    if row is None:
        return None
    return DailyCeiling(
        thc_mg_day=row.thc_mg_per_day,
        cbd_mg_day=row.cbd_mg_per_day,
        set_by=who_words(row.set_by, row.set_by_role),
        set_on=person_day(person).of(row.set_at),
        note=row.note,
    )
