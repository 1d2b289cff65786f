"""Benchmark many people in one database (issue 14): sign-in time, and a caregiver's page view at clinic scale.

Setup (through the services): 1,000 people (the viewed one has the 9-week demo journal, every other one 60
ratings), 10 caregiver accounts each granted 100 people (1,000 grants). Reference in the same run: a database
with the demo person alone, one caregiver account granted to her. Both are viewed by a signed-in caregiver
with ``?person=``, in-process through the ASGI app (FastAPI TestClient: server work, no network), so the ratio
p95 / p95 shows what the other 999 people and 1,000 grants cost. Target (issue 14): ratio <= 1.5.

Sign-in time uses the real Argon2id hasher (``auth._hasher``, argon2-cffi defaults) for the measured account;
the other nine accounts are set up with cheap Argon2 parameters only to keep the setup short.
Run: .venv/bin/python -m bench.bench_people   (about a minute)
"""

from __future__ import annotations

import math
import os
import statistics
import subprocess
import tempfile
import time
import warnings
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert

from bench._report import write_section
from dosewise import clock
from dosewise.config import Settings
from dosewise.services import auth, demo, people, sharing
from dosewise.store.db import Database
from dosewise.store.tables import RatingRow

PEOPLE = 1000
ACCOUNTS = 10
GRANTS_EACH = 100
OTHER_RATINGS = 60  # per other person
SIGN_INS = 20
REPEATS = 40
PAGES = ("/today", "/journal")
PASSWORD = "blue kettle on the stove 42"
NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)  # the one clock, stood still (as in the tests)
clock.set_now(NOW)


def _cheap_hashes() -> Callable[[], Any]:
    """Switch account setup to cheap Argon2 parameters; return the real hasher factory to put back."""
    from argon2 import PasswordHasher

    real = auth._hasher
    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    auth._hasher = lambda: cheap  # type: ignore[assignment]
    return real


def _settings(data_dir: Path) -> Settings:
    return Settings(data_dir=data_dir, database_url=f"sqlite:///{data_dir / 'bench.db'}")


def _clinic(data_dir: Path) -> tuple[Database, int, float]:
    """Build the 1,000-person database; return it, the viewed person's id and the setup time in seconds."""
    t0 = time.perf_counter()
    db = Database(_settings(data_dir).resolved_database_url())
    viewed = demo.load_demo(db, now=NOW).id
    others = [
        people.add_person(db, name=f"Person {n:04d}", conditions=["ms-spasticity"], timezone="UTC", now=NOW).id
        for n in range(1, PEOPLE)
    ]
    with db.unscoped().transaction() as session:
        session.execute(
            insert(RatingRow),
            [
                {"person_id": pid, "scale_id": "spasticity", "value": float(k % 10), "at": NOW - timedelta(hours=k)}
                for pid in others
                for k in range(OTHER_RATINGS)
            ],
        )
    real = _cheap_hashes()
    try:
        everyone = [viewed, *others]
        for a in range(ACCOUNTS):
            email = f"carer{a}@example.org"
            if a == 0:  # the measured account: a real Argon2id hash
                auth._hasher = real  # type: ignore[assignment]
                auth.add_account(db, email=email, role="caregiver", password=PASSWORD)
                _cheap_hashes()
            else:
                auth.add_account(db, email=email, role="caregiver", password=PASSWORD)
            for pid in everyone[a * GRANTS_EACH : (a + 1) * GRANTS_EACH]:
                sharing.share(db, person=str(pid), email=email, role="caregiver")
    finally:
        auth._hasher = real  # type: ignore[assignment]
    return db, viewed, time.perf_counter() - t0


def _single(data_dir: Path) -> tuple[Database, int]:
    """The reference: the demo person alone, shared with one caregiver account."""
    db = Database(_settings(data_dir).resolved_database_url())
    viewed = demo.load_demo(db, now=NOW).id
    real = _cheap_hashes()
    try:
        auth.add_account(db, email="carer0@example.org", role="caregiver", password=PASSWORD)
    finally:
        auth._hasher = real  # type: ignore[assignment]
    sharing.share(db, person=str(viewed), email="carer0@example.org", role="caregiver")
    return db, viewed


