"""Match a claim to the knowledge base's claim cards and grade it; the verdict comes from the card, never a model.

For each outcome the claim names and each substance it is about, the best card is the one whose outcome,
substance and condition fit (a card for the named condition beats a general one; an exact substance beats a
group; ties go to the card whose statement is lexically closest, by rapidfuzz). Its verdict is then adjusted:

- a sentence that DENIES the card's statement gets the opposite verdict (supported <-> contradicted,
  unsupported -> supported, limited stays limited), unless the card says otherwise (``if_denied``);
- evidence for THC-containing products does not carry over to CBD alone: a CBD-only claim that only a
  THC-containing card fits is "unsupported";
- "proven", "cure", "miracle"... or "completely", "in minutes" on a supported benefit make it "limited" (overstated);
- an animal or cell result told as such (and not carried over to people) is "limited", whatever the human
  evidence says ("in mice, cannabinoids protected nerve cells" is an animal result, not a human claim);
- "it helps <condition>" with no outcome named is at best "limited": the evidence is for named outcomes;
- one seller's claim about their own product cannot be checked: "contradicted" becomes "unsupported".

The sentence's verdict is the least favourable of its parts (contradicted, unsupported, limited, not-covered,
supported).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from dosewise.knowledge.claims.data import expand_agents, lexicon, load_cards
from dosewise.knowledge.claims.parse import Mention, Parsed
from dosewise.knowledge.claims.schema import ClaimCard
from dosewise.model.vocab import ClaimVerdict

SEVERITY = {v.value: v.rank for v in ClaimVerdict}  # 0 = least favourable
INVERTED = {"supported": "contradicted", "contradicted": "supported", "unsupported": "supported", "limited": "limited"}
NON_HUMAN = frozenset({"animal", "in-vitro"})
SCOPE_SETTING = frozenset({"approval", "first-line", "replace"})  # their effect words only say what for


@dataclass(frozen=True)
class Claim:
    """A parsed clause with the article's context applied: the substances and conditions to look up."""

    parsed: Parsed
    agents: frozenset[str]
    conditions: tuple[str, ...]

    @property
    def padded(self) -> str:
        return self.parsed.padded

    @property
    def uncovered(self) -> tuple[str, ...]:
        return self.parsed.uncovered

    @property
    def outcomes(self) -> tuple[Mention, ...]:
        return self.parsed.outcomes

    @property
    def absolute(self) -> bool:
        return bool(self.parsed.absolute)

    @property
    def animal_scoped(self) -> bool:
        """An animal or cell result told as such, not carried over to people."""
        return self.parsed.animal and not self.parsed.extrapolation


@dataclass(frozen=True)
class Finding:
    """One card applied to one part of a claim."""

    card: ClaimCard
    outcome: str
    agent: str | None
    denied: bool
    verdict: str
    note: str = ""


def worst(verdicts: list[str]) -> str:
    """Return the least favourable verdict (contradicted first); 'not-covered' for none."""
    return min(verdicts, key=SEVERITY.__getitem__) if verdicts else "not-covered"


def _fits(card: ClaimCard, claim: Claim, agent: str | None) -> bool:
    members = expand_agents(card.agents)
    if agent is None:
        if "any" not in card.agents:
            return False
    elif agent not in members and "any" not in card.agents:
        return False
    if "any" not in card.conditions and not set(card.conditions) & set(claim.conditions):
        return False
    if _blocked_by_uncovered(card, claim):
        return False
    if card.requires and not any(f" {r}" in claim.padded for r in card.requires):
        return False
    return not any(f" {x}" in claim.padded for x in card.excludes)


def _blocked_by_uncovered(card: ClaimCard, claim: Claim) -> bool:
    """A subject Dosewise does not cover (anxiety, epilepsy...) blocks benefit and fact cards, unless the card
    speaks to it or the sentence also names a condition Dosewise covers; harms, and how a substance acts in the
    body ("as an anti-inflammatory, CBD helps arthritis"), are graded whatever the subject."""
    if not claim.uncovered or card.kind == "harm" or claim.parsed.conditions or _mechanism_card(card):
        return False
    return not set(card.covers) & set(claim.uncovered)


def _mechanism_card(card: ClaimCard) -> bool:
    return any(outcome_kind(o) == "mechanism" for o in card.outcomes)


def _score(card: ClaimCard, claim: Claim, agent: str | None) -> float:
    score = 4.0 if set(card.conditions) & set(claim.conditions) else 0.0
    score += 2.0 if agent is not None and agent in card.agents else 0.0
    score += 2.0 if card.requires else 0.0
    return score + 2.0 * fuzz.token_set_ratio(claim.padded, card.statement.lower()) / 100


