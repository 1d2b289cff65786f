"""Answer a question from the curated knowledge base only: find the best entries, never compose a claim.

How it works (explainable on purpose):

1. Normalise the question and fix typos word by word against the knowledge base's own vocabulary
   (rapidfuzz ratio >= 84, words of 4+ letters: "distonia" -> "dystonia").
2. Spot phrases: condition names and synonyms ("lou gehrig", "mnd"), products ("weed", "sativex"), drugs
   from the interaction table ("blood thinner"), subjects Dosewise does not cover ("parkinson") and
   out-of-scope questions ("price", "legal"), and topic cue phrases with weights (vocabulary.yaml). A
   treatment only one condition has ("riluzole") names that condition when none is named.
3. Score each entry: topic weight of its topic, same condition (entries of OTHER conditions are never
   candidates when a condition was named), shared words weighted by rarity (idf), keyword phrases, product
   and drug matches.
4. Confident only when the question names what it is about and a topic was recognised (a guessed topic is
   never enough); otherwise say so and offer the closest entries. A question about an uncovered condition
   or drug gets general entries only. A general (no-condition) entry answers confidently when the question
   names its subject ("is cannabis good for chronic pain").
5. A condition phrase inside a longer phrase of another condition does not count ("writer's cramp" is
   dystonia, not a muscle cramp). A claim-checking question ("I read that ... is that true") gets the
   claim's own entry first.
6. A medicine from the interaction vocabulary named with a product ("is CBD safe with botox") is answered
   from the interaction checker's cited finding (knowledge/answers.py); an unrecognised medicine is never
   answered as safe. Every answer carries a one-sentence short answer (answers.short_answer).

The weights below are retrieval settings tuned on tests/data/questions.yaml, not clinical facts; accuracy on
those questions and on a held-out set is reported by bench/bench_ask.py.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz, process

from dosewise.knowledge import kb
from dosewise.knowledge.answers import Answer, medicine_answers, medicine_names, short_answer
from dosewise.knowledge.entries import Entry, all_entries
from dosewise.knowledge.kb import normalise

CONDITION_TOPICS = frozenset({"what-it-is", "causes", "symptoms", "treatments", "evidence"})
AGENT_ALIASES = {"cannabis": "thc"}
MAX_ANSWERS = 3
TYPO_CUTOFF = 84
TOPIC_WEIGHT = 3.0
CONDITION_BONUS = 11.0
NO_CONDITION_PENALTY = 3.0
CLAIM_BONUS = 6.0
ALWAYS_UNCOVERED = frozenset({"other-drugs", "pets"})


@dataclass(frozen=True)
class Understanding:
    """What the question was understood to be about (shown to explain an answer)."""

    words: tuple[str, ...]
    conditions: tuple[str, ...]
    agents: tuple[str, ...]
    drugs: tuple[str, ...]
    topics: dict[str, float]
    uncovered: tuple[str, ...]
    out_of_scope: tuple[str, ...]
    naming: frozenset[str] = frozenset()
    claim: bool = False  # the question checks a claim ("is that true", "an article says")

    @property
    def topic(self) -> str | None:
        return max(self.topics, key=lambda t: self.topics[t]) if self.topics else None


@dataclass(frozen=True)
class AskResult:
    question: str
    answers: tuple[Answer, ...]
    confident: bool
    message: str
    understood: Understanding = field(repr=False)


class _Index:
    """Everything the matcher needs, built once per process from the knowledge base."""

    def __init__(self) -> None:
        vocab = kb.load_vocabulary()
        self.stopwords = frozenset(vocab.stopwords)
        self.conditions = {cid: set(names) for cid, names in kb.condition_names().items()}
        self.symptom_words = {cid: {normalise(w) for w in g.symptom_words} for cid, g in kb.load_conditions().items()}
        self.topic_cues = {t: {normalise(p): w for p, w in cues.items()} for t, cues in vocab.topics.items()}
        self.agents = {a: {normalise(p) for p in ps} for a, ps in vocab.agents.items()}
        self.uncovered = {u: {normalise(p) for p in ps} for u, ps in vocab.uncovered.items()}
        self.out_of_scope = {normalise(p) for p in vocab.out_of_scope}
        self.drugs = {normalise(d) for i in kb.load_cannabinoids().interactions for d in i.drugs}
        self.drugs |= {normalise(n) for n in medicine_names() if len(normalise(n)) >= 4}
        self.implied = {normalise(w): cid for w, cid in vocab.implies.items()}
        self.claim_cues = tuple(normalise(p) for p in vocab.claim_cues)
        self.entries = all_entries()
        self.entry_terms = [self._terms(" ".join((e.text, *e.keywords))) for e in self.entries]
        self.entry_phrases = [tuple({normalise(k) for k in e.keywords}) for e in self.entries]
        self.entry_drugs = [_entry_drugs(e) for e in self.entries]
        df = Counter(t for terms in self.entry_terms for t in terms)
        n = len(self.entries)
        self.idf = {t: math.log((n + 1) / (c + 1)) + 0.5 for t, c in df.items()}
        phrases = [
            *(p for s in self.conditions.values() for p in s),
            *(p for s in self.agents.values() for p in s),
            *(p for s in self.uncovered.values() for p in s),
            *self.out_of_scope,
            *(d for d in self.drugs if len(d) >= 5),
            *(p for c in self.topic_cues.values() for p in c),
            *(w for s in self.symptom_words.values() for w in s),
        ]
        words = {w for p in phrases for w in p.split()} | set(df)
        self.vocab = sorted(w for w in words if len(w) >= 4 and not w.isdigit())
        self.vocab_set = frozenset(words)

    def _terms(self, text: str) -> frozenset[str]:
        return frozenset(w for w in normalise(text).split() if w not in self.stopwords and len(w) > 1)

    def correct(self, words: list[str]) -> list[str]:
        """Return ``words`` with misspellings replaced by the closest vocabulary word."""
        fixed = []
        for w in words:
            if len(w) >= 4 and w not in self.vocab_set and w not in self.stopwords and not w.isdigit():
                best = process.extractOne(w, self.vocab, scorer=fuzz.ratio, score_cutoff=TYPO_CUTOFF)
                w = best[0] if best else w
            fixed.append(w)
        return fixed


@lru_cache(maxsize=1)
def _index() -> _Index:
    return _Index()


def warm_up() -> None:
    """Load and index the knowledge base now (it is otherwise built on the first question)."""
    _index()


def _hits(padded: str, phrases: set[str] | tuple[str, ...]) -> list[str]:
    return [p for p in phrases if p and f" {p} " in padded]


def _ngram_hits(words: list[str], phrases: set[str], longest: int = 6) -> list[str]:
    """Phrases of a large set found in ``words`` (looked up by n-gram instead of scanning the set)."""
    grams = {" ".join(words[i : i + n]) for n in range(1, longest + 1) for i in range(len(words) - n + 1)}
    return sorted(grams & phrases)


def _longest_phrases(matched: dict[str, list[str]]) -> dict[str, list[str]]:
    """Drop a condition phrase inside a longer phrase of another condition ("cramp" in "writers cramp")."""
    hits = [(cid, p) for cid, ps in matched.items() for p in ps]
    kept = {
        cid: [p for p in ps if not any(o != cid and p != q and f" {p} " in f" {q} " for o, q in hits)]
        for cid, ps in matched.items()
    }
    return {cid: ps for cid, ps in kept.items() if ps}


def understand(question: str) -> Understanding:
    """Return what a question is about: conditions, products, drugs, topics, uncovered subjects."""
    idx = _index()
    words = idx.correct(normalise(question).split())
    padded = f" {' '.join(words)} "
    matched = _longest_phrases({cid: _hits(padded, names) for cid, names in idx.conditions.items()})
    # A word that is only a symptom of another named condition ("ALS cramps") does not name a condition.
    conditions = tuple(
        cid for cid, ps in matched.items() if not any(set(ps) <= idx.symptom_words[o] for o in matched if o != cid)
    )
    if not conditions:  # "riluzole restores strength": a treatment only one condition has implies it
        conditions = tuple(dict.fromkeys(idx.implied[p] for p in _hits(padded, tuple(idx.implied))))
        conditions = conditions if len(conditions) == 1 else ()
    agents = tuple(dict.fromkeys(AGENT_ALIASES.get(a, a) for a, ps in idx.agents.items() if _hits(padded, ps)))
    drugs = tuple(_ngram_hits(words, idx.drugs))
    topics: dict[str, float] = {}
    for topic, cues in idx.topic_cues.items():
        score = sum(w for p, w in cues.items() if f" {p} " in padded)
        if score:
            topics[topic] = score
    if drugs and (agents or "interactions" in topics):
        # A medicine named with a product is about taking them together, unless the question clearly asks
        # something else ("can cbd REPLACE riluzole").
        other = max((v for t, v in topics.items() if t != "interactions"), default=0.0)
        topics["interactions"] = topics.get("interactions", 0) + (5 if agents and other < 2.5 else 2)
    if conditions and agents:
        topics["evidence"] = topics.get("evidence", 0) + (1 if topics else 2)
    elif not topics and (conditions or agents):
        topics["what-it-is"] = 1.0  # a guess: ranks entries but is not enough to be confident
    uncovered = tuple(u for u, ps in idx.uncovered.items() if _hits(padded, ps))
    naming = frozenset(w for cid in conditions for p in matched.get(cid, ()) for w in p.split())
    claim = bool(_hits(padded, idx.claim_cues))
    if claim and (conditions or agents):
        topics["evidence"] = topics.get("evidence", 0) + 2
    return Understanding(
        tuple(words),
        conditions,
        agents,
        drugs,
        topics,
        uncovered,
        tuple(_hits(padded, idx.out_of_scope)),
        naming,
        claim,
    )


def _uncovered_only(u: Understanding) -> bool:
    """True if the question is about something Dosewise does not cover (and nothing it does)."""
    return bool(u.uncovered) and (not u.conditions or bool(ALWAYS_UNCOVERED & set(u.uncovered)))


def _score(i: int, entry: Entry, u: Understanding, padded: str, qterms: frozenset[str]) -> float | None:
    idx = _index()
    if u.conditions and entry.condition is not None and entry.condition not in u.conditions:
        return None
    if _uncovered_only(u) and (entry.condition is not None or entry.kind == "evidence"):
        return None
    score = TOPIC_WEIGHT * u.topics.get(entry.topic, 0.0)
    if entry.condition is not None:
        score += CONDITION_BONUS if u.conditions else -NO_CONDITION_PENALTY
    score += sum(idx.idf.get(t, 0.0) for t in qterms & idx.entry_terms[i])
    phrase_hits = len([p for p in _hits(padded, idx.entry_phrases[i]) if not set(p.split()) <= u.naming])
    score += 2.5 * phrase_hits
    if entry.agent is not None and u.agents:
        # A named condition's own entries come first; a matching product entry is the runner-up.
        score += (1.0 if u.conditions else 3.0) if entry.agent in u.agents else -3.0
    if entry.drugs and _hits(padded, idx.entry_drugs[i]):
        score += 6.0 if u.topic == "interactions" else 2.0
    if entry.kind == "myth":
        score += 3.0 * phrase_hits if phrase_hits else -3.0
        if u.claim:  # "I read that CBD cures dystonia - is that true?": the claim's own entry first
            score += CLAIM_BONUS
    return score


def _confidence(u: Understanding, answers: list[Entry], subject_named: bool = False) -> tuple[bool, str]:
    names = ", ".join(kb.load_conditions())
    if u.out_of_scope:
        return False, (
            "Dosewise's knowledge base does not cover that (for example cost, law, where to buy or "
            "growing). Closest topics it does cover are below."
        )
    if _uncovered_only(u):
        return False, (
            f"Dosewise has no guide for that ({', '.join(u.uncovered)}) and will not answer with "
            f"evidence from other conditions. It has guides for: {names}. General information "
            "that may still apply is below."
        )
    top = u.topic
    if top == "interactions" and u.agents and not u.drugs and answers and answers[0].drugs:
        return False, (
            "Dosewise did not recognise a medicine in your question, so nothing was checked: an unknown "
            "medicine is never 'no interaction'. Check its exact name on the interaction check page, or ask "
            "your pharmacist. General interaction information is below."
        )
    if top is None or u.topics[top] < 1.5 or not answers:
        return False, "No confident match in Dosewise's knowledge base. The closest topics are below."
    general_answer = subject_named and answers[0].condition is None
    if top in CONDITION_TOPICS and not u.conditions and not general_answer and not (top == "what-it-is" and u.agents):
        return False, (f"Which condition do you mean? Dosewise has guides for: {names}. The closest entries are below.")
    return True, "From Dosewise's curated, cited knowledge base (not medical advice)."


def ask(question: str, *, limit: int = MAX_ANSWERS) -> AskResult:
    """Return the best-matching curated entries for ``question`` and whether the match is confident."""
    idx = _index()
    u = understand(question)
    padded = f" {' '.join(u.words)} "
    # Words that only name the condition select entries (above); they do not also count as shared words.
    qterms = frozenset(w for w in u.words if w not in idx.stopwords and len(w) > 1 and w not in u.naming)
    scored = []
    for i, entry in enumerate(idx.entries):
        s = _score(i, entry, u, padded, qterms)
        if s is not None and s > 0:
            scored.append((s, i))
    scored.sort(key=lambda si: (-si[0], si[1]))
    best = [idx.entries[i] for _, i in scored[:limit]]
    # A general (no-condition) entry answers confidently only if the question names its subject ("pain").
    subject_named = bool(scored) and bool(_hits(padded, idx.entry_phrases[scored[0][1]]))
    confident, message = _confidence(u, best, subject_named)
    answers = tuple(
        Answer(e.condition, e.topic, e.grade, e.text, e.citations, e.verified, short_answer(e)) for e in best
    )
    if u.topic == "interactions" and u.drugs and not _uncovered_only(u):
        checked = medicine_answers(u.drugs, u.agents)
        if checked:
            curated = [
                a
                for a, e in zip(answers, best, strict=True)
                if a.topic == "interactions"
                and (_names_drug(a, u.drugs) or _hits(padded, idx.entry_drugs[idx.entries.index(e)]))
            ]
            rest = [a for a in answers if a.topic != "interactions"]  # never another medicine's pair
            answers = tuple([*curated, *checked, *rest][:limit])
            confident, message = (
                True,
                "From Dosewise's curated, cited knowledge base and interaction data (not medical advice).",
            )
    return AskResult(question, answers, confident, message, u)


def _entry_drugs(entry: Entry) -> tuple[str, ...]:
    return tuple(normalise(d) for d in entry.drugs)


def _names_drug(answer: Answer, drugs: tuple[str, ...]) -> bool:
    text = f" {normalise(answer.text)} "
    return any(f" {d} " in text for d in drugs)
