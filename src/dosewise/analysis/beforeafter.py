"""Before/after analysis: baseline days vs treatment days of one scale, with trend and CAR(1) errors.

Open-label and not randomised by construction: the result can be moved by expectation (placebo), by
regression to the mean (people start when symptoms are at their worst) and by slow trends, so it is always
labelled that way (docs/methods.md §1, §3). Also computes the 4-week responder check (>= 20 % /
>= 30 % improvement over the baseline mean, as in the nabiximols continuation rule; analysis.yaml).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from dosewise.analysis.bayes_ar1 import CoefPosterior, NigPrior, fit_car1
from dosewise.analysis.series import DailySeries, check_varies
from dosewise.analysis.settings import AnalysisSettings
from dosewise.analysis.verdict import EffectSummary, summarise
from dosewise.errors import AnalysisError
from dosewise.model.scales import Scale

DAYS_PER_YEAR = 365.25


@dataclass(frozen=True)
class ModelFit:
    """A model-based effect: summary (scale points), posterior, rho (correlation per day), days used."""

    summary: EffectSummary
    posterior: CoefPosterior
    rho: float
    n_days: int


@dataclass(frozen=True)
class ResponderCheck:
    """Mean of week ``weeks`` on treatment vs the baseline mean, as percent improvement."""

    status: str  # "done" | "not_yet" | "no_ratings" | "not_applicable"
    window_first: date
    window_last: date
    baseline_mean: float
    window_mean: float | None
    percent_improvement: float | None
    met: dict[str, bool]  # {"20": True, "30": False}


def mcid_points(scale: Scale, baseline_mean: float | None, settings: AnalysisSettings) -> float:
    """Return the MCID in scale points: the person's override, else the scale default (scales.yaml)."""
    if settings.mcid_points is not None:
        return settings.mcid_points
    return scale.mcid.threshold(baseline_mean)


def fit_step(
    series: DailySeries, treated: np.ndarray, *, origin: int, scale: Scale, mcid: float, settings: AnalysisSettings
) -> ModelFit:
    """Fit daily means on [1, treated, trend] with CAR(1) errors; return the 'treated' coefficient."""
    check_varies(series, scale.short)
    t = series.days.astype(float)
    X = np.column_stack([np.ones(t.size), treated.astype(float), (t - origin) / DAYS_PER_YEAR])
    sd = settings.prior_sd
    prior = NigPrior.weak([sd["intercept"], sd["effect"], sd["trend_per_year"]])
    post = fit_car1(t, X, series.mean, prior)
    coef = post.coef(1)
    summary = summarise(coef, mcid=mcid, lower_is_better=scale.lower_is_better, threshold=settings.verdict_probability)
    return ModelFit(summary, coef, post.rho_mean, series.n_days)


def before_after(
    series: DailySeries, first_treatment_day: date, *, scale: Scale, settings: AnalysisSettings
) -> tuple[ModelFit, ResponderCheck]:
    """Compare days before ``first_treatment_day`` with the days from it on; raise AnalysisError if thin."""
    start = first_treatment_day.toordinal()
    treated = series.days >= start
    n_base, n_treat = int((~treated).sum()), int(treated.sum())
    if n_base == 0:
        raise AnalysisError(
            f"There are no {scale.short} ratings before the first dose ({first_treatment_day}), so there is no "
            "baseline to compare with. Rate for at least "
            f"{settings.min_baseline_days} days without the product, or start a randomised trial: "
            "dosewise trial new --help."
        )
    if n_base < settings.min_baseline_days:
        raise AnalysisError(
            f"Only {n_base} day(s) with {scale.short} ratings before the first dose; at least "
            f"{settings.min_baseline_days} are needed for a baseline. A randomised trial gives a fair answer "
            "instead: dosewise trial new --help."
        )
    if n_treat < settings.min_treatment_days:
        raise AnalysisError(
            f"Only {n_treat} day(s) with {scale.short} ratings since the first dose; at least "
            f"{settings.min_treatment_days} are needed. Keep rating and try again later."
        )
    baseline_mean = float(series.mean[~treated].mean())
    mcid = mcid_points(scale, baseline_mean, settings)
    fit = fit_step(series, treated, origin=start, scale=scale, mcid=mcid, settings=settings)
    return fit, responder_check(series, first_treatment_day, baseline_mean, scale=scale, settings=settings)


def responder_check(
    series: DailySeries, first_treatment_day: date, baseline_mean: float, *, scale: Scale, settings: AnalysisSettings
) -> ResponderCheck:
    """Return the week-``responder_weeks`` mean vs baseline as percent improvement (descriptive, unadjusted)."""
    weeks = settings.responder_weeks
    first = first_treatment_day + timedelta(days=7 * (weeks - 1))
    last = first_treatment_day + timedelta(days=7 * weeks - 1)
    empty = {f"{p:g}": False for p in settings.responder_percent}
    if baseline_mean == 0 and scale.lower_is_better:
        return ResponderCheck("not_applicable", first, last, baseline_mean, None, None, empty)
    if series.days.size == 0 or series.days[-1] < last.toordinal():
        return ResponderCheck("not_yet", first, last, baseline_mean, None, None, empty)
    window = series.between(first, last)
    if window.n_days == 0:
        return ResponderCheck("no_ratings", first, last, baseline_mean, None, None, empty)
    mean = float(window.mean.mean())
    change = (baseline_mean - mean) if scale.lower_is_better else (mean - baseline_mean)
    percent = 100.0 * change / abs(baseline_mean) if baseline_mean else 0.0
    met = {f"{p:g}": bool(percent >= p) for p in settings.responder_percent}
    return ResponderCheck("done", first, last, baseline_mean, mean, percent, met)