def _best(cards: list[ClaimCard], claim: Claim, agent: str | None) -> ClaimCard | None:
    fitting = [c for c in cards if _fits(c, claim, agent)]
    return max(fitting, key=lambda c: _score(c, claim, agent)) if fitting else None


def _grade(card: ClaimCard, claim: Claim, denied: bool) -> tuple[str, str]:
    """Return (verdict, note) for a claim that asserts (or denies) the card's statement."""
    verdict, note = (card.if_denied or INVERTED[card.verdict]) if denied else card.verdict, ""
    if denied and card.kind == "harm" and verdict == "contradicted" and claim.parsed.hedged:
        verdict, note = "limited", "Mostly true, but the harms are real: see what the evidence shows."
    if denied:
        return _one_product(card, claim, verdict, note)
    if verdict == "supported" and card.kind == "benefit" and (claim.absolute or claim.parsed.overstated):
        verdict, note = "limited", "The evidence shows a modest effect; the article overstates it."
    if claim.animal_scoped and (card.kind == "benefit" or _mechanism_card(card)) and verdict != "limited":
        verdict, note = "limited", "This is a result in animals or cells; it does not show a benefit in people."
    return _one_product(card, claim, verdict, note)


def _one_product(card: ClaimCard, claim: Claim, verdict: str, note: str) -> tuple[str, str]:
    if verdict == "contradicted" and card.product and claim.parsed.product:
        return "unsupported", "Dosewise cannot check one seller's product; in studies many labels were wrong."
    return verdict, note


def _transfer(cards: list[ClaimCard], claim: Claim) -> ClaimCard | None:
    """A card for THC-containing products that a CBD-only benefit claim would borrow (it may not)."""
    fitting = [c for c in cards if c.kind == "benefit" and _fits(c, claim, "thc")]
    return max(fitting, key=lambda c: _score(c, claim, "thc")) if fitting else None


def _agents_for_cards(agents: frozenset[str]) -> list[str | None]:
    """Substances to look up: a product with THC and CBD is graded as the THC-containing product it is."""
    thc_containing = expand_agents(("thc-containing",))
    if agents & thc_containing:
        agents = agents - {"cbd"}
    looked_up: list[str | None] = [*sorted(agents)]
    return looked_up or [None]


def grade_claim(claim: Claim) -> list[Finding]:
    """Return the cards that grade ``claim`` (one per outcome and substance); [] when nothing fits."""
    by_outcome = _cards_by_outcome()
    findings: list[Finding] = []
    mentions = list(claim.outcomes) or _primary_mentions(claim)
    if any(m.outcome in SCOPE_SETTING for m in mentions):  # "approved for MS spasticity": one fact, not two
        mentions = [m for m in mentions if m.kind != "benefit"]
    for m in mentions:
        cards = by_outcome.get(m.outcome, [])
        for agent in _agents_for_cards(claim.agents):
            card = _best(cards, claim, agent)
            if card is not None:
                verdict, note = _grade(card, claim, m.denied)
                if m.outcome == "*" and verdict == "supported" and not m.denied:
                    verdict, note = "limited", f"Says it helps in general; the evidence is for one thing: {card.about}."
                findings.append(Finding(card, m.outcome, agent, m.denied, verdict, note))
            elif agent == "cbd" and (borrowed := _transfer(cards, claim)) is not None:
                verdict = "supported" if m.denied else "unsupported"
                note = "The evidence is for THC-containing products; no trial of CBD alone in Dosewise's sources."
                findings.append(Finding(borrowed, m.outcome, agent, m.denied, verdict, note))
    return findings


def _primary_mentions(claim: Claim) -> list[Mention]:
    """'X helps <condition>' with no outcome named: grade it with the condition's main evidence card."""
    if claim.conditions and (claim.parsed.strong_benefit or claim.parsed.denied_all):
        return [Mention("*", "benefit", claim.parsed.denied_all)]
    return []


@lru_cache(maxsize=1)
def card_lookup() -> dict[str, ClaimCard]:
    """Return the cards by id."""
    return {c.id: c for c in load_cards()}


@lru_cache(maxsize=1)
def _cards_by_outcome() -> dict[str, list[ClaimCard]]:
    """Cards by the outcome they grade; "*" = the primary card of each condition."""
    by_outcome: dict[str, list[ClaimCard]] = {"*": [c for c in load_cards() if c.primary]}
    for card in load_cards():
        for o in card.outcomes:
            by_outcome.setdefault(o, []).append(card)
    return by_outcome


def outcome_kind(outcome: str) -> str:
    return lexicon().outcome_kind.get(outcome, "benefit")
