"""Dose-response kernel, the before/after edge cases, verdict direction and MCID."""

from datetime import date

import numpy as np
import pytest

from dosewise.analysis.bayes_ar1 import CoefPosterior
from dosewise.analysis.beforeafter import before_after
from dosewise.analysis.exposure import Doses, decayed_sum, dose_response
from dosewise.analysis.series import daily_means
from dosewise.analysis.settings import analysis_settings
from dosewise.analysis.verdict import summarise
from dosewise.errors import AnalysisError, InvalidInput
from dosewise.model.scales import get_scale
from tests.unit.analysis.simulate import DAY0, before_after_journal, exposure_journal

SETTINGS = analysis_settings()


@pytest.mark.parametrize("half_life", [1.0, 8.0, 72.0])
def test_exposure_kernel_equals_the_direct_sum_over_two_years(half_life):
    rng = np.random.default_rng(0)
    doses = np.sort(rng.uniform(0, 17_000, 400))
    mg = rng.uniform(1, 20, 400)
    q = np.sort(rng.uniform(-5, 17_500, 600))
    direct = np.array([(mg[doses < t] * 2 ** (-(t - doses[doses < t]) / half_life)).sum() for t in q])
    np.testing.assert_allclose(decayed_sum(q, doses, mg, half_life), direct, rtol=1e-9, atol=1e-12)


def test_a_dose_counts_only_after_it_is_taken():
    e = decayed_sum(np.array([9.0, 10.0, 10.5, 18.0]), np.array([10.0]), np.array([8.0]), 8.0)
    assert e.tolist() == pytest.approx([0.0, 0.0, 8 * 2**-0.0625, 4.0])


@pytest.mark.parametrize(("half_life", "acceptable"), [(8.0, {4.0, 8.0, 24.0}), (72.0, {72.0})])
def test_dose_response_recovers_a_real_effect_and_its_duration(half_life, acceptable):
    """Daily aggregation resolves the half-life to about one grid step (a factor of 2-3)."""
    rng = np.random.default_rng(1)
    ratings, doses = exposure_journal(rng, n_days=120, effect_per_mg=-0.12, half_life_h=half_life, dose_when_bad=False)
    fit = dose_response(ratings, doses, scale=get_scale("spasticity"), settings=SETTINGS)
    assert fit.model.summary.high < 0
    assert fit.best_half_life_h["oral"] in acceptable
    assert sum(fit.half_life_support.values()) == pytest.approx(1.0)


def test_dose_response_without_doses_or_days_is_explained():
    rng = np.random.default_rng(4)
    ratings, doses = exposure_journal(rng, n_days=10)
    with pytest.raises(AnalysisError, match="at least 14"):
        dose_response(ratings, doses, scale=get_scale("spasticity"), settings=SETTINGS)
    ratings, _ = exposure_journal(rng, n_days=30)
    empty = Doses(np.zeros(0), np.zeros(0), np.zeros(0, dtype=object))
    with pytest.raises(AnalysisError, match="no doses"):
        dose_response(ratings, empty, scale=get_scale("spasticity"), settings=SETTINGS)


def _series(n_base, n_treat, value=None):
    days = np.arange(n_base + n_treat) + DAY0
    rng = np.random.default_rng(1)
    values = np.full(days.size, value, float) if value is not None else 6 + rng.normal(0, 1, days.size)
    return daily_means(days, values), date.fromordinal(DAY0 + n_base)


@pytest.mark.parametrize(
    ("n_base", "n_treat", "message"), [(0, 30, "no baseline"), (3, 30, "Only 3 day"), (20, 2, "since the first dose")]
)
def test_before_after_refuses_thin_data_with_what_to_do(n_base, n_treat, message):
    series, first = _series(n_base, n_treat)
    with pytest.raises(AnalysisError, match=message):
        before_after(series, first, scale=get_scale("spasticity"), settings=SETTINGS)


def test_a_constant_scale_is_explained_not_crashed():
    series, first = _series(14, 14, value=5.0)
    with pytest.raises(AnalysisError, match="nothing varies"):
        before_after(series, first, scale=get_scale("spasticity"), settings=SETTINGS)


def test_benefit_direction_follows_the_scale():
    post = CoefPosterior(np.ones(1), np.array([2.0]), np.array([0.3]), 50.0)
    alsfrs = summarise(post, mcid=1.0, lower_is_better=False, threshold=0.8)
    spasticity = summarise(post, mcid=1.0, lower_is_better=True, threshold=0.8)
    assert alsfrs.verdict == "likely_helps" and spasticity.verdict == "likely_worse"
    small = CoefPosterior(np.ones(1), np.array([0.1]), np.array([0.2]), 50.0)
    assert summarise(small, mcid=1.0, lower_is_better=True, threshold=0.8).verdict == "no_meaningful_effect"


def test_mcid_is_the_larger_of_one_point_and_twenty_percent_unless_overridden():
    rng = np.random.default_rng(2)
    series, start = before_after_journal(rng, effect=-1.0)
    fit, responder = before_after(series, date.fromordinal(start), scale=get_scale("spasticity"), settings=SETTINGS)
    assert fit.summary.mcid == pytest.approx(max(1.0, 0.2 * responder.baseline_mean))
    custom = analysis_settings({"mcid_points": 1.5, "verdict_probability": 0.9})
    fit2, _ = before_after(series, date.fromordinal(start), scale=get_scale("spasticity"), settings=custom)
    assert fit2.summary.mcid == 1.5
    with pytest.raises(InvalidInput, match="Unknown analysis setting"):
        analysis_settings({"mcdi": 2})


def test_responder_check_reports_percent_improvement_in_week_four():
    days = np.arange(49) + DAY0
    values = np.where(days < DAY0 + 21, 8.0, 6.0) + np.tile([0.2, -0.2], 25)[:49]
    series = daily_means(days, values)
    _, r = before_after(series, date.fromordinal(DAY0 + 21), scale=get_scale("spasticity"), settings=SETTINGS)
    assert r.status == "done" and r.percent_improvement == pytest.approx(25.0, abs=1.0)
    assert r.met == {"20": True, "30": False}
