"""Benchmark the safety engine: typo tolerance of drug names, and the speed of checks, plans and red flags.

Figures:
- Typo resolution over every one-letter deletion and adjacent swap of each curated generic name (>= 6 letters):
  share resolved to the right drug, to a WRONG drug (must stay near 0: a wrong match checks the wrong drug), and
  left unknown (safe: shown as "unknown - not checked").
- Speed as ratios against a reference run in the same process: the reference resolver fuzzy-matches every name
  against every index entry (no exact index). Plans and red-flag evaluation are timed in ms per call.
Run: .venv/bin/python -m bench.bench_safety
"""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta

from rapidfuzz import fuzz, process

from bench._report import write_section
from dosewise.model.products import Basis, Form, Product
from dosewise.safety.alerts import Context, Event, evaluate
from dosewise.safety.drugs import _index, all_drugs, resolve
from dosewise.safety.eligibility import PersonContext
from dosewise.safety.interactions import check
from dosewise.safety.plan_builder import build_plan
from dosewise.safety.protocols import protocol_ids

MEDS = [
    "baclofen",
    "Zanaflex",
    "Rilutek",
    "gabapentin",
    "Onfi",
    "oxycodone",
    "amitriptyline",
    "citalopram",
    "warfarin",
    "blorbium",
]


def _typos(word: str) -> list[str]:
    dels = [word[:i] + word[i + 1 :] for i in range(len(word))]
    swaps = [word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1) if word[i] != word[i + 1]]
    return sorted(set(dels + swaps) - {word})


def typo_figures() -> dict[str, float]:
    right = wrong = unknown = 0
    for drug in all_drugs().values():
        if len(drug.name) < 6 or " " in drug.name:
            continue
        for t in _typos(drug.name):
            r = resolve(t)
            if r is None:
                unknown += 1
            elif r.drug.id == drug.id:
                right += 1
            else:
                wrong += 1
    n = right + wrong + unknown
    return {"n": n, "right": right / n, "wrong": wrong / n, "unknown": unknown / n, "wrong_n": wrong}


def _timed(fn, repeat: int) -> float:
    start = time.perf_counter()
    for _ in range(repeat):
        fn()
    return (time.perf_counter() - start) / repeat * 1000


def _reference_resolve(names: list[str]) -> list:
    keys = list(_index())
    return [process.extractOne(n.lower(), keys, scorer=fuzz.ratio) for n in names]


def main() -> None:
    typos = typo_figures()
    check_ms = _timed(lambda: check(MEDS, cannabinoids={"cbd", "thc"}, smoked=True), 200)
    ref_ms = _timed(lambda: _reference_resolve(MEDS), 200)
    oil = Product(name="oil", form=Form.OIL, basis=Basis.ML, thc_mg=5, cbd_mg=33.3)
    spray = Product(name="spray", form=Form.SPRAY, basis=Basis.SPRAY, thc_mg=2.7, cbd_mg=2.5)
    plan_ms = {
        p: _timed(
            lambda p=p: build_plan(
                p,
                spray if p == "nabiximols" else oil,
                PersonContext(age=50, flags=frozenset({"used-thc-before"})),
                start=date(2026, 1, 1),
                today=date(2026, 2, 1),
            ),
            30,
        )
        for p in protocol_ids()
        if p != "dronabinol"
    }
    now = datetime(2026, 6, 1, tzinfo=UTC)
    events = [Event("side_effect", "dizziness", now - timedelta(hours=6 * i), severity="mild") for i in range(600)]
    flags_ms = _timed(lambda: evaluate(events, Context(conditions=frozenset({"als"})), now=now), 20)
    body = "\n".join(
        [
            "## Safety engine (bench/bench_safety.py)",
            "",
            f"Typo tolerance over {typos['n']} generated misspellings (one letter dropped or two swapped) of curated "
            "generic names:",
            "",
            "| resolved to the right drug | resolved to a wrong drug | left unknown (shown as not checked) |",
            "|---|---|---|",
            f"| {typos['right']:.1%} | {typos['wrong']:.1%} ({typos['wrong_n']}) | {typos['unknown']:.1%} |",
            "",
            "| operation | time per call | time relative to the reference |",
            "|---|---|---|",
            f"| interaction check, 10 medicines x CBD+THC+smoke | {check_ms:.2f} ms | "
            f"{check_ms / ref_ms:.1f}x (reference: only fuzzy-match the 10 names, {ref_ms:.3f} ms) |",
            *[f"| build plan '{p}' (84 days) | {ms:.2f} ms | - |" for p, ms in plan_ms.items()],
            f"| red-flag rules over 600 journal events | {flags_ms:.2f} ms | - |",
        ]
    )
    print(body)
    write_section("safety", body)


if __name__ == "__main__":
    main()
