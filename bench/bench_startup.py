"""Benchmark start-up: CLI commands a person types many times a day, and the web server's first answer.

Wall-clock time of fresh processes (median of interleaved runs, so machine load hits every command alike), and
for the CLI also their CPU time (user + system): on a busy machine the wall-clock ratios shrink towards 1, CPU
time shows what each command costs whatever the load.
References, measured in the same run:
- CLI: ``python -c "import sqlalchemy.orm, typer, pydantic, rich.console"`` - the libraries a log command
  cannot do without. Target (issue 16): ``dosewise log ...``, ``dosewise journal``, ``dosewise --help``
  <= 1.3x the reference.
- Server: ``python -c "import fastapi, sqlalchemy.orm"``. Target: ``dosewise serve`` answers its first
  request (GET /today, the demo person loaded beforehand) in <= 2x the reference.
Every command runs against its own SQLite file with the clock set (DOSEWISE_NOW), never the user's data.
Run: .venv/bin/python -m bench.bench_startup
"""

from __future__ import annotations

import os
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bench._report import write_section

RUNS = 9
SERVER_RUNS = 5
NOW = "2026-11-21T12:00:00+00:00"
DOSEWISE = str(Path(sys.executable).with_name("dosewise"))
CLI_REFERENCE = [sys.executable, "-c", "import sqlalchemy.orm, typer, pydantic, rich.console"]
SERVER_REFERENCE = [sys.executable, "-c", "import fastapi, sqlalchemy.orm"]
COMMANDS = {
    "dosewise --help": ["--help"],
    "dosewise log rating spasticity 5": ["log", "rating", "spasticity", "5"],
    # --again: the clock stands still (DOSEWISE_NOW), so from the second run on the same dose is "a moment ago"
    # and the double-press guard would refuse it
    'dosewise log dose "Calm CBD oil 1000" "5 drops" --again': [
        "log",
        "dose",
        "Calm CBD oil 1000",
        "5 drops",
        "--again",
    ],
    "dosewise journal": ["journal"],
}
CLI_TARGET = 1.3
SERVER_TARGET = 2.0


def _env(data_dir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DOSEWISE_DATA_DIR": str(data_dir),
        "DOSEWISE_DATABASE_URL": f"sqlite:///{data_dir / 'bench.db'}",
        "DOSEWISE_NOW": NOW,
        "DOSEWISE_TIMEZONE": "UTC",
        "COLUMNS": "100",
    }


def _cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def _seconds(cmd: list[str], env: dict[str, str], cpu: list[float] | None = None) -> float:
    """Wall-clock seconds of running ``cmd``; its CPU seconds are appended to ``cpu`` if given."""
    c0, t0 = _cpu(), time.perf_counter()
    subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - t0
    if cpu is not None:
        cpu.append(_cpu() - c0)
    return wall


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _first_answer(env: dict[str, str]) -> float:
    """Seconds from starting ``dosewise serve`` to its first 200 answer to GET /today."""
    port = _free_port()
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [DOSEWISE, "serve", "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/today", timeout=5) as answer:
                    if answer.status == 200:
                        return time.perf_counter() - t0
            except OSError:
                if proc.poll() is not None:
                    raise RuntimeError("dosewise serve exited before answering") from None
                time.sleep(0.005)
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _setup(env: dict[str, str]) -> None:
    # Byte code as an installed package has it (pip compiles a wheel's modules; an editable checkout run with
    # PYTHONDONTWRITEBYTECODE=1 would otherwise compile every Dosewise module from source on every run).
    package = Path(__file__).resolve().parents[1] / "src" / "dosewise"
    if package.is_dir():
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(package)], check=True, stdout=subprocess.DEVNULL)
    subprocess.run([DOSEWISE, "demo"], env=env, check=True, stdout=subprocess.DEVNULL)


def measure() -> tuple[dict[str, float], dict[str, float], dict[str, float]]:
    """Median wall seconds per CLI command, their median CPU seconds, and the server's; each with its reference."""
    with tempfile.TemporaryDirectory(prefix="dosewise-bench-startup-") as tmp:
        env = _env(Path(tmp))
        _setup(env)
        cli: dict[str, list[float]] = {"reference": [], **{name: [] for name in COMMANDS}}
        cpu: dict[str, list[float]] = {name: [] for name in cli}
        for _ in range(RUNS):
            cli["reference"].append(_seconds(CLI_REFERENCE, env, cpu["reference"]))
            for name, args in COMMANDS.items():
                cli[name].append(_seconds([DOSEWISE, *args], env, cpu[name]))
        server: dict[str, list[float]] = {"reference": [], "dosewise serve": []}
        for _ in range(SERVER_RUNS):
            server["reference"].append(_seconds(SERVER_REFERENCE, env))
            server["dosewise serve"].append(_first_answer(env))
    return (
        {k: statistics.median(v) for k, v in cli.items()},
        {k: statistics.median(v) for k, v in cpu.items()},
        {k: statistics.median(v) for k, v in server.items()},
    )


def _markdown(cli: dict[str, float], cpu: dict[str, float], server: dict[str, float]) -> str:
    ref = cli["reference"]
    cref = cpu["reference"]
    lines = [
        "## startup (CLI commands and the web server's first answer)",
        "",
        f"Fresh processes, median of {RUNS} interleaved runs (server: {SERVER_RUNS}), wall clock, demo person in "
        "a SQLite file. Targets (issue 16): each CLI command <= 1.3x the CLI reference; the server's first "
        "answer <= 2x the server reference. The targets are on wall-clock time; CPU time (user + system, median) "
        "is shown beside it for the CLI.",
        "",
        "| what | ms | x reference | CPU ms | CPU x reference | target |",
        "|---|---|---|---|---|---|",
        f'| reference: `python -c "import sqlalchemy.orm, typer, pydantic, rich.console"` | {ref * 1000:.0f} | '
        f"1.00 | {cref * 1000:.0f} | 1.00 | |",
    ]
    for name in COMMANDS:
        ratio = cli[name] / ref
        verdict = "met" if ratio <= CLI_TARGET else "NOT met"
        lines.append(
            f"| `{name}` | {cli[name] * 1000:.0f} | {ratio:.2f} | {cpu[name] * 1000:.0f} | {cpu[name] / cref:.2f} | "
            f"<= {CLI_TARGET} ({verdict}) |"
        )
    sref = server["reference"]
    ratio = server["dosewise serve"] / sref
    verdict = "met" if ratio <= SERVER_TARGET else "NOT met"
    lines += [
        f'| reference: `python -c "import fastapi, sqlalchemy.orm"` | {sref * 1000:.0f} | 1.00 | | | |',
        f"| `dosewise serve` until GET /today answers 200 | {server['dosewise serve'] * 1000:.0f} | {ratio:.2f} | | | "
        f"<= {SERVER_TARGET} ({verdict}) |",
    ]
    return "\n".join(lines)


def main() -> None:
    cli, cpu, server = measure()
    body = _markdown(cli, cpu, server)
    print(body)  # noqa: T201 - benchmark script output
    write_section("startup", body)


if __name__ == "__main__":
    main()
