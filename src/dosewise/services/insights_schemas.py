"""The answer of the personal analysis as data (effects in scale points; probabilities 0 to 1).

Apart from dosewise.services.insights so that pages and commands can name these types without loading
numpy and scipy, which only the analysis itself needs.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, Field, SerializerFunctionWrapHandler, model_serializer


class EstimateOut(BaseModel):
    mean: float
    low: float
    high: float


class ResponderOut(BaseModel):
    status: str
    window_first: date
    window_last: date
    baseline_mean: float
    window_mean: float | None
    percent_improvement: float | None
    met: dict[str, bool]


class DesignBasedOut(BaseModel):
    estimate: EstimateOut
    p_benefit: float
    p_harm: float
    verdict: str
    blocks_used: int
    blocks_planned: int
    block_differences: list[float]
    smallest_p: float


class DoseResponseOut(BaseModel):
    routes: list[str]
    best_half_life_h: dict[str, float]
    half_life_support: dict[str, float]
    typical_mg: dict[str, float]


class PeriodOut(BaseModel):
    """A stretch of days the analysis compares (drawn behind the symptom chart): "baseline", "on product",
    or a trial period ("active 1", "control 1", ...)."""

    first: date
    last: date
    label: str

    def within(self, first: date, last: date) -> PeriodOut | None:
        """This period cut to the days ``first`` to ``last``; None when it has no day there."""
        a, b = max(self.first, first), min(self.last, last)
        return PeriodOut(first=a, last=b, label=self.label) if a <= b else None

    def span(self) -> tuple[date, date, str]:
        """(first, last, label): what ``analysis.charts.symptom_chart`` draws."""
        return (self.first, self.last, self.label)


class AnalysisOut(BaseModel):
    """The answer to "is it helping me?" (effects: treatment minus comparison, in scale points)."""

    scale: str
    scale_name: str
    lower_is_better: bool
    design: str
    blinded: bool
    label: str
    n_days: int
    estimate: EstimateOut
    p_benefit: float
    p_harm: float
    mcid: float
    verdict: str
    rho: float
    randomisation_p: float | None = None
    design_based: DesignBasedOut | None = None
    responder: ResponderOut | None = None
    dose_response: DoseResponseOut | None = None
    notes: list[str]
    periods: list[PeriodOut] = []  # what the design compares: baseline / on product, or the trial's periods
    charts: dict[str, str] | None = Field(default=None, exclude=True)

    @model_serializer(mode="wrap")
    def _drop_empty(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data = handler(self)
        for key in ("randomisation_p", "design_based", "responder", "dose_response"):
            if data.get(key) is None:
                data.pop(key, None)
        return data
