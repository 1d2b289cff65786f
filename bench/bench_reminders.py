"""Benchmark reminders: computing the reminders of 1,000 people for one day, against reading their plans alone.

Reminders are computed each time from the plan, the journal, the alerts and the stored reminder states
(services/reminders.compute_day); the reference is what any dose reminder must do anyway: lay out each
person's current plan to the day (services/plans.current_plan_day). The ratio is reminders / plans, measured
in the same process on one SQLite file (each person: a nabiximols plan 10 days in, two doses and a score
logged, one reminder answered). Run: .venv/bin/python -m bench.bench_reminders
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from bench._report import write_section
from dosewise import clock
from dosewise.services import journal, people, plans, products, reminders
from dosewise.services.plans import current_plan_day
from dosewise.services.reminders import compute_day
from dosewise.services.runtime import person_day
from dosewise.store.db import Database
from dosewise.store.tables import Base, DoseRow, PersonRow, PlanRow, ProductRow, RatingRow, ReminderStateRow

PEOPLE = 1000
NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)


def _copy(row: Base, **changes: object) -> Base:
    values = {c.key: getattr(row, c.key) for c in row.__table__.columns if c.key != "id"}
    return type(row)(**(values | changes))


def _fill(db: Database) -> None:
    """One person through the services, then 999 copies of their rows (new ids) in one transaction."""
    clock.set_now(NOW - timedelta(days=10))
    people.set_person(db, name="P0", conditions=["ms-spasticity"], birth_year=1979, timezone="Europe/Lisbon")
    products.add_product(db, name="Sativex", form="spray", thc_mg=2.7, cbd_mg=2.5, per="spray")
    plans.new_plan(db, product="Sativex", protocol="nabiximols")
    clock.set_now(NOW.replace(hour=9, minute=2))
    reminders.answer_reminder(db, reminder_id="1121-d0900", answer="taken")
    clock.set_now(NOW)
    journal.record_rating(db, scale="spasticity", value=5)
    journal.record_dose(db, product="Sativex", amount="1 spray")
    with db.for_everyone().transaction() as s:  # copies the person many times
        person = s.scalars(select(PersonRow)).one()
        product = s.scalars(select(ProductRow)).one()
        plan = s.scalars(select(PlanRow)).one()
        rows = [*s.scalars(select(DoseRow)), *s.scalars(select(RatingRow)), *s.scalars(select(ReminderStateRow))]
        for i in range(1, PEOPLE):
            p = _copy(person, name=f"P{i}")
            s.add(p)
            s.flush()
            pr = _copy(product, person_id=p.id)
            s.add(pr)
            s.flush()
            s.add(_copy(plan, person_id=p.id, product_id=pr.id))
            for r in rows:
                extra = {"product_id": pr.id} if isinstance(r, DoseRow) else {}
                s.add(
                    _copy(r, person_id=p.id, **extra)
                    if not isinstance(r, ReminderStateRow)
                    else _copy(r, person_id=p.id, dose_id=None)
                )
            if i % 200 == 0:
                s.flush()


def _best(fn: Callable[[], int], repeat: int = 3) -> tuple[float, int]:
    best, n = float("inf"), 0
    for _ in range(repeat):
        start = time.perf_counter()
        n = fn()
        best = min(best, time.perf_counter() - start)
    return best, n


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(f"sqlite:///{Path(tmp) / 'bench.db'}")
        try:
            _fill(db)
            clock.set_now(NOW)
            with db.for_everyone().read() as session:  # every person, on purpose
                everyone = list(session.scalars(select(PersonRow).order_by(PersonRow.id)))
                day = person_day(everyone[0]).of(NOW)

                def plans_only() -> int:
                    return sum(current_plan_day(session, p, day) is not None for p in everyone)

                def with_reminders() -> int:
                    return sum(len(compute_day(session, p, day, NOW)) for p in everyone)

                ref_s, with_plan = _best(plans_only)
                rem_s, total = _best(with_reminders)
        finally:
            db.dispose()
            clock.set_now(None)
    body = (
        "## reminders (`bench/bench_reminders.py`)\n\n"
        f"The reminders of {PEOPLE:,} people for one day (each on a nabiximols plan 10 days in, with doses, a score "
        "and an answered reminder), computed from the plan, the journal, the alerts and the stored states, against "
        "reading and laying out their plans alone (best of 3, one SQLite file, one process).\n\n"
        "| what | total | per person |\n|---|---|---|\n"
        f"| plans alone ({with_plan:,} plans laid out) | {ref_s:.2f} s | {ref_s / PEOPLE * 1000:.2f} ms |\n"
        f"| reminders ({total:,} reminders) | {rem_s:.2f} s | {rem_s / PEOPLE * 1000:.2f} ms |\n"
        f"| **ratio reminders / plans** | **{rem_s / ref_s:.2f}x** | |\n"
    )
    print(body)  # noqa: T201
    write_section("reminders", body)


if __name__ == "__main__":
    main()
