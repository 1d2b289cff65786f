"""Measure what a first ``make run`` installs, from a fresh clone: wall time and the size of .venv.

Not part of ``make bench`` (it takes minutes and reads the package index). Steps, in a clone of this
repository's committed HEAD in a temporary folder:
1. ``make .venv/.installed`` - everything ``make run`` does before it starts serving;
2. reference in the same run: ``make .venv/.installed-dev`` on top - the development tools ``make test`` adds
   (before issue 16 ``make run`` installed those too).
Run: .venv/bin/python -m bench.measure_install
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from bench._report import write_section

ROOT = Path(__file__).resolve().parents[1]


def _size_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink()) / 1e6


def _make(clone: Path, target: str) -> float:
    t0 = time.perf_counter()
    subprocess.run(["make", "-C", str(clone), target], check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t0


def measure() -> dict[str, float]:
    tmp = Path(tempfile.mkdtemp(prefix="dosewise-install-"))
    try:
        clone = tmp / "dosewise"
        subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
        run_s = _make(clone, ".venv/.installed")
        run_mb = _size_mb(clone / ".venv")
        dev_s = _make(clone, ".venv/.installed-dev")
        dev_mb = _size_mb(clone / ".venv")
        return {"run_s": run_s, "run_mb": run_mb, "dev_s": run_s + dev_s, "dev_mb": dev_mb}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _markdown(m: dict[str, float]) -> str:
    return "\n".join(
        [
            "## install (a first `make run` from a fresh clone)",
            "",
            "Wall clock of `make .venv/.installed` (all `make run` does before serving) in a fresh clone, and the",
            "size of `.venv`; the reference, in the same run, adds the development tools as `make test` does.",
            "",
            "| what | wall s | .venv MB |",
            "|---|---|---|",
            f"| `make run` install (the app only) | {m['run_s']:.0f} | {m['run_mb']:.0f} |",
            f"| reference: app + development tools (`make test`) | {m['dev_s']:.0f} | {m['dev_mb']:.0f} |",
            "",
            f"The app install is {m['run_mb'] / m['dev_mb']:.0%} of the size and {m['run_s'] / m['dev_s']:.0%} of "
            "the time of the full one.",
        ]
    )


def main() -> None:
    body = _markdown(measure())
    print(body)  # noqa: T201 - benchmark script output
    write_section("install", body)


if __name__ == "__main__":
    main()
