"""The plan body: the titration plan as built by ``plan_builder`` and stored as JSON in PlanRow.body.

One model for writing (``build_plan``), reading (show, end, the alert ceiling) and restoring a backup (a body
that does not validate is refused). Stored with ``model_dump(mode="json")``: dates as YYYY-MM-DD, mg per dose
and per day, amounts in whole product units (drops, sprays, capsules).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel

from dosewise.model.vocab import PlanAction, PlanStatus


class BodyDose(BaseModel):
    """One planned dose: local time HH:MM, whole units of the product, mg THC and CBD in it."""

    time: str
    amount: int
    unit: str  # drop | spray | capsule | unit
    thc_mg: float
    cbd_mg: float


class BodyStep(BaseModel):
    """One titration step: its phase (cbd | thc | both | schedule), days on it and the doses of one day."""

    step: int
    phase: str
    days: int
    units_per_day: int
    thc_mg_per_day: float
    cbd_mg_per_day: float
    doses: list[BodyDose]


class BodyDay(BaseModel):
    """One calendar day of the laid-out plan (step -1 while paused or stopped: no doses)."""

    date: date
    step: int
    phase: str
    action: PlanAction
    note: str | None
    doses: list[BodyDose]
    thc_mg_per_day: float
    cbd_mg_per_day: float
    status: PlanStatus = PlanStatus.ACTIVE
    hold: str | None = None  # while held: chosen | step_back | resumed


class BodyCeiling(BaseModel):
    """The plan's daily ceiling (mg per day) and the most product units a day may hold.

    With a ceiling set for the person (by a clinician or the person), ``thc_mg_per_day`` and ``cbd_mg_per_day``
    are the lower of it and the protocol's; ``set_by``, ``set_on`` and ``note`` say who set it, when and why.
    """

    thc_mg_per_day: float
    cbd_mg_per_day: float
    max_units_per_day: int
    unit: str
    why: str
    set_by: str | None = None
    set_on: date | None = None
    note: str | None = None


class BodyReview(BaseModel):
    """A dated review: the four-week effect review, or liver tests before the first dose."""

    date: date
    day: int
    kind: str  # effect | liver-tests
    what: str
    refs: list[str]


class PlanBody(BaseModel):
    """The whole plan as stored (PlanRow.body) and as ``plan show --json`` prints it (with today's status)."""

    protocol: str
    protocol_title: str
    product: str
    product_content: str
    content_source: str = "the label"  # where the mg per unit come from (plans made before COAs: the label)
    unit: str
    start: date
    ceiling: BodyCeiling
    steps: list[BodyStep] = []
    days: list[BodyDay]
    reviews: list[BodyReview]
    cautions: list[str]
    notes: list[str]
    basis: str
    refs: list[str]

    def stored(self) -> dict[str, Any]:
        """Return the body as JSON-ready data for PlanRow.body."""
        return self.model_dump(mode="json")

    def current_day(self, today: date) -> tuple[BodyDay | None, BodyDay | None]:
        """Return (today's plan day, the next day with a different daily dose)."""
        now = next((d for d in self.days if d.date == today), None)
        if now is None:
            return None, next((d for d in self.days if d.date > today), None)
        dose = (now.thc_mg_per_day, now.cbd_mg_per_day)
        return now, next(
            (d for d in self.days if d.date > today and (d.thc_mg_per_day, d.cbd_mg_per_day) != dose), None
        )
