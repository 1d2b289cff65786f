"""A realistic demo person, clearly labelled as demo data, for trying Dosewise."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select

from dosewise.errors import AlreadyExists
from dosewise.model.scales import get_scale
from dosewise.model.units import amount_of
from dosewise.services import alerts, entries
from dosewise.services.products import to_model
from dosewise.services.runtime import now_utc, zone
from dosewise.services.schemas import PersonOut
from dosewise.store.db import Database
from dosewise.store.tables import (
    DiagnosisRow,
    JournalRow,
    MedicineRow,
    PersonRow,
    ProductRow,
)

DEMO_NAME = "Ana (demo)"
DEMO_TZ = "Europe/Lisbon"
BASELINE_DAYS = 21
TREATMENT_DAYS = 42


def database_is_empty(db: Database) -> bool:
    with db.for_everyone().read() as session:  # anyone at all, whatever the handle's scope
        return (session.scalar(select(func.count()).select_from(PersonRow)) or 0) == 0


def load_demo(db: Database, *, now: datetime | None = None, seed: int = 7) -> PersonOut:
    """Create the demo person with 9 weeks of journal (3 baseline, 6 on CBD oil); refuse if data exists."""
    from dosewise.services.people import person_out

    now = now or now_utc()
    rng = random.Random(seed)
    with db.for_everyone().transaction() as session:  # only into an empty database: a new person
        if session.scalar(select(func.count()).select_from(PersonRow)):
            raise AlreadyExists(
                "This database already has a person; the demo is only loaded into an empty one. "
                "Set DOSEWISE_DATABASE_URL to a new file to try the demo."
            )
        person = PersonRow(
            name=DEMO_NAME,
            birth_year=1979,
            weight_kg=64,
            flags=[],
            primary_scale="spasticity",
            timezone=DEMO_TZ,
            is_demo=True,
            settings={},
        )
        person.diagnoses.append(DiagnosisRow(condition_id="ms-spasticity"))
        session.add(person)
        session.flush()
        start = (now.astimezone(zone(DEMO_TZ)) - timedelta(days=BASELINE_DAYS + TREATMENT_DAYS)).date()
        session.add(
            MedicineRow(
                person_id=person.id,
                name="baclofen",
                dose_text="10 mg three times a day",
                started=start - timedelta(days=600),
            )
        )
        oil = ProductRow(
            person_id=person.id,
            name="Calm CBD oil 1000",
            form="oil",
            route="oral",
            basis="ml",
            thc_mg=0.0,
            cbd_mg=33.3,
            drop_ml=0.05,
            potency_source="label",
            thc_label="none",
            cbd_label="33.3 mg per ml",
            label_thc_mg=0.0,
            label_cbd_mg=33.3,
        )
        spray = ProductRow(
            person_id=person.id,
            name="Sativex",
            form="spray",
            route="oromucosal",
            basis="spray",
            thc_mg=2.7,
            cbd_mg=2.5,
            drop_ml=0.05,
            potency_source="label",
            thc_label="2.7 mg per spray",
            cbd_label="2.5 mg per spray",
            label_thc_mg=2.7,
            label_cbd_mg=2.5,
        )
        session.add_all([oil, spray])
        session.flush()
        session.add_all(_journal(person.id, oil, start, now, rng))
        session.flush()
        alerts.refresh_alerts(session, person, now=now)
        return person_out(person)


def _journal(person_id: int, oil: ProductRow, start: date, now: datetime, rng: random.Random) -> list[JournalRow]:
    tz = zone(DEMO_TZ)
    rows: list[JournalRow] = []
    level = 0.0
    oil_model, spasticity = to_model(oil), get_scale("spasticity")
    for d in range(BASELINE_DAYS + TREATMENT_DAYS):
        day = start + timedelta(days=d)
        on = d >= BASELINE_DAYS
        week_on = (d - BASELINE_DAYS) // 7 if on else -1
        drops = min(5 + 5 * max(week_on, 0), 20) if on else 0  # 5 -> 20 drops twice daily over 4 weeks
        effect = -0.35 * min(drops, 20) / 10 if on else 0.0  # modest benefit, for the demo only
        level = 0.6 * level + rng.gauss(0, 0.6)
        for hour, minute in ((8, 30), (21, 0)):
            at = datetime.combine(day, time(hour, minute), tzinfo=tz)
            if at > now:
                continue
            if on:
                amt = amount_of(drops, "drop", oil_model)
                rows.append(
                    entries.dose_row(person_id=person_id, product=oil, amount=amt, at=at - timedelta(minutes=10))
                )
            if rng.random() < 0.9:  # a few ratings are missed, as in life
                score = 6.4 + level + effect + rng.gauss(0, 0.7)
                rows.append(
                    entries.rating_row(
                        person_id=person_id,
                        scale=spasticity,
                        at=at,
                        value=float(min(10, max(0, round(score)))),
                        entered_by="caregiver" if hour == 21 and d % 3 == 0 else "person",
                    )
                )
        if on and week_on >= 1 and rng.random() < 0.12:
            at = datetime.combine(day, time(14, 0), tzinfo=tz)
            rows.append(entries.side_effect_row(person_id=person_id, effect="drowsiness", severity="mild", at=at))
        if d in (3, 17, 30, 44):
            text = {
                3: "Cold weather, legs stiffer in the morning.",
                17: "Slept badly; bladder woke me twice.",
                30: "Started going up to 10 drops. A bit sleepy after lunch.",
                44: "Walked to the cafe without stopping - first time in weeks.",
            }[d]
            rows.append(
                entries.note_row(person_id=person_id, text=text, at=datetime.combine(day, time(20, 0), tzinfo=tz))
            )
    return [r for r in rows if r.at <= now]
