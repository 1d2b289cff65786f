"""Calibration by simulation: honest intervals and no false "likely helps" (docs/methods.md §9).

Simulated journals have a latent daily AR(1) level, rating noise (4 ratings a day), a trend, missing days and
missing ratings. A few hundred fits with the fast engine take about a second.
"""

from datetime import date

import numpy as np

from dosewise.analysis.beforeafter import before_after
from dosewise.analysis.exposure import dose_response
from dosewise.analysis.settings import analysis_settings
from dosewise.analysis.trial import design_posterior, randomisation_test
from dosewise.model.scales import get_scale
from tests.unit.analysis.simulate import DAY0, before_after_journal, exposure_journal, latent_ar1, ratings_series

SETTINGS = analysis_settings()
SPASTICITY = get_scale("spasticity")


def _fit(series, start):
    fit, _ = before_after(series, date.fromordinal(start), scale=SPASTICITY, settings=SETTINGS)
    return fit.summary


def test_before_after_95_interval_covers_the_true_effect_90_to_99_percent():
    rng = np.random.default_rng(20261121)
    effects = [0.0, -0.5, -1.0, -1.5]
    hits = 0
    for i in range(240):
        truth = effects[i % 4]
        s = _fit(*before_after_journal(rng, effect=truth))
        hits += s.low <= truth <= s.high
    assert 0.90 <= hits / 240 <= 0.99


def test_no_effect_rarely_gives_likely_helps_even_when_started_on_a_bad_day():
    rng = np.random.default_rng(5)
    for start_when_bad in (False, True):
        helps = sum(
            _fit(*before_after_journal(rng, effect=0.0, start_when_bad=start_when_bad)).verdict == "likely_helps"
            for _ in range(150)
        )
        assert helps / 150 <= 0.05


def test_a_real_benefit_is_found_with_enough_data():
    rng = np.random.default_rng(9)
    verdicts = [_fit(*before_after_journal(rng, effect=-2.5, treatment_days=56)).verdict for _ in range(40)]
    assert verdicts.count("likely_helps") / 40 >= 0.7


def test_dose_response_with_doses_on_bad_days_and_no_effect_does_not_say_likely_helps():
    rng = np.random.default_rng(11)
    verdicts = [
        dose_response(*exposure_journal(rng), scale=SPASTICITY, settings=SETTINGS).model.summary.verdict
        for _ in range(60)
    ]
    assert verdicts.count("likely_helps") / 60 <= 0.05


def test_design_based_trial_interval_covers_90_to_99_percent_and_null_p_is_uniform_enough():
    rng = np.random.default_rng(13)
    hits, small_p = 0, 0
    for i in range(200):
        truth = -1.0 if i % 2 else 0.0
        level = 6 + latent_ar1(rng, 56)
        arms = []
        for _ in range(4):
            order = [1, 0] if rng.random() < 0.5 else [0, 1]
            arms += [order[0]] * 7 + [order[1]] * 7
        arms = np.array(arms)
        series = ratings_series(rng, level + truth * arms)
        d = []
        for b in range(4):
            day = series.days - DAY0
            in_block = (day >= 14 * b + 2) & (day < 14 * (b + 1))
            period_active = arms[np.clip(day, 0, 55)] == 1
            a = series.mean[in_block & period_active & (day % 7 >= 2)]
            c = series.mean[in_block & ~period_active & (day % 7 >= 2)]
            d.append(a.mean() - c.mean())
        d = np.array(d)
        low, high = design_posterior(d).interval(0.95)
        hits += low <= truth <= high
        if truth == 0.0:
            small_p += randomisation_test(d)[0] <= 0.125
    assert 0.90 <= hits / 200 <= 0.99
    assert small_p / 100 <= 0.125 + 0.07  # the exact test's size at its smallest reachable p


def test_model_based_trial_estimate_is_calibrated_and_rarely_claims_benefit_under_the_null():
    from datetime import date as _date

    from dosewise.analysis.series import daily_means
    from dosewise.analysis.trial import analyse_trial, make_schedule

    start = _date.fromordinal(DAY0)
    hits, null_helps, runs = 0, 0, 150
    rng = np.random.default_rng(17)
    for i in range(runs):
        truth = -1.0 if i % 2 else 0.0
        periods = make_schedule(start, blocks=4, period_days=7, washout_days=2, seed=i)
        level = 6 + latent_ar1(rng, 56) + 0.5 * np.arange(56) / 365.25
        days, values = [], []
        for p in periods:
            for k in range(7):
                d = p.start.toordinal() + k - DAY0
                if rng.random() < 0.1:
                    continue  # a missed day
                for _ in range(3):
                    days.append(DAY0 + d)
                    values.append(level[d] + truth * (p.arm == "active") + rng.normal(0, 0.8))
        res = analyse_trial(
            daily_means(np.array(days), np.array(values)),
            periods,
            today=_date.fromordinal(DAY0 + 60),
            scale=SPASTICITY,
            settings=SETTINGS,
        )
        s = res.model.summary
        hits += s.low <= truth <= s.high
        null_helps += truth == 0.0 and s.verdict == "likely_helps"
    assert 0.90 <= hits / runs <= 0.99
    assert null_helps / (runs / 2) <= 0.05
