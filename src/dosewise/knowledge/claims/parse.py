"""Read one sentence (or clause): substances, conditions, outcomes and whether each is asserted or denied.

All matching is on whole words of the normalised text (data.normalise) with the claim vocabulary
(knowledge/data/claims/vocabulary.yaml) and the knowledge base's own condition names and uncovered subjects.
Denial: a "global" negator ("no evidence", "did not", "only 3 in 10") denies every outcome of the clause; a
"local" one ("no", "not", "never") denies an outcome named within LOCAL_WINDOW words after it; "non-" and
"-free" deny the word they are part of; for harms, "safe", "gentle", "harmless" deny the harm.

Negation stays inside its clause: the sentence is cut at ": ", "; ", dashes, ", so/because/which ...", ", and/but"
before a new subject or verb, and after a leading "Because/If/When ..." clause; a negator denies only outcomes
in its own clause ("Because many do not respond, NICE advises a trial" denies nothing about the approval;
"..., so do not drive" does not deny the harm named before it). A trailing attribution (", said a spokesperson
for a cannabis group") is not read: it names who spoke, not what the claim is about.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from dosewise.knowledge.claims.data import Hits, Lexicon, lexicon, normalise

LOCAL_WINDOW = 5  # words between a local negator and the outcome it denies
SHIELD_WINDOW = 3  # a shield word this close before a negator makes it part of a description of people
CLAUSE = "xclausex"  # marker token put between clauses before normalising
OPENER = "xopenerx"  # the same, after a leading "Because/If/When ..." clause
ATTRIBUTION = re.compile(  # '..., said a spokesperson' / '...," added the author' (not ', added to usual care')
    r"(?:,?[\"\u201d\u2019]\s*(?:said|says|added|adds|explained|explains|wrote|writes|told|warned|warns)"
    r"|,\s*(?:said|says))\b[^\"\u201c]*$",
    re.I,
)
HARD_BOUNDARY = re.compile(r":\s+|;\s+|\s+[-\u2013\u2014]+\s+")
WANTED = frozenset({"benefit", "mechanism"})  # "no more pain", "never felt better": only "not"-words deny these
WEAK_REFERENCES = frozenset({"it", "they", "them", "users", "this", "these"})
CLAUSE_SPLIT = re.compile(r",\s+(?:but|while|whereas)\s+|;\s+|:\s+|\s+whereas\s+")


@dataclass(frozen=True)
class Mention:
    """An outcome named in a clause, and whether the clause denies it."""

    outcome: str
    kind: str
    denied: bool


@dataclass(frozen=True)
class Parsed:
    """What one clause says, before the article's context is applied."""

    text: str
    padded: str
    agents: frozenset[str]
    conditions: tuple[str, ...]
    uncovered: tuple[str, ...]
    outcomes: tuple[Mention, ...]
    benefit: bool
    strong_benefit: bool
    harm: bool
    evidence: bool
    absolute: tuple[str, ...]
    animal: bool
    extrapolation: bool
    product: bool
    general_scope: bool
    advice: bool
    hedged: bool
    selling: bool
    warns_who: bool
    question: bool
    fragment: bool
    reference: bool
    strong_reference: bool
    starts_with_reference: bool
    starts_with_condition: bool
    denied_all: bool
    contrast_agents: frozenset[str] = frozenset()
    boilerplate: bool = False
    overstated: bool = False

    @property
    def denied(self) -> bool:
        """True if every outcome named is denied (or the whole clause is)."""
        return self.denied_all or (bool(self.outcomes) and all(m.denied for m in self.outcomes))


def _words_between(padded: str, start: int, end: int) -> int:
    return padded[start:end].count(" ") - 1 if end > start else 99


def _conditions(lx: Lexicon, hits: Hits, padded: str) -> tuple[str, ...]:
    """Conditions named; one named only by a symptom of another named condition ("ALS cramps", "muscle spasms
    in MS") is dropped."""
    found: dict[str, set[str]] = {}
    for cid, s, e in hits.find("conditions"):
        found.setdefault(cid, set()).add(padded[s:e])

    def symptom_of_other(cid: str, phrase: str) -> bool:
        return any(set(phrase.split()) & lx.symptom_words[o] for o in found if o != cid)

    return tuple(cid for cid, phrases in found.items() if not all(symptom_of_other(cid, p) for p in phrases))


def _unshielded(lx: Lexicon, found: list[tuple[str, int, int]], padded: str) -> list[tuple[str, int, int]]:
    """Negators that are not part of a description of people ("patients who did not respond", "people whose
    spasticity has not responded"): no shield word among the SHIELD_WINDOW words before, within the clause."""

    def shielded(s: int) -> bool:
        before = padded[:s].split()[-SHIELD_WINDOW:]
        for marker in (CLAUSE, OPENER):
            if marker in before:
                before = before[before.index(marker) + 1 :]
        return any(w in lx.negation_shields for w in before)

    return [(k, s, e) for k, s, e in found if not shielded(s)]


