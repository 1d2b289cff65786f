"""Statistics of a subset of columns, taken from one bigger design, equal those fitted on the subset alone."""

import numpy as np

from dosewise.analysis.bayes_ar1 import NigPrior, car1_stats, posterior


def test_selected_columns_give_the_same_posterior_as_fitting_them_alone():
    rng = np.random.default_rng(3)
    t = np.cumsum(rng.integers(1, 3, 200)).astype(float)  # irregular days
    X = np.column_stack([np.ones(t.size), t / 365.25, rng.normal(size=(t.size, 3))])
    y = 5 + X[:, 2] * 0.7 + rng.normal(0, 1, t.size)
    columns = [0, 1, 3]
    alone = car1_stats(t, X[:, columns], y)
    picked = car1_stats(t, X, y).select(columns)
    np.testing.assert_allclose(picked.cross, alone.cross, rtol=1e-10, atol=1e-8)
    np.testing.assert_allclose(picked.last_z, alone.last_z)
    prior = NigPrior.weak([10, 10, 10])
    a, b = posterior(alone, prior), posterior(picked, prior)
    assert abs(a.coef(2).mean - b.coef(2).mean) < 1e-9
    assert abs(a.log_evidence - b.log_evidence) < 1e-6
