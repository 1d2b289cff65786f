"""Benchmark the personal analysis: 2 years x 4 ratings a day plus doses, and the PyMC / SARIMAX references.

Figures (median of repeated runs, wall clock, one process):
- core before/after, core dose-response (6 half-lives x 50 rho), both together ("full analysis");
- one new rating added to the cached per-rho sufficient statistics (no refit);
- the service end to end on a temporary SQLite file (fetch, journal days, analysis);
- the same answer from PyMC NUTS and statsmodels SARIMAX on the frozen reference dataset
  (tests/data/reference_fits/before_after_2y.json, 2 years of daily means). When PyMC / statsmodels are
  importable (run it from the reference venv, see bench/make_reference_fits.py) they are timed in this run;
  otherwise the timing frozen with the reference fit is used and labelled as such.
Run: .venv/bin/python -m bench.bench_analysis   (or /tmp/refvenv/bin/python -m bench.bench_analysis)
"""

from __future__ import annotations

import os

# Small matrices: BLAS threads only add contention (measured: 11 ms single-threaded vs 15-150 ms threaded on a
# busy 2-core machine), so the benchmark - like the app should - runs BLAS single-threaded.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import json  # noqa: E402
import statistics  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from datetime import UTC, date, datetime, timedelta  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

from bench._report import write_section  # noqa: E402
from dosewise.analysis import bayes_ar1  # noqa: E402
from dosewise.analysis.bayes_ar1 import NigPrior, car1_stats, fit_car1, posterior  # noqa: E402
from dosewise.analysis.beforeafter import before_after  # noqa: E402
from dosewise.analysis.exposure import Doses, Ratings, dose_response  # noqa: E402
from dosewise.analysis.series import daily_means  # noqa: E402
from dosewise.analysis.settings import analysis_settings  # noqa: E402
from dosewise.model.scales import get_scale  # noqa: E402

REF = Path(__file__).resolve().parents[1] / "tests" / "data" / "reference_fits" / "before_after_2y.json"
DAYS, PER_DAY, SWITCH = 730, 4, 120
DAY0 = date(2024, 11, 1)


def simulate(seed: int = 1) -> tuple[Ratings, Doses]:
    """2 years x 4 ratings a day (5 % missed), oral doses twice a day from day 120 (5-20 mg)."""
    rng = np.random.default_rng(seed)
    latent = np.zeros(DAYS)
    for d in range(1, DAYS):
        latent[d] = 0.6 * latent[d - 1] + rng.normal(0, 0.5)
    hours = np.tile([8.0, 12.5, 17.0, 21.5], DAYS)
    day = np.repeat(np.arange(DAYS), PER_DAY)
    t0 = datetime.combine(DAY0, datetime.min.time(), tzinfo=UTC).timestamp() / 3600
    time_h = t0 + day * 24.0 + hours
    dose_days = np.repeat(np.arange(SWITCH, DAYS), 2)
    dose_h = t0 + dose_days * 24.0 + np.tile([8.0, 20.0], DAYS - SWITCH)
    mg = rng.choice([5.0, 10.0, 15.0, 20.0], dose_h.size)
    value = np.clip(np.round(6 + latent[day] - 0.8 * (day >= SWITCH) + rng.normal(0, 0.8, day.size)), 0, 10)
    keep = rng.random(day.size) > 0.05
    ratings = Ratings(DAY0.toordinal() + day[keep], time_h[keep], hours[keep], value[keep])
    return ratings, Doses(dose_h, mg, np.array(["oral"] * dose_h.size, dtype=object))


BEST: dict[str, float] = {}
CPU: dict[str, float] = {}


def _median_ms(fn, repeats: int, key: str | None = None) -> float:  # noqa: ANN001
    """Return the median wall time in ms; keep the fastest run in BEST[key] and the median CPU time in CPU[key].

    The machine is shared, so wall time includes waiting for a core; process CPU time does not.
    """
    fn()
    times, cpu = [], []
    for _ in range(repeats):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    if key:
        BEST[key], CPU[key] = min(times), statistics.median(cpu)
    return statistics.median(times)


