"""Benchmark the hardening of issue 11: concurrent writers, and the CSV import at 10k and 100k entries.

- Writers: 64 threads each log notes through the service (as 64 browser tabs would); errors counted, the
  p50/p99 latency of one write compared with the p50 of a single client in the same run. SQLite (a temporary
  file) and PostgreSQL (DOSEWISE_TEST_PG_URL, a throwaway database; skipped when not set).
- Import: a journal CSV of 10,000 and 100,000 dose/rating lines into an empty SQLite journal; time and peak
  Python memory (tracemalloc), and their growth from 10k to 100k (time should grow about 10x, memory is
  bounded by the 10 MB file limit and the rows of one transaction).
Run: .venv/bin/python -m bench.bench_hardening
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
import tracemalloc
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import create_engine, text

from bench._report import write_section

WRITERS = 64
WRITES_EACH = 5
NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)


def _setup(url: str):
    from dosewise import clock
    from dosewise.services import people, products
    from dosewise.store.db import Database

    clock.set_now(NOW)
    db = Database(url)
    people.set_person(db, name="Bench", conditions=["ms-spasticity"], timezone="UTC")
    products.add_product(db, name="Sativex", form="spray", thc_mg=2.7, cbd_mg=2.5, per="spray")
    return db


def _timed_write(db, n: int) -> tuple[float, str | None]:
    from dosewise.services import journal

    start = time.perf_counter()
    try:
        journal.record_note(db, text=f"note {n}")
        return time.perf_counter() - start, None
    except Exception as exc:  # noqa: BLE001 - counted
        return time.perf_counter() - start, type(exc).__name__


def _writers(url: str) -> dict[str, float]:
    db = _setup(url)
    single = [_timed_write(db, i)[0] for i in range(40)]
    with ThreadPoolExecutor(max_workers=WRITERS) as pool:
        results = list(pool.map(lambda n: _timed_write(db, n), range(WRITERS * WRITES_EACH)))
    db.dispose()
    times = sorted(t for t, _ in results)
    p50_single = statistics.median(single)
    return {
        "writes": len(results),
        "errors": sum(1 for _, e in results if e),
        "single_p50_ms": p50_single * 1000,
        "p50_ms": statistics.median(times) * 1000,
        "p99_ms": times[int(len(times) * 0.99) - 1] * 1000,
    }


def _csv(n: int) -> bytes:
    lines = ["time,kind,item,value,unit,note"]
    t0 = NOW - timedelta(days=400)
    for i in range(n):
        at = (t0 + timedelta(minutes=3 * i)).isoformat()
        lines.append(f"{at},dose,Sativex,1,spray," if i % 2 else f"{at},rating,spasticity,{i % 11},,")
    return ("\n".join(lines) + "\n").encode()


def _import(n: int) -> dict[str, float]:
    from dosewise.services import csv_io

    with tempfile.TemporaryDirectory() as tmp:
        db = _setup(f"sqlite:///{Path(tmp) / 'b.db'}")
        data = _csv(n)
        tracemalloc.start()
        start = time.perf_counter()
        out = csv_io.import_csv(db, data, now=NOW)
        seconds = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        db.dispose()
    assert out.imported == n
    return {"seconds": seconds, "peak_mb": peak / 1e6, "bytes_mb": len(data) / 1e6}


def _pg_url() -> str | None:
    server = os.environ.get("DOSEWISE_TEST_PG_URL")
    if not server:
        return None
    name = f"dosewise_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server.replace("postgresql://", "postgresql+psycopg://", 1), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name}"))
    admin.dispose()
    return server.rsplit("/", 1)[0] + "/" + name


def _drop(url: str) -> None:
    server, name = url.rsplit("/", 1)
    admin = create_engine(
        f"{server}/postgres".replace("postgresql://", "postgresql+psycopg://", 1), isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    admin.dispose()


def main() -> None:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        rows.append(("SQLite", _writers(f"sqlite:///{Path(tmp) / 'w.db'}")))
    pg = _pg_url()
    if pg:
        rows.append(("PostgreSQL", _writers(pg)))
        _drop(pg)
    lines = [
        "## Hardening (issue 11)",
        "",
        f"{WRITERS} concurrent writers, {WRITES_EACH} notes each, through the journal service; latency of one write.",
        "",
        "| database | writes | errors | single-client p50 | p50 under load | p99 under load | p50 / single p50 |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, r in rows:
        lines.append(
            f"| {name} | {r['writes']:.0f} | {r['errors']:.0f} | {r['single_p50_ms']:.1f} ms | {r['p50_ms']:.1f} ms | "
            f"{r['p99_ms']:.1f} ms | {r['p50_ms'] / r['single_p50_ms']:.1f}x |"
        )
    small, big = _import(10_000), _import(100_000)
    lines += [
        "",
        "CSV import into an empty SQLite journal (one transaction, every line checked, duplicates looked up once):",
        "",
        "| lines | file | time | peak Python memory |",
        "|---|---|---|---|",
        f"| 10,000 | {small['bytes_mb']:.1f} MB | {small['seconds']:.1f} s | {small['peak_mb']:.0f} MB |",
        f"| 100,000 | {big['bytes_mb']:.1f} MB | {big['seconds']:.1f} s | {big['peak_mb']:.0f} MB |",
        f"| growth 10k -> 100k | 10x | {big['seconds'] / small['seconds']:.1f}x | "
        f"{big['peak_mb'] / small['peak_mb']:.1f}x |",
        "",
        "`journal --json`, the CSV export and the import in their own process (time and peak memory, 10k and "
        '100k entries): see the section "Journal at scale" (bench_journal_scale.py).',
    ]
    body = "\n".join(lines)
    print(body)
    write_section("hardening", body)


if __name__ == "__main__":
    main()
