"""Randomised n-of-1 trials: the schedule, design-based analysis and the randomisation test.

Design (docs/methods.md §4; Kravitz & Duan 2014 ch. 4): ``blocks`` pairs of periods, each
pair AB or BA with probability 1/2 (seeded, so the schedule can be re-created and checked). The first
``washout_days`` of every period are an *analytic washout*: the arm is taken but the days are not analysed.

Design-based estimate: per block ``d_b = mean(active days) - mean(control days)`` (means of daily means).
Posterior of the mean difference with the Normal-Inverse-Gamma prior of §4.1; we use its Jeffreys limit
(kappa0 -> 0, a0 = -1/2, b0 = 0), which reproduces the paired t interval exactly: delta ~ t_{k-1}(dbar,
s / sqrt(k)). Deviation from the notes (which leave the prior open): no prior information on purpose, so the
robust estimate owes nothing to assumptions.

Randomisation test (Bulte & Onghena 2013): under "no effect" swapping the order within a block only flips
the sign of ``d_b``; all 2^k sign patterns are enumerated when k <= 16 (p = share with |mean| >= observed;
smallest reachable p = 2 / 2^k), otherwise Monte-Carlo draws with p = (1 + hits) / (1 + M).
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import numpy as np

from dosewise.analysis.bayes_ar1 import CoefPosterior
from dosewise.analysis.beforeafter import ModelFit, fit_step, mcid_points
from dosewise.analysis.series import DailySeries
from dosewise.analysis.settings import AnalysisSettings
from dosewise.analysis.verdict import EffectSummary, summarise
from dosewise.errors import TrialError
from dosewise.model.scales import Scale

EXHAUSTIVE_MAX_BLOCKS = 16


@dataclass(frozen=True)
class Period:
    """One period: inclusive dates, arm ("active" | "control"), the block it belongs to, washout days."""

    block: int
    start: date
    end: date
    arm: str
    washout_days: int

    @property
    def analysed_start(self) -> date:
        """First day that counts (after the analytic washout)."""
        return self.start + timedelta(days=self.washout_days)


def periods_from_schedule(schedule: list[dict[str, Any]]) -> list[Period]:
    """Return the periods of a stored schedule (the JSON list kept with a trial: block, start, end, arm, washout)."""
    return [
        Period(
            int(p["block"]),
            date.fromisoformat(p["start"]),
            date.fromisoformat(p["end"]),
            p["arm"],
            int(p["washout_days"]),
        )
        for p in schedule
    ]


def make_schedule(start: date, *, blocks: int, period_days: int, washout_days: int, seed: int) -> list[Period]:
    """Return ``2 * blocks`` periods, each block randomly AB or BA (Python's ``random.Random(seed)``)."""
    if not 1 <= blocks <= 26:
        raise TrialError("A trial needs 1 to 26 blocks (3-4 blocks are a good start).", field="blocks")
    if not 2 <= period_days <= 56:
        raise TrialError("Periods must last 2 to 56 days.", field="period_days")
    if not 0 <= washout_days < period_days:
        raise TrialError(
            f"Washout must be 0 to {period_days - 1} days (shorter than a {period_days}-day "
            "period), so every period keeps days to analyse.",
            field="washout_days",
        )
    rng = random.Random(seed)
    periods: list[Period] = []
    day = start
    for b in range(blocks):
        order = ("active", "control") if rng.random() < 0.5 else ("control", "active")
        for arm in order:
            periods.append(Period(b + 1, day, day + timedelta(days=period_days - 1), arm, washout_days))
            day += timedelta(days=period_days)
    return periods


def assignment_on(periods: list[Period], day: date) -> Period | None:
    """Return the period that contains ``day``, or None before the start / after the end."""
    return next((p for p in periods if p.start <= day <= p.end), None)


@dataclass(frozen=True)
class BlockResult:
    block: int
    active_mean: float | None
    control_mean: float | None

    @property
    def difference(self) -> float | None:
        if self.active_mean is None or self.control_mean is None:
            return None
        return self.active_mean - self.control_mean


def period_mean(series: DailySeries, period: Period) -> float | None:
    """Return the mean of the daily means in the analysed part of ``period`` (None if no ratings)."""
    part = series.between(period.analysed_start, period.end)
    return float(part.mean.mean()) if part.n_days else None


def block_results(series: DailySeries, periods: list[Period]) -> list[BlockResult]:
    """Return active and control means per block (only blocks whose periods are listed)."""
    out = []
    for b in sorted({p.block for p in periods}):
        means = {p.arm: period_mean(series, p) for p in periods if p.block == b}
        out.append(BlockResult(b, means.get("active"), means.get("control")))
    return out


def design_posterior(d: np.ndarray) -> CoefPosterior:
    """Return the posterior of the mean block difference (Jeffreys NIG limit: paired t, k - 1 df)."""
    k = d.size
    if k < 2:
        raise TrialError("The design-based estimate needs at least 2 complete blocks.")
    s = float(np.std(d, ddof=1))
    scale = max(s, 1e-9) / np.sqrt(k)
    return CoefPosterior(np.ones(1), np.array([float(d.mean())]), np.array([scale]), float(k - 1))


def randomisation_test(d: np.ndarray, *, draws: int = 10_000, seed: int = 0) -> tuple[float, float]:
    """Return (two-sided p, smallest p the design can reach) for the mean block difference ``d``."""
    k = d.size
    observed = abs(float(d.mean()))
    tol = 1e-12 * max(1.0, observed)
    if k <= EXHAUSTIVE_MAX_BLOCKS:
        signs = np.array(list(itertools.product((1.0, -1.0), repeat=k)))
        stats = np.abs(signs @ d) / k
        return float(np.mean(stats >= observed - tol)), 2.0 / 2**k
    rng = np.random.default_rng(seed)
    signs = rng.choice((1.0, -1.0), size=(draws, k))
    hits = int(np.sum(np.abs(signs @ d) / k >= observed - tol))
    return (1 + hits) / (1 + draws), 1.0 / (1 + draws)


@dataclass(frozen=True)
class TrialAnalysis:
    """Model-based and design-based results of a randomised trial (effects: active - control, points)."""

    model: ModelFit
    design: EffectSummary
    design_posterior: CoefPosterior
    blocks: list[BlockResult]
    randomisation_p: float
    smallest_p: float
    blocks_used: int
    blocks_planned: int
    notes: list[str]


def analyse_trial(
    series: DailySeries,
    periods: list[Period],
    *,
    today: date,
    scale: Scale,
    settings: AnalysisSettings,
    seed: int = 0,
    stopped: bool = False,
) -> TrialAnalysis:
    """Analyse the blocks that have ended before ``today`` (journal day; the stop day if ``stopped``).

    Raise TrialError, saying when the next result is due (or that the trial was stopped early), if fewer
    than ``settings.min_trial_blocks`` blocks have ratings in both periods.
    """
    planned = max(p.block for p in periods)
    ended = [p for p in periods if all(q.end < today for q in periods if q.block == p.block)]
    results = block_results(series, ended)
    notes: list[str] = []
    for r in results:
        if r.difference is None:
            arm = "active" if r.active_mean is None else "control"
            notes.append(f"Block {r.block} is left out: its {arm} period has no ratings after the washout.")
    usable = [r for r in results if r.difference is not None]
    if len(usable) < settings.min_trial_blocks:
        next_end = min((p.end for p in periods if p.end >= today), default=None)
        when = f" The next period ends on {next_end}." if next_end and not stopped else ""
        first = f"The trial was stopped early (on {today}): only " if stopped else ""
        raise TrialError(
            f"{first}{len(usable)} of {planned} blocks have ended with ratings in both periods; at least "
            f"{settings.min_trial_blocks} are needed for a result.{when}"
            + (" " + " ".join(notes) if notes else "")
            + (" Start a new trial with: dosewise trial new." if stopped else "")
        )
    used = {r.block for r in usable}
    kept = [p for p in ended if p.block in used]
    mask = np.zeros(series.n_days, dtype=bool)
    treated = np.zeros(series.n_days, dtype=bool)
    for p in kept:
        inside = (series.days >= p.analysed_start.toordinal()) & (series.days <= p.end.toordinal())
        mask |= inside
        treated |= inside & (p.arm == "active")
    d = np.array([r.difference for r in usable], dtype=float)
    control = series.select(mask & ~treated)
    mcid = mcid_points(scale, float(control.mean.mean()) if control.n_days else None, settings)
    model = fit_step(
        series.select(mask),
        treated[mask],
        origin=periods[0].start.toordinal(),
        scale=scale,
        mcid=mcid,
        settings=settings,
    )
    design_post = design_posterior(d)
    design = summarise(
        design_post, mcid=mcid, lower_is_better=scale.lower_is_better, threshold=settings.verdict_probability
    )
    p_value, p_min = randomisation_test(d, draws=settings.randomisation_draws, seed=seed)
    if len(usable) < planned:
        notes.append(f"Only {len(usable)} of {planned} planned blocks are analysed; the trial is not complete.")
    return TrialAnalysis(model, design, design_post, usable, p_value, p_min, len(usable), planned, notes)


def adherence_notes(
    periods: list[Period],
    *,
    until: date,
    dose_days: np.ndarray,
    dose_products: np.ndarray,
    active: str,
    control: str | None,
) -> list[str]:
    """Say where the dose log disagrees with the schedule in periods ended before ``until``.

    ``dose_days``: journal-day ordinals of logged doses; ``dose_products``: their product names. The analysis
    follows the schedule regardless (intention to treat).
    """
    if active == control:
        return []
    notes = []
    for p in periods:
        if p.end >= until:
            continue
        inside = (dose_days >= p.start.toordinal()) & (dose_days <= p.end.toordinal())
        taken = set(dose_products[inside].tolist())
        if p.arm == "active" and active not in taken:
            notes.append(f"No dose of {active} is logged in active period {p.start} to {p.end}.")
        if p.arm == "control" and active in taken:
            notes.append(f"{active} is logged during control period {p.start} to {p.end}.")
    if notes:
        notes.append(
            "The analysis follows the schedule (intention to treat); if the log is right, the difference "
            "between the arms is understated. If doses were taken but not logged, log them."
        )
    return notes
