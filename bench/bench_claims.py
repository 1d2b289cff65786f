"""Benchmark the article claim checker: claim detection, verdict agreement, and speed on a 2,000-word article.

Quality is measured on tests/data/claims/ (14 articles, expected claims and verdicts written before the checker).
Reference run in the same process: a naive checker (a sentence is a claim if it names a substance; its verdict
is that of the claim card whose statement is most similar by rapidfuzz token_set_ratio), so the speed figure is
a ratio that holds on any machine; the goal is < 200 ms for a 2,000-word article once the knowledge base is
loaded. Run: .venv/bin/python -m bench.bench_claims
"""

from __future__ import annotations

import statistics
import time

from rapidfuzz import fuzz

from bench._report import write_section
from bench.claims_eval import article_text, load_expected, score
from dosewise.knowledge.claims import check_article
from dosewise.knowledge.claims.data import lexicon, load_cards, normalise
from dosewise.knowledge.claims.text import split_sentences

RUNS = 15
# The held-out set's first run, before any change made after seeing its results (2026-12-02): the honest figure.
HOLDOUT_BLIND = "claims found 68.6 % (24/35), precision 100 %, verdict agreement 83.3 % (20/24), 0 `supported` wrongly"
# The second held-out set's first run (8 longer articles in varied styles, 112 claims), 2026-12-02, committed
# before any change made after seeing it: the honest estimate for text the checker has never seen.
HOLDOUT_2_BLIND = (
    "claims found 72.3 % (81/112), precision 89.0 % (81/91), verdict agreement 74.1 % (60/81), "
    "**1 `supported` wrongly** (a forum post's 'for me weed was a total game changer', about spinal cord injury, "
    "where the evidence is limited), flags 73/81, safety omissions 6/8 articles, selling 6/8"
)
HOLDOUT_2_NOTE = (
    "What it revealed was then fixed by general rules, not by its sentences: forum text typed without capitals is "
    "split into sentences; headings without a verb are not claims; a negator stays in its clause ('..., so do not "
    "drive' no longer denies the harm before it) except negators about the evidence, which also deny the claim "
    "they answer; 'never'/'no' deny facts ('never been approved'); a trailing 'said a spokesperson for a cannabis "
    "group' is not read; a substance named as a source ('compounds found in the cannabis plant') is not the "
    "subject; on a selling page a sentence naming no substance is about the product; 'completely', 'in minutes' "
    "overstate; an animal result told as such is 'limited' whatever the human evidence; mechanisms are graded "
    "whatever the condition; sleep evidence does not carry over to conditions where sleep was not studied; only "
    "Sativex is 'licensed'; plus synonyms (game changer, main treatment, plays nicely with your prescriptions, "
    "knock me out, a fall, fall asleep, course of MS, labels, mg of CBD). So the row above is no longer blind; "
    "expect new text to score nearer the blind run."
)
TARGET_WORDS = 2_000


def _long_article() -> str:
    texts = [article_text(a["file"]) for a in load_expected()]
    out: list[str] = []
    while sum(len(t.split()) for t in out) < TARGET_WORDS:
        out.append(texts[len(out) % len(texts)])
    return "\n\n".join(out)


def _naive(text: str) -> list[tuple[str, str]]:
    """Reference checker: substance named -> claim; verdict of the lexically closest card."""
    lx, cards = lexicon(), load_cards()
    out: list[tuple[str, str]] = []
    for s in split_sentences(text):
        if lx.scanner.scan(normalise(s.text)).any("agents"):
            sentence = s.text.lower()
            best = max(cards, key=lambda c: fuzz.token_set_ratio(sentence, c.statement.lower()))
            out.append((s.text, best.verdict))
    return out


def _naive_score() -> tuple[float, float, float]:
    expected = found = agreed = reported = 0
    for article in load_expected():
        got = _naive(article_text(article["file"]))
        reported += len(got)
        for exp in article["claims"]:
            expected += 1
            hit = next((v for s, v in got if normalise(exp["text"]).strip() in normalise(s)), None)
            if hit is not None:
                found += 1
                agreed += hit == exp["verdict"]
    return found / expected, found / reported, agreed / found


def _time(fn, text: str, clock=time.perf_counter) -> list[float]:
    times = []
    for _ in range(RUNS):
        start = clock()
        fn(text)
        times.append((clock() - start) * 1000)
    return times