def core_timings(ratings: Ratings, doses: Doses) -> dict[str, float]:
    scale, settings = get_scale("spasticity"), analysis_settings()
    first = date.fromordinal(DAY0.toordinal() + SWITCH)

    def ba():  # noqa: ANN202
        bayes_ar1._WEIGHTS.clear()  # time a first analysis: no CAR(1) weights kept from an earlier run
        return before_after(daily_means(ratings.day, ratings.value), first, scale=scale, settings=settings)

    def exp():  # noqa: ANN202
        return dose_response(ratings, doses, scale=scale, settings=settings)

    series = daily_means(ratings.day, ratings.value)
    X = np.column_stack([np.ones(series.n_days), series.days >= first.toordinal(), series.days / 365.25])
    stats = car1_stats(series.days[:-1].astype(float), X[:-1], series.mean[:-1])
    prior = NigPrior.weak([1000, 10, 10])

    def online():  # noqa: ANN202
        s = stats.append(float(series.days[-1]), X[-1], float(series.mean[-1]))
        return posterior(s, prior).coef(1).interval()

    return {
        "before_after": _median_ms(ba, 50, "before_after"),
        "exposure": _median_ms(exp, 30, "exposure"),
        "full": _median_ms(lambda: (ba(), exp()), 30, "full"),
        "online": _median_ms(online, 200, "online"),
        "answer": ba()[0].summary.mean,
        "exposure_answer": exp().model.summary.mean,
    }


def service_timing(ratings: Ratings, doses: Doses) -> float | None:
    """End-to-end insights.analyze on a temporary SQLite file (None if the app stack is not installed)."""
    try:
        from dosewise.services import insights
        from dosewise.store.db import Database
        from dosewise.store.tables import DoseRow, PersonRow, ProductRow, RatingRow
    except ImportError:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(f"sqlite:///{tmp}/bench.db")
        with db.for_everyone().transaction() as session:  # raw rows for a new person
            person = PersonRow(name="Bench", timezone="UTC", primary_scale="spasticity", settings={})
            session.add(person)
            session.flush()
            oil = ProductRow(
                person_id=person.id, name="Oil", form="oil", route="oral", basis="ml", thc_mg=0, cbd_mg=33.3
            )
            session.add(oil)
            session.flush()
            at = lambda h: datetime.fromtimestamp(h * 3600, tz=UTC)  # noqa: E731
            session.add_all(
                RatingRow(person_id=person.id, scale_id="spasticity", value=float(v), at=at(h))
                for h, v in zip(ratings.time_h, ratings.value, strict=True)
            )
            session.add_all(
                DoseRow(
                    person_id=person.id, product_id=oil.id, amount=1, unit="ml", thc_mg=0.0, cbd_mg=float(m), at=at(h)
                )
                for h, m in zip(doses.time_h, doses.mg, strict=True)
            )
        now = datetime.combine(DAY0 + timedelta(days=DAYS), datetime.min.time(), tzinfo=UTC)
        ms = _median_ms(lambda: insights.analyze(db, now=now), 10, "service")
        db.dispose()
        return ms


def reference_timings() -> dict:
    """Engine vs PyMC / SARIMAX on the frozen dataset; time the references here if importable."""
    ref = json.loads(REF.read_text(encoding="utf-8"))
    t, X, y = np.array(ref["t"]), np.array(ref["X"]), np.array(ref["y"])
    prior = NigPrior.weak(ref["prior"]["sd"], a0=ref["prior"]["a0"], b0=ref["prior"]["b0"])
    engine_ms = _median_ms(lambda: fit_car1(t, X, y, prior).coef(1).interval(), 50)
    post = fit_car1(t, X, y, prior)
    out = {
        "engine_ms": engine_ms,
        "engine": (post.coef(1).mean, *post.coef(1).interval(), post.rho_mean),
        "pymc": ref["pymc"],
        "sarimax": ref["sarimax"],
        "pymc_source": "frozen",
        "sarimax_source": "frozen",
    }
    try:
        from bench.make_reference_fits import fit_pymc, fit_sarimax

        out["pymc"] = fit_pymc(ref, ref["prior"]["sd"])
        out["pymc_source"] = "measured in this run"
        out["sarimax"] = fit_sarimax(ref)
        out["sarimax_source"] = "measured in this run"
    except ImportError:
        pass
    return out


