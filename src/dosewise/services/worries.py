"""'Something worrying?': the person's own red flags (safety/worries.py), and logging one in one tap.

Logging a worry is an ordinary journal entry (a symptom, or a side effect at the least severity that raises
the alert), so the red-flag rules run in the same transaction and the new alert is returned at once.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from dosewise.errors import InvalidInput
from dosewise.model.journal import side_effects, symptoms
from dosewise.safety.worries import worries
from dosewise.services import journal
from dosewise.services.alerts import person_context
from dosewise.services.runtime import get_person_row
from dosewise.services.schemas import LoggedOut
from dosewise.store.db import Database


class WorryOut(BaseModel):
    kind: str  # symptom | side_effect
    item: str  # symptom or side-effect id
    label: str  # its name in plain words
    level: str  # urgent | soon | info: what logging it raises
    severity: str | None = None  # side effects: the severity it is logged with


def list_worries(db: Database) -> list[WorryOut]:
    """Return the red flags that, logged alone, raise an alert for this person (most urgent first)."""
    with db.read() as session:
        ctx = person_context(session, get_person_row(session))
    names = {"symptom": symptoms(), "side_effect": side_effects()}
    return [
        WorryOut(kind=w.kind, item=w.item, label=names[w.kind][w.item]["label"], level=w.level, severity=w.severity)
        for w in worries(ctx.conditions, ctx.drug_ids)
    ]


def log_worry(db: Database, *, item: str, entered_by: str = "person", now: datetime | None = None) -> LoggedOut:
    """Log one of the person's red flags (``item``: its id) now; the alert it raises is in the result."""
    found = next((w for w in list_worries(db) if w.item == item), None)
    if found is None:
        raise InvalidInput(f"'{item}' is not one of your red flags. Log other symptoms in the journal.", field="item")
    if found.kind == "symptom":
        return journal.record_symptom(db, symptom=found.item, entered_by=entered_by, now=now)
    return journal.record_side_effect(
        db, effect=found.item, severity=found.severity or "mild", entered_by=entered_by, now=now
    )
