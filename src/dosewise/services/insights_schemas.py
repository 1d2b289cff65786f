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
    charts: dict[str, str] | None = Field(default=None, exclude=True)

    @model_serializer(mode="wrap")
    def _drop_empty(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data = handler(self)
        for key in ("randomisation_p", "design_based", "responder", "dose_response"):
            if data.get(key) is None:
                data.pop(key, None)
        return data
