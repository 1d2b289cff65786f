"""Make the frozen reference fits in tests/data/reference_fits/ with PyMC NUTS and statsmodels SARIMAX.

Run ONLY in a separate environment (the project does not depend on PyMC or statsmodels):

    python3 -m venv /tmp/refvenv && /tmp/refvenv/bin/pip install pymc statsmodels numpy scipy
    /tmp/refvenv/bin/python bench/make_reference_fits.py

Each JSON file holds the simulated dataset itself (times in days, design matrix, daily means), the prior,
and the reference answers, so the tests never need PyMC. The PyMC model is the same model as the fast
engine (dosewise.analysis.bayes_ar1): beta | sigma ~ N(0, sigma^2 diag(sd^2)), sigma^2 ~ InvGamma(a0, b0),
rho ~ Uniform(0, 0.98) (continuous, where the engine uses a 50-point grid), likelihood written as the
conditional CAR(1) innovations with phi_i = rho^(t_i - t_{i-1}). SARIMAX is the exact Gaussian MLE with
AR(1) errors on the regular daily grid, missing days as NaN (Kalman filter) - the same model as CAR(1) with
gaps, without priors.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np

OUT = Path(__file__).resolve().parents[1] / "tests" / "data" / "reference_fits"
A0 = B0 = 0.01


def simulate(
    *, seed: int, n_days: int, switch: list[tuple[int, int]], effect: float, trend_per_year: float, missing: float
) -> dict:
    """Simulate 4 ratings a day: latent daily AR(1) (rho 0.6) + rating noise, daily means, missing days."""
    rng = np.random.default_rng(seed)
    latent = np.zeros(n_days)
    for d in range(1, n_days):
        latent[d] = 0.6 * latent[d - 1] + rng.normal(0, 0.5)
    treated = np.zeros(n_days)
    for lo, hi in switch:
        treated[lo:hi] = 1.0
    days = np.arange(n_days, dtype=float)
    level = 6.0 + latent + effect * treated + trend_per_year * days / 365.25
    ratings = level[:, None] + rng.normal(0, 0.7, size=(n_days, 4))
    keep = rng.random(n_days) >= missing
    y = ratings.mean(axis=1)
    X = np.column_stack([np.ones(n_days), treated, days / 365.25])
    return {
        "t": days[keep].tolist(),
        "X": X[keep].tolist(),
        "y": y[keep].tolist(),
        "n_days_total": n_days,
        "truth": {"effect": effect, "trend_per_year": trend_per_year},
    }


def fit_pymc(data: dict, sds: list[float]) -> dict:
    import pymc as pm
    import pytensor.tensor as pt

    t, X, y = np.array(data["t"]), np.array(data["X"]), np.array(data["y"])
    dt = np.diff(t)
    start = time.perf_counter()
    with pm.Model():
        s2 = pm.InverseGamma("s2", alpha=A0, beta=B0)
        sigma = pt.sqrt(s2)
        beta = pm.Normal("beta", 0.0, sigma=sigma * np.array(sds), shape=X.shape[1])
        rho = pm.Uniform("rho", 0.0, 0.98)
        mu = pt.dot(X, beta)
        phi = rho**dt
        resid = y - mu
        cond_mu = pt.concatenate([mu[:1], mu[1:] + phi * resid[:-1]])
        cond_sd = pt.concatenate([pt.stack([sigma]), sigma * pt.sqrt(1 - phi**2)])
        pm.Normal("obs", mu=cond_mu, sigma=cond_sd, observed=y)
        trace = pm.sample(
            draws=3000, tune=1500, chains=4, cores=1, random_seed=11, progressbar=False, target_accept=0.9
        )
    seconds = time.perf_counter() - start
    b = trace.posterior["beta"].values[..., 1].ravel()
    r = trace.posterior["rho"].values.ravel()
    return {
        "effect_mean": float(b.mean()),
        "effect_low": float(np.quantile(b, 0.025)),
        "effect_high": float(np.quantile(b, 0.975)),
        "rho_mean": float(r.mean()),
        "seconds": seconds,
        "draws": int(b.size),
        "pymc": pm.__version__,
    }


def fit_sarimax(data: dict) -> dict:
    import statsmodels
    from statsmodels.tsa.statespace.sarimax import SARIMAX

    t, X, y = np.array(data["t"]), np.array(data["X"]), np.array(data["y"])
    full = np.arange(int(t[0]), int(t[-1]) + 1)
    yy = np.full(full.size, np.nan)
    yy[(t - t[0]).astype(int)] = y
    XX = np.column_stack([np.ones(full.size), np.zeros(full.size), full / 365.25])
    XX[(t - t[0]).astype(int), 1] = X[:, 1]
    missing_treated = np.setdiff1d(np.arange(full.size), (t - t[0]).astype(int))
    for i in missing_treated:  # fill the treatment indicator on missing days from the nearest observed day
        XX[i, 1] = X[np.argmin(np.abs(t - full[i])), 1]
    start = time.perf_counter()
    res = SARIMAX(yy, exog=XX, order=(1, 0, 0), trend="n").fit(disp=False)
    seconds = time.perf_counter() - start
    lo, hi = res.conf_int()[1]
    return {
        "effect_mean": float(res.params[1]),
        "effect_low": float(lo),
        "effect_high": float(hi),
        "rho_mean": float(res.params[3]),
        "seconds": seconds,
        "statsmodels": statsmodels.__version__,
    }


DATASETS = {
    "before_after_2y": dict(
        seed=20261121, n_days=730, switch=[(120, 730)], effect=-1.0, trend_per_year=0.3, missing=0.1
    ),
    "trial_4x7": dict(
        seed=7, n_days=56, switch=[(7, 14), (14, 21), (35, 42), (49, 56)], effect=-1.2, trend_per_year=0.0, missing=0.05
    ),
}
SDS = [1000.0, 10.0, 10.0]


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    only = sys.argv[1:] or list(DATASETS)
    for name in only:
        data = simulate(**DATASETS[name])
        if name == "trial_4x7":  # the analytic washout: the first 2 days of every 7-day period are dropped
            keep = [i for i, d in enumerate(data["t"]) if int(d) % 7 >= 2]
            for key in ("t", "X", "y"):
                data[key] = [data[key][i] for i in keep]
        record = {
            "dataset": name,
            "simulation": DATASETS[name],
            "prior": {"sd": SDS, "a0": A0, "b0": B0},
            **data,
            "pymc": fit_pymc(data, SDS),
        }
        if name == "before_after_2y":
            record["sarimax"] = fit_sarimax(data)
        (OUT / f"{name}.json").write_text(json.dumps(record, indent=1), encoding="utf-8")
        print(name, record["pymc"], record.get("sarimax"))  # noqa: T201 - a script, not library code


if __name__ == "__main__":
    main()
