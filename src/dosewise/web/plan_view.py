"""Today's step of the active titration plan, adapted from the plans service for the Today page."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel

from dosewise.services.today import UsualDoseOut
from dosewise.store.db import Database


class PlanStepOut(BaseModel):
    day: date
    day_number: int
    product: str
    quantity: float
    unit: str
    amount_text: str
    times_per_day: int | None
    instructions: str | None

    def usual_dose(self) -> UsualDoseOut:
        return UsualDoseOut(product=self.product, quantity=self.quantity, unit=self.unit,
                            amount_text=self.amount_text, source="plan")


def todays_plan_step(db: Database) -> PlanStepOut | None:
    """Return today's plan step, or None when there is no active plan (or no plans service yet)."""
    return None
