"""Randomised schedules, the randomisation test and the design-based estimate."""

from datetime import date

import numpy as np
import pytest
from scipy import stats

from dosewise.analysis.series import daily_means
from dosewise.analysis.settings import analysis_settings
from dosewise.analysis.trial import analyse_trial, design_posterior, make_schedule, randomisation_test
from dosewise.errors import TrialError
from dosewise.model.scales import get_scale

START = date(2026, 12, 1)


def test_schedule_is_randomised_ab_ba_blocks_reproducible_from_the_seed():
    a = make_schedule(START, blocks=6, period_days=7, washout_days=2, seed=42)
    assert a == make_schedule(START, blocks=6, period_days=7, washout_days=2, seed=42)
    assert len(a) == 12 and a[0].start == START and a[-1].end == date(2027, 2, 22)
    for b in range(6):
        assert {a[2 * b].arm, a[2 * b + 1].arm} == {"active", "control"}
    for p, q in zip(a, a[1:], strict=False):
        assert (q.start - p.end).days == 1
    orders = {
        tuple(p.arm for p in make_schedule(START, blocks=4, period_days=7, washout_days=2, seed=s)) for s in range(40)
    }
    assert len(orders) > 8  # different seeds give different orders


@pytest.mark.parametrize("kwargs", [dict(blocks=0), dict(period_days=1), dict(washout_days=7)])
def test_impossible_designs_are_refused_with_a_reason(kwargs):
    args = dict(blocks=4, period_days=7, washout_days=2, seed=1) | kwargs
    with pytest.raises(TrialError):
        make_schedule(START, **args)


def test_randomisation_test_enumerates_all_sign_patterns():
    d = np.array([-1.0, -0.8, -1.2, -0.9])
    p, p_min = randomisation_test(d)
    assert p_min == pytest.approx(2 / 16)
    assert p == pytest.approx(2 / 16)  # all negative: only the observed pattern and its mirror are as extreme
    p_mixed, _ = randomisation_test(np.array([-1.0, 1.0, -0.2, 0.3]))
    assert p_mixed > 0.5


def test_many_blocks_use_monte_carlo_with_a_stated_floor():
    p, p_min = randomisation_test(-np.ones(20), draws=2000)
    assert p_min == pytest.approx(1 / 2001) and p == pytest.approx(1 / 2001)


def test_design_based_interval_is_the_paired_t_interval():
    d = np.array([-1.1, -0.4, -0.9, -1.6, -0.2])
    low, high = design_posterior(d).interval(0.95)
    ref = stats.t.interval(0.95, df=4, loc=d.mean(), scale=stats.sem(d))
    assert (low, high) == pytest.approx(ref, abs=1e-6)


def _trial_series(periods, effect, rng):
    days, values = [], []
    for p in periods:
        for k in range((p.end - p.start).days + 1):
            day = p.start.toordinal() + k
            for _ in range(2):
                days.append(day)
                values.append(6 + effect * (p.arm == "active") + rng.normal(0, 0.6))
    return daily_means(np.array(days), np.array(values))


def test_analyse_trial_gives_model_and_design_estimates_and_uses_only_ended_blocks():
    periods = make_schedule(START, blocks=4, period_days=7, washout_days=2, seed=3)
    series = _trial_series(periods, -2.0, np.random.default_rng(1))
    res = analyse_trial(
        series, periods, today=date(2027, 1, 30), scale=get_scale("spasticity"), settings=analysis_settings()
    )
    assert res.blocks_used == 4 and res.smallest_p == pytest.approx(0.125)
    assert res.model.summary.high < 0 and res.design.high < 0
    assert res.model.summary.verdict == "likely_helps"
    partial = analyse_trial(
        series, periods, today=date(2026, 12, 29), scale=get_scale("spasticity"), settings=analysis_settings()
    )
    assert partial.blocks_used == 2 and any("2 of 4" in n for n in partial.notes)


def test_too_few_ended_blocks_and_empty_periods_are_explained():
    periods = make_schedule(START, blocks=4, period_days=7, washout_days=2, seed=3)
    series = _trial_series(periods, -2.0, np.random.default_rng(1))
    with pytest.raises(TrialError, match="1 of 4 blocks"):
        analyse_trial(
            series, periods, today=date(2026, 12, 16), scale=get_scale("spasticity"), settings=analysis_settings()
        )
    # remove every rating of the first period after its washout: that block cannot count
    p0 = periods[0]
    keep = ~((series.days >= p0.analysed_start.toordinal()) & (series.days <= p0.end.toordinal()))
    res = analyse_trial(
        series.select(keep),
        periods,
        today=date(2027, 1, 30),
        scale=get_scale("spasticity"),
        settings=analysis_settings(),
    )
    assert res.blocks_used == 3
    assert any("Block 1 is left out" in n and "no ratings" in n for n in res.notes)
