"""Build a complete titration plan (eligibility, steps, days, ceiling, reviews) as a ``PlanBody``.

The body (safety/plan_body.py) is what is stored in PlanRow.body and what ``plan show --json`` prints.
Units: mg per dose / per day; amounts in whole product units.
"""

from __future__ import annotations

from datetime import date, timedelta

from dosewise.model.products import Product
from dosewise.safety.eligibility import PersonContext, assess
from dosewise.safety.plan_body import BodyCeiling, BodyDay, BodyDose, BodyReview, BodyStep, PlanBody
from dosewise.safety.plan_course import PlanEvent, lay_out
from dosewise.safety.protocols import Protocol, get_protocol, protocol_data, review_settings
from dosewise.safety.titration import (
    DEFAULT_HORIZON_DAYS,
    DailyCeiling,
    Plan,
    PlanDay,
    PlannedDose,
    PlannedStep,
    Signal,
    realise_steps,
)


def build_plan(
    protocol_id: str,
    product: Product,
    person: PersonContext,
    *,
    start: date,
    today: date,
    signals: list[Signal] | None = None,
    events: list[PlanEvent] | None = None,
    horizon_days: int = DEFAULT_HORIZON_DAYS,
    ceiling: DailyCeiling | None = None,
) -> PlanBody:
    """Return the plan body for ``product`` on ``protocol_id``; raise PlanRefused with the reason if unsafe.

    ``events`` (urgent alerts, hold, continue, resume) change the course from their day on (plan_course).
    ``ceiling`` (set for the person by a clinician or themself) lowers the protocol's ceiling, never raises it.
    """
    protocol = get_protocol(protocol_id)
    verdict = assess(protocol, product, person)
    unit, steps = realise_steps(protocol, product, thc_allowed=verdict.thc_allowed, ceiling=ceiling)
    plan = Plan(protocol=protocol, product=product, unit=unit.value, steps=steps)
    days = lay_out(plan, start=start, signals=signals or [], today=today, events=events, horizon_days=horizon_days)
    notes = _notes(protocol, product, plan)
    return PlanBody(
        protocol=protocol.id,
        protocol_title=protocol.title,
        product=product.name,
        product_content=product.describe_content(),
        content_source=CONTENT_SOURCES.get(product.potency_source, product.potency_source),
        unit=unit.value,
        start=start,
        ceiling=_ceiling(protocol, plan, ceiling),
        steps=[_step(s) for s in steps],
        days=[_day(d) for d in days],
        reviews=_reviews(start, verdict.liver_tests),
        cautions=verdict.cautions,
        notes=notes,
        basis=protocol.basis,
        refs=list(dict.fromkeys(list(protocol.refs) + list(protocol_data()["default_thc_ceiling_refs"]))),
    )


CONTENT_SOURCES = {  # where the plan's mg per drop / spray / capsule come from
    "label": "the label",
    "measured": "what a lab measured (certificate of analysis)",
    "mixed": "a lab's measurement for one cannabinoid and the label for the other",
}


def _ceiling(protocol: Protocol, plan: Plan, extra: DailyCeiling | None) -> BodyCeiling:
    why = (
        "THC at most 30 mg a day unless the protocol's own maximum is lower (MacCallum & Russo 2018); "
        f"CBD at most {protocol.ceiling_cbd_mg_day:g} mg a day for this protocol."
    )
    thc, cbd = (extra or DailyCeiling()).lowers(protocol.ceiling_thc_mg_day, protocol.ceiling_cbd_mg_day)
    if extra is not None and (thc, cbd) != (protocol.ceiling_thc_mg_day, protocol.ceiling_cbd_mg_day):
        who = f" {extra.set_by}" if extra.set_by else ""
        on = f" on {extra.set_on.day} {extra.set_on:%B %Y}" if extra.set_on else ""
        why += f" Lowered to {thc:g} mg THC and {cbd:g} mg CBD a day by the ceiling set{who}{on}."
    return BodyCeiling(
        thc_mg_per_day=thc,
        cbd_mg_per_day=cbd,
        max_units_per_day=max(s.units_day for s in plan.steps),
        unit=plan.unit,
        why=why,
        set_by=extra.set_by if extra else None,
        set_on=extra.set_on if extra else None,
        note=extra.note if extra else None,
    )


def _step(step: PlannedStep) -> BodyStep:
    return BodyStep(
        step=step.index,
        phase=step.phase,
        days=step.days,
        units_per_day=step.units_day,
        thc_mg_per_day=step.thc_mg_day,
        cbd_mg_per_day=step.cbd_mg_day,
        doses=[_dose(d) for d in step.doses],
    )


def _dose(d: PlannedDose) -> BodyDose:
    return BodyDose(time=d.time, amount=d.amount, unit=d.unit, thc_mg=d.thc_mg, cbd_mg=d.cbd_mg)


def _day(d: PlanDay) -> BodyDay:
    return BodyDay(
        date=d.date,
        step=d.step,
        phase=d.phase,
        action=d.action,
        note=d.note,
        status=d.status,
        hold=d.hold,
        doses=[_dose(x) for x in d.doses],
        thc_mg_per_day=d.thc_mg_per_day,
        cbd_mg_per_day=d.cbd_mg_per_day,
    )


def _reviews(start: date, liver_tests: bool) -> list[BodyReview]:
    day, percent, refs = review_settings()
    reviews = [
        BodyReview(
            date=start + timedelta(days=day),
            day=day,
            kind="effect",
            what=(
                f"Four-week review: compare your average symptom score (0-10) over the last week with your "
                f"baseline. Continue only if it is at least {percent:g} % better; otherwise stop with your "
                "clinician's advice."
            ),
            refs=list(refs),
        )
    ]
    if liver_tests:
        reviews.insert(
            0,
            BodyReview(
                date=start,
                day=0,
                kind="liver-tests",
                what="Liver blood tests (ALT, AST, bilirubin) before the first dose, then as your "
                "clinician advises while the dose rises.",
                refs=["epidiolex-pi-us", "riluzole-pi"],
            ),
        )
    return reviews


def _notes(protocol: Protocol, product: Product, plan: Plan) -> list[str]:
    notes = [
        "Step up only if side effects since the last step were none or mild. A moderate side effect holds "
        "the dose; a severe one or a red flag takes you back a step - then contact your clinician.",
        "The right dose is the lowest that helps without side effects; you do not have to reach the top.",
    ]
    if protocol.raw.get("min_minutes_between_sprays"):
        notes.append(f"Leave at least {protocol.raw['min_minutes_between_sprays']} minutes between sprays.")
    phases = {s.phase for s in plan.steps}
    if "cbd" in phases and "thc" not in phases and protocol.id in ("conservative", "routine"):
        notes.append(
            "This plan stops at the CBD phase: adding THC needs a product that contains THC and your "
            "clinician's agreement."
        )
    if len({(s.thc_mg_day, s.cbd_mg_day) for s in plan.steps}) == 1 and len(plan.steps) > 1:
        notes.append(
            f"One {plan.unit} of '{product.name}' is larger than one protocol step, so this plan cannot "
            "step up. Ask about a product with smaller units."
        )
    return notes