def _client(data_dir: Path) -> Any:
    from dosewise.web.app import create_app

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient
    return TestClient(create_app(_settings(data_dir)), base_url="http://127.0.0.1", follow_redirects=False)


def _sign_in(client: Any) -> float:
    t0 = time.perf_counter()
    answer = client.post("/api/v1/signin", json={"email": "carer0@example.org", "password": PASSWORD})
    elapsed = (time.perf_counter() - t0) * 1000
    assert answer.status_code == 200, answer.text
    return elapsed


def _time_pages(client: Any, person: int) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {p: [] for p in PAGES}
    for path in PAGES:
        assert client.get(f"{path}?person={person}").status_code == 200, path  # warm-up
    for _ in range(REPEATS):
        for path in PAGES:
            t0 = time.perf_counter()
            answer = client.get(f"{path}?person={person}")
            times[path].append((time.perf_counter() - t0) * 1000)
            assert answer.status_code == 200, path
    return times


def _p95(samples: list[float]) -> float:
    return sorted(samples)[max(0, math.ceil(0.95 * len(samples)) - 1)]


def _uptime() -> str:
    try:
        return subprocess.run(["uptime"], capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "uptime not available"


def main() -> None:
    os.environ.setdefault("DOSEWISE_TIMEZONE", "UTC")
    load_before = _uptime()
    with tempfile.TemporaryDirectory() as big_dir, tempfile.TemporaryDirectory() as ref_dir:
        big_db, big_person, setup_s = _clinic(Path(big_dir))
        ref_db, ref_person = _single(Path(ref_dir))
        big_client, ref_client = _client(Path(big_dir)), _client(Path(ref_dir))
        sign_ins = [_sign_in(big_client) for _ in range(SIGN_INS)]
        _sign_in(ref_client)
        big, ref = _time_pages(big_client, big_person), _time_pages(ref_client, ref_person)
        big_db.dispose()
        ref_db.dispose()
    load_after = _uptime()
    lines = [
        "## people",
        "",
        f"{PEOPLE:,} people in one SQLite database (the viewed one with the 9-week demo journal, the others "
        f"{OTHER_RATINGS} ratings each), {ACCOUNTS} caregiver accounts each granted {GRANTS_EACH} people "
        f"({ACCOUNTS * GRANTS_EACH:,} grants); setup through the services took {setup_s:.0f} s. In-process "
        f"ASGI, signed in as a caregiver viewing one granted person with `?person=`, {REPEATS} requests per "
        "page; reference in the same run: the same demo journal alone in its database, one caregiver grant.",
        "",
        f"Sign-in (`POST /api/v1/signin`, real Argon2id hasher, argon2-cffi defaults), {SIGN_INS} sign-ins: "
        f"p50 {statistics.median(sign_ins):.0f} ms, p95 {_p95(sign_ins):.0f} ms.",
        "",
        "| page | p95 ms (1,000 people) | p50 ms | p95 ms (1 person, reference) | p50 ms | ratio p95/p95 |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    ratios = []
    for path in PAGES:
        ratio = _p95(big[path]) / _p95(ref[path])
        ratios.append(ratio)
        lines.append(
            f"| {path} | {_p95(big[path]):.1f} | {statistics.median(big[path]):.1f} | {_p95(ref[path]):.1f} | "
            f"{statistics.median(ref[path]):.1f} | {ratio:.2f} |"
        )
    worst = max(ratios)
    lines += [
        "",
        f"Worst ratio {worst:.2f} (target <= 1.5: {'met' if worst <= 1.5 else 'NOT met'}).",
        f"Load before: `{load_before}`; after: `{load_after}` (a shared 2-core machine: absolute times vary with "
        "load, the ratio less so).",
    ]
    write_section("people", "\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
