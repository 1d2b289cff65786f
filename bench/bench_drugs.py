"""Benchmark the drug vocabulary: coverage of common medicines and wrong resolutions (must be 0).

Coverage: share of bench/data/common_medicines.txt (a generic list of commonly prescribed medicines written
for this bench, not used to build the vocabulary) that resolves to a known drug AND has either a finding or
an explicit "no known interaction (checked)". Wrong resolutions: a name read as a different drug, over the
common list (brands carry their generic) and bench/data/lookalike_names.txt (look-alikes, misspellings and
real medicines that are not in the vocabulary, which must stay unknown). Speed: checking the whole list,
as a ratio to the same names looked up in a plain dict (the floor for any resolver).
Run: .venv/bin/python -m bench.bench_drugs
"""

from __future__ import annotations

import time
from pathlib import Path

from bench._report import write_section
from dosewise.safety.drugs import all_drugs, resolve
from dosewise.safety.interactions import check

DATA = Path(__file__).resolve().parent / "data"
BOTH = frozenset({"cbd", "thc"})


def _load(name: str) -> list[tuple[str, str]]:
    rows = []
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name_, _, expected = line.partition("|")
            rows.append((name_.strip(), (expected or name_).strip().casefold()))
    return rows


def _names_of(drug_id: str) -> set[str]:
    from dosewise.safety.drugs import drug_entries

    entry = next((e for e in drug_entries() if e["id"] == drug_id), {})
    names = [entry.get("name", ""), *entry.get("brands", []), *entry.get("synonyms", [])]
    return {n.casefold().replace("-", " ") for n in names}


def _wrong(name: str, expected: str) -> str | None:
    """Return what ``name`` was wrongly read as, or None if it resolved right (or stayed unknown rightly)."""
    r = resolve(name)
    if expected == "unknown":
        return None if r is None else r.drug.name
    if r is None or r.drug.is_class:
        return None  # a miss, not a wrong resolution
    return None if expected.replace("-", " ") in _names_of(r.drug.id) else r.drug.name


def _coverage(rows: list[tuple[str, str]]) -> tuple[list[str], list[str], list[str]]:
    with_finding, clear, missed = [], [], []
    for name, _ in rows:
        result = check([name], cannabinoids=BOTH)
        if result.findings:
            with_finding.append(name)
        elif any(c.checked for c in result.cleared):
            clear.append(name)
        else:
            missed.append(name)
    return with_finding, clear, missed


def main() -> None:
    common, lookalike = _load("common_medicines.txt"), _load("lookalike_names.txt")
    with_finding, clear, missed = _coverage(common)
    wrong = [(n, e, w) for n, e in common + lookalike if (w := _wrong(n, e)) is not None]
    names = [n for n, _ in common]
    start = time.perf_counter()
    check(names, cannabinoids=BOTH)
    ours = time.perf_counter() - start
    table = {n.casefold(): n for n in names}
    start = time.perf_counter()
    for _ in range(100):
        [table.get(n.casefold()) for n in names]
    ref = (time.perf_counter() - start) / 100
    n = len(common)
    covered = len(with_finding) + len(clear)
    lines = [
        "## drugs (interaction vocabulary coverage)",
        "",
        f"Vocabulary: {len(all_drugs())} drug entries (drugs.yaml + drug_vocabulary.yaml). Common-medicine list: {n} "
        f"names (bench/data/common_medicines.txt); look-alike list: {len(lookalike)} names.",
        "",
        "| measure | value |",
        "|---|---|",
        f"| resolved with a finding or 'no known interaction (checked)' | {covered}/{n} = {covered / n:.1%} |",
        f"| - with a finding | {len(with_finding)} |",
        f"| - no known interaction (checked) | {len(clear)} |",
        f"| not covered (unknown, or known with routes not recorded) | {len(missed)} |",
        f"| wrong resolutions (common + look-alike lists; must be 0) | {len(wrong)} |",
        f"| time to check the whole common list, ratio to dict look-ups | {ours / ref:.0f}x ({ours * 1000:.0f} ms) |",
        "",
        "Not covered: " + (", ".join(missed) or "none") + ".",
        "",
        "Wrong resolutions: " + (", ".join(f"'{n}' read as {w} (expected {e})" for n, e, w in wrong) or "none") + ".",
    ]
    body = "\n".join(lines)
    print(body)
    write_section("drugs", body)


if __name__ == "__main__":
    main()
