"""Check an article: split it, find the sentences that make health claims, grade each against the claim cards,
flag misleading writing, and summarise (counts, the three most important corrections, safety omissions).

A sentence is a claim when it names a substance (or clearly points back to one: "It also eases pain", "the
spray") and says what it does for health: an effect, a harm, an interaction, a mechanism, an approval or what a
product contains. Statements about a condition alone, advice, offers and questions are not claims. Sentences
that lean on context take the substance of the latest sentence that named one, and the condition of their
paragraph (or the article's main condition: one with at least DOMINANT_SHARE of the condition mentions).
A heading (a line with no end punctuation) that has no verb says nothing ("Natural pain relief", "Side effects
and interactions"); "Why marijuana works for spasms" does. On a page that sells, a benefit sentence with no
substance of its own ("Night Ease melts away spasms", a customer review) is about the product on sale.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from dosewise.errors import InvalidInput
from dosewise.knowledge.claims.data import expand_agents, lexicon
from dosewise.knowledge.claims.parse import Parsed, parse_clause, split_clauses
from dosewise.knowledge.claims.text import Sentence, is_english, split_sentences
from dosewise.knowledge.claims.verdicts import NON_HUMAN, SEVERITY, Claim, Finding, card_lookup, grade_claim, worst
from dosewise.model.vocab import ClaimVerdict

DOMINANT_SHARE = 0.6
V = ClaimVerdict
COUNT_ORDER = (V.SUPPORTED, V.LIMITED, V.UNSUPPORTED, V.CONTRADICTED, V.NOT_COVERED)  # best first, no evidence last
MAX_CORRECTIONS = 3
HARM_OUTCOMES = frozenset({"side-effects", "liver", "falls", "blood-pressure", "tremor", "psychoactive", "cognition"})
OMISSIONS = ("harms", "interactions", "who-should-not")
SAFETY_CARDS = {
    "harms": {"cbd": "cbd-side-effects", "thc": "thc-side-effects"},
    "interactions": {"cbd": "cbd-interactions", "thc": "thc-interactions"},
    "who-should-not": {"cbd": "cbd-who-should-not", "thc": "thc-who-should-not"},
}


@dataclass(frozen=True)
class ClaimResult:
    """One sentence that makes a health claim, graded."""

    number: int
    sentence: str
    substances: tuple[str, ...]
    conditions: tuple[str, ...]
    outcomes: tuple[str, ...]
    direction: str
    verdict: str
    grade: str | None
    explanation: str
    refs: tuple[str, ...]
    cards: tuple[str, ...]
    flags: tuple[str, ...]
    verified: bool
    importance: int


@dataclass(frozen=True)
class SafetyNote:
    """Something the article left out that matters for safety, with what the knowledge base says."""

    topic: str
    card: str
    text: str
    refs: tuple[str, ...]


@dataclass(frozen=True)
class ArticleCheck:
    """The whole check: claims, counts, flags, corrections and what was left out."""

    sentences: int
    words: int
    claims: tuple[ClaimResult, ...]
    counts: dict[str, int]
    selling: bool
    omitted: tuple[str, ...]
    safety_notes: tuple[SafetyNote, ...]
    corrections: tuple[ClaimResult, ...]
    cannabinoids: tuple[str, ...]  # "cbd" and/or "thc": what the article is about (for interaction checks)
    smoked: bool
    message: str


def _dominant(parsed: list[list[Parsed]]) -> str | None:
    counts = Counter(c for clauses in parsed for c in {c for p in clauses for c in p.conditions})
    total = sum(counts.values())
    if not total:
        return None
    cid, n = counts.most_common(1)[0]
    return cid if n >= 2 and n / total >= DOMINANT_SHARE else None


def _lean_on_context(p: Parsed, context_agents: frozenset[str], selling_page: bool = False) -> bool:
    """True if a clause that names no substance still makes a claim about the one in context."""
    if not context_agents or p.starts_with_condition:
        return False  # "Fibromyalgia causes pain, and it is hard to treat": about the condition
    if selling_page and p.benefit and any(m.kind == "benefit" for m in p.outcomes):
        return True  # "Night Ease melts away spasms": the product on sale
    fact = any(m.kind in {"fact", "mechanism"} for m in p.outcomes)
    if p.conditions:  # "It also helps after a stroke" / "people with MS who used the spray"
        return p.starts_with_reference or p.strong_reference or p.fragment or fact
    harm = any(m.kind == "harm" for m in p.outcomes)
    return p.reference or p.fragment or fact or harm or p.evidence


AGENTLESS_OUTCOMES = frozenset({"animal-translation"})  # claims about evidence itself need no substance


@lru_cache(maxsize=1)
def _verbs() -> frozenset[str]:
    """Words that make a line say something: finite verbs, and effect words that read as verbs (eases, helped)."""
    v = lexicon().vocab
    effects = (*v.benefit_words, *v.strong_benefit_words, *v.harm_words)
    return frozenset(v.finite_words) | {w for w in effects if " " not in w and w.endswith(("s", "ed"))}


def _says_something(p: Parsed) -> bool:
    """False for a heading without a verb ("Natural pain relief"); see the module docstring."""
    return not _verbs().isdisjoint(p.padded.split())


def _is_claim(
    p: Parsed,
    agents: frozenset[str],
    heading: bool = False,
    conditions: tuple[str, ...] = (),
    from_context: bool = False,
) -> bool:
    """True if the clause claims something about ``agents``. ``conditions`` are the clause's own or, when it
    names none, its paragraph's or the article's ("weed was a game changer" in a post about spinal injury);
    a clause that borrows its substance must name an outcome or a condition, or say it helps."""
    if p.boilerplate or (heading and not _says_something(p)):
        return False
    if from_context and not p.outcomes and not p.conditions and not p.strong_benefit:
        return False  # "This sheet summarises what trials have and have not shown"
    outcomes = {m.outcome for m in p.outcomes}
    agentless = bool(outcomes & AGENTLESS_OUTCOMES) or ("testimonials" in outcomes and (p.benefit or bool(p.absolute)))
    if p.question or len(p.padded.split()) < 3 or not (agents or agentless) or (p.advice and not p.absolute):
        return False
    if p.outcomes:
        if all(m.kind == "benefit" for m in p.outcomes):
            return p.benefit or p.harm or bool(p.absolute) or p.evidence
        return True
    if p.uncovered:
        return p.benefit
    return (p.strong_benefit or (p.denied_all and p.evidence)) and bool(p.conditions or conditions or p.evidence)


def _flags(p: Parsed, findings: list[Finding], selling_here: bool) -> tuple[str, ...]:
    flags = []
    kinds = {m.outcome: m.kind for m in p.outcomes if not m.denied}
    benefit = {o for o, k in kinds.items() if k == "benefit"} or {o for o, k in kinds.items() if k == "mechanism"}
    told_as_human = any(
        f.outcome in benefit and not f.denied and f.card.kind == "benefit" and set(f.card.level) <= NON_HUMAN
        for f in findings
    )
    if (p.animal and p.extrapolation) or (not p.animal and told_as_human):
        flags.append("animal")
    if "cause" in kinds or ("mechanism" in kinds.values() and "benefit" in kinds.values()):
        flags.append("mechanism")
    if p.absolute:
        flags.append("absolute")
    if selling_here:
        flags.append("selling")
    return tuple(flags)


def _direction(p: Parsed) -> str:
    kinds = [(m.kind, m.denied) for m in p.outcomes]
    if any(k == "harm" and not d for k, d in kinds):
        return "warns of a harm"
    if any(k == "harm" for k, _ in kinds):
        return "says it is safe"
    if any(k in {"benefit", "mechanism"} and not d for k, d in kinds) or (not kinds and not p.denied_all):
        return "says it helps"
    if kinds and all(k == "fact" for k, _ in kinds):
        return "states a fact" if not p.denied else "denies a statement"
    return "says it does not help"


def _not_covered(p: Parsed) -> str:
    if p.uncovered:
        subjects = ", ".join(u.replace("-", " ") for u in p.uncovered)
        return f"Dosewise's knowledge base does not cover {subjects}: it cannot say whether this is true."
    return "Dosewise's knowledge base has no evidence on this claim: it cannot say whether it is true."


def _result(s: Sentence, parts: list[tuple[Parsed, Claim, list[Finding]]], selling_here: bool) -> ClaimResult:
    findings = [f for _, _, fs in parts for f in fs]
    verdict = worst([f.verdict for f in findings])
    decisive = [f for f in findings if f.verdict == verdict]
    cards = list(dict.fromkeys(f.card.id for f in decisive))
    lookup = card_lookup()
    notes = list(dict.fromkeys(f.note for f in decisive if f.note))
    says = [lookup[c].says for c in cards]
    first = parts[0][0]
    explanation = " ".join([*notes, *says]) if findings else _not_covered(first)
    flags = tuple(dict.fromkeys(fl for p, _, fs in parts for fl in _flags(p, fs, selling_here)))
    return ClaimResult(
        number=s.number,
        sentence=s.text,
        substances=tuple(sorted({a for _, c, _ in parts for a in c.agents})),
        conditions=tuple(dict.fromkeys(c for _, cl, _ in parts for c in cl.conditions)),
        outcomes=tuple(dict.fromkeys(m.outcome for p, _, _ in parts for m in p.outcomes)),
        direction=_direction(first),
        verdict=verdict,
        grade=next((lookup[c].grade for c in cards if lookup[c].grade), None),
        explanation=explanation,
        refs=tuple(dict.fromkeys(r for c in cards for r in lookup[c].refs)),
        cards=tuple(cards),
        flags=flags,
        verified=all(lookup[c].verified for c in cards),
        importance=max((lookup[c].importance for c in cards), default=1),
    )


@dataclass
class _Context:
    agents: frozenset[str] = frozenset()
    paragraph: int = 0
    paragraph_condition: str | None = None


def _conditions_for(p: Parsed, from_context: bool, ctx: _Context, dominant: str | None) -> tuple[str, ...]:
    if p.conditions:
        return p.conditions
    if p.general_scope:
        return ()
    fallback = ctx.paragraph_condition if from_context and ctx.paragraph_condition else dominant
    return (fallback,) if fallback else ()


PRICE = re.compile(r"[$\u00a3\u20ac]\s?\d|\b\d+\s?% off\b", re.I)


def _selling_paragraphs(sentences: list[Sentence], parsed: list[list[Parsed]]) -> set[int]:
    """Paragraph numbers that sell something (an offer, a price, a shop button)."""
    return {
        s.paragraph
        for s, clauses in zip(sentences, parsed, strict=True)
        if PRICE.search(s.text) or any(p.selling for p in clauses)
    }


def _omitted(results: list[tuple[ClaimResult, list[Finding]]], parsed: list[list[Parsed]]) -> tuple[str, ...]:
    mentioned = set()
    for _, findings in results:
        for f in findings:
            if f.denied or f.card.kind != "harm":
                continue
            if f.outcome in HARM_OUTCOMES:
                mentioned.add("harms")
            if f.outcome == "interactions":
                mentioned.add("interactions")
            if f.outcome == "who-should-not":
                mentioned.add("who-should-not")
    if any(p.warns_who for clauses in parsed for p in clauses):
        mentioned.add("who-should-not")
    return tuple(o for o in OMISSIONS if o not in mentioned)


def _safety_notes(omitted: tuple[str, ...], cannabinoids: tuple[str, ...]) -> tuple[SafetyNote, ...]:
    lookup = card_lookup()
    notes = []
    for topic in omitted:
        for agent in cannabinoids:
            card = lookup[SAFETY_CARDS[topic][agent]]
            notes.append(SafetyNote(topic, card.id, card.says, card.refs))
    return tuple(notes)


def _cannabinoids(results: list[ClaimResult]) -> tuple[str, ...]:
    agents = {a for r in results for a in r.substances}
    thc = bool(agents & expand_agents(("thc-containing",))) or "cannabinoids" in agents
    return tuple(a for a, present in (("cbd", "cbd" in agents or "cannabinoids" in agents), ("thc", thc)) if present)


def _corrections(results: list[ClaimResult]) -> tuple[ClaimResult, ...]:
    wrong = [r for r in results if r.verdict in {"contradicted", "unsupported"}]
    wrong.sort(key=lambda r: (SEVERITY[r.verdict], -r.importance, -len(r.flags), r.number))
    return tuple(wrong[:MAX_CORRECTIONS])


def check_article(text: str) -> ArticleCheck:
    """Check the plain text of an article (see the module docstring). Raises InvalidInput for non-English text."""
    if not is_english(text):
        raise InvalidInput(
            "This text does not look like English. Dosewise can only check articles in English "
            "(its knowledge base and word lists are English)."
        )
    sentences = split_sentences(text)
    parsed = [[parse_clause(c) for c in split_clauses(s.text)] for s in sentences]
    dominant = _dominant(parsed)
    selling_paragraphs = _selling_paragraphs(sentences, parsed)
    selling_page = bool(selling_paragraphs)
    ctx = _Context()
    graded: list[tuple[ClaimResult, list[Finding]]] = []
    for s, clauses in zip(sentences, parsed, strict=True):
        if s.paragraph != ctx.paragraph:
            ctx.paragraph, ctx.paragraph_condition = s.paragraph, None
        parts = []
        for p in clauses:
            from_context = not p.agents and _lean_on_context(p, ctx.agents, selling_page)
            agents = ctx.agents if from_context else (p.agents or p.contrast_agents)
            conditions = _conditions_for(p, from_context, ctx, dominant)
            if _is_claim(p, agents, s.line, conditions, from_context):
                claim = Claim(p, agents, conditions)
                parts.append((p, claim, grade_claim(claim)))
        named = frozenset(a for p in clauses for a in p.agents)
        ctx.agents = named or ctx.agents
        ctx.paragraph_condition = next((c for p in clauses for c in p.conditions), ctx.paragraph_condition)
        if parts:
            near = {s.paragraph - 1, s.paragraph, s.paragraph + 1} & selling_paragraphs
            about_cannabinoids = any(c.agents & expand_agents(("any-cannabinoid",)) for _, c, _ in parts)
            selling_here = about_cannabinoids and (bool(near) or any(p.product for p, _, _ in parts))
            result = _result(s, parts, selling_here and bool(selling_paragraphs))
            graded.append((result, [f for _, _, fs in parts for f in fs]))
    results = [r for r, _ in graded]
    cannabinoids = _cannabinoids(results)
    omitted = _omitted(graded, parsed) if cannabinoids else ()
    counts = {v.value: sum(1 for r in results if r.verdict == v) for v in COUNT_ORDER}
    return ArticleCheck(
        sentences=len(sentences),
        words=len(text.split()),
        claims=tuple(results),
        counts=counts,
        selling=bool(selling_paragraphs) or bool(PRICE.search(text)),
        omitted=omitted,
        safety_notes=_safety_notes(omitted, cannabinoids),
        corrections=_corrections(results),
        cannabinoids=cannabinoids,
        smoked=any("smoked-vaped" in r.substances for r in results),
        message=_message(results),
    )


def _message(results: list[ClaimResult]) -> str:
    if not results:
        return (
            "No health claims found: no sentence says what a substance or treatment does for health, so there "
            "is nothing to check."
        )
    n = len(results)
    return f"{n} health claim{'s' if n != 1 else ''} found and checked against Dosewise's knowledge base."
