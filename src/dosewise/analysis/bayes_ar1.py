"""Grid-conjugate Bayesian regression with continuous-time AR(1) errors (no sampler).

Model (docs/methods.md §5): ``y = X beta + u`` with ``Cov(u_i, u_j) = sigma^2 rho^|t_i - t_j|``
(``t`` in days, irregular spacing allowed). Given ``rho``, Prais-Winsten whitening makes the rows independent
and the Normal-Inverse-Gamma prior ``beta | sigma^2 ~ N(m0, sigma^2 V0)``, ``sigma^2 ~ IG(a0, b0)`` is
conjugate, so the posterior and the marginal likelihood ``p(y | rho)`` are closed-form. ``rho`` is put on a
grid over [0, 0.98] with a uniform prior and the grid weights average the per-rho Student-t posteriors.

Speed: with ``Z = [X, y]`` the whitened cross-products for the whole grid are three matrix products over
per-row outer products (the "three-GEMM trick"), ``M(rho) = W1 A - W2 B + W3 C + z0 z0'``. The per-rho
cross-products are also *sufficient statistics*: ``Car1Stats.append`` adds one observation in O(G q^2)
without refitting from scratch, and ``Car1Stats.select`` gives those of any subset of the columns.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import special

DEFAULT_RHO_GRID = np.linspace(0.0, 0.98, 50)


@dataclass(frozen=True)
class NigPrior:
    """Normal-Inverse-Gamma prior: ``beta | s2 ~ N(mean, s2 * inv(precision))``, ``s2 ~ IG(a0, b0)``."""

    mean: np.ndarray
    precision: np.ndarray
    a0: float = 0.01
    b0: float = 0.01

    @classmethod
    def weak(cls, sds: list[float] | np.ndarray, *, a0: float = 0.01, b0: float = 0.01) -> NigPrior:
        """Return a zero-mean prior with independent coefficient sds (in units of sigma)."""
        sds = np.asarray(sds, dtype=float)
        return cls(mean=np.zeros(sds.size), precision=np.diag(1.0 / sds**2), a0=a0, b0=b0)


@dataclass(frozen=True)
class Car1Stats:
    """Per-rho whitened cross-products of ``Z = [X, y]``: sufficient statistics for the whole grid.

    ``cross[g]`` is the (q+1) x (q+1) matrix ``Z~' Z~`` at ``rho_grid[g]``; ``log_jac[g]`` the
    Prais-Winsten log-Jacobian; ``last_t`` / ``last_z`` let one new observation be appended cheaply.
    """

    rho_grid: np.ndarray
    cross: np.ndarray
    log_jac: np.ndarray
    n: int
    last_t: float
    last_z: np.ndarray

    def select(self, columns: np.ndarray | list[int]) -> Car1Stats:
        """Return the statistics of the regression on a subset of the design's columns (same times and y).

        Cross-products of a subset of columns are a sub-block of the full ones, so several designs that share
        most columns (the half-life grid of the dose-response model) need one set of GEMMs between them.
        """
        idx = np.append(np.asarray(columns, dtype=int), self.cross.shape[1] - 1)
        return Car1Stats(
            self.rho_grid, self.cross[:, idx[:, None], idx], self.log_jac.copy(), self.n, self.last_t, self.last_z[idx]
        )

    def append(self, t: float, x: np.ndarray, y: float) -> Car1Stats:
        """Return the statistics with one more observation at time ``t`` (days, after ``last_t``)."""
        dt = float(t) - self.last_t
        if not dt > 0:
            raise ValueError("observations must be appended in strictly increasing time")
        z = np.append(np.asarray(x, dtype=float), float(y))
        phi = _phi(self.rho_grid, np.array([dt]))[:, 0]
        w = 1.0 / (1.0 - phi**2)
        zz, zl, ll = np.outer(z, z), np.outer(z, self.last_z), np.outer(self.last_z, self.last_z)
        cross = self.cross + (
            w[:, None, None] * zz - (w * phi)[:, None, None] * (zl + zl.T) + (w * phi**2)[:, None, None] * ll
        )
        log_jac = self.log_jac + 0.5 * np.log(w)
        return Car1Stats(self.rho_grid, cross, log_jac, self.n + 1, float(t), z)


def _phi(rho_grid: np.ndarray, dt: np.ndarray) -> np.ndarray:
    """Return ``rho ** dt`` for every grid point (rows) and gap (columns); 0 ** dt = 0 for dt > 0."""
    with np.errstate(divide="ignore"):
        log_rho = np.log(rho_grid)
    return np.exp(np.multiply.outer(log_rho, dt))


@dataclass(frozen=True)
class Car1Weights:
    """Per-rho whitening weights for fixed times: rows w, w*phi, w*phi^2 (G x (n-1)) and log-Jacobians.

    They depend only on the times and the grid, so several designs on the same days (the half-life grid of
    the dose-response model) share them.
    """

    rho_grid: np.ndarray
    w1: np.ndarray
    w2: np.ndarray
    w3: np.ndarray
    log_jac: np.ndarray


def car1_weights(t: np.ndarray, rho_grid: np.ndarray = DEFAULT_RHO_GRID) -> Car1Weights:
    """Return the whitening weights for times ``t`` (days, strictly increasing)."""
    t = np.asarray(t, dtype=float)
    grid = np.asarray(rho_grid, float)
    key = (t.tobytes(), grid.tobytes())
    cached = _WEIGHTS.get(key)
    if cached is not None:
        return cached
    dt = np.diff(t)
    if np.any(dt <= 0):
        raise ValueError("times must be strictly increasing")
    # Daily series have few distinct gaps (mostly 1 day): the weights are computed per distinct gap and spread.
    gaps, which, counts = np.unique(dt, return_inverse=True, return_counts=True)
    phi = _phi(grid, gaps)  # G x distinct gaps
    w = 1.0 / (1.0 - phi**2)
    found = Car1Weights(grid, w[:, which], (w * phi)[:, which], (w * phi**2)[:, which], 0.5 * np.log(w) @ counts)
    for array in (found.w1, found.w2, found.w3, found.log_jac):
        array.flags.writeable = False  # shared by every fit on the same days (before/after, dose-response)
    if len(_WEIGHTS) >= 8:
        _WEIGHTS.pop(next(iter(_WEIGHTS)))
    _WEIGHTS[key] = found
    return found


_WEIGHTS: dict[tuple[bytes, bytes], Car1Weights] = {}  # the last few sets of weights, by (times, rho grid)


def car1_stats(
    t: np.ndarray,
    X: np.ndarray,
    y: np.ndarray,
    rho_grid: np.ndarray = DEFAULT_RHO_GRID,
    *,
    weights: Car1Weights | None = None,
) -> Car1Stats:
    """Return the sufficient statistics of (t, X, y) for every rho on the grid (one GEMM).

    ``t``: strictly increasing times in days; ``X``: n x q design; ``y``: n outcomes (scale points).
    """
    t = np.asarray(t, dtype=float)
    weights = weights if weights is not None else car1_weights(t, rho_grid)
    Z = np.column_stack([np.asarray(X, dtype=float), np.asarray(y, dtype=float)])
    p = Z.shape[1]
    # Every term is symmetric, so only the upper triangle (p(p+1)/2 entries) is formed, and the three weighted
    # sums - w z_i z_i' + w phi^2 z_{i-1} z_{i-1}' - w phi (z_i z_{i-1}' + z_{i-1} z_i') - are one GEMM: the
    # first two share the products z_k z_k' (weights w on k >= 1 plus w phi^2 on k <= n-2). Columns are
    # gathered from the transposed design (whole rows: much faster than gathering columns).
    iu, ju = np.triu_indices(p)
    zt = np.ascontiguousarray(Z.T)  # p x n
    a, b = zt[iu], zt[ju]  # m x n
    products = np.empty((iu.size, 2 * Z.shape[0] - 1))
    np.multiply(a, b, out=products[:, : Z.shape[0]])  # z_k z_k'
    lagged = products[:, Z.shape[0] :]
    np.multiply(a[:, 1:], b[:, :-1], out=lagged)  # z_i z_{i-1}' + its transpose
    lagged += b[:, 1:] * a[:, :-1]
    g, n = weights.w1.shape[0], Z.shape[0]
    w = np.zeros((g, 2 * n - 1))
    w[:, 1:n] = weights.w1
    w[:, : n - 1] += weights.w3
    w[:, n:] = -weights.w2
    packed = w @ products.T  # G x m
    packed += Z[0, iu] * Z[0, ju]  # the first observation enters unwhitened
    cross = np.empty((g, p, p))
    cross[:, iu, ju] = packed
    cross[:, ju, iu] = packed
    return Car1Stats(weights.rho_grid, cross, weights.log_jac.copy(), len(t), float(t[-1]), Z[-1].copy())


@dataclass(frozen=True)
class Car1Posterior:
    """Posterior over the grid: weights, and per-rho Student-t parameters for every coefficient."""

    rho_grid: np.ndarray
    weights: np.ndarray  # G, sums to 1
    means: np.ndarray  # G x q posterior means m_n
    cov: np.ndarray  # G x q x q posterior scale matrices (b_n / a_n) V_n of the Student-t
    df: float  # 2 a_n
    log_evidence: float  # log p(y) with rho integrated over the grid prior
    n: int

    def coef(self, j: int) -> CoefPosterior:
        """Return the model-averaged posterior of coefficient ``j``."""
        return CoefPosterior(self.weights, self.means[:, j], np.sqrt(self.cov[:, j, j]), self.df).pruned()

    def contrast(self, c: np.ndarray) -> CoefPosterior:
        """Return the model-averaged posterior of the linear combination ``c' beta``."""
        c = np.asarray(c, dtype=float)
        scale = np.sqrt(np.einsum("i,gij,j->g", c, self.cov, c))
        return CoefPosterior(self.weights, self.means @ c, scale, self.df).pruned()

    @property
    def rho_mean(self) -> float:
        return float(self.weights @ self.rho_grid)


