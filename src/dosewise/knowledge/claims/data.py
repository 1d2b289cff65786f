"""Load the claim checker's cards and vocabulary (knowledge/data/claims/) once, and compile its phrase matchers.

Phrases are matched as whole words on normalised text (``normalise``): lower case, apostrophes dropped,
every other non-alphanumeric character a single space. All phrase lists share one table (``Scanner``), so a
clause is scanned once, word by word, for every list: a 2,000-word article stays under the 200 ms goal
(bench/bench_claims.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from dosewise.knowledge import kb
from dosewise.knowledge.claims.schema import ClaimCard, ClaimVocabulary
from dosewise.knowledge.files import load_yaml

CARD_FILES = ("claims/evidence.yaml", "claims/general.yaml")


def normalise(text: str) -> str:
    """Return ``text`` lower-cased, apostrophes dropped, every other non-alphanumeric run as one space."""
    text = text.lower().replace("'", "").replace("\u2019", "")
    return " " + re.sub(r"[^a-z0-9]+", " ", text).strip() + " "


class Phrases:
    """A list of phrases (or a {key: phrases} map), normalised; matched through a Scanner."""

    def __init__(self, phrases: dict[str, tuple[str, ...]] | tuple[str, ...] | list[str]) -> None:
        mapping = phrases if isinstance(phrases, dict) else {p: (p,) for p in phrases}
        self.key_of: dict[str, str] = {}
        for key, words in mapping.items():
            for w in words:
                norm = normalise(w).strip()
                if norm:
                    self.key_of.setdefault(norm, key)


class Hits:
    """Every phrase of every list found in one text, by list name: (key, start, end) in the padded text."""

    def __init__(self, found: dict[str, list[tuple[str, int, int]]]) -> None:
        self._found = found

    def find(self, name: str) -> list[tuple[str, int, int]]:
        return self._found.get(name, [])

    def keys(self, name: str) -> set[str]:
        return {k for k, _, _ in self.find(name)}

    def any(self, name: str) -> bool:
        return name in self._found


class Scanner:
    """All phrase lists in one table: a text is scanned once, word by word (n-grams that start a phrase only)."""

    def __init__(self, lists: dict[str, Phrases]) -> None:
        self.table: dict[str, list[tuple[str, str]]] = {}
        self.prefixes: set[str] = set()
        for name, phrases in lists.items():
            for phrase, key in phrases.key_of.items():
                self.table.setdefault(phrase, []).append((name, key))
                words = phrase.split()
                self.prefixes.update(" ".join(words[:n]) for n in range(1, len(words) + 1))

    def scan(self, padded: str) -> Hits:
        tokens = padded.split()
        starts, pos = [], 1
        for t in tokens:
            starts.append(pos)
            pos += len(t) + 1
        found: dict[str, list[tuple[str, int, int]]] = {}
        for i in range(len(tokens)):
            gram = ""
            for j in range(i, len(tokens)):
                gram = f"{gram} {tokens[j]}" if gram else tokens[j]
                if gram not in self.prefixes:
                    break
                for name, key in self.table.get(gram, ()):
                    found.setdefault(name, []).append((key, starts[i], starts[j] + len(tokens[j])))
        return Hits(found)


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
    boilerplate: Phrases
    overstatement: Phrases
    fragment_starts: frozenset[str]
    general_scope: Phrases
    product: Phrases
    who_should_not: Phrases
    hedge: Phrases
    praise: Phrases
    denying_words: frozenset[str]
    negation_shields: frozenset[str]
    groups: dict[str, frozenset[str]]
    scanner: Scanner


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
    outcome_words = {k: o.words for k, o in v.outcomes.items()}
    outcome_words["interactions"] = (*outcome_words["interactions"], *_drug_level_phrases())
    lists = {
        "agents": Phrases(v.agents),
        "references": Phrases(v.references),
        "outcomes": Phrases(outcome_words),
        "conditions": Phrases(conditions),
        "uncovered": Phrases(uncovered),
        "benefit": Phrases(v.benefit_words),
        "strong_benefit": Phrases(v.strong_benefit_words),
        "harm": Phrases(v.harm_words),
        "safety": Phrases(v.safety_words),
        "evidence": Phrases(v.evidence_words),
        "negation_global": Phrases(v.negation_global),
        "negation_local": Phrases(v.negation_local),
        "caution": Phrases(v.caution_phrases),
        "absolute": Phrases(v.absolute_words),
        "animal": Phrases(v.animal_words),
        "extrapolation": Phrases(v.extrapolation_words),
        "selling": Phrases(v.selling_words),
        "advice": Phrases(v.advice_words),
        "boilerplate": Phrases(v.boilerplate),
        "overstatement": Phrases(v.overstatement_words),
        "general_scope": Phrases(v.general_scope),
        "product": Phrases(v.product_words),
        "who_should_not": Phrases(v.who_should_not_words),
        "hedge": Phrases(v.hedge_words),
        "praise": Phrases(v.praise_words),
    }
    return Lexicon(
        vocab=v,
        outcome_kind={k: o.kind for k, o in v.outcomes.items()},
        symptom_words=symptoms,
        negation_pattern=re.compile(v.negation_pattern),
        fragment_starts=frozenset(v.fragment_starts),
        denying_words=frozenset(normalise(w).strip() for w in v.denying_words),
        negation_shields=frozenset(v.negation_shields),
        groups=groups,
        scanner=Scanner(lists),
        **lists,
    )


def _drug_level_phrases() -> tuple[str, ...]:
    """'riluzole levels', 'levels of warfarin', ...: every medicine in the knowledge base's interaction table."""
    drugs = {d for i in kb.load_cannabinoids().interactions for d in i.drugs if " " not in d}
    return tuple(p for d in sorted(drugs) for p in (f"{d} levels", f"{d} level", f"levels of {d}", f"level of {d}"))


@lru_cache(maxsize=256)
def expand_agents(names: tuple[str, ...] | frozenset[str]) -> frozenset[str]:
    """Return agent ids with group names replaced by their members ("any" stays "any")."""
    groups = lexicon().groups
    out: set[str] = set()
    for n in names:
        out |= groups.get(n, {n})
    return frozenset(out)
