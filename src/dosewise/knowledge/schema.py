"""Pydantic schemas for the curated knowledge base (condition guides, cannabinoids, mechanisms, quality).

Every statement is a ``Fact`` with reference ids, or an explicit "not known". Grades follow the project's
synthesis of NASEM 2017 and later reviews (see knowledge/data/conditions/*.yaml); mechanism entries carry
the level of evidence they rest on (in vitro, animal, human) and are never proof of clinical benefit.
"""

from __future__ import annotations

from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Grade = Literal["substantial", "moderate", "limited", "insufficient", "evidence-of-no-effect"]
Level = Literal["in-vitro", "animal", "human"]
Topic = Literal[
    "what-it-is",
    "causes",
    "symptoms",
    "treatments",
    "evidence",
    "mechanism",
    "dosing",
    "interactions",
    "side-effects",
    "red-flags",
    "product-quality",
]
TOPICS: tuple[str, ...] = get_args(Topic)
GRADES: tuple[str, ...] = get_args(Grade)
NOT_KNOWN = "not known"


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Fact(_Strict):
    """One statement in our own words, with the references it rests on.

    ``not_known`` marks an explicit gap ("not known"): it needs no reference. ``verified: false`` marks a
    fact the reference notes call unverified; it is shown as unverified.
    """

    text: str = Field(min_length=3)
    refs: tuple[str, ...] = ()
    verified: bool = True
    not_known: bool = False
    topic: Topic | None = None
    keywords: tuple[str, ...] = ()
    in_every_guide: bool = False  # also shown under "practical considerations" in every condition guide

    @model_validator(mode="after")
    def _cited(self) -> Fact:
        if not self.not_known and not self.refs:
            raise ValueError(f"fact has no reference: {self.text[:60]!r}")
        return self


class Study(_Strict):
    """A key study with its numbers."""

    name: str
    design: str
    intervention: str
    result: str
    refs: tuple[str, ...] = Field(min_length=1)
    verified: bool = True


class Treatment(_Strict):
    """A usual (non-cannabinoid) treatment and its real effect size."""

    name: str
    text: str
    refs: tuple[str, ...] = Field(min_length=1)
    verified: bool = True
    keywords: tuple[str, ...] = ()


class EvidenceItem(_Strict):
    """What the evidence on cannabinoids says for ONE outcome, with our grade."""

    outcome: str
    grade: Grade
    summary: str
    studies: tuple[Study, ...] = ()
    refs: tuple[str, ...] = Field(min_length=1)
    keywords: tuple[str, ...] = ()


class Myth(_Strict):
    """A claim seen in articles, and what the evidence actually shows."""

    claim: str
    answer: str
    topic: Topic = "evidence"
    grade: Grade | None = None
    refs: tuple[str, ...] = Field(min_length=1)
    keywords: tuple[str, ...] = ()


class Snomed(_Strict):
    """A SNOMED CT code; only codes the reference notes mark as checked (✓) are stored."""

    code: str = Field(pattern=r"^\d{6,18}$")
    term: str
    refs: tuple[str, ...] = ()


class ConditionGuide(_Strict):
    """A complete guide for one condition; every section filled or explicitly "not known"."""

    id: str
    name: str
    synonyms: tuple[str, ...] = Field(min_length=1)
    symptom_words: tuple[str, ...] = ()
    snomed: Snomed | None = None
    what_it_is: tuple[Fact, ...] = Field(min_length=1)
    causes: tuple[Fact, ...] = Field(min_length=1)
    symptoms: tuple[Fact, ...] = Field(min_length=1)
    treatments: tuple[Treatment | Fact, ...] = Field(min_length=1)
    evidence: tuple[EvidenceItem, ...] = Field(min_length=1)
    mechanisms: tuple[str, ...] = ()
    mechanism_notes: tuple[Fact, ...] = Field(min_length=1)
    practical: tuple[Fact, ...] = Field(min_length=1)
    seek_advice: tuple[Fact, ...] = Field(min_length=1)
    myths: tuple[Myth, ...] = ()

    @field_validator("synonyms")
    @classmethod
    def _lower(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(s.lower() for s in value)


class Mechanism(_Strict):
    """How a cannabinoid might act, labelled with the evidence level. Never proof of benefit."""

    id: str
    target: str
    agents: tuple[str, ...]
    level: tuple[Level, ...] = Field(min_length=1)
    text: str
    refs: tuple[str, ...] = Field(min_length=1)
    verified: bool = True
    keywords: tuple[str, ...] = ()


class Route(_Strict):
    """A way of taking a product. Onset and duration are "not known" unless the reference notes give them."""

    route: str
    onset: str = NOT_KNOWN
    duration: str = NOT_KNOWN
    refs: tuple[str, ...] = ()


class Agent(_Strict):
    """A cannabinoid or product class: CBD, THC, nabiximols, dronabinol, nabilone, smoked/vaped cannabis."""

    id: str
    name: str
    synonyms: tuple[str, ...] = Field(min_length=1)
    what_it_is: tuple[Fact, ...] = Field(min_length=1)
    routes: tuple[Route, ...] = Field(min_length=1)
    dosing: tuple[Fact, ...] = Field(min_length=1)
    side_effects: tuple[Fact, ...] = Field(min_length=1)
    avoid: tuple[Fact, ...] = Field(min_length=1)


class Interaction(_Strict):
    """What is known about taking a cannabinoid with another medicine (or smoke)."""

    drugs: tuple[str, ...] = Field(min_length=1)
    text: str
    refs: tuple[str, ...] = Field(min_length=1)
    verified: bool = True


class CannabinoidData(_Strict):
    """The whole of cannabinoids.yaml."""

    agents: tuple[Agent, ...]
    general_dosing: tuple[Fact, ...]
    interactions: tuple[Interaction, ...]


class GeneralKnowledge(_Strict):
    """general.yaml: evidence and facts that belong to no single condition (e.g. chronic pain in general)."""

    evidence: tuple[EvidenceItem, ...] = Field(min_length=1)
    facts: tuple[Fact, ...] = ()


class TopicVocabulary(_Strict):
    """Words people use, mapped to topics, agents, uncovered subjects and out-of-scope questions."""

    topics: dict[Topic, dict[str, float]]
    agents: dict[str, tuple[str, ...]]
    uncovered: dict[str, tuple[str, ...]]
    out_of_scope: tuple[str, ...]
    implies: dict[str, str]
    stopwords: tuple[str, ...]
    claim_cues: tuple[str, ...] = ()
    # Everyday names for a condition that are not in its guide's synonyms ("para" for spinal cord injury).
    condition_slang: dict[str, tuple[str, ...]] = {}
    # Words that, just before a condition's name, say the question is NOT about it ("not MS, it is dystonia").
    negations: tuple[str, ...] = ()
    # Questions Dosewise's sources do not answer (storage, onset, travel...): subject -> phrases.
    not_covered: dict[str, tuple[str, ...]] = {}
    # Safety subjects (pregnancy, driving...): question phrase -> words an entry about it contains.
    safety_terms: dict[str, tuple[str, ...]] = {}
    # Ordinary words that look like a misspelling of a knowledge-base word and must not be "corrected".
    ordinary_words: tuple[str, ...] = ()
    # Other forms of a question word that entries use ("fell" -> "falls"): extra words to match on.
    word_forms: dict[str, tuple[str, ...]] = {}
    # Words about stopping: with a medicine named they make the question a red-flag one ("stop my baclofen").
    stop_words: tuple[str, ...] = ()
    # With two or more products named, these ask for a comparison the sources do not make ("vape vs sativex").
    comparison_words: tuple[str, ...] = ()
