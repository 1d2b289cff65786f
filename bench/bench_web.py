"""Benchmark the web app: server time per page (p95) with two years of journal for one person, and page weight.

Reference run in the same process: the same pages on the nine-week demo journal, so the ratio shows what two
years of data cost. Pages are requested in-process through the ASGI app (FastAPI TestClient), which measures
the server's work (routing, services, SQL, templates) without network noise. Targets (issue 6): <= 50 ms p95
per page with two years of data; <= 150 KB per page (HTML + CSS, before charts).
Run: .venv/bin/python -m bench.bench_web
"""

from __future__ import annotations

import math
import os
import random
import re
import statistics
import tempfile
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from datetime import time as dtime
from pathlib import Path

from bench._report import write_section
from dosewise import clock
from dosewise.config import Settings
from dosewise.model.units import amount_of
from dosewise.services import demo, plans
from dosewise.services.products import to_model
from dosewise.services.runtime import zone
from dosewise.store.db import Database
from dosewise.store.tables import DoseRow, NoteRow, ProductRow, RatingRow, SideEffectRow

PAGES = [
    "/today",
    "/journal",
    "/journal?days=30",
    "/products",
    "/medicines",
    "/plan",
    "/trial",
    "/insights",
    "/guide",
    "/alerts",
]
REPEATS = 25
DAYS = 730
# The one clock, stood still (as in the tests): pages that show "today" or count days are the same on every run.
NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
clock.set_now(NOW)


def _two_years(db: Database) -> None:
    """Give the demo person two years of journal: 2 ratings and 2 doses a day, some side effects and notes."""
    rng = random.Random(11)
    with db.for_everyone().transaction() as s:  # raw rows for the demo person
        for row in s.query(RatingRow).all() + s.query(DoseRow).all():
            s.delete(row)
        oil = s.query(ProductRow).filter_by(name="Calm CBD oil 1000").one()
        model, tz = to_model(oil), zone(demo.DEMO_TZ)
        start = (NOW.astimezone(tz) - timedelta(days=DAYS)).date()
        for d in range(DAYS):
            day = start + timedelta(days=d)
            for hour in (8, 21):
                at = datetime.combine(day, dtime(hour, 0), tzinfo=tz)
                amt = amount_of(10 + d % 5, "drop", model)
                s.add(
                    DoseRow(
                        person_id=1,
                        product_id=oil.id,
                        amount=amt.quantity,
                        unit="drop",
                        thc_mg=amt.thc_mg,
                        cbd_mg=amt.cbd_mg,
                        at=at - timedelta(minutes=5),
                    )
                )
                s.add(
                    RatingRow(
                        person_id=1,
                        scale_id="spasticity",
                        at=at,
                        value=float(min(10, max(0, round(6 + math.sin(d / 9) + rng.gauss(0, 1))))),
                    )
                )
            if rng.random() < 0.1:
                s.add(
                    SideEffectRow(
                        person_id=1,
                        effect="drowsiness",
                        severity="mild",
                        at=datetime.combine(day, dtime(14), tzinfo=tz),
                    )
                )
            if rng.random() < 0.05:
                s.add(NoteRow(person_id=1, text=f"Day {d}: note.", at=datetime.combine(day, dtime(20), tzinfo=tz)))


def _client(data_dir: Path, *, years: bool):
    from dosewise.web.app import create_app

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient
    settings = Settings(data_dir=data_dir, database_url=f"sqlite:///{data_dir / 'bench.db'}")
    db = Database(settings.resolved_database_url())
    demo.load_demo(db, now=NOW)
    if years:
        _two_years(db)
    plans.new_plan(db, product="Calm CBD oil 1000", protocol="conservative")
    return TestClient(create_app(settings), base_url="http://127.0.0.1"), db


@contextmanager
def _served(data_dir: Path, *, years: bool) -> Iterator[tuple]:
    """A client of a started app (its lifespan run, as uvicorn does before the first request) and the db."""
    client, db = _client(data_dir, years=years)
    with client:
        yield client, db
    db.dispose()


def _p95(samples: list[float]) -> float:
    return sorted(samples)[max(0, math.ceil(0.95 * len(samples)) - 1)]