def _markdown(core: dict, service_ms: float | None, ref: dict) -> str:
    e = ref["engine"]
    p, s = ref["pymc"], ref["sarimax"]
    pymc_ratio = p["seconds"] * 1000 / ref["engine_ms"]
    service_text = (
        f"{service_ms:.1f} ms | {CPU['service']:.1f} ms | {BEST['service']:.1f} ms"
        if service_ms is not None
        else "not run (app stack not installed) | - | -"
    )
    lines = [
        "## Personal analysis (`bench/bench_analysis.py`)",
        "",
        f"2 years x 4 ratings a day ({DAYS * PER_DAY} planned, 5 % missed) plus {2 * (DAYS - SWITCH)} doses.",
        "",
        "| step | median wall time | median CPU time | fastest run |",
        "|---|---|---|---|",
        f"| before/after (daily means, CAR(1), 50-point rho grid, responder) | {core['before_after']:.2f} ms | "
        f"{CPU['before_after']:.2f} ms | {BEST['before_after']:.2f} ms |",
        f"| dose-response (6 half-lives x 50 rho, model-averaged) | {core['exposure']:.2f} ms | "
        f"{CPU['exposure']:.2f} ms | {BEST['exposure']:.2f} ms |",
        f"| **full analysis: both of the above** (goal <= 20 ms) | {core['full']:.2f} ms | **{CPU['full']:.2f} ms** | "
        f"{BEST['full']:.2f} ms |",
        f"| one new rating: update cached per-rho statistics + posterior | {core['online']:.3f} ms | "
        f"{CPU['online']:.3f} ms | {BEST['online']:.3f} ms |",
        f"| service end to end on SQLite (fetch, journal days, analysis) | {service_text} |",
        "",
        "The machine is shared (2 cores, several jobs): wall-clock medians include waiting for a core, CPU time "
        "does not. BLAS runs single-threaded (small matrices).",
        "",
        "Same answer as the slow references (frozen dataset `before_after_2y`, 2 years of daily means):",
        "",
        "| method | effect mean | 95 % low | 95 % high | rho | time | engine is faster by |",
        "|---|---|---|---|---|---|---|",
        f"| grid-conjugate CAR(1) (ours) | {e[0]:.3f} | {e[1]:.3f} | {e[2]:.3f} | {e[3]:.3f} | "
        f"{ref['engine_ms']:.2f} ms | - |",
        f"| PyMC NUTS 4 x 3000 draws ({ref['pymc_source']}) | {p['effect_mean']:.3f} | {p['effect_low']:.3f} | "
        f"{p['effect_high']:.3f} | {p['rho_mean']:.3f} | {p['seconds']:.1f} s | **{pymc_ratio:,.0f}x** |",
        f"| statsmodels SARIMAX MLE ({ref['sarimax_source']}) | {s['effect_mean']:.3f} | {s['effect_low']:.3f} | "
        f"{s['effect_high']:.3f} | {s['rho_mean']:.3f} | {s['seconds'] * 1000:.0f} ms | "
        f"{s['seconds'] * 1000 / ref['engine_ms']:,.0f}x |",
    ]
    if ref["pymc_source"] == "frozen":
        lines += [
            "",
            "_PyMC and statsmodels are not installed in this environment: their times are the ones frozen "
            "when `bench/make_reference_fits.py` made the reference file on this machine, not measured in "
            "this run._",
        ]
    return "\n".join(lines)


def main() -> None:
    ratings, doses = simulate()
    core = core_timings(ratings, doses)
    service_ms = service_timing(ratings, doses)
    ref = reference_timings()
    body = _markdown(core, service_ms, ref)
    print(body)  # noqa: T201 - benchmark script output
    write_section("analysis", body)


if __name__ == "__main__":
    main()