def posterior(stats: Car1Stats, prior: NigPrior, rho_prior: np.ndarray | None = None) -> Car1Posterior:
    """Return the conjugate posterior for every rho on the grid and the grid weights (§4.2 formulas)."""
    q = prior.mean.size
    XtX, Xtz, ztz = stats.cross[:, :q, :q], stats.cross[:, :q, q], stats.cross[:, q, q]
    P0, m0 = prior.precision, prior.mean
    Pn = P0[None] + XtX
    L = np.linalg.cholesky(Pn)
    rhs = (P0 @ m0)[None] + Xtz
    mn = np.linalg.solve(Pn, rhs[..., None])[..., 0]
    an = prior.a0 + stats.n / 2.0
    bn = prior.b0 + 0.5 * (ztz + m0 @ P0 @ m0 - np.einsum("gi,gi->g", mn, rhs))
    bn = np.maximum(bn, 1e-300)
    logdet_pn = 2.0 * np.log(np.diagonal(L, axis1=1, axis2=2)).sum(axis=1)
    logdet_p0 = np.linalg.slogdet(P0)[1]
    loglik = (
        -0.5 * stats.n * np.log(2 * np.pi)
        + 0.5 * logdet_p0
        - 0.5 * logdet_pn
        + prior.a0 * np.log(prior.b0)
        - an * np.log(bn)
        + special.gammaln(an)
        - special.gammaln(prior.a0)
        + stats.log_jac
    )
    log_prior = np.log(rho_prior) if rho_prior is not None else np.full(loglik.size, -np.log(loglik.size))
    lw = loglik + log_prior
    top = lw.max()
    weights = np.exp(lw - top)
    total = weights.sum()
    cov = np.linalg.inv(Pn) * (bn / an)[:, None, None]
    return Car1Posterior(stats.rho_grid, weights / total, mn, cov, 2.0 * an, float(top + np.log(total)), stats.n)


