"""Benchmark the drug vocabulary: coverage of common medicines and wrong resolutions (must be 0).

Coverage: share of bench/data/common_medicines.txt (a generic list of commonly prescribed medicines written
for this bench, not used to build the vocabulary) that resolves to a known drug AND has either a finding or
an explicit "no known interaction (checked)". Wrong resolutions: a name read as a different drug, over the
common list (brands carry their generic) and bench/data/lookalike_names.txt (look-alikes, misspellings and
real medicines that are not in the vocabulary, which must stay unknown). Speed: checking the whole list,
as a ratio to the same names looked up in a plain dict (the floor for any resolver).
Held-out set: bench/data/medicines_heldout.yaml (medicines as people type them: brands, dose strings,
combinations, misspellings, look-alikes, supplements, non-drugs and garbage), written before the resolver was
tuned on it. Each entry is scored through the same path as a check (split into parts, each part resolved):
right = exactly the expected drug ids (with an unknown part reported where one is expected), wrong = any id
not expected, otherwise a miss (shown as "unknown - not checked"). The first run's figures, before any change,
are kept below as fixed text (BLIND_FIRST_RUN).
Run: .venv/bin/python -m bench.bench_drugs
"""

from __future__ import annotations

import time
from pathlib import Path

import yaml

from bench._report import write_section
from dosewise.safety.drugs import all_drugs, read_medicine, resolve
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


def heldout_rows() -> list[dict]:
    """Return the held-out entries: {text, expect: [ids or 'unknown'], group}."""
    return yaml.safe_load((DATA / "medicines_heldout.yaml").read_text(encoding="utf-8"))


def read_as(text: str) -> tuple[set[str], bool]:
    """Return (drug ids checked, whether some part is reported unknown) for one typed medicine line."""
    reading = read_medicine(text)
    return {p.drug.id for p in reading.parts}, bool(reading.unknown)


def score(text: str, expect: list[str]) -> tuple[str, set[str]]:
    """Return ('right' | 'wrong' | 'miss', ids read) for one held-out entry."""
    want = {e for e in expect if e != "unknown"}
    ids, unknown = read_as(text)
    if ids - want:
        return "wrong", ids
    if ids == want and (unknown or "unknown" not in expect or not want):
        return "right", ids
    return "miss", ids


# The held-out set's first run, before any change to the resolver or the vocabulary (kept as fixed text).
BLIND_FIRST_RUN = """\
First run (2026-12-02 16:01 UTC, commit d3706af: the set committed, resolver and vocabulary unchanged):
295 entries, 259 right (87.8 %), 0 wrong, 36 unknown - not checked (or only part checked).

| group | entries | right | wrong | unknown - not checked |
|---|---|---|---|---|
| brand | 91 | 85 | 0 | 6 |
| cannabinoid | 8 | 8 | 0 | 0 |
| combination | 18 | 0 | 0 | 18 |
| dose | 54 | 49 | 0 | 5 |
| garbage | 8 | 8 | 0 | 0 |
| generic | 15 | 15 | 0 | 0 |
| lookalike | 33 | 32 | 0 | 1 |
| misspelling | 24 | 21 | 0 | 3 |
| non-drug | 6 | 6 | 0 | 0 |
| not-in-vocabulary | 5 | 5 | 0 | 0 |
| salt | 13 | 13 | 0 | 0 |
| supplement | 20 | 17 | 0 | 3 |

Wrong: none. Only part checked (the other part silently dropped, not reported unknown): 'baclofen, tizanidine'
(tizanidine dropped: 'baclofen,' was read as a misspelling of the whole line), 'paracetamol + ibuprofen'
(ibuprofen dropped), 'Tylenol with codeine' (codeine dropped), 'Nuedexta' and 'dextromethorphan/quinidine'
(dextromethorphan dropped), 'Percocet', 'co-codamol', 'co-dydramol', 'Vicodin' (paracetamol dropped), 'Janumet'
(metformin), 'Stalevo' (entacapone), 'Suboxone' (naloxone not reported unknown). Unknown: UK/AU brands (Endep,
Stilnox, Endone, Zomorph, MST Continus, Norspan, Targin, Tramacet, Panadeine Forte, Inegy, Metadate), 'baclophen',
'amitryptiline', 'xanex', lines not starting with the drug ('low dose aspirin', '2 puffs salbutamol',
'intrathecal baclofen pump', 'ITB pump (baclofen)', 'a glass of wine most nights'), 'co-codamol 30/500',
'carbidopa-levodopa 25/100', 'alendronic acid 70mg weekly', 'St. Johns Wort 300mg', 'Vitamin D 1000IU'."""


def heldout_lines() -> list[str]:
    rows = heldout_rows()
    by_group: dict[str, dict[str, int]] = {}
    wrong, missed = [], []
    for row in rows:
        verdict, ids = score(row["text"], row["expect"])
        counts = by_group.setdefault(row["group"], {"right": 0, "wrong": 0, "miss": 0})
        counts[verdict] += 1
        got = ", ".join(sorted(ids)) or "nothing"
        if verdict == "wrong":
            wrong.append(f"'{row['text']}' read as {got} (expected {', '.join(row['expect'])})")
        elif verdict == "miss":
            missed.append(f"'{row['text']}' ({got}; expected {', '.join(row['expect'])})")
    total = {k: sum(c[k] for c in by_group.values()) for k in ("right", "wrong", "miss")}
    n = len(rows)
    lines = [
        "",
        f"### Held-out medicines as people type them ({n} entries, bench/data/medicines_heldout.yaml)",
        "",
        "The set was written and committed before any change; its first run is kept below as fixed text. The "
        "resolver was then improved with its misses in view (brand and combination names with cited sources, "
        "doses, strengths, salts, several drugs on a line, misspellings by ear), so the figures in this table "
        "are no longer blind.",
        "",
        "| group | entries | right | wrong (must be 0) | unknown - not checked |",
        "|---|---|---|---|---|",
        *[
            f"| {g} | {sum(c.values())} | {c['right']} | {c['wrong']} | {c['miss']} |"
            for g, c in sorted(by_group.items())
        ],
        f"| **all** | {n} | {total['right']} ({total['right'] / n:.1%}) | {total['wrong']} | {total['miss']} |",
        "",
        "Wrong: " + ("; ".join(wrong) or "none") + ".",
        "",
        "Unknown - not checked (or only part checked): " + ("; ".join(missed) or "none") + ".",
        "",
        "First run, before any change (fixed text, not recomputed):",
        "",
        BLIND_FIRST_RUN,
    ]
    return lines


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
        *heldout_lines(),
    ]
    body = "\n".join(lines)
    print(body)
    write_section("drugs", body)


if __name__ == "__main__":
    main()