def main() -> None:
    start = time.perf_counter()
    check_article("CBD oil relieves dystonia.")  # loads and compiles the knowledge base and vocabulary
    load_ms = (time.perf_counter() - start) * 1000
    s = score()
    h = score(load_expected("holdout.yaml"))
    h2 = score(load_expected("holdout_2.yaml"))
    n_recall, n_precision, n_agreement = _naive_score()
    article = _long_article()
    words = len(article.split())
    ours, naive = _time(check_article, article), _time(_naive, article)
    median, ref = statistics.median(ours), statistics.median(naive)
    cpu = statistics.median(_time(check_article, article, time.process_time))
    claims = len(check_article(article).claims)
    lines = [
        "## claims (article claim checker)",
        "",
        f"Evaluation set: {s.articles} articles, {s.expected} expected claims (tests/data/claims/, expected verdicts "
        "written and committed before the checker was built). Goals: >= 90 % of claims found, >= 85 % verdict "
        "agreement, 0 claims graded `supported` where the evidence is limited, absent or contrary, < 200 ms for a "
        "2,000-word article after the knowledge base is loaded.",
        "",
        "| checker | claims found (recall) | precision | verdict agreement | `supported` wrongly |",
        "|---|---|---|---|---|",
        f"| dosewise claims | {s.recall:.1%} ({s.found}/{s.expected}) | {s.precision:.1%} ({s.found}/{s.reported}) "
        f"| {s.agreement:.1%} ({s.agreed}/{s.found}) | {len(s.false_supported)} |",
        f"| reference: naive (substance named, closest card) | {n_recall:.1%} | {n_precision:.1%} | "
        f"{n_agreement:.1%} | - |",
        f"| dosewise claims, held-out set now (6 articles; see below) | {h.recall:.1%} ({h.found}/{h.expected}) | "
        f"{h.precision:.1%} | {h.agreement:.1%} ({h.agreed}/{h.found}) | {len(h.false_supported)} |",
        f"| dosewise claims, second held-out set now ({h2.articles} articles; see below) | {h2.recall:.1%} "
        f"({h2.found}/{h2.expected}) | {h2.precision:.1%} ({h2.found}/{h2.reported}) | {h2.agreement:.1%} "
        f"({h2.agreed}/{h2.found}) | {len(h2.false_supported)} |",
        "",
        "Held-out set (tests/data/claims/holdout.yaml): written after the checker was built and before any tuning "
        f"on it. Its first, blind run: {HOLDOUT_BLIND}. The misses it revealed (unseen phrasings such as 'stop ALS "
        "in its tracks', 'nerves regrow', 'reviews prove it works', 'patients who did not respond', a drug's "
        "'levels') were then fixed by general vocabulary and rule changes, so its current figure is no longer "
        "blind: expect new articles to score nearer the blind run.",
        "",
        "Second held-out set (tests/data/claims/holdout_2.yaml: a forum post with typos, a dispensary page, news "
        "about a mouse study, a patient blog, a listicle, a careful clinic summary, a medicines guide, a Sativex "
        "facts sheet; 300-470 words each), committed before the checker was run on it. Its first (blind) run, "
        f"before any tuning on it: {HOLDOUT_2_BLIND}. {HOLDOUT_2_NOTE}",
        "",
        f"Second held-out set: flags exactly as expected {h2.flags_agreed}/{h2.flags_expected} claims; safety "
        f"omissions {h2.omitted_agreed}/{h2.articles} articles; selling {h2.selling_agreed}/{h2.articles}.",
        "",
        f"Flags (animal, mechanism, absolute) exactly as expected: {s.flags_agreed}/{s.flags_expected} claims. "
        f"Safety omissions as expected: {s.omitted_agreed}/{s.articles} articles; selling: "
        f"{s.selling_agreed}/{s.articles}.",
        "",
        f"Speed: a {words:,}-word article ({claims} claims), median of {RUNS} runs: **{median:.1f} ms** "
        f"(p95 {sorted(ours)[int(0.95 * RUNS) - 1]:.1f} ms); naive reference {ref:.1f} ms; ratio "
        f"{median / ref:.2f}; CPU time (steadier when other work shares the machine) {cpu:.1f} ms. One-time load of "
        f"the knowledge base and vocabulary: {load_ms:.0f} ms. (Before the rules added after the second held-out "
        "set: 11.1 ms wall, ratio 0.85 on an idle machine; CPU time measured side by side on a busy one: about "
        "11 ms before, 13-14 ms after.)",
        "",
        "Caveat: these articles were written by the same person who wrote the checker's vocabulary (before it), so "
        "this is an optimistic estimate; an independent held-out set is the real test.",
        "",
        "Misses, extra claims and disagreements:",
        "",
    ]
    rows = [f"- missed: {m}" for m in s.misses + h.misses + h2.misses]
    rows += [f"- extra: {e}" for e in s.extra + h.extra + h2.extra]
    rows += [f"- {d}" for d in s.disagreements + h.disagreements + h2.disagreements]
    rows += [f"- supported wrongly: {f}" for f in s.false_supported + h.false_supported + h2.false_supported]
    lines += rows or ["- none"]
    body = "\n".join(lines)
    print(body)
    write_section("claims", body)


if __name__ == "__main__":
    main()
