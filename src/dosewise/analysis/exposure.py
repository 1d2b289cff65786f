"""Dose-response from the journal (association only): exposure kernels with a half-life grid.

Exposure at a rating time t (docs/methods.md §6): ``E(t) = sum_{s_k < t} mg_k 2^(-(t - s_k)/h)``
with dose times s_k and amounts mg_k (mg THC + mg CBD, our simplification: one column per *route*, so an oral
oil and an inhaled flower each get their own decay). The half-life h is not assumed: it is put on a grid
(analysis.yaml, analysis candidates, not pharmacokinetic claims), one h per route, and the CAR(1) model of
bayes_ar1 is fitted for every combination and model-averaged with the marginal likelihoods. The outcome is the
journal-day mean of the ratings and the regressors are the day means of the per-rating exposures and
time-of-day terms (sin/cos of the local hour), plus a linear trend; the previous days enter through the
AR(1) errors. Deviation from the notes: daily aggregation instead of per-rating rows (the nugget argument of
§4.2), and 3+ routes share one half-life to keep the grid small.

The reported effect is the change in scale points at the person's *typical* exposure (median day with that
route) against none; it is an association, not proof: doses taken on bad days (confounding by indication)
and expectation can move it.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from dosewise.analysis.bayes_ar1 import CoefPosterior, NigPrior, car1_stats, posterior
from dosewise.analysis.beforeafter import DAYS_PER_YEAR, ModelFit, mcid_points
from dosewise.analysis.series import check_varies, daily_average, daily_means
from dosewise.analysis.settings import AnalysisSettings
from dosewise.analysis.verdict import summarise
from dosewise.errors import AnalysisError
from dosewise.model.scales import Scale

CHUNK_HALF_LIVES = 900.0  # 2^900 times any plausible sum of mg stays inside float64 range (2^1023)


def decayed_sum(query_h: np.ndarray, dose_h: np.ndarray, dose_mg: np.ndarray, half_life_h: float) -> np.ndarray:
    """Return ``sum_{s_k < t} mg_k 2^(-(t - s_k)/h)`` for each query time t (all times in hours), O(n + m).

    Doses are rescaled within time chunks of 900 half-lives so nothing overflows; the carried sum from
    earlier chunks decays into each chunk.
    """
    query_h = np.asarray(query_h, dtype=float)
    out = np.zeros(query_h.size)
    if len(dose_h) == 0:
        return out
    order = np.argsort(dose_h, kind="stable")
    s, m = np.asarray(dose_h, float)[order], np.asarray(dose_mg, float)[order]
    span = CHUNK_HALF_LIVES * half_life_h
    chunk = np.floor((s - s[0]) / span).astype(np.int64)
    ref = s[0] + chunk * span
    within = np.empty(s.size)  # running sum inside the chunk, in the chunk's reference scale
    carry = np.empty(s.size)  # decayed sum of all earlier chunks, in the chunk's reference scale
    bounds = np.flatnonzero(np.diff(chunk)) + 1
    carried, prev_ref = 0.0, None
    for lo, hi in zip([0, *bounds.tolist()], [*bounds.tolist(), s.size], strict=True):
        r = ref[lo]
        if prev_ref is not None:
            carried *= np.exp2(-(r - prev_ref) / half_life_h)
        within[lo:hi] = np.cumsum(m[lo:hi] * np.exp2((s[lo:hi] - r) / half_life_h))
        carry[lo:hi] = carried
        carried += within[hi - 1]
        prev_ref = r
    last = np.searchsorted(s, query_h, side="left") - 1  # last dose strictly before t
    has = last >= 0
    j = last[has]
    out[has] = (within[j] + carry[j]) * np.exp2(-(query_h[has] - ref[j]) / half_life_h)
    return out


@dataclass(frozen=True)
class Ratings:
    """Per-rating arrays: journal-day ordinal, UTC time in hours since the epoch, local hour, value."""

    day: np.ndarray
    time_h: np.ndarray
    local_hour: np.ndarray
    value: np.ndarray


@dataclass(frozen=True)
class Doses:
    """Per-dose arrays: UTC time in hours since the epoch, mg THC + CBD, route name."""

    time_h: np.ndarray
    mg: np.ndarray
    route: np.ndarray


@dataclass(frozen=True)
class ExposureFit:
    """Model-averaged dose-response: effect at typical exposure, and the support for each half-life."""

    model: ModelFit
    routes: list[str]
    best_half_life_h: dict[str, float]
    half_life_support: dict[str, float]  # "route=h,..." -> posterior probability
    typical_mg: dict[str, float]  # typical daily-mean exposure per route (mg-equivalent) at the best h


def _grid(routes: list[str], hs: tuple[float, ...]) -> list[dict[str, float]]:
    if len(routes) <= 2:
        return [dict(zip(routes, combo, strict=True)) for combo in itertools.product(hs, repeat=len(routes))]
    return [dict.fromkeys(routes, h) for h in hs]


def _typical(col: np.ndarray) -> float:
    used = col[col > 0.01 * col.max()] if col.max() > 0 else col
    return float(np.median(used)) if used.size else 0.0


def dose_response(ratings: Ratings, doses: Doses, *, scale: Scale, settings: AnalysisSettings) -> ExposureFit:
    """Fit the exposure model over the half-life grid and return the model-averaged effect."""
    series = daily_means(ratings.day, ratings.value)
    check_varies(series, scale.short)
    if doses.time_h.size == 0:
        raise AnalysisError("There are no doses in the journal, so there is no dose-response to estimate.")
    if series.n_days < settings.min_exposure_days:
        raise AnalysisError(
            f"Only {series.n_days} day(s) with {scale.short} ratings; the dose-response analysis "
            f"needs at least {settings.min_exposure_days}."
        )
    routes = sorted({str(r) for r in doses.route}, key=lambda r: -float(doses.mg[doses.route == r].sum()))
    t = series.days.astype(float)
    angle = 2 * np.pi * ratings.local_hour / 24.0
    tod = daily_average(ratings.day, np.column_stack([np.sin(angle), np.cos(angle)]))
    base = np.column_stack([np.ones(t.size), (t - t[0]) / DAYS_PER_YEAR, tod])
    sd = settings.prior_sd
    prior = NigPrior.weak(
        [sd["intercept"], sd["trend_per_year"], sd["time_of_day"], sd["time_of_day"]] + [sd["exposure"]] * len(routes)
    )
    mcid = mcid_points(scale, float(series.mean.mean()), settings)
    # One design with every route's exposure at every half-life: each combination below is a subset of its
    # columns, so its statistics are a sub-block of one set of cross-products (Car1Stats.select).
    column_of: dict[tuple[str, float], int] = {}
    per_rating: list[np.ndarray] = []
    for r in routes:
        sel = doses.route == r
        for h in sorted({combo[r] for combo in _grid(routes, settings.half_life_hours)}):
            column_of[(r, h)] = base.shape[1] + len(per_rating)
            per_rating.append(decayed_sum(ratings.time_h, doses.time_h[sel], doses.mg[sel], h))
    design = np.column_stack([base, daily_average(ratings.day, np.column_stack(per_rating))])
    everything = car1_stats(t, design, series.mean)
    typical_of = {c: _typical(design[:, c]) for c in column_of.values()}
    parts, evidence, rhos, typicals = [], [], [], []
    for combo in _grid(routes, settings.half_life_hours):
        columns = [column_of[(r, combo[r])] for r in routes]
        post = posterior(everything.select([*range(base.shape[1]), *columns]), prior)
        typical = np.array([typical_of[c] for c in columns])
        contrast = np.concatenate([np.zeros(base.shape[1]), typical])
        parts.append(post.contrast(contrast))
        evidence.append(post.log_evidence)
        rhos.append(post.rho_mean)
        typicals.append(dict(zip(routes, typical.tolist(), strict=True)))
    return _average(
        parts, np.array(evidence), rhos, typicals, routes, series.n_days, scale=scale, mcid=mcid, settings=settings
    )


def _average(
    parts: list[CoefPosterior],
    evidence: np.ndarray,
    rhos: list[float],
    typicals: list[dict[str, float]],
    routes: list[str],
    n_days: int,
    *,
    scale: Scale,
    mcid: float,
    settings: AnalysisSettings,
) -> ExposureFit:
    weights = np.exp(evidence - evidence.max())
    weights /= weights.sum()
    mixed = CoefPosterior.mixture(parts, weights)
    summary = summarise(mixed, mcid=mcid, lower_is_better=scale.lower_is_better, threshold=settings.verdict_probability)
    combos = _grid(routes, settings.half_life_hours)
    support = {",".join(f"{r}={c[r]:g}h" for r in routes): float(w) for c, w in zip(combos, weights, strict=True)}
    best = int(np.argmax(weights))
    return ExposureFit(
        ModelFit(summary, mixed, float(np.dot(weights, rhos)), n_days), routes, combos[best], support, typicals[best]
    )
