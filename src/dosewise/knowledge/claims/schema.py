"""Schemas of the claim checker's data (knowledge/data/claims/*.yaml): claim cards and the vocabulary.

A claim card grades ONE statement (``statement``) about a substance, a condition and an outcome with a
verdict that follows the knowledge base's evidence grade (substantial/moderate -> supported, limited ->
limited, insufficient -> unsupported, evidence of no effect -> contradicted) or a cited label fact. Every
card is cited like every other fact (``refs``; ``verified: false`` = rests on an unverified source).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from dosewise.knowledge.schema import Grade, Level

CardVerdict = Literal["supported", "limited", "unsupported", "contradicted"]
Kind = Literal["benefit", "harm", "fact", "mechanism"]


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class GuideLink(_Strict):
    """The condition-guide evidence item whose grade this card must keep (a test checks they agree)."""

    condition: str
    outcome: str


class ClaimCard(_Strict):
    """What the evidence says about one statement; the verdict is for a sentence that asserts it."""

    id: str
    about: str
    statement: str
    agents: tuple[str, ...] = Field(min_length=1)  # agent ids, group names, or "any"
    conditions: tuple[str, ...] = ("any",)
    outcomes: tuple[str, ...] = Field(min_length=1)
    kind: Literal["benefit", "harm", "fact"]
    verdict: CardVerdict
    if_denied: CardVerdict | None = None  # verdict for a sentence that denies the statement (default: inverted)
    grade: Grade | None = None
    guide: GuideLink | None = None
    level: tuple[Level, ...] = ("human",)
    requires: tuple[str, ...] = ()  # at least one of these phrases must be in the sentence
    excludes: tuple[str, ...] = ()  # none of these may be
    covers: tuple[str, ...] = ()  # subjects Dosewise otherwise does not cover that this card speaks to
    primary: bool = False  # the card for "X helps <condition>" with no outcome named
    product: bool = False  # about what products contain: one seller's claim cannot be checked
    importance: int = Field(default=1, ge=1, le=3)  # 3 = matters for safety (ranks corrections)
    says: str = Field(min_length=10)
    refs: tuple[str, ...] = Field(min_length=1)
    verified: bool = True


class OutcomeWords(_Strict):
    kind: Kind
    words: tuple[str, ...]


class ClaimVocabulary(_Strict):
    """The words the checker reads (not clinical facts): substances, outcomes, cues."""

    agents: dict[str, tuple[str, ...]]
    groups: dict[str, tuple[str, ...]]
    references: tuple[str, ...]
    outcomes: dict[str, OutcomeWords]
    denying_prefixes: tuple[str, ...]
    denying_words: tuple[str, ...]
    hedge_words: tuple[str, ...]
    praise_words: tuple[str, ...]
    negation_shields: tuple[str, ...]
    contrast_words: tuple[str, ...]
    overstatement_words: tuple[str, ...]
    backward_negators: tuple[str, ...]
    benefit_words: tuple[str, ...]
    strong_benefit_words: tuple[str, ...]
    harm_words: tuple[str, ...]
    safety_words: tuple[str, ...]
    evidence_words: tuple[str, ...]
    negation_global: tuple[str, ...]
    negation_local: tuple[str, ...]
    harm_only_negators: tuple[str, ...]
    not_negations: tuple[str, ...]
    inert_phrases: tuple[str, ...]
    boilerplate: tuple[str, ...]
    clause_boundaries: tuple[str, ...]
    clause_openers: tuple[str, ...]
    finite_words: tuple[str, ...]
    negation_pattern: str
    caution_phrases: tuple[str, ...]
    absolute_words: tuple[str, ...]
    animal_words: tuple[str, ...]
    extrapolation_words: tuple[str, ...]
    selling_words: tuple[str, ...]
    selling_starts: tuple[str, ...]
    advice_words: tuple[str, ...]
    advice_starts: tuple[str, ...]
    fragment_starts: tuple[str, ...]
    general_scope: tuple[str, ...]
    product_words: tuple[str, ...]
    who_should_not_words: tuple[str, ...]
    uncovered_extra: dict[str, tuple[str, ...]]
    names: dict[str, str]
    flag_labels: dict[str, str]
    omission_labels: dict[str, str]
