"""Red-flag alerts: evaluated on every journal write and on demand.

The rules live in dosewise.safety.alerts (pure); this module feeds them the journal, stores new alerts
(deduplicated by ``key`` = rule + episode) and reads unacknowledged urgent ones.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from dosewise.model.journal import daily_mg
from dosewise.model.vocab import AlertLevel
from dosewise.safety.alerts import Context, Event, RuleHit, evaluate
from dosewise.safety.protocols import side_effect_rules
from dosewise.services.ceiling_source import daily_ceiling
from dosewise.services.checks import current_medicine_names
from dosewise.services.journal_schemas import AlertOut
from dosewise.services.runtime import person_day
from dosewise.store import alerts as stored
from dosewise.store.db import page_memoized
from dosewise.store.journal_queries import live
from dosewise.store.plans import current_plan
from dosewise.store.tables import (
    AlertRow,
    DoseRow,
    MeasurementRow,
    PersonRow,
    SideEffectRow,
    SymptomRow,
)

LOOKBACK = timedelta(days=150)  # longest rule window (90-day weight, 60-day BP baseline) plus margin


def journal_events(session: Session, person_id: int, *, now: datetime) -> list[Event]:
    """Return the symptom, side-effect and measurement events of the last LOOKBACK (not deleted)."""
    since = now - LOOKBACK
    events: list[Event] = []
    for sym in session.scalars(select(SymptomRow).where(live(SymptomRow, person_id), SymptomRow.at >= since)):
        events.append(Event(kind="symptom", item=sym.symptom, at=sym.at))
    for eff in session.scalars(select(SideEffectRow).where(live(SideEffectRow, person_id), SideEffectRow.at >= since)):
        events.append(Event(kind="side_effect", item=eff.effect, at=eff.at, severity=eff.severity))
    for m in session.scalars(select(MeasurementRow).where(live(MeasurementRow, person_id), MeasurementRow.at >= since)):
        events.append(Event(kind="measure", item=m.kind, at=m.at, value=m.value))
    return events


def dose_totals(session: Session, person: PersonRow, *, now: datetime) -> list[Event]:
    """Return one dose_total event per cannabinoid per journal day of the last 2 days (mg, at the last dose)."""
    rows = session.scalars(
        select(DoseRow).where(
            live(DoseRow, person.id),
            DoseRow.at >= now - timedelta(days=2),
            DoseRow.at <= now,
        )
    )
    return [
        Event(kind="dose_total", item=item, at=t.last_at, value=round(value, 4))
        for t in daily_mg(rows, person_day(person)).values()
        if t.last_at is not None
        for item, value in (("thc_mg", t.thc_mg), ("cbd_mg", t.cbd_mg))
    ]


def person_context(session: Session, person: PersonRow, *, drugs_when_asked: bool = False) -> Context:
    """Return the person's conditions, the curated ids of their current medicines and their plan's ceiling.

    With ``drugs_when_asked`` the medicines are named only if a rule that requires one fires (a rating need
    not load the drug vocabulary); ``drug_ids`` is then empty and ``Context.takes_any`` finds them.
    Once per page (store.db.page_memo): the plan, the reminders and the worries all ask.
    """
    key = ("person_context", person.id, drugs_when_asked)
    return page_memoized(session, key, lambda: _person_context(session, person, drugs_when_asked=drugs_when_asked))


def _person_context(session: Session, person: PersonRow, *, drugs_when_asked: bool) -> Context:
    names = current_medicine_names(session, person.id)
    find = (lambda: frozenset(_drug_ids_for(names))) if names else (lambda: frozenset())
    plan = current_plan(session, person.id)
    ceiling: tuple[tuple[str, float], ...] = ()
    if plan is not None and plan.body.get("ceiling"):
        c = plan.body["ceiling"]
        pairs = (("thc_mg", float(c["thc_mg_per_day"])), ("cbd_mg", float(c["cbd_mg_per_day"])))
        ceiling = tuple(p for p in pairs if p[1] > 0)  # a 0 mg CBD ceiling (dronabinol) is not a CBD limit
    set_ceiling, set_by = _set_ceiling(session, person, dict(ceiling))
    return Context(
        conditions=frozenset(d.condition_id for d in person.diagnoses),
        drug_ids=frozenset() if drugs_when_asked else find(),
        find_drug_ids=find if drugs_when_asked else None,
        ceiling_mg_day=ceiling,
        set_ceiling_mg_day=set_ceiling,
        set_ceiling_by=set_by,
        day=person_day(person),
    )


def _set_ceiling(
    session: Session, person: PersonRow, plan_ceiling: dict[str, float]
) -> tuple[tuple[tuple[str, float], ...], str]:
    """The ceiling set for the person, where it is lower than the plan's (mg/day), and who set it, in words."""
    found = daily_ceiling(session, person)
    if found is None:
        return (), ""
    pairs = (("thc_mg", found.thc_mg_day), ("cbd_mg", found.cbd_mg_day))
    lower = tuple((k, v) for k, v in pairs if v is not None and v < plan_ceiling.get(k, float("inf")))
    on = f" on {found.set_on.day} {found.set_on:%B %Y}" if found.set_on else ""
    return lower, f"{found.set_by or ''}{on}"


