"""Titration plans: create, show (adapted to the journal), stop. Stored in the plan table (PlanRow.body JSON)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from dosewise.errors import InvalidInput, NotFound, PlanRefused
from dosewise.model.vocab import AlertLevel, Severity
from dosewise.safety.eligibility import PersonContext
from dosewise.safety.plan_builder import build_plan, current_day
from dosewise.safety.protocols import get_protocol, protocol_ids
from dosewise.safety.titration import Signal
from dosewise.services.alerts import person_context
from dosewise.services.products import find_product, to_model
from dosewise.services.runtime import get_person_row, now_utc, person_day
from dosewise.services.safety_schemas import PlanDayOut, PlanOut, ProtocolOut
from dosewise.store.db import Database
from dosewise.store.journal_queries import live
from dosewise.store.tables import AlertRow, PersonRow, PlanRow, ProductRow, SideEffectRow

MAX_START_OFFSET_DAYS = 366


def _today(person: PersonRow, now: datetime) -> date:
    return person_day(person).of(now)


def _person(session: Session, person: PersonRow, today: date) -> PersonContext:
    # Only the birth year is stored: use the youngest age the person can be (birthday maybe not yet reached).
    age = None if person.birth_year is None else today.year - person.birth_year - 1
    return PersonContext(
        age=age, flags=frozenset(person.flags or []), drug_ids=person_context(session, person).drug_ids
    )


def _signals(session: Session, person: PersonRow, start: date) -> list[Signal]:
    """Return per-journal-day signals since ``start``: worst side effect and whether a red flag fired."""
    pday = person_day(person)
    since = datetime.combine(start - timedelta(days=1), datetime.min.time(), tzinfo=pday.tz)
    worst: dict[date, int] = {}
    flagged: set[date] = set()
    effects = select(SideEffectRow).where(live(SideEffectRow, person.id), SideEffectRow.at >= since)
    for r in session.scalars(effects):
        d = pday.of(r.at)
        worst[d] = max(worst.get(d, 0), Severity.rank_of(r.severity))
    for a in session.scalars(
        select(AlertRow).where(
            AlertRow.person_id == person.id,
            AlertRow.first_seen >= since,
            AlertRow.level.in_((AlertLevel.URGENT, AlertLevel.SOON)),
        )
    ):
        flagged.add(pday.of(a.first_seen))
    days = sorted(d for d in set(worst) | flagged if d >= start)
    return [Signal(day=d, severity_rank=worst.get(d, 0), red_flag=d in flagged) for d in days]


def _build(
    session: Session, person: PersonRow, product_row: ProductRow, protocol: str, start: date, today: date
) -> dict:
    return build_plan(
        protocol,
        to_model(product_row),
        _person(session, person, today),
        start=start,
        today=today,
        signals=_signals(session, person, start),
    )


def _out(row: PlanRow, body: dict, today: date, tz_name: str) -> PlanOut:
    now_day, nxt = current_day(body, today)
    return PlanOut(
        id=row.id,
        status=row.status,
        **body,
        timezone=tz_name,
        today=PlanDayOut(**now_day) if now_day else None,
        next_change=PlanDayOut(**nxt) if nxt else None,
    )


def new_plan(
    db: Database, *, product: str, protocol: str, start: date | None = None, now: datetime | None = None
) -> PlanOut:
    """Create a plan for ``product`` on ``protocol`` from ``start`` (default today); it replaces any active plan."""
    now = now or now_utc()
    with db.transaction() as session:
        person = get_person_row(session)
        today = _today(person, now)
        start = start or today
        if abs((start - today).days) > MAX_START_OFFSET_DAYS:
            raise InvalidInput("The start date must be within a year of today.", field="start")
        product_row = find_product(session, person.id, product)
        body = _build(session, person, product_row, protocol, start, today)  # raises PlanRefused with the reason
        for old in session.scalars(select(PlanRow).where(PlanRow.person_id == person.id, PlanRow.status == "active")):
            old.status, old.stopped_at = "replaced", now
        row = PlanRow(
            person_id=person.id,
            product_id=product_row.id,
            protocol=body["protocol"],
            start=start,
            status="active",
            body=body,
        )
        session.add(row)
        session.flush()
        return _out(row, body, today, person.timezone)


def _active(session: Session, person: PersonRow) -> PlanRow:
    row = session.scalars(
        select(PlanRow)
        .where(PlanRow.person_id == person.id, PlanRow.status == "active")
        .order_by(PlanRow.id.desc())
        .limit(1)
    ).first()
    if row is None:
        raise NotFound("You have no active plan. Make one with: dosewise plan new PRODUCT --protocol conservative")
    return row


def show_plan(db: Database, *, now: datetime | None = None) -> PlanOut:
    """Return the active plan re-laid out with the journal (holds and step-backs) and today's doses.

    Read-only: the adapted plan is a pure function of the stored plan and the journal, so showing it
    (a web GET, the clinician report) never writes. The stored body keeps the plan as created.
    """
    now = now or now_utc()
    with db.read() as session:
        person = get_person_row(session)
        row = _active(session, person)
        today = _today(person, now)
        product_row = session.get(ProductRow, row.product_id)
        if product_row is None:
            raise NotFound("The product of your plan no longer exists. Make a new plan with 'dosewise plan new'.")
        try:
            body = _build(session, person, product_row, row.protocol, row.start, today)
        except PlanRefused as exc:  # e.g. a flag set after the plan was made: say it is this plan that stops
            raise PlanRefused(
                f"Your {row.protocol} plan for {product_row.name} cannot go on: {exc.message} "
                "Do not follow it any further; talk to your clinician, and end it with "
                "'dosewise plan stop'."
            ) from None
        return _out(row, body, today, person.timezone)


def stop_plan(db: Database, *, now: datetime | None = None) -> PlanOut:
    """Stop the active plan (it stays stored, with its last body)."""
    now = now or now_utc()
    with db.transaction() as session:
        person = get_person_row(session)
        row = _active(session, person)
        row.status, row.stopped_at = "stopped", now
        return _out(row, dict(row.body), _today(person, now), person.timezone)


def list_protocols() -> list[ProtocolOut]:
    """Return the protocols a plan can follow, with their basis, sources and daily ceilings."""
    out = []
    for pid in protocol_ids():
        p = get_protocol(pid)
        out.append(
            ProtocolOut(
                id=p.id,
                title=p.title,
                basis=p.basis,
                refs=list(p.refs),
                ceiling_thc_mg_per_day=p.ceiling_thc_mg_day,
                ceiling_cbd_mg_per_day=p.ceiling_cbd_mg_day,
                product_form=p.product_form,
            )
        )
    return out
