"""Analysis settings: defaults from knowledge/data/analysis.yaml, overridable per person."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from dosewise.errors import InvalidInput
from dosewise.knowledge.files import load_yaml


@dataclass(frozen=True)
class AnalysisSettings:
    """Thresholds and priors of the personal analysis (see analysis.yaml for sources)."""

    verdict_probability: float
    responder_percent: tuple[float, ...]
    responder_weeks: int
    min_baseline_days: int
    min_treatment_days: int
    min_exposure_days: int
    min_trial_blocks: int
    prior_sd: dict[str, float]
    half_life_hours: tuple[float, ...]
    randomisation_draws: int
    mcid_points: float | None = None  # per-person override of the scale's MCID (scale points)


@lru_cache(maxsize=1)
def _defaults() -> dict[str, Any]:
    return {k: v["value"] for k, v in load_yaml("analysis.yaml").items()}


def analysis_settings(overrides: dict[str, Any] | None = None) -> AnalysisSettings:
    """Return the settings, with ``overrides`` (PersonRow.settings["analysis"]) applied."""
    raw = dict(_defaults())
    for key, value in (overrides or {}).items():
        if key not in raw and key != "mcid_points":
            raise InvalidInput(f"Unknown analysis setting '{key}'. Known: {', '.join(sorted(raw))}, mcid_points.")
        raw[key] = value
    p = float(raw["verdict_probability"])
    if not 0.5 < p < 1.0:
        raise InvalidInput("verdict_probability must be between 0.5 and 1.")
    mcid = raw.get("mcid_points")
    if mcid is not None and not float(mcid) > 0:
        raise InvalidInput("mcid_points must be a positive number of scale points.")
    return AnalysisSettings(
        verdict_probability=p,
        responder_percent=tuple(float(x) for x in raw["responder_percent"]),
        responder_weeks=int(raw["responder_weeks"]),
        min_baseline_days=int(raw["min_baseline_days"]),
        min_treatment_days=int(raw["min_treatment_days"]),
        min_exposure_days=int(raw["min_exposure_days"]),
        min_trial_blocks=int(raw["min_trial_blocks"]),
        prior_sd={k: float(v) for k, v in raw["prior_sd"].items()},
        half_life_hours=tuple(float(h) for h in raw["half_life_hours"]),
        randomisation_draws=int(raw["randomisation_draws"]),
        mcid_points=float(mcid) if mcid is not None else None,
    )