def fit_car1(
    t: np.ndarray, X: np.ndarray, y: np.ndarray, prior: NigPrior, rho_grid: np.ndarray = DEFAULT_RHO_GRID
) -> Car1Posterior:
    """Fit the grid-conjugate CAR(1) regression of ``y`` on ``X`` at times ``t`` (days)."""
    return posterior(car1_stats(t, X, y, rho_grid), prior)


@dataclass(frozen=True)
class CoefPosterior:
    """A finite mixture of Student-t distributions (one per grid point) for one coefficient."""

    weights: np.ndarray
    locs: np.ndarray
    scales: np.ndarray
    df: float

    def cdf(self, x: float | np.ndarray) -> np.ndarray:
        """Return P(coefficient <= x)."""
        x = np.asarray(x, dtype=float)
        z = (x[..., None] - self.locs) / self.scales
        return special.stdtr(self.df, z) @ self.weights

    def pdf(self, x: np.ndarray) -> np.ndarray:
        """Return the density at ``x`` (for charts)."""
        x = np.asarray(x, dtype=float)
        z = (x[..., None] - self.locs) / self.scales
        log_t = (
            special.gammaln((self.df + 1) / 2)
            - special.gammaln(self.df / 2)
            - 0.5 * np.log(self.df * np.pi)
            - (self.df + 1) / 2 * np.log1p(z**2 / self.df)
        )
        return (np.exp(log_t) / self.scales) @ self.weights

    @property
    def mean(self) -> float:
        return float(self.weights @ self.locs)

    def pruned(self, tol: float = 1e-12) -> CoefPosterior:
        """Return the mixture without components of weight below ``tol`` (renormalised; speed only)."""
        keep = self.weights >= tol * self.weights.max()
        if keep.all():
            return self
        w = self.weights[keep]
        return CoefPosterior(w / w.sum(), self.locs[keep], self.scales[keep], self.df)

    @staticmethod
    def mixture(parts: list[CoefPosterior], weights: np.ndarray) -> CoefPosterior:
        """Return the mixture of posteriors with equal df, weighted by ``weights`` (model averaging)."""
        w = np.concatenate([p.weights * wk for p, wk in zip(parts, weights, strict=True)])
        return CoefPosterior(
            w / w.sum(), np.concatenate([p.locs for p in parts]), np.concatenate([p.scales for p in parts]), parts[0].df
        ).pruned()

    @property
    def sd(self) -> float:
        var_t = self.scales**2 * self.df / (self.df - 2) if self.df > 2 else self.scales**2 * 1e6
        return float(np.sqrt(self.weights @ (var_t + self.locs**2) - self.mean**2))

    def quantile(self, p: float) -> float:
        """Return the ``p`` quantile (root of the mixture CDF)."""
        ends = self.locs + special.stdtrit(self.df, p) * self.scales  # each component's own p quantile
        lo, hi = float(ends.min()) - 1e-9, float(ends.max()) + 1e-9  # the mixture's lies between them
        if hi - lo < 1e-12:
            return (lo + hi) / 2
        # Newton's method on the mixture CDF (its derivative is the density), kept inside a shrinking bracket
        # with a bisection step whenever Newton would leave it: 3-5 CDF evaluations instead of ~12 for Brent.
        log_norm = special.gammaln((self.df + 1) / 2) - special.gammaln(self.df / 2) - 0.5 * np.log(self.df * np.pi)
        x = float(self.weights @ ends)
        for _ in range(100):
            z = (x - self.locs) / self.scales
            excess = float(special.stdtr(self.df, z) @ self.weights) - p
            if excess > 0:
                hi = x
            else:
                lo = x
            density = float(
                (np.exp(log_norm - (self.df + 1) / 2 * np.log1p(z**2 / self.df)) / self.scales) @ self.weights
            )
            step = excess / density if density > 0 else np.inf
            nxt = x - step
            if not lo < nxt < hi:
                nxt = (lo + hi) / 2
            if abs(nxt - x) < 1e-10 or hi - lo < 1e-10:
                return nxt
            x = nxt
        return x

    def interval(self, level: float = 0.95) -> tuple[float, float]:
        tail = (1 - level) / 2
        return self.quantile(tail), self.quantile(1 - tail)