def _drug_ids_for(names: list[str]) -> set[str]:
    from dosewise.safety.interactions import drug_ids_for  # the drug vocabulary: loaded only when needed

    return drug_ids_for(names)


def alert_out(row: AlertRow, *, title: str | None = None) -> AlertOut:
    """Return a stored alert as the edges show it (the CLI banner, the web pages and their JSON)."""
    return AlertOut(
        id=row.id,
        rule_id=row.rule_id,
        level=AlertLevel(row.level),
        title=title or alert_title(row),
        message=row.message,
        why=row.why,
        refs=list(row.refs or []),
        first_seen=row.first_seen,
        last_seen=row.last_seen,
        acknowledged_at=row.acknowledged_at,
        advice=urgent_advice() if row.level == AlertLevel.URGENT else None,
    )


def urgent_advice() -> str:
    """Return what every urgent alert adds: take no more doses, contact a clinician (side_effect_rules.yaml)."""
    rule = next(r for r in side_effect_rules() if r["id"] == "urgent-alert-banner")
    return " ".join(rule["message"].split())


def alert_title(row: AlertRow) -> str:
    """Return the title of the rule that raised ``row`` (its rule id if the rule no longer exists)."""
    from dosewise.safety.alerts import rules

    return next((r.title for r in rules() if r.id == row.rule_id), row.rule_id)


def refresh_alerts(session: Session, person: PersonRow, *, now: datetime) -> list[AlertOut]:
    """Evaluate the rules for ``person`` inside the caller's transaction; return the NEW alerts."""
    events = journal_events(session, person.id, now=now) + dose_totals(session, person, now=now)
    hits = evaluate(events, person_context(session, person, drugs_when_asked=True), now=now)
    new = []
    for hit in hits:
        row = _store(session, person.id, hit, now=now)
        if row is not None:
            new.append(alert_out(row, title=hit.title))
    return new


def _store(session: Session, person_id: int, hit: RuleHit, *, now: datetime) -> AlertRow | None:
    """Store ``hit`` unless it is the same episode as an earlier alert; return the row if it is new."""
    latest = stored.latest_of_rule(session, person_id, hit.rule_id)
    if latest is not None:
        still_open = latest.acknowledged_at is None and hit.latest_at - latest.last_seen <= hit.window
        already_read = latest.acknowledged_at is not None and hit.latest_at <= latest.acknowledged_at
        if still_open or already_read:
            latest.last_seen = now  # the same episode: no new alert
            return None
    key = f"{hit.rule_id}:{hit.latest_at.isoformat()}"
    if stored.key_exists(session, person_id, key):
        return None
    row = AlertRow(
        person_id=person_id,
        rule_id=hit.rule_id,
        key=key,
        level=hit.level,
        message=hit.message,
        why=hit.why,
        refs=list(hit.refs),
        first_seen=now,
        last_seen=now,
    )
    session.add(row)
    session.flush()
    return row


def urgent_unacknowledged(session: Session, person_id: int) -> list[AlertOut]:
    """Return urgent alerts not yet acknowledged (shown on every CLI command and web page)."""
    return [alert_out(r) for r in stored.open_urgent(session, person_id)]
