"""Load, validate and look up the curated knowledge base (knowledge/data/*.yaml).

Everything is validated with the pydantic schemas in ``knowledge/schema.py`` when first loaded and cached
for the life of the process. ``dangling_references`` lists reference ids that do not resolve; a test keeps
it empty. Red-flag rules (``red_flags.yaml``) are validated here too: the safety engine
(``dosewise.safety.alerts``) evaluates them and each guide shows the rules that apply to its condition.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources
from typing import Any

from pydantic import BaseModel
from rapidfuzz import fuzz, process

from dosewise.errors import UnknownCondition
from dosewise.knowledge.red_flags import RedFlagRule, load_red_flags
from dosewise.knowledge.references import load_references, load_yaml
from dosewise.knowledge.schema import (
    CannabinoidData,
    ConditionGuide,
    Fact,
    GeneralKnowledge,
    Mechanism,
    TopicVocabulary,
)

CONDITION_ORDER = (
    "als",
    "ms-spasticity",
    "dystonia",
    "sci-spasticity",
    "muscle-cramps",
    "fibromyalgia",
    "stroke-spasticity",
)


def normalise(text: str) -> str:
    """Return ``text`` lower-cased, apostrophes dropped, other punctuation as single spaces."""
    text = text.lower().replace("'", "").replace("\u2019", "")
    text = re.sub(r"(\d)(mg|ml|mcg|kg|g)\b", r"\1 \2", text)  # "10mg" -> "10 mg"
    return re.sub(r"[^a-z0-9.]+", " ", text).replace(" . ", " ").strip(" .")


@lru_cache(maxsize=1)
def load_conditions() -> dict[str, ConditionGuide]:
    """Return every condition guide by id, in the order of CONDITION_ORDER."""
    folder = resources.files("dosewise.knowledge").joinpath("data", "conditions")
    guides: dict[str, ConditionGuide] = {}
    for entry in folder.iterdir():
        if entry.name.endswith(".yaml"):
            guide = ConditionGuide.model_validate(load_yaml(f"conditions/{entry.name}"))
            if guide.id in guides:
                raise ValueError(f"condition {guide.id} is defined twice")
            guides[guide.id] = guide
    order = {cid: i for i, cid in enumerate(CONDITION_ORDER)}
    return dict(sorted(guides.items(), key=lambda kv: order.get(kv[0], len(order))))


@lru_cache(maxsize=1)
def load_mechanisms() -> dict[str, Mechanism]:
    """Return the mechanism entries by id (each labelled in vitro / animal / human)."""
    return {m.id: m for m in (Mechanism.model_validate(raw) for raw in load_yaml("mechanisms.yaml"))}


@lru_cache(maxsize=1)
def load_cannabinoids() -> CannabinoidData:
    """Return cannabinoids.yaml: agents, general dosing and interactions."""
    return CannabinoidData.model_validate(load_yaml("cannabinoids.yaml"))


@lru_cache(maxsize=1)
def load_general() -> GeneralKnowledge:
    """Return general.yaml: evidence and facts that belong to no single condition."""
    return GeneralKnowledge.model_validate(load_yaml("general.yaml"))


@lru_cache(maxsize=1)
def load_product_quality() -> tuple[Fact, ...]:
    """Return the product-quality facts (label accuracy, COA, Total THC)."""
    return tuple(Fact.model_validate(raw) for raw in load_yaml("product_quality.yaml"))


@lru_cache(maxsize=1)
def load_vocabulary() -> TopicVocabulary:
    """Return the retrieval vocabulary used by ``ask`` (topics, agents, uncovered subjects)."""
    return TopicVocabulary.model_validate(load_yaml("vocabulary.yaml"))


def general_practical() -> list[tuple[str | None, Fact]]:
    """Return (product name or None, fact) for facts marked ``in_every_guide`` (start low, who should avoid,
    label accuracy, ...)."""
    data = load_cannabinoids()
    agent_facts = [(a.name, f) for a in data.agents for f in (*a.dosing, *a.side_effects, *a.avoid)]
    facts = [*((None, f) for f in data.general_dosing), *agent_facts, *((None, f) for f in load_product_quality())]
    return [(name, f) for name, f in facts if f.in_every_guide]


def red_flags_for(condition_id: str) -> list[RedFlagRule]:
    """Return the red-flag rules that apply to a condition: urgent first, condition-specific before general."""
    rules = [r for r in load_red_flags() if r.applies(condition_id)]
    return sorted(rules, key=lambda r: (r.level.rank, "all" in r.applies_to))


def condition_names() -> dict[str, list[str]]:
    """Return every normalised name and synonym of each condition (id first)."""
    return {
        cid: [normalise(cid.replace("-", " ")), normalise(g.name), *(normalise(s) for s in g.synonyms)]
        for cid, g in load_conditions().items()
    }


def resolve_condition(text: str) -> str:
    """Return the condition id for an id, name, synonym or a close misspelling ("distonia", "MND").

    Raises UnknownCondition (listing the conditions) when nothing matches well enough.
    """
    wanted = normalise(text)
    names = condition_names()
    for cid, variants in names.items():
        if wanted in variants or wanted == cid:
            return cid
    choices = {f"{cid}|{v}": v for cid, variants in names.items() for v in variants}
    best = process.extractOne(wanted, choices, scorer=fuzz.WRatio, score_cutoff=86)
    if best is not None and len(wanted) >= 3:
        return str(best[2]).split("|", 1)[0]
    known = ", ".join(load_conditions())
    raise UnknownCondition(
        f"'{text}' is not a condition Dosewise has a guide for. Choose one of: {known}.", field="condition"
    )


def _field_names(value: Any) -> list[str] | None:
    """The fields of a schema object (a pydantic model, or a dataclass such as a red-flag rule); else None."""
    if isinstance(value, BaseModel):
        return list(type(value).model_fields)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [f.name for f in dataclasses.fields(value)]
    return None


def _refs_in(value: Any) -> Iterable[str]:
    names = _field_names(value)
    if names is not None:
        for name in names:
            item = getattr(value, name)
            if name == "refs":
                yield from item
            else:
                yield from _refs_in(item)
    elif isinstance(value, tuple | list):
        for item in value:
            yield from _refs_in(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _refs_in(item)


def guide_reference_ids(condition_id: str) -> list[str]:
    """Return the reference ids a guide cites (its facts, its mechanisms, its red-flag rules), in order."""
    guide = load_conditions()[condition_id]
    mechanisms = [load_mechanisms()[m] for m in guide.mechanisms]
    ids = [
        *_refs_in(guide),
        *_refs_in(mechanisms),
        *_refs_in([f for _, f in general_practical()]),
        *_refs_in(red_flags_for(condition_id)),
    ]
    return list(dict.fromkeys(ids))


def all_cited_ids() -> set[str]:
    """Return every reference id cited anywhere in the knowledge base this module loads."""
    return set(
        _refs_in(
            [
                *load_conditions().values(),
                *load_mechanisms().values(),
                load_cannabinoids(),
                load_general(),
                load_product_quality(),
                load_red_flags(),
            ]
        )
    )


def dangling_references() -> list[str]:
    """Return cited reference ids that do not resolve to a reference (should be empty)."""
    refs = load_references()
    return sorted(i for i in all_cited_ids() if i not in refs)


def unknown_mechanisms() -> list[str]:
    """Return mechanism ids named by a guide but missing from mechanisms.yaml (should be empty)."""
    known = load_mechanisms()
    return sorted({m for g in load_conditions().values() for m in g.mechanisms if m not in known})
