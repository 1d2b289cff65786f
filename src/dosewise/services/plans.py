"""Titration plans: create, show (adapted to the journal, alerts and events), end. Stored in the plan table.

PlanRow.body keeps the plan as created; PlanRow.status is only the record's lifecycle (current | ended |
replaced). Whether the current plan is active, held, paused or stopped is derived each time from the journal,
the alerts and its plan_event rows (safety/plan_course.py), which hold, continue and resume add.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from dosewise.errors import InvalidInput, NotFound, PlanRefused
from dosewise.model.journal import validate_entered_by
from dosewise.model.vocab import AlertLevel, Severity
from dosewise.safety.eligibility import PersonContext
from dosewise.safety.plan_body import PlanBody
from dosewise.safety.plan_builder import build_plan
from dosewise.safety.plan_course import SAFETY_HOLDS, EventKind, HoldReason, PlanEvent, PlanStatus
from dosewise.safety.protocols import get_protocol, protocol_ids
from dosewise.safety.titration import Signal
from dosewise.services.actors import entered_words
from dosewise.services.alerts import alert_title, person_context, urgent_unacknowledged
from dosewise.services.ceiling_source import daily_ceiling
from dosewise.services.products import find_product, to_model
from dosewise.services.runtime import get_person_row, now_utc, person_day
from dosewise.services.safety_schemas import PlanDayOut, PlanEventOut, PlanOut, ProtocolOut
from dosewise.store import plans as stored_plans
from dosewise.store.db import Database, page_memoized
from dosewise.store.journal_queries import live
from dosewise.store.plans import CURRENT
from dosewise.store.tables import AlertRow, PersonRow, PlanEventRow, PlanRow, ProductRow, SideEffectRow

MAX_START_OFFSET_DAYS = 366


def _today(person: PersonRow, now: datetime) -> date:
    return person_day(person).of(now)


def _person(session: Session, person: PersonRow, today: date) -> PersonContext:
    # Only the birth year is stored: use the youngest age the person can be (birthday maybe not yet reached).
    age = None if person.birth_year is None else today.year - person.birth_year - 1
    return PersonContext(
        age=age, flags=frozenset(person.flags or []), drug_ids=person_context(session, person).drug_ids
    )


def _signals(session: Session, person: PersonRow, row: PlanRow) -> list[Signal]:
    """Return per-journal-day signals since the plan's start: worst side effect and whether a red flag fired.

    A red flag here is a 'soon' alert, or an urgent one raised before the plan was made; urgent alerts raised
    since then are events that stop the plan (``_events``).
    """
    pday = person_day(person)
    since = datetime.combine(row.start - timedelta(days=1), datetime.min.time(), tzinfo=pday.tz)
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
        if a.level == AlertLevel.SOON or a.first_seen < row.created_at:
            flagged.add(pday.of(a.first_seen))
    days = sorted(d for d in set(worst) | flagged if d >= row.start)
    return [Signal(day=d, severity_rank=worst.get(d, 0), red_flag=d in flagged) for d in days]


def _events(session: Session, person: PersonRow, row: PlanRow) -> list[PlanEvent]:
    """Return what changes the plan's course: urgent alerts raised since it was made, and the person's events.

    Acknowledging an alert changes nothing here: the alert row still counts (only a resume ends a stop).
    """
    pday = person_day(person)
    urgent = session.scalars(
        select(AlertRow).where(
            AlertRow.person_id == person.id,
            AlertRow.level == AlertLevel.URGENT,
            AlertRow.first_seen >= row.created_at,
        )
    )
    out = [
        PlanEvent(
            kind=EventKind.URGENT_ALERT,
            day=pday.of(a.first_seen),
            at=a.first_seen,
            title=alert_title(a),
        )
        for a in urgent
    ]
    for e in session.scalars(select(PlanEventRow).where(PlanEventRow.plan_id == row.id).order_by(PlanEventRow.id)):
        out.append(PlanEvent(kind=EventKind(e.kind), day=pday.of(e.at), at=e.at, note=e.note))
    return out


def _build(
    session: Session,
    person: PersonRow,
    product_row: ProductRow,
    row: PlanRow | None,
    protocol: str,
    start: date,
    today: date,
) -> PlanBody:
    return build_plan(
        protocol,
        to_model(product_row),
        _person(session, person, today),
        start=start,
        today=today,
        signals=_signals(session, person, row) if row is not None else [],
        events=_events(session, person, row) if row is not None else [],
        ceiling=daily_ceiling(session, person),  # a ceiling set for the person caps every day, at once
    )


def _event_outs(session: Session, person: PersonRow, row: PlanRow) -> list[PlanEventOut]:
    pday = person_day(person)
    rows = session.scalars(select(PlanEventRow).where(PlanEventRow.plan_id == row.id).order_by(PlanEventRow.id))
    return [
        PlanEventOut(
            kind=e.kind,
            at=e.at,
            day=pday.of(e.at),
            note=e.note,
            entered_by=e.entered_by,
            entered_by_account=e.entered_by_account,
            entered_by_words=_entered_words(e),
        )
        for e in rows
    ]


def _entered_words(e: PlanEventRow) -> str:
    """Who entered a plan event, in the journal's words; "" when not known. Before accounts (migration 0008)
    an event's role was "person" unless the browser said otherwise, so without an account it says nothing."""
    if e.entered_by_account is None and e.entered_by == "person":
        return ""
    return entered_words(e.entered_by_account, e.entered_by)


