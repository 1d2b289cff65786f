"""Benchmark the journal at scale (issue 11): `dosewise import` and `dosewise journal --json` at 10k and 100k
entries, each in its own process: wall time and peak resident memory (ru_maxrss of that process, os.wait4).

Time should grow about linearly from 10k to 100k entries (about 10x) and peak memory stay about flat (the
journal is streamed: rows fetched in batches, JSON written a day at a time; the import checks and inserts
2,000 lines at a time in one transaction). A process that only reads one empty day is the baseline memory
(the interpreter and Dosewise's imports). Run: .venv/bin/python -m bench.bench_journal_scale
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench._report import write_section

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
SPACING = timedelta(minutes=50)  # 100,000 entries fit in 3,472 days (journal --days allows 3,660)
SIZES = (10_000, 100_000)


def _csv(n: int) -> bytes:
    lines = ["time,kind,item,value,unit,note"]
    t0 = NOW - SPACING * (n + 1)
    for i in range(n):
        at = (t0 + SPACING * i).isoformat()
        lines.append(f"{at},dose,Sativex,1,spray," if i % 2 else f"{at},rating,spasticity,{i % 11},,")
    return ("\n".join(lines) + "\n").encode()


def _env(folder: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DOSEWISE_DATABASE_URL": f"sqlite:///{folder / 'bench.db'}",
        "DOSEWISE_DATA_DIR": str(folder / "data"),
        "DOSEWISE_NOW": NOW.isoformat(),
        "DOSEWISE_TIMEZONE": "UTC",
    }


def _run(env: dict[str, str], *args: str) -> tuple[float, float]:
    """Run ``dosewise ARGS`` in a new process (output to /dev/null); return (seconds, peak RSS in MB)."""
    start = time.perf_counter()
    with open(os.devnull, "wb") as sink:
        proc = subprocess.Popen([sys.executable, "-m", "dosewise", *args], env=env, stdout=sink)
        _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(f"dosewise {' '.join(args)} failed with exit code {proc.returncode}")
    return seconds, usage.ru_maxrss / 1024  # Linux: kilobytes


def _setup(env: dict[str, str]) -> None:
    """The person and the product the CSV names, as a person would set them up."""
    for args in (
        ("person", "set", "--name", "Bench", "--condition", "ms-spasticity"),
        ("product", "add", "Sativex", "--form", "spray", "--thc", "2.7 mg per spray", "--cbd", "2.5 mg per spray"),
    ):
        subprocess.run([sys.executable, "-m", "dosewise", *args], env=env, check=True, capture_output=True)


def measure(n: int) -> dict[str, float]:
    """Import n entries into a new journal, then print it all as JSON; time and peak memory of each."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        env = _env(folder)
        _setup(env)
        path = folder / "journal.csv"
        path.write_bytes(_csv(n))
        base_s, base_mb = _run(env, "journal", "--json", "--days", "1")
        import_s, import_mb = _run(env, "import", str(path))
        json_s, json_mb = _run(env, "journal", "--json", "--days", "3660")
        csv_s, csv_mb = _run(env, "export", "--csv", str(folder / "out.csv"))
    return {
        "base_s": base_s,
        "base_mb": base_mb,
        "import_s": import_s,
        "import_mb": import_mb,
        "json_s": json_s,
        "json_mb": json_mb,
        "csv_s": csv_s,
        "csv_mb": csv_mb,
    }


def main() -> None:
    small, big = (measure(n) for n in SIZES)
    rows = [
        ("`dosewise import` (one transaction, every line checked)", "import"),
        ("`dosewise journal --json --days 3660`", "json"),
        ("`dosewise export --csv`", "csv"),
    ]
    lines = [
        "## Journal at scale (issue 11)",
        "",
        "Each command in its own process on SQLite; time is wall clock, memory the process's peak resident set",
        f"(ru_maxrss). A process that prints one empty day takes {small['base_s']:.1f} s and peaks at "
        f"{small['base_mb']:.0f} MB (the interpreter and Dosewise's imports): that is the floor, and at 10k entries",
        "it is most of the time, so the time growth below is less than the 10x of the work itself. Growth",
        "10k -> 100k: time should be at most about 10x (linear), memory about 1x (flat). The machine is shared",
        "(2 cores, several other sessions running tests), so times are noisy; memory is not.",
        "",
        "| command | 10,000 entries | 100,000 entries | time growth | memory growth |",
        "|---|---|---|---|---|",
    ]
    for label, key in rows:
        lines.append(
            f"| {label} | {small[key + '_s']:.1f} s, {small[key + '_mb']:.0f} MB | "
            f"{big[key + '_s']:.1f} s, {big[key + '_mb']:.0f} MB | {big[key + '_s'] / small[key + '_s']:.1f}x | "
            f"{big[key + '_mb'] / small[key + '_mb']:.2f}x |"
        )
    body = "\n".join(lines)
    print(body)  # noqa: T201 - a benchmark prints its figures
    write_section("journal-scale", body)


if __name__ == "__main__":
    main()
