"""What the clinician report and the FHIR export show, gathered from the store and the other services.

``clinician_report(db)`` returns one ``ClinicianReportOut`` (the JSON twin of the report page and
the PDF); the FHIR export's records come from ``services.fhir_source``. Parts that another service
provides (plan, effect estimate, interactions, adherence) are ``None`` with ``available=False`` until
that service exists: the report then says "not available" and never fills the gap with made-up data.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from dosewise.errors import DosewiseError, NotFound
from dosewise.model import vocab
from dosewise.model.journal import DayMg, PersonDay, daily_mg, side_effects
from dosewise.model.people import CONDITIONS, FLAGS
from dosewise.model.scales import get_scale
from dosewise.model.vocab import AlertLevel, InteractionSeverity, Severity
from dosewise.services import checks
from dosewise.services.actors import who_words
from dosewise.services.adherence import AdherenceOut, adherence_in
from dosewise.services.ceiling_source import ceiling_row, day_words
from dosewise.services.insights_schemas import AnalysisOut, PeriodOut
from dosewise.services.medicines import medicine_out
from dosewise.services.people import person_out
from dosewise.services.products import product_out
from dosewise.services.runtime import get_person_row, now_utc, person_day
from dosewise.services.schemas import MedicineOut, PersonOut, ProductOut
from dosewise.store.alerts import alerts as stored_alerts
from dosewise.store.db import Database
from dosewise.store.journal_queries import live, live_rows
from dosewise.store.medicines import current_medicines
from dosewise.store.medicines import medicines as stored_medicines
from dosewise.store.tables import DoseRow, PersonRow, ProductRow, RatingRow, SideEffectRow

log = logging.getLogger(__name__)

WINDOW_DAYS = 84  # the report covers the last 12 weeks (the issue asks for 8-12)
REGIMEN_DAYS = 7  # "current regimen" = mean mg per day over the last 7 complete journal days


class DayPoint(BaseModel):
    """One journal day: mean score (None = no rating), mg THC and mg CBD taken that day."""

    day: date
    score: float | None
    ratings: int
    thc_mg: float
    cbd_mg: float


class WeekDose(BaseModel):
    """Mean mg per day over one week of the window (how the regimen got where it is)."""

    week_start: date
    thc_mg_per_day: float
    cbd_mg_per_day: float
    dose_days: int


class Regimen(BaseModel):
    thc_mg_per_day: float
    cbd_mg_per_day: float
    doses_per_day: float
    products: list[str]
    since: date | None  # first dose day in the window with the current products, if any


class SideEffectSummary(BaseModel):
    effect: str
    label: str
    times: int
    worst: str
    last: date


class AlertSummary(BaseModel):
    level: str
    message: str
    first_seen: date
    acknowledged: bool


class Part(BaseModel):
    """A part another service provides: ``available`` False means that service has not landed yet."""

    available: bool
    data: Any = None
    reason: str | None = None  # why an available part has no data (e.g. too few days for an estimate)


class ClinicianReportOut(BaseModel):
    generated_at: datetime
    is_demo: bool
    person: PersonOut
    age: int | None
    conditions: list[str]
    flags: list[str]
    medicines: list[MedicineOut]
    all_medicines: list[MedicineOut]
    products: list[ProductOut]
    window_start: date
    window_end: date
    data_first: date | None
    data_last: date | None
    scale_id: str
    scale_name: str
    scale_min: float
    scale_max: float
    lower_is_better: bool
    days: list[DayPoint]
    weeks: list[WeekDose]
    steps: list[WeekDose]
    regimen: Regimen
    side_effects: list[SideEffectSummary]
    alerts: list[AlertSummary]
    plan: Part
    effect: Part
    interactions: Part
    adherence: Part
    references: list[str]
    weekly: AdherenceOut | None = None  # per week: planned doses taken, check-ins, reminders answered
    dose_ceiling: str | None = None  # "At most 10 mg THC a day. Ceiling set by ... on 2 December 2026: ..."
    periods: list[PeriodOut] = []  # the effect analysis's periods (as on Insights), cut to the window


def clinician_report(db: Database, *, now: datetime | None = None) -> ClinicianReportOut:
    """Return everything the one-page clinician report shows (the last 12 weeks, in the person's days)."""
    now = now or now_utc()
    plan = _plan_out(db, now)  # before the read: the plans service re-lays out the plan in its own transaction
    analysis = _analysis(db, now)
    with db.read() as session:
        person = get_person_row(session)
        pday = person_day(person)
        today = pday.of(now)
        start = today - timedelta(days=WINDOW_DAYS - 1)
        scale = get_scale(person.primary_scale)
        days = _days(session, person.id, scale.id, start, today, pday)
        meds = [medicine_out(r) for r in stored_medicines(session, person.id)]
        products = [
            product_out(r)
            for r in session.scalars(
                select(ProductRow)
                .where(ProductRow.person_id == person.id, ProductRow.archived.is_(False))
                .order_by(ProductRow.id)
            )
        ]
        plan_part, adherence = _plan_parts(session, person.id, plan, today, pday)
        weekly = adherence_in(session, person, today=today, weeks=WEEKLY_WEEKS)
        interactions = _interactions(session, person)
        first, last = _data_range(session, person.id, pday)
        dose_ceiling = _dose_ceiling(session, person)
        return ClinicianReportOut(
            dose_ceiling=dose_ceiling,
            generated_at=now.astimezone(pday.tz),
            is_demo=person.is_demo,
            person=person_out(person),
            age=None if person.birth_year is None else today.year - person.birth_year,
            conditions=[CONDITIONS.get(d.condition_id, d.condition_id) for d in person.diagnoses],
            flags=[FLAGS.get(f, f) for f in person.flags],
            medicines=[m for m in meds if m.stopped is None],
            all_medicines=meds,
            products=products,
            window_start=start,
            window_end=today,
            data_first=first,
            data_last=last,
            scale_id=scale.id,
            scale_name=scale.name,
            scale_min=scale.min,
            scale_max=scale.max,
            lower_is_better=scale.lower_is_better,
            days=days,
            weeks=(weeks := _weeks(days[:-1])),
            steps=_steps(weeks),
            regimen=_regimen(session, person.id, days[:-1], today, pday),
            side_effects=_side_effects(session, person.id, start, pday),
            alerts=_alerts(session, person.id, start, pday.tz),
            plan=plan_part,
            effect=effect_part(analysis),
            periods=_periods_within(analysis, start, today),
            interactions=interactions,
            adherence=adherence,
            weekly=weekly,
            references=_references(scale.refs, plan, interactions),
        )


def report_chart(report: ClinicianReportOut) -> str:
    """Return the report's symptom chart: the Insights page's drawing (``analysis.charts.symptom_chart``) of
    the report's days, as inline SVG ("" when the window has no days)."""
    from dosewise.analysis.charts import ChartDay, symptom_chart  # numpy: loaded only for a report

    days = [ChartDay(d.day, d.score, d.ratings, d.thc_mg, d.cbd_mg) for d in report.days]
    return symptom_chart(days, scale=get_scale(report.scale_id), periods=[p.span() for p in report.periods])


def _days(
    session: Session,
    person_id: int,
    scale_id: str,
    start: date,
    end: date,
    pday: PersonDay,
) -> list[DayPoint]:
    """Return one point per journal day from ``start`` to ``end``: mean score and mg taken."""
    scores: dict[date, list[float]] = defaultdict(list)
    since = datetime.combine(start - timedelta(days=1), datetime.min.time(), tzinfo=pday.tz)
    for r in session.scalars(
        live_rows(RatingRow, person_id).where(RatingRow.scale_id == scale_id, RatingRow.at >= since)
    ):
        scores[pday.of(r.at)].append(r.value)
    mg = daily_mg(session.scalars(live_rows(DoseRow, person_id).where(DoseRow.at >= since)), pday)
    out = []
    for i in range((end - start).days + 1):
        day = start + timedelta(days=i)
        s = scores.get(day, [])
        out.append(
            DayPoint(
                day=day,
                score=round(sum(s) / len(s), 2) if s else None,
                ratings=len(s),
                thc_mg=round(mg.get(day, DayMg()).thc_mg, 2),
                cbd_mg=round(mg.get(day, DayMg()).cbd_mg, 2),
            )
        )
    return out


def _weeks(days: list[DayPoint]) -> list[WeekDose]:
    """Return mean mg per day for each 7-day block of complete days, the last block ending yesterday."""
    out = []
    for end in range(len(days), 0, -7):
        block = days[max(0, end - 7) : end]
        out.append(
            WeekDose(
                week_start=block[0].day,
                thc_mg_per_day=round(sum(d.thc_mg for d in block) / len(block), 1),
                cbd_mg_per_day=round(sum(d.cbd_mg for d in block) / len(block), 1),
                dose_days=sum(1 for d in block if d.thc_mg or d.cbd_mg),
            )
        )
    return list(reversed(out))


def _steps(weeks: list[WeekDose]) -> list[WeekDose]:
    """Return the first week and each week whose mean mg per day changed by more than 1 mg or 10 %."""
    out: list[WeekDose] = []
    for w in weeks:
        if not out:
            out.append(w)
            continue
        prev = out[-1]
        for now_mg, was_mg in ((w.cbd_mg_per_day, prev.cbd_mg_per_day), (w.thc_mg_per_day, prev.thc_mg_per_day)):
            if abs(now_mg - was_mg) > max(1.0, 0.1 * was_mg):
                out.append(w)
                break
    return out


def _regimen(session: Session, person_id: int, days: list[DayPoint], today: date, pday: PersonDay) -> Regimen:
    """Return mean mg THC and CBD per day over the last 7 complete journal days, and the products used."""
    recent = days[-REGIMEN_DAYS:]
    since = datetime.combine(today - timedelta(days=REGIMEN_DAYS + 1), datetime.min.time(), tzinfo=pday.tz)
    doses = [
        d
        for d in session.scalars(live_rows(DoseRow, person_id).where(DoseRow.at >= since))
        if recent[0].day <= pday.of(d.at) <= recent[-1].day
    ]
    names = sorted({d.product.name for d in doses})
    first_days = [
        pday.of(d.at)
        for d in session.scalars(live_rows(DoseRow, person_id).order_by(DoseRow.at))
        if d.product.name in names
    ]
    return Regimen(
        thc_mg_per_day=round(sum(d.thc_mg for d in recent) / len(recent), 1),
        cbd_mg_per_day=round(sum(d.cbd_mg for d in recent) / len(recent), 1),
        doses_per_day=round(len(doses) / len(recent), 1),
        products=names,
        since=first_days[0] if first_days else None,
    )


def _side_effects(session: Session, person_id: int, start: date, pday: PersonDay) -> list[SideEffectSummary]:
    labels = side_effects()
    grouped: dict[str, list[SideEffectRow]] = defaultdict(list)
    since = datetime.combine(start, datetime.min.time(), tzinfo=pday.tz)
    for r in session.scalars(live_rows(SideEffectRow, person_id).where(SideEffectRow.at >= since)):
        grouped[r.effect].append(r)
    out = [
        SideEffectSummary(
            effect=effect,
            label=labels.get(effect, {}).get("label", effect),
            times=len(rows),
            worst=max((r.severity for r in rows), key=Severity.rank_of),
            last=max(pday.of(r.at) for r in rows),
        )
        for effect, rows in grouped.items()
    ]
    return sorted(out, key=lambda s: (-Severity.rank_of(s.worst), -s.times, s.label))


def _alerts(session: Session, person_id: int, start: date, tz: tzinfo) -> list[AlertSummary]:
    rows = stored_alerts(session, person_id)
    since = datetime.combine(start, datetime.min.time(), tzinfo=tz)
    out = [
        AlertSummary(
            level=r.level,
            message=r.message,
            first_seen=r.first_seen.astimezone(tz).date(),
            acknowledged=r.acknowledged_at is not None,
        )
        for r in rows
        if r.last_seen >= since or r.acknowledged_at is None
    ]
    return sorted(out, key=lambda a: (AlertLevel(a.level).rank, a.first_seen))


class PlanSummary(BaseModel):
    """The active titration plan (services.plans) in a few lines; mg per day as planned."""

    title: str
    product: str
    product_content: str
    content_source: str
    start: date
    today: str | None
    ceiling: str
    changes: list[str]
    next_change: str | None
    next_review: str | None


class AdherenceSummary(BaseModel):
    """Doses logged against the plan on complete plan days (at most the last 28)."""

    first: date
    last: date
    days: int
    days_as_planned: int
    planned_mg: float  # mg THC + mg CBD the plan set for those days
    taken_mg: float  # mg THC + mg CBD logged with the plan's product on those days


ADHERENCE_DAYS = 28
WEEKLY_WEEKS = 4  # weeks of the per-week adherence lines (services/adherence.py)
ADHERENCE_TOLERANCE = 0.10  # a day is "as planned" with the planned number of doses and mg within 10 %


def _mg_day(x: Any) -> str:
    """Return '40 mg CBD + 2.0 mg THC/day' for anything with thc_mg_per_day and cbd_mg_per_day."""
    return f"{x.cbd_mg_per_day:.0f} mg CBD" + (f" + {x.thc_mg_per_day:.1f} mg THC" if x.thc_mg_per_day else "") + "/day"


def _plan_out(db: Database, now: datetime) -> Part:
    """Return the active plan as a Part holding the plans service's PlanOut (or why there is none)."""
    from dosewise.services import plans

    try:
        return Part(available=True, data=plans.show_plan(db, now=now))
    except NotFound:
        return Part(available=True, data=None, reason="no active titration plan.")
    except DosewiseError as exc:  # e.g. the plan cannot be re-laid out for an edited product
        return Part(available=True, data=None, reason=f"the plan cannot be shown: {exc.message}")


def _plan_summary(plan: Any, today: date) -> PlanSummary:
    changes = [
        f"{d.date.day} {d.date:%b}: {d.action.replace('_', ' ')} to {_mg_day(d)}"
        for d in plan.days
        if d.action != "continue" and d.date <= today
    ]
    review = next((r for r in plan.reviews if r.date >= today), None)
    return PlanSummary(
        title=plan.protocol_title,
        product=plan.product,
        product_content=plan.product_content,
        content_source=plan.content_source,
        start=plan.start,
        today=_plan_today(plan),
        ceiling=f"ceiling {_mg_day(plan.ceiling)}",
        changes=changes[-5:],
        next_change=f"{plan.next_change.date:%d %b}: {_mg_day(plan.next_change)}" if plan.next_change else None,
        next_review=f"{review.date:%d %b}: {review.what}" if review else None,
    )


def _plan_today(plan: Any) -> str | None:
    """Today's step, or the stop / pause (with since when and why) when the plan gives no dose."""
    if plan.status in ("stopped", "paused"):
        why = plan.status_note or ""
        return f"{plan.status.upper()} since {plan.status_since:%d %b}: no planned dose. {why}".strip()
    if plan.today is None:
        return None
    held = " (held: staying on this dose)" if plan.status == "held" else ""
    return f"step {plan.today.step} ({plan.today.phase}): {_mg_day(plan.today)}{held}"


def _adherence(session: Session, person_id: int, plan: Any, today: date, pday: PersonDay) -> Part:
    """Compare the plan's past days with the doses logged with its product (complete days only)."""
    days = [d for d in plan.days if d.date < today][-ADHERENCE_DAYS:]
    if not days:
        return Part(available=True, data=None, reason="the plan has no complete day yet.")
    since = datetime.combine(days[0].date - timedelta(days=1), datetime.min.time(), tzinfo=pday.tz)
    doses = session.scalars(live_rows(DoseRow, person_id).where(DoseRow.at >= since))
    taken = daily_mg((d for d in doses if d.product.name == plan.product), pday)
    as_planned = 0
    for d in days:
        planned = d.thc_mg_per_day + d.cbd_mg_per_day
        t = taken.get(d.date, DayMg())
        count, mg = t.doses, t.thc_mg + t.cbd_mg
        if count == len(d.doses) and abs(mg - planned) <= ADHERENCE_TOLERANCE * max(planned, 1e-9):
            as_planned += 1
    return Part(
        available=True,
        data=AdherenceSummary(
            first=days[0].date,
            last=days[-1].date,
            days=len(days),
            days_as_planned=as_planned,
            planned_mg=round(sum(d.thc_mg_per_day + d.cbd_mg_per_day for d in days), 1),
            taken_mg=round(sum(taken[d.date].thc_mg + taken[d.date].cbd_mg for d in days if d.date in taken), 1),
        ),
    )


def _dose_ceiling(session: Session, person: PersonRow) -> str | None:
    """The daily ceiling set for the person, who set it and when, in one sentence (None when none is set)."""
    row = ceiling_row(session, person)
    if row is None:
        return None
    parts = [f"{v:g} mg {n}" for v, n in ((row.thc_mg_per_day, "THC"), (row.cbd_mg_per_day, "CBD")) if v]
    note = f': "{row.note}"' if row.note else ""
    when = day_words(row.set_at, person)
    return f"At most {' and '.join(parts)} a day. Ceiling set {who_words(row.set_by, row.set_by_role)} on {when}{note}."


def _plan_parts(
    session: Session,
    person_id: int,
    plan: Part,
    today: date,
    pday: PersonDay,
) -> tuple[Part, Part]:
    """Return the plan and adherence parts from the plans service's answer."""
    if not plan.available or plan.data is None:
        return plan, Part(available=plan.available, reason=plan.reason)
    return (
        Part(available=True, data=_plan_summary(plan.data, today)),
        _adherence(session, person_id, plan.data, today, pday),
    )


DESIGN_WORDS = {
    "before_after": "before/after comparison",
    "randomised": "randomised trial",
    "exposure": "dose-response association",
}


class EffectSummary(BaseModel):
    """The effect estimate from services.insights, in scale points (treatment minus comparison)."""

    verdict: str
    verdict_text: str
    design: str  # before_after | randomised | exposure
    design_text: str  # e.g. "open-label, not randomised"; "randomised, blinded" (from services.insights)
    design_words: str  # e.g. "before/after comparison"
    blinded: bool
    mean: float
    low: float
    high: float
    mcid: float
    p_benefit: float
    p_harm: float
    n_days: int
    estimate_text: str
    responder: str | None


def _pts(value: float) -> str:
    """Format scale points with 2 decimals near zero (so -0.006 reads -0.01, not -0.0), else 1."""
    return f"{value:.2f}" if abs(value) < 0.1 else f"{value:.1f}"


def _analysis(db: Database, now: datetime) -> AnalysisOut | Part:
    """Return the effect analysis of the primary scale (as on Insights), or the Part saying why there is none."""
    from dosewise.services import insights  # numpy and the models: loaded only for a report

    try:
        return insights.analyze(db, now=now)
    except DosewiseError as exc:
        return Part(available=True, data=None, reason=exc.message)
    except Exception:  # the report must still reach the clinician; the failure is logged
        log.exception("effect analysis failed while making the clinician report")
        return Part(
            available=True,
            data=None,
            reason="the analysis failed on this data (a Dosewise bug: please report it); no estimate is shown.",
        )


def _periods_within(analysis: AnalysisOut | Part, first: date, last: date) -> list[PeriodOut]:
    """The analysis's periods (baseline, on product, trial periods) cut to the report's window."""
    if isinstance(analysis, Part):
        return []
    return [p for p in (period.within(first, last) for period in analysis.periods) if p is not None]


def effect_part(a: AnalysisOut | Part) -> Part:
    """Return the effect estimate for the primary scale, or why there is none ('not enough data')."""
    if isinstance(a, Part):
        return a
    responder = None
    if a.responder is not None and a.responder.percent_improvement is not None:
        responder = (
            f"4-week responder check ({a.responder.window_first:%d %b} to {a.responder.window_last:%d %b}): "
            f"{a.responder.percent_improvement:.0f} % better than the baseline mean "
            f"{a.responder.baseline_mean:.1f} (unadjusted)."
        )
    better = (a.estimate.mean < 0) == a.lower_is_better
    text = (
        f"{abs(a.estimate.mean):.1f} points {'lower' if a.estimate.mean < 0 else 'higher'} "
        f"({'better' if better else 'worse'}) on treatment (95 % interval {_pts(a.estimate.low)} to "
        f"{_pts(a.estimate.high)} points; minimal important difference {a.mcid:.1f}). Chance of an improvement "
        f"at least that large: {a.p_benefit:.0%}; of a worsening that large: {a.p_harm:.0%}."
    )
    return Part(
        available=True,
        data=EffectSummary(
            verdict=a.verdict,
            verdict_text=vocab.label(a.verdict, "verdict"),
            design=a.design,
            design_text=a.label,
            design_words=DESIGN_WORDS.get(a.design, a.design),
            blinded=a.blinded,
            mean=a.estimate.mean,
            low=a.estimate.low,
            high=a.estimate.high,
            mcid=a.mcid,
            p_benefit=a.p_benefit,
            p_harm=a.p_harm,
            n_days=a.n_days,
            estimate_text=text,
            responder=responder,
        ),
    )


def _interactions(session: Session, person: PersonRow) -> Part:
    """Interaction findings from services.checks; 'not available' until the safety engine exists.

    A current medicine without a resolved drug id is listed as unknown (not checked) even if the
    checker did not say so: the report never implies that an unchecked medicine was checked.
    """
    result = checks.findings_for_person(session, person).model_dump()
    current = current_medicines(session, person.id)
    unresolved = [m.name for m in current if m.drug_id is None and not checks.names_a_drug(m.name)]
    result["unknown"] = list(dict.fromkeys([*result.get("unknown", []), *unresolved]))
    result["findings"].sort(key=lambda f: InteractionSeverity.rank_of(f.get("severity", "")))
    return Part(available=True, data=result)


def _data_range(session: Session, person_id: int, pday: PersonDay) -> tuple[date | None, date | None]:
    times = [
        t
        for table in (DoseRow, RatingRow, SideEffectRow)
        for t in session.execute(select(table.at).where(live(table, person_id)).order_by(table.at)).scalars()
    ]
    if not times:
        return None, None
    return (
        pday.of(min(times)),
        pday.of(max(times)),
    )


def _references(scale_refs: tuple[str, ...], plan: Part, interactions: Part) -> list[str]:
    """Return 'Authors Year, Source' lines for the references the report relies on."""
    from dosewise.knowledge.references import load_references

    ids = list(scale_refs)
    if plan.available and plan.data is not None:
        ids += list(plan.data.refs) + [r for review in plan.data.reviews for r in review.refs]
    if interactions.available:
        ids += [r for f in interactions.data["findings"] for r in (*f.get("refs", []), *f.get("citations", []))]
    refs = load_references()
    return [refs[i].short() for i in dict.fromkeys(ids) if i in refs]