def _out(row: PlanRow, body: PlanBody, today: date, tz_name: str, events: list[PlanEventOut] | None = None) -> PlanOut:
    now_day, nxt = body.current_day(today)
    status, since, why = _status(row, body, today)
    return PlanOut(
        id=row.id,
        **body.model_dump(mode="json", exclude={"steps"}),
        status=status,
        status_since=since,
        status_note=why,
        hold=now_day.hold if now_day and status == PlanStatus.HELD else None,
        events=events or [],
        timezone=tz_name,
        today=PlanDayOut(**now_day.model_dump(mode="json")) if now_day else None,
        next_change=PlanDayOut(**nxt.model_dump(mode="json"))
        if nxt and status in (PlanStatus.ACTIVE, PlanStatus.HELD)
        else None,
    )


def _status(row: PlanRow, body: PlanBody, today: date) -> tuple[PlanStatus, date | None, str | None]:
    """Return today's status, the day it began and the note of that day (the reason), from the laid-out days."""
    if row.status != CURRENT:
        return PlanStatus.ENDED, None, None
    days = [d for d in body.days if d.date <= today]
    if not days:
        return PlanStatus.ACTIVE, None, None
    first = days[-1]
    for d in reversed(days):
        if d.status != first.status:
            break
        first = d
    return first.status, first.date, first.note


def new_plan(
    db: Database, *, product: str, protocol: str, start: date | None = None, now: datetime | None = None
) -> PlanOut:
    """Create a plan for ``product`` on ``protocol`` from ``start`` (default today); it replaces the current plan.

    Refused while an urgent alert is open, or while the current plan is stopped after an urgent alert (resume
    it with the clinician's agreement, or end it first).
    """
    now = now or now_utc()
    with db.transaction() as session:
        person = get_person_row(session)
        today = _today(person, now)
        start = start or today
        if abs((start - today).days) > MAX_START_OFFSET_DAYS:
            raise InvalidInput("The start date must be within a year of today.", field="start")
        _refuse_after_urgent(session, person, today)
        product_row = find_product(session, person.id, product)
        body = _build(session, person, product_row, None, protocol, start, today)  # raises PlanRefused
        for old in stored_plans.current_plans(session, person.id):
            old.status, old.stopped_at = "replaced", now
        row = PlanRow(
            person_id=person.id,
            product_id=product_row.id,
            protocol=body.protocol,
            start=start,
            status=CURRENT,
            body=body.stored(),
            created_at=now,
        )
        session.add(row)
        session.flush()
        return _out(row, body, today, person.timezone)


def _refuse_after_urgent(session: Session, person: PersonRow, today: date) -> None:
    open_urgent = urgent_unacknowledged(session, person.id)
    if open_urgent:
        raise PlanRefused(
            f"An urgent alert is open ({open_urgent[0].title}). Do not start a plan now: contact a clinician "
            "first. Once you have, acknowledge the alert, then make the plan."
        )
    row = _current_or_none(session, person)
    if row is not None and _laid_out(session, person, row, today)[1] is PlanStatus.STOPPED:
        raise PlanRefused(
            "Your current plan is stopped after an urgent alert. Restart it only when a clinician agreed "
            "(with a note saying so), or end it first; then you can make a new plan."
        )


def _current_or_none(session: Session, person: PersonRow) -> PlanRow | None:
    return stored_plans.current_plan(session, person.id)


def _current(session: Session, person: PersonRow) -> PlanRow:
    row = _current_or_none(session, person)
    if row is None:
        raise NotFound("You have no active plan. Make one with: dosewise plan new PRODUCT --protocol conservative")
    return row


def _laid_out(session: Session, person: PersonRow, row: PlanRow, today: date) -> tuple[PlanBody, PlanStatus | None]:
    """Return the plan re-laid out with the journal and events, and today's status (None if it cannot be).

    Once per page: the Today page shows the plan and the reminders, which both need it (store.db.page_memo).
    """
    return page_memoized(session, ("laid_out", row.id, today), lambda: _lay_out(session, person, row, today))


def _lay_out(session: Session, person: PersonRow, row: PlanRow, today: date) -> tuple[PlanBody, PlanStatus | None]:
    product_row = session.get(ProductRow, row.product_id)
    if product_row is None:
        raise NotFound("The product of your plan no longer exists. Make a new plan with 'dosewise plan new'.")
    try:
        body = _build(session, person, product_row, row, row.protocol, row.start, today)
    except PlanRefused as exc:  # e.g. a flag set after the plan was made: say it is this plan that stops
        raise PlanRefused(
            f"Your {row.protocol} plan for {product_row.name} cannot go on: {exc.message} "
            "Do not follow it any further; talk to your clinician, and end it with "
            "'dosewise plan stop'."
        ) from None
    return body, _status(row, body, today)[0]


