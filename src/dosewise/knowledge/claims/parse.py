"""Read one sentence (or clause): substances, conditions, outcomes and whether each is asserted or denied.

All matching is on whole words of the normalised text (data.normalise) with the claim vocabulary
(knowledge/data/claims/vocabulary.yaml) and the knowledge base's own condition names and uncovered subjects.
Denial: a "global" negator ("no evidence", "did not", "only 3 in 10") denies every outcome of the clause; a
"local" one ("no", "not", "never") denies an outcome named within LOCAL_WINDOW words after it; "non-" and
"-free" deny the word they are part of; for harms, "safe", "gentle", "harmless" deny the harm.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from dosewise.knowledge.claims.data import Hits, Lexicon, lexicon, normalise

LOCAL_WINDOW = 5  # words between a local negator and the outcome it denies
WEAK_REFERENCES = frozenset({"it", "they", "them", "users", "this", "these"})
CLAUSE_SPLIT = re.compile(r",\s+(?:but|while|whereas)\s+|;\s+|\s+whereas\s+")


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
    """Negators that are not part of a description of people ("patients who did not respond")."""
    shields = lx.negation_shields
    return [(k, s, e) for k, s, e in found if not (padded[:s].split()[-1:] and padded[:s].split()[-1] in shields)]


def _mentions(lx: Lexicon, hits: Hits, padded: str, denied_all: bool) -> tuple[Mention, ...]:
    local = _unshielded(lx, hits.find("negation_local"), padded)
    harm_only = set(lx.vocab.harm_only_negators)
    safety = hits.any("safety")
    praised = hits.any("praise") and not hits.any("harm")  # "supports a healthy liver": says no harm
    seen: dict[str, Mention] = {}
    for outcome, s, e in _longest(hits.find("outcomes")):
        kind = lx.outcome_kind[outcome]
        before = padded[:s].split()[-1:] if s > 1 else []
        after = padded[e:].split()[:1]
        denied = (
            denied_all
            or before == ["non"]
            or (kind == "harm" and (after == ["free"] or padded[s:e].endswith(" free")))
            or padded[s:e] in lx.denying_words
            or any(
                ne <= s and _words_between(padded, ne, s) <= LOCAL_WINDOW and (kind == "harm" or w not in harm_only)
                for w, _, ne in local
            )
            or (kind == "harm" and (safety or praised))
        )
        previous = seen.get(outcome)
        seen[outcome] = Mention(outcome, kind, denied and (previous is None or previous.denied))
    return tuple(seen.values())


def _longest(found: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """Drop a match that lies inside a longer one ("slows down" inside "slows down liver enzymes")."""
    kept: list[tuple[str, int, int]] = []
    for key, s, e in sorted(found, key=lambda h: h[1] - h[2]):
        if not any(ks <= s and e <= ke for _, ks, ke in kept):
            kept.append((key, s, e))
    return sorted(kept, key=lambda h: h[1])


def _agents(lx: Lexicon, hits: Hits, padded: str) -> frozenset[str]:
    """Substances the clause is about; one named only in contrast ("Unlike THC, CBD ...") is left out."""
    named = hits.find("agents")
    before = {k: padded[max(0, s - 16) : s].rstrip() for k, s, _ in named}
    contrast = {k for k, text in before.items() if any(text.endswith(f" {w}") for w in lx.vocab.contrast_words)}
    agents = {k for k, _, _ in named}
    return frozenset(agents - contrast) if agents - contrast else frozenset(agents)


def _absolute(hits: Hits, padded: str) -> tuple[str, ...]:
    negators = [e for _, _, e in hits.find("negation_local")]
    out = []
    for word, s, _ in hits.find("absolute"):
        negated = any(ne <= s and _words_between(padded, ne, s) <= 2 for ne in negators)
        if word in {"never", "no side effects"} or not negated:
            out.append(word)
    return tuple(dict.fromkeys(out))


def _scan(lx: Lexicon, text: str) -> tuple[str, Hits]:
    """Normalise and scan ``text``; caution phrases ("not suitable") become the word "caution", not a denial."""
    padded = normalise(text)
    for phrase in lx.vocab.not_negations:
        padded = padded.replace(f" {phrase} ", f" {phrase.replace(' ', '_')} ")
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
    padded, hits = _scan(lx, text)
    denied_all = bool(_unshielded(lx, hits.find("negation_global"), padded)) or bool(lx.negation_pattern.search(padded))
    first = padded.split()[0] if padded.strip() else ""
    references = hits.find("references")
    agents_at = [s for _, s, _ in hits.find("agents")]
    return Parsed(
        text=text,
        padded=padded,
        agents=_agents(lx, hits, padded),
        conditions=_conditions(lx, hits, padded),
        uncovered=tuple(sorted(hits.keys("uncovered"))),
        outcomes=_mentions(lx, hits, padded, denied_all),
        benefit=hits.any("benefit"),
        strong_benefit=hits.any("strong_benefit"),
        harm=hits.any("harm") or " caution " in padded,
        evidence=hits.any("evidence"),
        absolute=_absolute(hits, padded),
        animal=hits.any("animal"),
        extrapolation=hits.any("extrapolation"),
        product=hits.any("product"),
        general_scope=hits.any("general_scope"),
        advice=hits.any("advice"),
        hedged=hits.any("hedge"),
        selling=hits.any("selling"),
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
    """Split a sentence at ", but" / ", while" / ";" when each part names its own substance; else keep it whole."""
    parts = [p for p in CLAUSE_SPLIT.split(text) if p.strip()]
    if len(parts) < 2:
        return [text]
    lx = lexicon()
    named = [lx.scanner.scan(normalise(p)).keys("agents") for p in parts]
    if all(named) and len({frozenset(n) for n in named}) > 1:
        return parts
    return [text]
