"""Turn a posterior into P(benefit), P(harm) and a three-way (plus "worse") verdict.

Rule (docs/methods.md §7, ROPE-style): with MCID the minimal clinically important
difference in scale points and ``threshold`` the decision probability (a setting, default 0.8):

- ``likely_helps``          if P(improvement >= MCID) >= threshold
- ``likely_worse``          if P(worsening  >= MCID) >= threshold
- ``no_meaningful_effect``  if P(|effect| < MCID)    >= threshold
- ``inconclusive``          otherwise (keep going).

Direction: ``effect`` is (treatment - comparison) in scale points, so on scales where lower is better a
negative effect is an improvement; on higher-is-better scales (ALSFRS-R) a positive one is.
"""

from __future__ import annotations

from dataclasses import dataclass

from dosewise.analysis.bayes_ar1 import CoefPosterior
from dosewise.model.vocab import Verdict

VERDICTS = tuple(Verdict)


@dataclass(frozen=True)
class EffectSummary:
    """The effect in scale points (treatment minus comparison) and the decision quantities."""

    mean: float
    low: float
    high: float
    p_benefit: float
    p_harm: float
    p_negligible: float
    mcid: float
    verdict: str


def benefit_harm(post: CoefPosterior, *, mcid: float, lower_is_better: bool) -> tuple[float, float, float]:
    """Return P(benefit >= MCID), P(harm >= MCID), P(|effect| < MCID)."""
    below, above = float(post.cdf(-mcid)), 1.0 - float(post.cdf(mcid))
    p_benefit, p_harm = (below, above) if lower_is_better else (above, below)
    return p_benefit, p_harm, max(0.0, 1.0 - below - above)


def decide(p_benefit: float, p_harm: float, p_negligible: float, *, threshold: float) -> str:
    """Return the verdict for the three probabilities (see the module docstring)."""
    if p_benefit >= threshold:
        return Verdict.LIKELY_HELPS
    if p_harm >= threshold:
        return Verdict.LIKELY_WORSE
    if p_negligible >= threshold:
        return Verdict.NO_MEANINGFUL_EFFECT
    return Verdict.INCONCLUSIVE


def summarise(
    post: CoefPosterior, *, mcid: float, lower_is_better: bool, threshold: float, level: float = 0.95
) -> EffectSummary:
    """Return the mean, the ``level`` credible interval, the probabilities and the verdict."""
    low, high = post.interval(level)
    p_benefit, p_harm, p_neg = benefit_harm(post, mcid=mcid, lower_is_better=lower_is_better)
    return EffectSummary(
        post.mean, low, high, p_benefit, p_harm, p_neg, mcid, decide(p_benefit, p_harm, p_neg, threshold=threshold)
    )
