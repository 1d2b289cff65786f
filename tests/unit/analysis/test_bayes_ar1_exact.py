"""The fast CAR(1) engine is exact: it matches dense GLS algebra and the frozen PyMC / SARIMAX fits."""

import json
from pathlib import Path

import numpy as np
import pytest
from scipy import special

from dosewise.analysis.bayes_ar1 import NigPrior, car1_stats, fit_car1, posterior

REFS = Path(__file__).resolve().parents[2] / "data" / "reference_fits"


def _irregular(seed: int = 3, n: int = 90):
    rng = np.random.default_rng(seed)
    t = np.sort(rng.choice(180, n, replace=False)).astype(float)
    X = np.column_stack([np.ones(n), (t > 90).astype(float), t / 365.25])
    y = X @ [6.0, -1.0, 0.4] + rng.normal(0, 0.8, n)
    return t, X, y


def _dense_log_evidence(t, X, y, prior, rho):
    """Marginal likelihood with the full n x n correlation matrix (slow, obviously right)."""
    n = t.size
    R = rho ** np.abs(t[:, None] - t[None, :]) if rho > 0 else np.eye(n)
    Ri = np.linalg.inv(R)
    Pn = prior.precision + X.T @ Ri @ X
    mn = np.linalg.solve(Pn, X.T @ Ri @ y)
    an, bn = prior.a0 + n / 2, prior.b0 + 0.5 * (y @ Ri @ y - mn @ Pn @ mn)
    return mn, (
        -n / 2 * np.log(2 * np.pi)
        - 0.5 * np.linalg.slogdet(R)[1]
        + 0.5 * np.linalg.slogdet(prior.precision)[1]
        - 0.5 * np.linalg.slogdet(Pn)[1]
        + prior.a0 * np.log(prior.b0)
        - an * np.log(bn)
        + special.gammaln(an)
        - special.gammaln(prior.a0)
    )


def test_grid_posterior_equals_dense_gls_at_every_rho():
    t, X, y = _irregular()
    prior = NigPrior.weak([100, 10, 10])
    post = fit_car1(t, X, y, prior)
    dense = [_dense_log_evidence(t, X, y, prior, r) for r in post.rho_grid]
    logev = np.array([d[1] for d in dense])
    w = np.exp(logev - logev.max())
    np.testing.assert_allclose(post.weights, w / w.sum(), atol=1e-9)
    np.testing.assert_allclose(post.means, np.array([d[0] for d in dense]), atol=1e-8)


def test_appending_one_rating_equals_refitting_from_scratch():
    t, X, y = _irregular()
    batch = car1_stats(t, X, y)
    online = car1_stats(t[:-1], X[:-1], y[:-1]).append(t[-1], X[-1], y[-1])
    np.testing.assert_allclose(online.cross, batch.cross, rtol=1e-10, atol=1e-8)
    prior = NigPrior.weak([100, 10, 10])
    assert posterior(online, prior).coef(1).mean == pytest.approx(posterior(batch, prior).coef(1).mean, abs=1e-10)


def test_times_must_increase():
    t, X, y = _irregular()
    with pytest.raises(ValueError):
        car1_stats(t[::-1], X, y)
    with pytest.raises(ValueError):
        car1_stats(t, X, y).append(t[-1], X[-1], y[-1])


@pytest.mark.parametrize("name", ["before_after_2y", "trial_4x7"])
def test_matches_frozen_pymc_nuts(name):
    ref = json.loads((REFS / f"{name}.json").read_text())
    prior = NigPrior.weak(ref["prior"]["sd"], a0=ref["prior"]["a0"], b0=ref["prior"]["b0"])
    post = fit_car1(np.array(ref["t"]), np.array(ref["X"]), np.array(ref["y"]), prior)
    effect = post.coef(1)
    low, high = effect.interval(0.95)
    pymc = ref["pymc"]
    assert effect.mean == pytest.approx(pymc["effect_mean"], abs=0.02)
    assert low == pytest.approx(pymc["effect_low"], abs=0.02)
    assert high == pytest.approx(pymc["effect_high"], abs=0.02)
    assert post.rho_mean == pytest.approx(pymc["rho_mean"], abs=0.05)


def test_matches_frozen_statsmodels_sarimax_mle():
    ref = json.loads((REFS / "before_after_2y.json").read_text())
    prior = NigPrior.weak(ref["prior"]["sd"], a0=ref["prior"]["a0"], b0=ref["prior"]["b0"])
    post = fit_car1(np.array(ref["t"]), np.array(ref["X"]), np.array(ref["y"]), prior)
    sarimax = ref["sarimax"]
    assert post.coef(1).mean == pytest.approx(sarimax["effect_mean"], abs=0.02)
    assert post.rho_mean == pytest.approx(sarimax["rho_mean"], abs=0.05)
    low, high = post.coef(1).interval(0.95)
    assert low == pytest.approx(sarimax["effect_low"], abs=0.02)
    assert high == pytest.approx(sarimax["effect_high"], abs=0.02)