def current_plan_day(session: Session, person: PersonRow, today: date) -> tuple[PlanRow, PlanBody, PlanStatus] | None:
    """Return (the current plan's row, its body re-laid out to ``today``, today's status), or None.

    None also when the plan cannot go on (PlanRefused, e.g. a flag set after it was made): no dose is
    scheduled then. For the reminders service, which reads inside its own session.
    """
    row = _current_or_none(session, person)
    if row is None:
        return None
    try:
        body, status = _laid_out(session, person, row, today)
    except (PlanRefused, NotFound):
        return None
    return row, body, status or PlanStatus.ACTIVE


def show_plan(db: Database, *, now: datetime | None = None) -> PlanOut:
    """Return the current plan re-laid out with the journal and its events, with today's doses and status.

    Read-only: the adapted plan is a pure function of the stored plan, the journal, the alerts and the plan's
    events, so showing it (a web GET, the clinician report) never writes. The stored body keeps the plan
    as created.
    """
    now = now or now_utc()
    with db.read() as session:
        person = get_person_row(session)
        row = _current(session, person)
        today = _today(person, now)
        body, _ = _laid_out(session, person, row, today)
        return _out(row, body, today, person.timezone, _event_outs(session, person, row))


def end_plan(db: Database, *, now: datetime | None = None) -> PlanOut:
    """End the current plan for good (it stays stored, with its last body); a new plan can then be made."""
    now = now or now_utc()
    with db.transaction() as session:
        person = get_person_row(session)
        row = _current(session, person)
        row.status, row.stopped_at = "ended", now
        return _out(
            row,
            PlanBody.model_validate(row.body),
            _today(person, now),
            person.timezone,
            _event_outs(session, person, row),
        )


MAX_NOTE_CHARS = 1000


def hold_plan(db: Database, *, now: datetime | None = None, entered_by: str = "person") -> PlanOut:
    """ "This dose works, stay here": hold the current plan at today's step (it will not step up)."""
    return _record(db, EventKind.HOLD, note=None, now=now, entered_by=entered_by)


def continue_plan(
    db: Database, *, note: str | None = None, now: datetime | None = None, entered_by: str = "person"
) -> PlanOut:
    """Let a held plan climb again (after a full interval). After a step back or a restart, a note is needed."""
    return _record(db, EventKind.CONTINUE, note=note, now=now, entered_by=entered_by)


def resume_plan(db: Database, *, note: str, now: datetime | None = None, entered_by: str = "person") -> PlanOut:
    """Restart a stopped (or paused) plan one step lower, with a note of the clinician's agreement (required)."""
    return _record(db, EventKind.RESUME, note=note, now=now, entered_by=entered_by)


def _record(db: Database, kind: EventKind, *, note: str | None, now: datetime | None, entered_by: str) -> PlanOut:
    now = now or now_utc()
    note = (note or "").strip() or None
    if note is not None and len(note) > MAX_NOTE_CHARS:
        raise InvalidInput(f"The note can be at most {MAX_NOTE_CHARS} characters.", field="note")
    with db.transaction() as session:
        person = get_person_row(session)
        row = _current(session, person)
        today = _today(person, now)
        body, status = _laid_out(session, person, row, today)
        _check_transition(kind, status, _hold_of(body, today), note)
        session.add(
            PlanEventRow(plan_id=row.id, kind=kind.value, at=now, note=note, entered_by=validate_entered_by(entered_by))
        )
        session.flush()
        body, _ = _laid_out(session, person, row, today)
        return _out(row, body, today, person.timezone, _event_outs(session, person, row))


def _hold_of(body: PlanBody, today: date) -> HoldReason | None:
    now_day, _ = body.current_day(today)
    return HoldReason(now_day.hold) if now_day and now_day.hold else None


def _check_transition(kind: EventKind, status: PlanStatus | None, hold: HoldReason | None, note: str | None) -> None:
    """Raise InvalidInput (changing nothing) unless ``kind`` makes sense for a plan in ``status`` today."""
    if kind is EventKind.RESUME:
        if status not in (PlanStatus.STOPPED, PlanStatus.PAUSED):
            raise InvalidInput(f"Your plan is {status}, not stopped or paused: there is nothing to restart.")
        if note is None:
            raise InvalidInput(
                "Say who agreed to restart, and when (for example 'Dr Silva agreed by phone on 3 December'). "
                "A plan stopped for safety restarts only with a clinician's agreement.",
                field="note",
            )
    elif kind is EventKind.HOLD and status is not PlanStatus.ACTIVE:
        raise InvalidInput(
            "Your plan already stays on this dose."
            if status is PlanStatus.HELD
            else f"Your plan is {status}: there is no dose to stay on."
        )
    elif kind is EventKind.CONTINUE:
        if status is not PlanStatus.HELD:
            raise InvalidInput(f"Your plan is {status}, not holding a dose: there is nothing to continue.")
        if hold in SAFETY_HOLDS and note is None:
            raise InvalidInput(
                "Your plan holds this dose after a safety step (a step back or a restart). Step up again only "
                "when your clinician agreed: add a note saying who agreed and when.",
                field="note",
            )


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
