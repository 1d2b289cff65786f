"""Simulated journals for calibration tests: latent daily AR(1), rating noise, trend, missing days."""

from __future__ import annotations

import numpy as np

from dosewise.analysis.exposure import Doses, Ratings, decayed_sum
from dosewise.analysis.series import DailySeries, daily_means

DAY0 = 740_000  # an arbitrary date ordinal


def latent_ar1(rng: np.random.Generator, n_days: int, rho: float = 0.6, sd: float = 0.5) -> np.ndarray:
    x = np.zeros(n_days)
    x[0] = rng.normal(0, sd / np.sqrt(1 - rho**2))
    for d in range(1, n_days):
        x[d] = rho * x[d - 1] + rng.normal(0, sd)
    return x


def ratings_series(
    rng: np.random.Generator,
    level: np.ndarray,
    *,
    per_day: int = 4,
    noise: float = 0.8,
    missing_days: float = 0.1,
    missing_ratings: float = 0.1,
) -> DailySeries:
    """Return the daily means of noisy ratings around ``level`` (one value per day), with gaps."""
    days, values = [], []
    for d, mu in enumerate(level):
        if rng.random() < missing_days:
            continue
        for _ in range(per_day):
            if rng.random() >= missing_ratings:
                days.append(DAY0 + d)
                values.append(mu + rng.normal(0, noise))
    return daily_means(np.array(days), np.array(values))


def before_after_journal(
    rng: np.random.Generator,
    *,
    effect: float,
    baseline_days: int = 21,
    treatment_days: int = 42,
    trend_per_year: float = -0.5,
    start_when_bad: bool = False,
) -> tuple[DailySeries, int]:
    """Return (daily series, first treatment day ordinal). ``start_when_bad``: start on a bad day."""
    n = baseline_days + treatment_days + 30
    latent = latent_ar1(rng, n)
    start = baseline_days
    if start_when_bad:  # confounding by indication: start the first day the latent level is high
        later = np.flatnonzero(latent[baseline_days : baseline_days + 30] > 0.5)
        start = baseline_days + int(later[0]) if later.size else baseline_days
    days = np.arange(n)
    level = 6 + latent + trend_per_year * days / 365.25 + effect * (days >= start)
    level = level[: start + treatment_days]
    return ratings_series(rng, level), DAY0 + start


def exposure_journal(
    rng: np.random.Generator,
    *,
    n_days: int = 90,
    effect_per_mg: float = 0.0,
    half_life_h: float = 8.0,
    dose_when_bad: bool = True,
) -> tuple[Ratings, Doses]:
    """Return ratings at 8, 12, 17, 21 h and oral doses; with ``dose_when_bad`` doses follow high ratings."""
    latent = np.repeat(latent_ar1(rng, n_days), 4)
    hours = np.tile([8.0, 12.0, 17.0, 21.0], n_days)
    t = np.repeat(np.arange(n_days) * 24.0, 4) + hours
    base = 6 + latent + rng.normal(0, 0.8, t.size)
    dose_t: list[float] = []
    values = base.copy()
    for i in range(t.size):
        if dose_t and effect_per_mg:
            values[i] = (
                base[i]
                + effect_per_mg
                * decayed_sum(t[i : i + 1], np.array(dose_t), np.full(len(dose_t), 10.0), half_life_h)[0]
            )
        bad = values[i] > 6.6 if dose_when_bad else rng.random() < 0.25
        if bad:
            dose_t.append(t[i] + 0.1)
    day = DAY0 + np.repeat(np.arange(n_days), 4)
    return (
        Ratings(day, t, hours, np.clip(np.round(values * 2) / 2, 0, 10)),
        Doses(np.array(dose_t), np.full(len(dose_t), 10.0), np.array(["oral"] * len(dose_t), dtype=object)),
    )