def _clause_starts(padded: str) -> list[int]:
    """Start positions of the clauses of ``padded`` (marked with CLAUSE)."""
    if CLAUSE not in padded and OPENER not in padded:
        return [0]
    return [0, *(m.start() + 1 for m in re.finditer(rf" (?:{CLAUSE}|{OPENER}) ", padded))]


def _clause_of(starts: list[int], pos: int) -> int:
    return 0 if len(starts) == 1 else sum(1 for st in starts[1:] if st <= pos)


def _denied_clauses(lx: Lexicon, hits: Hits, padded: str, starts: list[int]) -> set[int]:
    """Clauses that hold a global negator ("no evidence", "did not") or a small share ("only 3 in 10"). A negator
    about the evidence also denies the clauses before it ("X is claimed, but there are no trials"), and the main
    clause's negator denies a leading clause ("When clinicians measured tone, the trial found no change")."""
    backward = set(lx.vocab.backward_negators)
    denied: set[int] = set()
    for key, s, _ in _unshielded(lx, hits.find("negation_global"), padded):
        clause = _clause_of(starts, s)
        denied |= set(range(clause + 1)) if key in backward else {clause}
    for i, st in enumerate(starts):
        end = starts[i + 1] if i + 1 < len(starts) else len(padded)
        if lx.negation_pattern.search(padded[st:end]):
            denied.add(i)
    if 1 in denied and f" {OPENER} " in padded:
        denied.add(0)
    return denied


def _mentions(lx: Lexicon, hits: Hits, padded: str, denied: set[int], starts: list[int]) -> tuple[Mention, ...]:
    local = _unshielded(lx, hits.find("negation_local"), padded)
    harm_only = set(lx.vocab.harm_only_negators)
    safety = hits.any("safety")
    praised = hits.any("praise") and not hits.any("harm")  # "supports a healthy liver": says no harm
    seen: dict[str, Mention] = {}
    for outcome, s, e in _longest(hits.find("outcomes")):
        kind = lx.outcome_kind[outcome]
        before = padded[:s].split()[-1:] if s > 1 else []
        after = padded[e:].split()[:1]
        clause = _clause_of(starts, s)
        is_denied = (
            clause in denied
            or before == ["non"]
            or (kind == "harm" and (after == ["free"] or padded[s:e].endswith(" free")))
            or padded[s:e] in lx.denying_words
            or any(
                ne <= s
                and _words_between(padded, ne, s) <= LOCAL_WINDOW
                and _clause_of(starts, ne - 1) == clause
                and (kind not in WANTED or w not in harm_only)
                for w, _, ne in local
            )
            or (kind == "harm" and (safety or praised))
        )
        previous = seen.get(outcome)
        seen[outcome] = Mention(outcome, kind, is_denied and (previous is None or previous.denied))
    return tuple(seen.values())


