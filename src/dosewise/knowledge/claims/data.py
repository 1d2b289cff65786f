"""Load the claim checker's cards and vocabulary (knowledge/data/claims/) once, and compile its phrase matchers.

Phrases are matched as whole words on normalised text (``normalise``): lower case, apostrophes dropped,
every other non-alphanumeric character a single space. One compiled regular expression per phrase list keeps
a 2,000-word article well under the 200 ms goal (bench/bench_claims.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from dosewise.knowledge import kb
from dosewise.knowledge.claims.schema import ClaimCard, ClaimVocabulary
from dosewise.knowledge.references import load_yaml

CARD_FILES = ("claims/evidence.yaml", "claims/general.yaml")


def normalise(text: str) -> str:
    """Return ``text`` lower-cased, apostrophes dropped, every other non-alphanumeric run as one space."""
    text = text.lower().replace("'", "").replace("\u2019", "")
    return " " + re.sub(r"[^a-z0-9]+", " ", text).strip() + " "


class Phrases:
    """A list of phrases (or a {key: phrases} map) compiled into one whole-word regular expression."""

    def __init__(self, phrases: dict[str, tuple[str, ...]] | tuple[str, ...] | list[str]) -> None:
        mapping = phrases if isinstance(phrases, dict) else {p: (p,) for p in phrases}
        self.key_of: dict[str, str] = {}
        for key, words in mapping.items():
            for w in words:
                norm = normalise(w).strip()
                if norm:
                    self.key_of.setdefault(norm, key)
        alternatives = sorted(self.key_of, key=len, reverse=True)
        body = "|".join(re.escape(a) for a in alternatives) or "(?!x)x"
        self.pattern = re.compile(rf"(?<= )(?:{body})(?= )")

    def find(self, padded: str) -> list[tuple[str, int, int]]:
        """Return (key, start, end) for every match in a normalised, space-padded text (longest first)."""
        return [(self.key_of[m.group(0)], m.start(), m.end()) for m in self.pattern.finditer(padded)]

    def keys(self, padded: str) -> set[str]:
        return {k for k, _, _ in self.find(padded)}

    def any(self, padded: str) -> bool:
        return self.pattern.search(padded) is not None


@dataclass(frozen=True)
class Lexicon:
    """Everything the parser matches, compiled once per process."""

    vocab: ClaimVocabulary
    agents: Phrases
    references: Phrases
    outcomes: Phrases
    outcome_kind: dict[str, str]
    conditions: Phrases
    symptom_words: dict[str, frozenset[str]]
    uncovered: Phrases
    benefit: Phrases
    strong_benefit: Phrases
    harm: Phrases
    safety: Phrases
    evidence: Phrases
    negation_global: Phrases
    negation_local: Phrases
    negation_pattern: re.Pattern[str]
    caution: Phrases
    absolute: Phrases
    animal: Phrases
    extrapolation: Phrases
    selling: Phrases
    advice: Phrases
    fragment_starts: frozenset[str]
    general_scope: Phrases
    product: Phrases
    who_should_not: Phrases
    groups: dict[str, frozenset[str]]


@lru_cache(maxsize=1)
def load_vocabulary() -> ClaimVocabulary:
    """Return the claim checker's vocabulary (validated)."""
    return ClaimVocabulary.model_validate(load_yaml("claims/vocabulary.yaml"))


@lru_cache(maxsize=1)
def load_cards() -> tuple[ClaimCard, ...]:
    """Return every claim card, in file order; ids are unique."""
    cards = tuple(ClaimCard.model_validate(raw) for name in CARD_FILES for raw in load_yaml(name))
    ids = [c.id for c in cards]
    duplicates = {i for i in ids if ids.count(i) > 1}
    if duplicates:
        raise ValueError(f"claim card ids defined twice: {sorted(duplicates)}")
    return cards


def card_files() -> list[str]:
    """Return the packaged claim data files (for tests: every file is loaded)."""
    folder = resources.files("dosewise.knowledge").joinpath("data", "claims")
    return sorted(f"claims/{e.name}" for e in folder.iterdir() if e.name.endswith(".yaml"))


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """Return the compiled lexicon (the knowledge base's condition names and uncovered subjects included)."""
    v = load_vocabulary()
    topic_vocab = kb.load_vocabulary()
    conditions = {cid: tuple(names) for cid, names in kb.condition_names().items()}
    symptoms = {
        cid: frozenset(normalise(w).strip() for w in g.symptom_words) for cid, g in kb.load_conditions().items()
    }
    uncovered = {**{k: tuple(p) for k, p in topic_vocab.uncovered.items()}, **v.uncovered_extra}
    groups = {g: frozenset(members) for g, members in v.groups.items()}
    return Lexicon(
        vocab=v,
        agents=Phrases(v.agents),
        references=Phrases(v.references),
        outcomes=Phrases({k: o.words for k, o in v.outcomes.items()}),
        outcome_kind={k: o.kind for k, o in v.outcomes.items()},
        conditions=Phrases(conditions),
        symptom_words=symptoms,
        uncovered=Phrases(uncovered),
        benefit=Phrases(v.benefit_words),
        strong_benefit=Phrases(v.strong_benefit_words),
        harm=Phrases(v.harm_words),
        safety=Phrases(v.safety_words),
        evidence=Phrases(v.evidence_words),
        negation_global=Phrases(v.negation_global),
        negation_local=Phrases(v.negation_local),
        negation_pattern=re.compile(v.negation_pattern),
        caution=Phrases(v.caution_phrases),
        absolute=Phrases(v.absolute_words),
        animal=Phrases(v.animal_words),
        extrapolation=Phrases(v.extrapolation_words),
        selling=Phrases(v.selling_words),
        advice=Phrases(v.advice_words),
        fragment_starts=frozenset(v.fragment_starts),
        general_scope=Phrases(v.general_scope),
        product=Phrases(v.product_words),
        who_should_not=Phrases(v.who_should_not_words),
        groups=groups,
    )


def expand_agents(names: tuple[str, ...] | set[str] | frozenset[str]) -> frozenset[str]:
    """Return agent ids with group names replaced by their members ("any" stays "any")."""
    groups = lexicon().groups
    out: set[str] = set()
    for n in names:
        out |= groups.get(n, {n})
    return frozenset(out)
