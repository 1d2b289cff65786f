"""Benchmark `dosewise ask`: top-1 / top-3 accuracy on the evaluation questions and latency per question.

Reference run in the same process: a naive retriever (rapidfuzz token_set_ratio of the question against every
entry's text, no synonyms, no topics, always "confident"). Speed is reported as a ratio to it, so the figures
hold on any machine. Held-out questions (written after tuning, never tuned on) are reported separately.
Run: .venv/bin/python -m bench.bench_ask
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

import yaml
from rapidfuzz import fuzz

from bench._report import write_section
from dosewise.knowledge.ask import ask, warm_up
from dosewise.knowledge.entries import all_entries

DATA = Path(__file__).resolve().parents[1] / "tests" / "data"
HELDOUT_2 = "questions_heldout_2.yaml"
HELDOUT_3 = "questions_heldout_3.yaml"
PROBES_3 = "questions_probes_3.yaml"
# Measured on held-out set 3 right after it was committed, before any engine change (fixed text, not re-measured).
HELDOUT_3_BLIND = (
    "first run, before any change: top-1 69.8 %, top-3 78.1 %; its misses then guided general rules, so the figure "
    "below is no longer blind"
)


def _load(name: str) -> list[dict]:
    return yaml.safe_load((DATA / name).read_text(encoding="utf-8"))


def _naive(question: str) -> list[tuple[str | None, str]]:
    """Reference retriever: the 3 entries whose text is most similar to the question."""
    scored = sorted(all_entries(), key=lambda e: -fuzz.token_set_ratio(question.lower(), e.text.lower()))
    return [(e.condition, e.topic) for e in scored[:3]]


def _grade(q: dict, confident: bool, got: list[tuple[str | None, str]]) -> tuple[bool, bool]:
    """Return (top-1 correct, top-3 correct) for one question."""
    if q.get("confident") is False:
        ok = not confident and (not q.get("uncovered") or all(c is None for c, _ in got))
        return ok, ok
    expected = [(q["condition"], q["topic"]), *(tuple(a) for a in q.get("also", []))]
    return confident and bool(got) and got[0] in expected, confident and any(g in expected for g in got[:3])


def _run(questions: list[dict]) -> dict:
    rows, top1, top3, times = [], 0, 0, []
    for q in questions:
        start = time.perf_counter()
        result = ask(q["q"])
        ms = (time.perf_counter() - start) * 1000
        got = [(a.condition, a.topic) for a in result.answers]
        t1, t3 = _grade(q, result.confident, got)
        top1, top3 = top1 + t1, top3 + t3
        times.append(ms)
        rows.append((q["q"], got[0] if got else None, result.confident, t1, ms))
    return {
        "n": len(questions),
        "top1": top1 / len(questions),
        "top3": top3 / len(questions),
        "times": times,
        "rows": rows,
    }


def _run_naive(questions: list[dict]) -> dict:
    top1, top3, times = 0, 0, []
    for q in questions:
        start = time.perf_counter()
        got = _naive(q["q"])
        times.append((time.perf_counter() - start) * 1000)
        t1, t3 = _grade(q, True, got)
        top1, top3 = top1 + t1, top3 + t3
    return {"top1": top1 / len(questions), "top3": top3 / len(questions), "times": times}


def _p95(values: list[float]) -> float:
    return sorted(values)[max(0, int(round(0.95 * len(values))) - 1)]


def main() -> None:
    start = time.perf_counter()
    warm_up()
    load_ms = (time.perf_counter() - start) * 1000
    main_set, holdout, holdout2 = _load("questions.yaml"), _load("questions_holdout.yaml"), _load(HELDOUT_2)
    holdout3 = _load(HELDOUT_3)
    ours, held, held2, naive = _run(main_set), _run(holdout), _run(holdout2), _run_naive(main_set)
    held3, probes3 = _run(holdout3), _run(_load(PROBES_3))
    median, ref_median = statistics.median(ours["times"]), statistics.median(naive["times"])
    lines = [
        "## ask (knowledge base question answering)",
        "",
        f"Questions: {ours['n']} evaluation (tests/data/questions.yaml, the tuning set) + {held['n']} held-out "
        f"(tests/data/questions_holdout.yaml, written after the first tuning) + {held2['n']} held-out for issue 12 "
        f"(tests/data/{HELDOUT_2}, committed before the issue-12 tuning; 85.5 % top-1 before it) + "
        f"{held3['n']} held-out set 3 (tests/data/{HELDOUT_3}: real-world phrasing, slang, typos, negation, safety "
        f"and not-covered questions, committed before any change for it; {HELDOUT_3_BLIND}). "
        f"Probes: {probes3['n']} questions (tests/data/{PROBES_3}) written in six rounds during that work, each "
        "round fresh when written: about 75 % top-1 on first run (64-82 % per round), the best estimate of accuracy on "
        "unseen phrasing; they were then used to find general rules. "
        "Target: top-1 >= 95 % on each, < 50 ms per question.",
        "",
        "| set | retriever | top-1 | top-3 | median ms | p95 ms | max ms |",
        "|---|---|---|---|---|---|---|",
        f"| evaluation | dosewise ask | {ours['top1']:.1%} | {ours['top3']:.1%} | {median:.2f} | "
        f"{_p95(ours['times']):.2f} | {max(ours['times']):.2f} |",
        f"| held-out | dosewise ask | {held['top1']:.1%} | {held['top3']:.1%} | "
        f"{statistics.median(held['times']):.2f} | {_p95(held['times']):.2f} | {max(held['times']):.2f} |",
        f"| held-out 2 (issue 12) | dosewise ask | {held2['top1']:.1%} | {held2['top3']:.1%} | "
        f"{statistics.median(held2['times']):.2f} | {_p95(held2['times']):.2f} | {max(held2['times']):.2f} |",
        f"| held-out 3 (real-world phrasing) | dosewise ask | {held3['top1']:.1%} | {held3['top3']:.1%} | "
        f"{statistics.median(held3['times']):.2f} | {_p95(held3['times']):.2f} | {max(held3['times']):.2f} |",
        f"| probes 3 (fresh per round, then tuned on) | dosewise ask | {probes3['top1']:.1%} | {probes3['top3']:.1%} | "
        f"{statistics.median(probes3['times']):.2f} | {_p95(probes3['times']):.2f} | {max(probes3['times']):.2f} |",
        f"| evaluation | reference: naive fuzzy match | {naive['top1']:.1%} | {naive['top3']:.1%} | "
        f"{ref_median:.2f} | {_p95(naive['times']):.2f} | {max(naive['times']):.2f} |",
        "",
        f"Speed ratio (median, dosewise ask / naive reference): {median / ref_median:.2f}. "
        f"One-time load and index of the knowledge base: {load_ms:.0f} ms.",
        "",
        "Misses, all sets (question -> first answer returned):",
        "",
    ]
    misses = [r for r in ours["rows"] + held["rows"] + held2["rows"] + held3["rows"] + probes3["rows"] if not r[3]]
    lines += [f'- "{q}" -> {got} (confident: {conf})' for q, got, conf, _, _ in misses] or ["- none"]
    lines += [
        "",
        "<details><summary>Latency per question (ms)</summary>",
        "",
        "| question | first answer | ms |",
        "|---|---|---|",
    ]
    every = ours["rows"] + held["rows"] + held2["rows"] + held3["rows"]
    lines += [f"| {q} | {got} | {ms:.2f} |" for q, got, _, _, ms in every]
    lines += ["", "</details>"]
    body = "\n".join(lines)
    print(body)
    write_section("ask", body)


if __name__ == "__main__":
    main()