def _longest(found: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """Drop a match that lies inside a longer one ("slows down" inside "slows down liver enzymes")."""
    kept: list[tuple[str, int, int]] = []
    for key, s, e in sorted(found, key=lambda h: h[1] - h[2]):
        if not any(ks <= s and e <= ke for _, ks, ke in kept):
            kept.append((key, s, e))
    return sorted(kept, key=lambda h: h[1])


def _drop_article(text: str) -> str:
    for article in (" the", " a", " an"):
        if text.endswith(article):
            return text[: -len(article)]
    return text


def _agents(lx: Lexicon, hits: Hits, padded: str) -> tuple[frozenset[str], frozenset[str]]:
    """Substances the clause is about, and those named only in contrast ("Unlike THC, it ..."), left out."""
    named = hits.find("agents")
    before = {k: _drop_article(padded[max(0, s - 24) : s].rstrip()) for k, s, _ in named}
    contrast = {k for k, text in before.items() if any(text.endswith(f" {w}") for w in lx.vocab.contrast_words)}
    agents = {k for k, _, _ in named}
    return frozenset(agents - contrast), frozenset(contrast & agents)


def _absolute(hits: Hits, padded: str) -> tuple[str, ...]:
    negators = [e for _, _, e in hits.find("negation_local")]
    denials = {s for _, s, _ in hits.find("negation_global")}
    out = []
    for word, s, _ in hits.find("absolute"):
        if word == "never" and (s == 1 or s in denials):  # "Never stop riluzole", "has never been tested"
            continue
        negated = any(ne <= s and _words_between(padded, ne, s) <= 2 for ne in negators)
        if word in {"never", "no side effects"} or not negated:
            out.append(word)
    return tuple(dict.fromkeys(out))


@dataclass(frozen=True)
class _Patterns:
    boundary: re.Pattern[str]
    inert: re.Pattern[str]
    finite: frozenset[str]
    openers: frozenset[str]


@lru_cache(maxsize=1)
def _patterns() -> _Patterns:
    """The clause and inert-phrase patterns, compiled once."""
    v = lexicon().vocab
    inert = sorted({normalise(p).strip() for p in (*v.not_negations, *v.inert_phrases)}, key=len, reverse=True)
    return _Patterns(
        boundary=re.compile(rf",\s+({'|'.join(v.clause_boundaries)})\b\s*", re.I),
        inert=re.compile(rf"(?<= )(?:{'|'.join(map(re.escape, inert))})(?= )"),
        finite=frozenset(v.finite_words),
        openers=frozenset(v.clause_openers),
    )


def _mark_clauses(text: str) -> str:
    """Put the CLAUSE marker between the clauses of ``text`` (see the module docstring)."""
    pats = _patterns()
    text = HARD_BOUNDARY.sub(f" {CLAUSE} ", text)
    if "," not in text:
        return text
    opener = re.match(r"\s*(\w+)\b[^,]{3,100}?,\s", text)
    if opener and opener.group(1).lower() in pats.openers:
        text = f"{text[: opener.end()]} {OPENER} {text[opener.end() :]}"

    def boundary(m: re.Match[str]) -> str:
        word, rest = m.group(1).lower(), text[m.end() :].split(",")[0]
        if word in {"and", "but"} and not set(normalise(rest).split()) & pats.finite:
            return m.group(0)  # "did not improve stiffness, spasms, and pain": still one list
        return f" {CLAUSE} {m.group(1)} "

    return pats.boundary.sub(boundary, text)


def _scan(lx: Lexicon, text: str) -> tuple[str, Hits]:
    """Normalise and scan ``text``; caution phrases ("not suitable") become the word "caution", not a denial;
    inert phrases ("safety study", "better than placebo") and numeric comparisons ("5 instead of 8") are read as
    single tokens, so their words say nothing."""
    padded = _patterns().inert.sub(lambda m: m.group(0).replace(" ", "_"), normalise(_mark_clauses(text)))
    if " instead of " in padded:
        padded = re.sub(r" instead of (?=\d)", " instead_of ", padded)
    hits = lx.scanner.scan(padded)
    cautions = hits.find("caution")
    if cautions:
        for _, s, e in sorted(cautions, key=lambda h: -h[1]):
            padded = padded[:s] + "caution" + padded[e:]
        hits = lx.scanner.scan(padded)
    return padded, hits


def parse_clause(text: str) -> Parsed:
    """Return what ``text`` (one sentence or clause) names and asserts."""
    lx = lexicon()
    core = ATTRIBUTION.sub("", text)
    padded, hits = _scan(lx, core if len(core.split()) >= 2 else text)
    starts = _clause_starts(padded)
    denied = _denied_clauses(lx, hits, padded, starts)
    about = (
        {_clause_of(starts, s) for name in ("agents", "conditions", "outcomes") for _, s, _ in hits.find(name)}
        if len(starts) > 1
        else {0}
    )
    denied_all = bool(denied & about) or (bool(denied) and not about)
    first = padded.split()[0] if padded.strip() else ""
    references = hits.find("references")
    agents_at = [s for _, s, _ in hits.find("agents")]
    agents, contrast = _agents(lx, hits, padded)
    return Parsed(
        text=text,
        padded=padded,
        agents=agents,
        contrast_agents=contrast,
        boilerplate=hits.any("boilerplate"),
        overstated=hits.any("overstatement"),
        conditions=_conditions(lx, hits, padded),
        uncovered=tuple(sorted(hits.keys("uncovered"))),
        outcomes=_mentions(lx, hits, padded, denied, starts),
        benefit=hits.any("benefit"),
        strong_benefit=hits.any("strong_benefit"),
        harm=hits.any("harm") or " caution " in padded,
        evidence=hits.any("evidence"),
        absolute=_absolute(hits, padded),
        animal=hits.any("animal"),
        extrapolation=hits.any("extrapolation"),
        product=hits.any("product"),
        general_scope=hits.any("general_scope"),
        advice=hits.any("advice") or any(padded.startswith(f" {w} ") for w in lx.vocab.advice_starts),
        hedged=hits.any("hedge"),
        selling=hits.any("selling") or first in lx.vocab.selling_starts,
        warns_who=hits.any("who_should_not") and " caution " in padded,
        question=text.rstrip().endswith("?"),
        fragment=first in lx.fragment_starts,
        reference=bool(references),
        strong_reference=any(padded[s:e] not in WEAK_REFERENCES for _, s, e in references),
        starts_with_reference=first in WEAK_REFERENCES or any(s == 1 for _, s, _ in references),
        starts_with_condition=any(s <= 5 for _, s, _ in hits.find("conditions")) and not any(a < 10 for a in agents_at),
        denied_all=denied_all,
    )


def split_clauses(text: str) -> list[str]:
    """Split a sentence at ", but" / ", while" / ";" / ":" when each part names its own substance; else keep it
    whole."""
    parts = [p for p in CLAUSE_SPLIT.split(text) if p.strip()]
    if len(parts) < 2:
        return [text]
    lx = lexicon()
    named = [lx.scanner.scan(normalise(p)).keys("agents") for p in parts]
    if all(named) and len({frozenset(n) for n in named}) > 1:
        return parts
    return [text]
