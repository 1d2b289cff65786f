"""Adherence per week: planned doses taken, check-ins done, reminders answered. One function for Insights and
the clinician report.

Counted over complete journal days (up to yesterday), in weeks of 7 days ending yesterday, newest last:

- doses: the current plan's doses of each day (as re-laid out: no dose while stopped or paused) against the
  doses of the plan's product logged that day, at most the planned number a day (extra doses are counted apart);
- check-ins: days with a score on the person's primary scale;
- reminders: reminders delivered (sent as a notification) and of those, how many were answered (taken, done
  or skipped) — from ``reminder_state``.

Only the current plan counts; days before it started have no planned dose. Weeks start at the first day with
a plan, a dose or a score.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta

from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dosewise.services.plans import current_plan_day
from dosewise.services.runtime import get_person_row, now_utc, person_day
from dosewise.store.db import Database
from dosewise.store.journal_queries import live
from dosewise.store.reminders import states_between
from dosewise.store.tables import DoseRow, PersonRow, RatingRow

MAX_WEEKS = 52
HOW = (
    "Complete days only, in weeks ending yesterday. Doses: the current plan's doses against the doses of its "
    "product you logged (at most the planned number a day; no dose is planned while the plan is stopped or "
    "paused). Check-ins: days with a score. Reminders: those sent as notifications, and how many you answered."
)


class AdherenceWeekOut(BaseModel):
    start: date
    end: date
    days: int  # days counted (fewer than 7 before the person was set up)
    doses_planned: int
    doses_taken: int  # planned doses with a logged dose of the plan's product (at most the planned number a day)
    doses_extra: int  # doses of the plan's product beyond the plan
    checkins: int  # days with a score on the primary scale
    reminders_sent: int
    reminders_answered: int  # of those sent: taken, done or skipped


class AdherenceOut(BaseModel):
    product: str | None  # the current plan's product (None: no plan, so no planned doses)
    weeks: list[AdherenceWeekOut]  # oldest first
    how: str  # how it is counted, in words


def adherence_in(session: Session, person: PersonRow, *, today: date, weeks: int) -> AdherenceOut:
    """Return the person's adherence for ``weeks`` weeks of complete days before ``today`` (inside a session)."""
    pday = person_day(person)
    last = today - timedelta(days=1)
    plan = current_plan_day(session, person, today)
    first = max(last - timedelta(days=7 * weeks - 1), _first_day(session, person, plan[0].start if plan else None))
    product = plan[1].product if plan else None
    if first > last:  # nothing to count yet
        return AdherenceOut(product=product, weeks=[], how=HOW)
    planned = {d.date: len(d.doses) for d in plan[1].days if first <= d.date <= last} if plan else {}
    start, _ = pday.bounds(first)
    _, end = pday.bounds(last)
    logged: Counter[date] = Counter()
    if product is not None:
        for row in session.scalars(
            select(DoseRow).where(live(DoseRow, person.id), DoseRow.at >= start, DoseRow.at < end)
        ):
            if row.product.name == product:
                logged[pday.of(row.at)] += 1
    rated = {
        pday.of(at)
        for at in session.scalars(
            select(RatingRow.at).where(
                live(RatingRow, person.id), RatingRow.scale_id == person.primary_scale, RatingRow.at >= start
            )
        )
        if pday.of(at) <= last
    }
    states = states_between(session, person.id, first, last)
    out = []
    for w in range(weeks):
        w_end = last - timedelta(days=7 * (weeks - 1 - w))
        w_start = w_end - timedelta(days=6)
        days = [w_start + timedelta(days=i) for i in range(7) if first <= w_start + timedelta(days=i) <= last]
        sent = [s for s in states if w_start <= s.day <= w_end and s.sent_at is not None]
        out.append(
            AdherenceWeekOut(
                start=w_start,
                end=w_end,
                days=len(days),
                doses_planned=sum(planned.get(d, 0) for d in days),
                doses_taken=sum(min(planned.get(d, 0), logged[d]) for d in days),
                doses_extra=sum(max(0, logged[d] - planned.get(d, 0)) for d in days),
                checkins=sum(d in rated for d in days),
                reminders_sent=len(sent),
                reminders_answered=sum(s.answer is not None for s in sent),
            )
        )
    return AdherenceOut(product=product, weeks=[w for w in out if w.days], how=HOW)


def _first_day(session: Session, person: PersonRow, plan_start: date | None) -> date:
    """Return the first day anything counts from: the plan's start or the first dose or score, if earlier."""
    pday = person_day(person)
    found = [plan_start] if plan_start else []
    for table in (DoseRow, RatingRow):
        at = session.scalar(select(func.min(table.at)).where(live(table, person.id)))
        if at is not None:
            found.append(pday.of(at))
    return min(found) if found else date.max


def weekly_adherence(db: Database, *, weeks: int = 4, now: datetime | None = None) -> AdherenceOut:
    """Return adherence per week (doses taken vs planned, check-ins, reminder answers) for the last ``weeks``."""
    weeks = max(1, min(weeks, MAX_WEEKS))
    now = now or now_utc()
    with db.read() as session:
        person = get_person_row(session)
        return adherence_in(session, person, today=person_day(person).of(now), weeks=weeks)
