"""Today's step of the active titration plan, adapted from the plans service for the Today page."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel

from dosewise.errors import NoPerson, NotFound, PlanRefused
from dosewise.services import plans
from dosewise.services.choices import format_quantity
from dosewise.services.runtime import Database  # the type services take
from dosewise.services.safety_schemas import PlanOut
from dosewise.services.today import UsualDoseOut


class PlanStepOut(BaseModel):
    """Today's plan step: the doses (local times) and what changes today."""

    day: date
    step: int
    action: str  # start | continue | step_up | hold | step_back
    note: str | None
    product: str
    doses: list[str]  # "3 drops at 21:00"
    next_amount: str  # the amount of the next planned dose today, e.g. "3 drops"
    next_quantity: float
    next_unit: str
    thc_mg_per_day: float
    cbd_mg_per_day: float

    def usual_dose(self) -> UsualDoseOut:
        return UsualDoseOut(
            product=self.product,
            quantity=self.next_quantity,
            unit=self.next_unit,
            amount_text=self.next_amount,
            source="plan",
        )


def active_plan(db: Database) -> tuple[PlanOut | None, str | None]:
    """Return (the active plan, None); (None, None) without one; (None, why) when it cannot be laid out now.

    NoPerson still propagates (the page then offers set-up).
    """
    try:
        return plans.show_plan(db), None
    except NoPerson:
        raise
    except NotFound:
        return None, None
    except PlanRefused as exc:  # e.g. a safety flag set after the plan was made: say so, never hide it
        return None, exc.message


def pause_of(plan: PlanOut | None) -> str | None:
    """Return why the plan gives no dose today (stopped after an urgent alert, or paused), or None."""
    if plan is None or plan.status not in ("stopped", "paused"):
        return None
    first = (
        "Your plan is stopped: do not take another dose. Contact a clinician (your doctor, nurse or specialist team)."
        if plan.status == "stopped"
        else "Your plan is paused: take no planned dose until you have talked to your clinician."
    )
    return f"{first} {plan.status_note or ''}".strip()


def step_of(plan: PlanOut | None, *, doses_taken_today: int = 0) -> PlanStepOut | None:
    """Return today's step; the next planned dose is the first not yet taken (or the last one)."""
    if plan is None or plan.today is None or not plan.today.doses or plan.status in ("stopped", "paused"):
        return None
    d = plan.today
    texts = [format_quantity(x.amount, x.unit) for x in d.doses]
    i = min(doses_taken_today, len(texts) - 1)
    return PlanStepOut(
        day=d.date,
        step=d.step,
        action=d.action,
        note=d.note,
        product=plan.product,
        doses=[f"{t} at {x.time}" for x, t in zip(d.doses, texts, strict=True)],
        next_amount=texts[i],
        next_quantity=d.doses[i].amount,
        next_unit=d.doses[i].unit,
        thc_mg_per_day=d.thc_mg_per_day,
        cbd_mg_per_day=d.cbd_mg_per_day,
    )