def _time_pages(client, cpu: dict[str, list[float]] | None = None) -> dict[str, list[float]]:
    """Wall-clock ms per request of every page; with ``cpu``, also the process CPU ms of each request there
    (the app runs in the client's thread: CPU time leaves out waiting for a core on a shared machine)."""
    times: dict[str, list[float]] = {p: [] for p in PAGES}
    for path in PAGES:
        assert client.get(path).status_code == 200, path  # warm-up (imports, caches, migrations check)
    for _ in range(REPEATS):
        for path in PAGES:
            c0, t0 = time.process_time(), time.perf_counter()
            r = client.get(path)
            times[path].append((time.perf_counter() - t0) * 1000)
            if cpu is not None:
                cpu.setdefault(path, []).append((time.process_time() - c0) * 1000)
            assert r.status_code == 200, path
    return times


def _time_cold_insights(client, cpu: list[float] | None = None) -> list[float]:
    """Time /insights with the analysis cache emptied first: the first view after any change to the journal."""
    from dosewise.services import analysis_cache

    out = []
    for _ in range(REPEATS):
        analysis_cache.clear()
        c0, t0 = time.process_time(), time.perf_counter()
        assert client.get("/insights").status_code == 200
        out.append((time.perf_counter() - t0) * 1000)
        if cpu is not None:
            cpu.append((time.process_time() - c0) * 1000)
    return out


def _weight(client, path: str, css: int) -> tuple[int, int]:
    """Return (bytes of HTML + CSS, bytes of inline SVG charts in the HTML)."""
    html = client.get(path).text
    charts = sum(len(m) for m in re.findall(r"<svg.*?</svg>", html, re.S))
    return len(html.encode()) + css, charts


def _rows(big_client, ref, big, ref_cold, big_cold, cpu, cold_cpu) -> list[tuple]:  # noqa: ANN001
    """(page, p95, median, CPU p95, reference p95, bytes, chart bytes) per page, the cold /insights after
    /insights."""
    css = len(big_client.get("/static/app.css").content)
    rows = []
    for path in PAGES:
        weight, charts = _weight(big_client, path, css)
        rows.append(
            (path, _p95(big[path]), statistics.median(big[path]), _p95(cpu[path]), _p95(ref[path]), weight, charts)
        )
        if path == "/insights":
            cold = ("/insights (cold: first view after a change)", _p95(big_cold), statistics.median(big_cold))
            rows.append((*cold, _p95(cold_cpu), _p95(ref_cold), weight, charts))
    return rows


def main() -> None:
    os.environ.setdefault("DOSEWISE_TIMEZONE", "UTC")
    with tempfile.TemporaryDirectory() as ref_dir, tempfile.TemporaryDirectory() as big_dir:
        with (
            _served(Path(ref_dir), years=False) as (ref_client, _),
            _served(Path(big_dir), years=True) as (big_client, _),
        ):
            cpu: dict[str, list[float]] = {}
            cold_cpu: list[float] = []
            ref, big = _time_pages(ref_client), _time_pages(big_client, cpu)
            ref_cold, big_cold = _time_cold_insights(ref_client), _time_cold_insights(big_client, cold_cpu)
            rows = _rows(big_client, ref, big, ref_cold, big_cold, cpu, cold_cpu)
    worst = max(r[1] for r in rows)
    heaviest = max(r[5] - r[6] for r in rows)
    lines = [
        "## web",
        "",
        f"Server time per page, in-process ASGI, {REPEATS} requests each; two years ({DAYS} days) of journal "
        "(2 ratings + 2 doses a day) vs the 9-week demo journal as the reference in the same run. "
        "Page weight = HTML + the one CSS file; inline SVG charts counted separately. /insights is served "
        "from a cache keyed by a fingerprint of the journal after the first view; the cold row empties "
        "that cache before every request. CPU p95 is the process CPU time of the request (the app runs in the "
        "client's thread): it leaves out waiting for a core on a shared machine.",
        "",
        "| page | p95 ms (2 years) | median ms | CPU p95 ms | p95 ms (9 weeks, reference) | ratio | "
        "KB (HTML+CSS) | of which charts KB |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for path, p95, med, cpu_p95, ref_p95, weight, charts in rows:
        lines.append(
            f"| {path} | {p95:.1f} | {med:.1f} | {cpu_p95:.1f} | {ref_p95:.1f} | {p95 / ref_p95:.2f} | "
            f"{weight / 1024:.1f} | {charts / 1024:.1f} |"
        )
    lines += [
        "",
        f"Worst p95: {worst:.1f} ms (target <= 50 ms: {'met' if worst <= 50 else 'NOT met'}). "
        f"Heaviest page before charts: {heaviest / 1024:.1f} KB (target <= 150 KB: "
        f"{'met' if heaviest <= 150 * 1024 else 'NOT met'}).",
    ]
    text = "\n".join(lines)
    print(text)
    write_section("web", text)


if __name__ == "__main__":
    main()
