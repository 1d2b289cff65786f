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
6. Real-world phrasing (held-out set 3): everyday names for conditions ("T4 para", vocabulary.yaml
   condition_slang); a condition named only to be ruled out ("it's not MS, it's dystonia") does not count;
   ordinary words are not "corrected" into knowledge-base words ("neuro" stays, a short word keeps its first
   letter: "spain" is not "pain"); a safety subject (pregnancy, breastfeeding, driving, under 18, alcohol) is
   answered first from the entries that mention it, even when a condition is named; a question the sources do
   not answer (storage, onset, tolerance, full-spectrum...: not_covered) or about an unknown subject ("does
   cbd help hiccups") gets the honest "not covered" reply, never a confident answer from something else.
7. A medicine from the interaction vocabulary named with a product ("is CBD safe with botox") is answered
   from the interaction checker's cited finding (knowledge/answers.py); an unrecognised medicine is never
   answered as safe. Every answer carries a one-sentence short answer (answers.short_answer).

The weights below are retrieval settings tuned on tests/data/questions.yaml, not clinical facts; accuracy on
those questions and on a held-out set is reported by bench/bench_ask.py.
"""

from __future__ import annotations

import math
import re
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
DRUG_MENTION_BONUS = 3.0
COMPARISON = "comparing one product or way of taking it with another"
SAFETY_BONUS = 12.0  # above CONDITION_BONUS: the guides do not repeat the products' contraindications
SHORT_WORD = 5  # a misspelt word this short must keep its first letter to be corrected
# Words after which the next word names what the question is about ("does cbd help <hiccups>").
SUBJECT_TRIGGERS = frozenset({"help", "helps", "helped", "for", "with", "treat", "treats", "cure", "cures", "relieve"})
PAIRING = (
    "with",
    "and",
    "plus",
    "together",
    "mix",
    "mixing",
    "combine",
    "combined",
    "alongside",
    "on top of",
    "while on",
)
SUBJECT_SKIP = frozenset({"my", "his", "her", "their", "the", "a", "an", "with", "me", "your", "our", "bad", "severe"})
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
    not_covered: tuple[str, ...] = ()  # subjects the sources do not answer (storage, onset, ...)
    safety: tuple[str, ...] = ()  # words of the safety subject named (pregnancy, drive, ...)
    unknown: tuple[str, ...] = ()  # an unrecognised subject asked about ("hiccups")

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
        for cid, slang in vocab.condition_slang.items():
            self.conditions[cid] |= {normalise(p) for p in slang}
        self.negations = tuple(normalise(n) for n in vocab.negations)
        self.not_covered = {subject: {normalise(p) for p in ps} for subject, ps in vocab.not_covered.items()}
        self.safety_terms = {normalise(q): tuple(normalise(w) for w in ws) for q, ws in vocab.safety_terms.items()}
        self.ordinary = frozenset(normalise(w) for w in vocab.ordinary_words)
        self.word_forms = {normalise(w): tuple(normalise(f) for f in fs) for w, fs in vocab.word_forms.items()}
        self.stop_words = tuple(normalise(w) for w in vocab.stop_words)
        self.comparison_words = tuple(normalise(w) for w in vocab.comparison_words)
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
        self.entry_text = [f" {normalise(e.text)} " for e in self.entries]
        self.placeholder = [_placeholder(e) for e in self.entries]
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
            *(p for s in self.not_covered.values() for p in s),
            *self.safety_terms,
        ]
        words = {w for p in phrases for w in p.split()} | set(df)
        self.vocab = sorted(w for w in words if len(w) >= 4 and not w.isdigit())
        self.vocab_set = frozenset(words)
        self.known = self.vocab_set | self.ordinary | self.stopwords
        self.agent_names = frozenset(p for ps in self.agents.values() for p in ps)

    def _terms(self, text: str) -> frozenset[str]:
        return frozenset(w for w in normalise(text).split() if w not in self.stopwords and len(w) > 1)

    def correct(self, words: list[str]) -> list[str]:
        """Return ``words`` with misspellings replaced by the closest vocabulary word."""
        fixed = []
        for w in words:
            if len(w) >= 4 and w not in self.known and not w.isdigit():
                best = process.extractOne(w, self.vocab, scorer=fuzz.ratio, score_cutoff=TYPO_CUTOFF)
                # A short word is corrected only if it keeps its first letter ("spain" is not "pain").
                if best and (len(w) > SHORT_WORD or best[0][0] == w[0]):
                    w = best[0]
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


def _stem(phrase: str) -> str:
    """Return ``phrase`` with a plain English ending dropped from its last word ("cramping" -> "cramp")."""
    for suffix in ("ing", "ed", "s"):
        if phrase.endswith(suffix) and len(phrase) - len(suffix) >= 4:
            return phrase[: -len(suffix)]
    return phrase


def negated(padded: str, phrase: str, negations: tuple[str, ...]) -> bool:
    """True if every mention of ``phrase`` comes right after a negation ("not MS", "don't have ALS")."""
    starts = [i for i in range(len(padded)) if padded.startswith(f" {phrase} ", i)]
    if not starts:
        return False
    for start in starts:
        before = padded[:start].split()
        if not any(before[-len(n.split()) :] == n.split() for n in negations):
            return False
    return True


def _unknown_subject(words: list[str], idx: _Index) -> tuple[str, ...]:
    """Words the question asks about ("does cbd help <hiccups>") that the knowledge base has never heard of."""
    out = []
    for i, w in enumerate(words):
        if w not in SUBJECT_TRIGGERS:
            continue
        rest = [x for x in words[i + 1 :] if x not in SUBJECT_SKIP]
        if rest and len(rest[0]) >= 4 and rest[0].isalpha() and rest[0] not in idx.known:
            out.append(rest[0])
    return tuple(dict.fromkeys(out))


def _child_age(padded: str) -> bool:
    """True if the question gives an age under 18 ("my 12 year old", "aged 15", "a 9yo")."""
    ages = re.findall(r" (\d{1,2}) (?:year old|years old|yr old|yrs old|yo) | aged (\d{1,2}) ", padded)
    return any(int(a or b) < 18 for a, b in ages)


def understand(question: str) -> Understanding:
    """Return what a question is about: conditions, products, drugs, topics, uncovered subjects."""
    idx = _index()
    # A full stop at the end of a word is punctuation ("...it is dystonia. will it help"), not a decimal point.
    words = idx.correct([w.strip(".") for w in normalise(question).split() if w.strip(".")])
    padded = f" {' '.join(words)} "
    named = {
        cid: [p for p in _hits(padded, names) if not negated(padded, p, idx.negations)]
        for cid, names in idx.conditions.items()
    }
    matched = _longest_phrases(named)
    # A word that is only a symptom of another named condition ("ALS cramps", "MND ... cramping") does not
    # name a condition.
    stems = {o: {_stem(w) for w in ws} for o, ws in idx.symptom_words.items()}
    conditions = tuple(
        cid for cid, ps in matched.items() if not any({_stem(p) for p in ps} <= stems[o] for o in matched if o != cid)
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
    if agents and not conditions and "causes" in topics:
        # "can cbd cause diarrhoea": what a product causes is a side effect, not the cause of a condition.
        topics["side-effects"] = topics.get("side-effects", 0) + topics.pop("causes")
    if conditions and agents:
        topics["evidence"] = topics.get("evidence", 0) + (1 if topics else 2)
    elif not topics and (conditions or agents):
        topics["what-it-is"] = 1.0  # a guess: ranks entries but is not enough to be confident
    uncovered = tuple(u for u, ps in idx.uncovered.items() if _hits(padded, ps))
    naming = frozenset(w for cid in conditions for p in matched.get(cid, ()) for w in p.split())
    claim = bool(_hits(padded, idx.claim_cues))
    if claim and (conditions or agents):
        topics["evidence"] = topics.get("evidence", 0) + 2
    if drugs and _hits(padded, idx.stop_words):
        # Stopping a medicine ("just stop my baclofen") is a safety question: withdrawal can be dangerous.
        topics["red-flags"] = topics.get("red-flags", 0) + 4
    not_covered = tuple(s for s, ps in idx.not_covered.items() if _hits(padded, ps))
    if len(agents) >= 2 and not conditions and _hits(padded, idx.comparison_words):
        not_covered += (COMPARISON,)
    safety = tuple(dict.fromkeys(w for q, ws in idx.safety_terms.items() if f" {q} " in padded for w in ws))
    if _child_age(padded):  # "my 12 year old": what is said about under-18s comes first
        safety = (*safety, "under 18")
        topics["side-effects"] = topics.get("side-effects", 0) + 2.5
    # Only a question whether something helps (or what it is) can be about an unknown condition ("does cbd help
    # hiccups"); "I drive for a living" is not.
    asks_help = not topics or max(topics, key=lambda t: topics[t]) in ("evidence", "what-it-is")
    unknown = _unknown_subject(words, idx) if asks_help and not (conditions or drugs or uncovered) else ()
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
        not_covered,
        safety,
        unknown,
    )


def _uncovered_only(u: Understanding) -> bool:
    """True if the question is about something Dosewise does not cover (and nothing it does)."""
    if u.unknown:
        return True
    return bool(u.uncovered) and (not u.conditions or bool(ALWAYS_UNCOVERED & set(u.uncovered)))


def _score(i: int, entry: Entry, u: Understanding, padded: str, qterms: frozenset[str]) -> float | None:
    idx = _index()
    if u.conditions and entry.condition is not None and entry.condition not in u.conditions:
        return None
    if not u.conditions and entry.condition is not None and idx.placeholder[i]:
        return None  # "Not known for dystonia itself" answers nothing unless dystonia was asked about
    if _uncovered_only(u) and (entry.condition is not None or entry.kind == "evidence"):
        return None
    score = TOPIC_WEIGHT * u.topics.get(entry.topic, 0.0)
    if entry.condition is not None:
        score += CONDITION_BONUS if u.conditions else -NO_CONDITION_PENALTY
    score += sum(idx.idf.get(t, 0.0) for t in qterms & idx.entry_terms[i])
    # A product's own name is rewarded once, by the agent match below, not again as a keyword.
    phrase_hits = len(
        [
            p
            for p in _hits(padded, idx.entry_phrases[i])
            if not set(p.split()) <= u.naming and not (entry.agent is not None and p in idx.agent_names)
        ]
    )
    score += 2.5 * phrase_hits
    if entry.agent is not None and u.agents:
        # A named condition's own entries come first; a matching product entry is the runner-up.
        score += (1.0 if u.conditions else 3.0) if entry.agent in u.agents else -3.0
    if entry.drugs and _hits(padded, idx.entry_drugs[i]):
        score += 6.0 if u.topic == "interactions" else 2.0
    elif u.drugs and not entry.drugs and any(f" {d} " in idx.entry_text[i] for d in u.drugs):
        score += DRUG_MENTION_BONUS  # "stop my baclofen": the baclofen-withdrawal warning, not another red flag
    if u.safety and any(f" {w}" in idx.entry_text[i] for w in u.safety):
        score += SAFETY_BONUS
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
    if u.not_covered:
        return False, (
            f"Dosewise's sources do not cover that ({'; '.join(u.not_covered)}), so it will not guess. "
            "Ask your pharmacist or clinician. The closest topics it does cover are below."
        )
    if _uncovered_only(u):
        return False, (
            f"Dosewise has no guide for that ({', '.join(u.uncovered or u.unknown)}) and will not answer with "
            f"evidence from other conditions. It has guides for: {names}. General information "
            "that may still apply is below."
        )
    top = u.topic
    if top == "interactions" and u.agents and not u.drugs and answers and answers[0].drugs and _unrecognised(u):
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
    qterms |= {f for w in qterms for f in idx.word_forms.get(w, ())}
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


def _placeholder(entry: Entry) -> bool:
    """True for an entry that only says its guide's sources do not cover the topic ("Causes: not known")."""
    return "not known" in entry.text[:60].lower()


def _unrecognised(u: Understanding) -> bool:
    """True if the question may name a medicine Dosewise does not know ("with blorbium", "with my BP tablets").

    A question that pairs the product with something ("with", "and", "mix") or has a word Dosewise has never
    seen counts; "is it safe not to tell my neuro I use CBD" names no second thing and does not."""
    known = _index().known
    padded = f" {' '.join(u.words)} "
    return bool(_hits(padded, PAIRING)) or any(len(w) >= 4 and w.isalpha() and w not in known for w in u.words)


def _entry_drugs(entry: Entry) -> tuple[str, ...]:
    return tuple(normalise(d) for d in entry.drugs)


def _names_drug(answer: Answer, drugs: tuple[str, ...]) -> bool:
    text = f" {normalise(answer.text)} "
    return any(f" {d} " in text for d in drugs)
