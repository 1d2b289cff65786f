"""Benchmark the speed goals of issue 16 with two years of data, each beside a reference run in this process.

- Pages: p95 server time of every page (in-process ASGI, as bench_web) with two years of journal, including
  the first /insights view after a change (analysis cache emptied before each request). Reference: the same
  pages on the nine-week demo journal. Target: every page <= 50 ms.
- Personal analysis: the full analysis (before/after + dose-response) of 2 years x 4 ratings a day, CPU time.
  Reference: one numpy least-squares fit of the same daily means on the before/after design (no AR(1), no
  grid). Target: <= 10 ms. The answers still match PyMC / statsmodels in tests/unit/analysis.
- FHIR export: the ~3,000-resource bundle of a two-year journal (read + build). Reference: json.dumps of the
  same bundle. Target: <= 5x.
Run: .venv/bin/python -m bench.bench_speed
"""

from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")  # small matrices: BLAS threads only add contention (see bench_analysis)

import json  # noqa: E402
import statistics  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from datetime import date  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

from bench._report import write_section  # noqa: E402

PAGE_TARGET_MS, ANALYSIS_TARGET_MS, FHIR_TARGET = 50.0, 10.0, 5.0
COLD = "/insights (first view after a change)"


def _cpu_ms(fn, repeats: int) -> float:  # noqa: ANN001
    """Median process CPU time of ``fn`` in ms (the machine is shared: wall time includes waiting)."""
    fn()
    out = []
    for _ in range(repeats):
        start = time.process_time()
        fn()
        out.append((time.process_time() - start) * 1000)
    return statistics.median(out)


def pages() -> list[tuple[str, float, float, float, float]]:
    """(page, p95 ms with two years, p95 ms on the demo journal, the same two in process CPU ms) for every
    page and the cold /insights."""
    from bench.bench_web import PAGES, _p95, _served, _time_cold_insights, _time_pages

    os.environ.setdefault("DOSEWISE_TIMEZONE", "UTC")
    with tempfile.TemporaryDirectory() as ref_dir, tempfile.TemporaryDirectory() as big_dir:
        with (
            _served(Path(ref_dir), years=False) as (ref_client, _),
            _served(Path(big_dir), years=True) as (big_client, _),
        ):
            ref_cpu: dict[str, list[float]] = {}
            big_cpu: dict[str, list[float]] = {}
            ref, big = _time_pages(ref_client, ref_cpu), _time_pages(big_client, big_cpu)
            ref_cpu[COLD], big_cpu[COLD] = [], []
            ref_cold = _time_cold_insights(ref_client, ref_cpu[COLD])
            big_cold = _time_cold_insights(big_client, big_cpu[COLD])
    big[COLD], ref[COLD] = big_cold, ref_cold
    return [(p, _p95(big[p]), _p95(ref[p]), _p95(big_cpu[p]), _p95(ref_cpu[p])) for p in [*PAGES, COLD]]


def analysis() -> dict[str, float]:
    from bench.bench_analysis import DAY0, SWITCH, simulate
    from dosewise.analysis import bayes_ar1
    from dosewise.analysis.beforeafter import before_after
    from dosewise.analysis.exposure import dose_response
    from dosewise.analysis.series import daily_means
    from dosewise.analysis.settings import analysis_settings
    from dosewise.model.scales import get_scale

    ratings, doses = simulate()
    scale, settings = get_scale("spasticity"), analysis_settings()
    first = date.fromordinal(DAY0.toordinal() + SWITCH)

    def full() -> None:
        bayes_ar1._WEIGHTS.clear()  # a first analysis: no CAR(1) weights kept from the previous repetition
        before_after(daily_means(ratings.day, ratings.value), first, scale=scale, settings=settings)
        dose_response(ratings, doses, scale=scale, settings=settings)

    series = daily_means(ratings.day, ratings.value)
    X = np.column_stack([np.ones(series.n_days), series.days >= first.toordinal(), series.days / 365.25])
    return {
        "full": _cpu_ms(full, 30),
        "reference": _cpu_ms(lambda: np.linalg.lstsq(X, series.mean, rcond=None), 200),
        "ratings": float(ratings.value.size),
        "doses": float(doses.mg.size),
    }


def fhir() -> dict[str, float]:
    from bench.bench_reports import NOW, _fill
    from dosewise.reports.fhir import build_bundle
    from dosewise.services.fhir_source import fhir_source
    from dosewise.store.db import Database

    with tempfile.TemporaryDirectory() as tmp:
        db = Database(f"sqlite:///{tmp}/fhir.db")
        _fill(db)
        bundle = build_bundle(fhir_source(db, now=NOW))
        export = _cpu_ms(lambda: build_bundle(fhir_source(db, now=NOW)), 7)
        dumps = _cpu_ms(lambda: json.dumps(bundle), 7)
        db.dispose()
    return {"export": export, "reference": dumps, "resources": float(len(bundle["entry"]))}


def _verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


def _markdown(page_rows: list[tuple[str, float, float, float, float]], a: dict[str, float], f: dict[str, float]) -> str:
    worst, worst_cpu = max(r[1] for r in page_rows), max(r[3] for r in page_rows)
    lines = [
        "## speed (issue 16: pages, personal analysis, FHIR export with two years of data)",
        "",
        "Pages: server time, in-process ASGI (the app started as uvicorn starts it), p95 of 25 requests, wall "
        "clock and process CPU time; the reference is the same page on the nine-week demo journal in the same "
        "run. Analysis and FHIR: median process CPU time (the machine is shared; CPU time leaves out waiting "
        "for a core).",
        "",
        "| page | p95 ms (2 years) | p95 ms (reference: 9 weeks) | ratio | p95 CPU ms (2 years) | "
        "p95 CPU ms (9 weeks) |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    lines += [
        f"| {p} | {big:.1f} | {ref:.1f} | {big / ref:.2f} | {big_cpu:.1f} | {ref_cpu:.1f} |"
        for p, big, ref, big_cpu, ref_cpu in page_rows
    ]
    lines += [
        "",
        f"Worst page p95: {worst:.1f} ms wall clock, {worst_cpu:.1f} ms CPU (target <= {PAGE_TARGET_MS:.0f} ms: "
        f"{_verdict(worst <= PAGE_TARGET_MS)} on wall clock, {_verdict(worst_cpu <= PAGE_TARGET_MS)} on CPU time).",
        "",
        "| measure | ms | reference | reference ms | ratio | target |",
        "|---|---:|---|---:|---:|---|",
        f"| full personal analysis (before/after + dose-response), {a['ratings']:.0f} ratings, {a['doses']:.0f} "
        f"doses | {a['full']:.2f} | numpy least squares on the same daily means | {a['reference']:.3f} | "
        f"{a['full'] / a['reference']:.0f} | <= {ANALYSIS_TARGET_MS:.0f} ms "
        f"({_verdict(a['full'] <= ANALYSIS_TARGET_MS)}) |",
        f"| FHIR export of {f['resources']:,.0f} resources (read + build) | {f['export']:.1f} | json.dumps of the "
        f"bundle | {f['reference']:.1f} | {f['export'] / f['reference']:.1f} | <= {FHIR_TARGET:.0f}x "
        f"({_verdict(f['export'] <= FHIR_TARGET * f['reference'])}) |",
    ]
    return "\n".join(lines)


def main() -> None:
    body = _markdown(pages(), analysis(), fhir())
    print(body)  # noqa: T201 - benchmark script output
    write_section("speed", body)


if __name__ == "__main__":
    main()
