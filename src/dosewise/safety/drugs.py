"""Curated drug data (knowledge/data/drugs.yaml) and name resolution: generic, brand, synonym, class, typo.

An unknown name resolves to None; callers must report it as "unknown - not checked", never as safe.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process

from dosewise.knowledge.references import load_yaml

# Typo tolerance: rapidfuzz ratio (0-100) needed to accept a misspelt name, and the lead it must have
# over the next different drug so that an ambiguous typo stays unknown rather than guessed.
TYPO_MIN_SCORE = 85.0
TYPO_MIN_LEAD = 4.0
TYPO_MIN_LENGTH = 4


@dataclass(frozen=True)
class Drug:
    """One curated drug: clearance routes and pharmacodynamic properties (classes already expanded)."""

    id: str
    name: str
    brands: tuple[str, ...]
    classes: tuple[str, ...]
    clearance: tuple[str, ...]
    properties: tuple[str, ...]
    refs: tuple[str, ...]
    rxnorm: str | None = None
    verified: bool = True
    is_class: bool = False  # a whole class ("opioid") named instead of a drug


@dataclass(frozen=True)
class Resolved:
    """A name matched to a drug, and how it matched (shown to the person as ``matched_as``)."""

    query: str
    drug: Drug
    how: str  # generic | brand | synonym | class | typo

    @property
    def matched_as(self) -> str:
        if self.how == "generic":
            return self.drug.name
        if self.how == "typo":
            return f"{self.drug.name} (read '{self.query}' as a misspelling)"
        return (
            f"{self.drug.name} ({self.how} name '{self.query}')"
            if self.how != "class"
            else f"any {self.drug.name} (drug class)"
        )


def _norm(text: str) -> str:
    return " ".join(text.strip().casefold().replace("_", " ").replace("-", " ").split())


@lru_cache(maxsize=1)
def _raw() -> dict:
    return load_yaml("interactions.yaml")


@lru_cache(maxsize=1)
def all_drugs() -> dict[str, Drug]:
    """Return every curated drug by id, with class-implied properties and clearance added."""
    class_props: dict[str, list[str]] = _raw().get("class_properties", {})
    class_clear: dict[str, list[str]] = _raw().get("class_clearance", {})
    drugs: dict[str, Drug] = {}
    for e in load_yaml("drugs.yaml"):
        classes = tuple(e.get("classes", []))
        props = list(e.get("properties", []))
        clearance = list(e.get("clearance", []))
        for c in classes:
            props += [p for p in class_props.get(c, []) if p not in props]
            clearance += [x for x in class_clear.get(c, []) if x not in clearance]
        drugs[e["id"]] = Drug(
            id=e["id"],
            name=e["name"],
            brands=tuple(e.get("brands", [])),
            classes=classes,
            clearance=tuple(clearance),
            properties=tuple(props),
            refs=tuple(e.get("refs", [])),
            rxnorm=e.get("rxnorm"),
            verified=e.get("verified", True),
        )
    return drugs


@lru_cache(maxsize=1)
def class_drugs() -> dict[str, Drug]:
    """Return a pseudo-drug per class with known implied properties (so 'an opioid' can be checked)."""
    out = {}
    for c, props in _raw().get("class_properties", {}).items():
        out[c] = Drug(
            id=f"class:{c}",
            name=c,
            brands=(),
            classes=(c,),
            clearance=tuple(_raw().get("class_clearance", {}).get(c, [])),
            properties=tuple(props),
            refs=(),
            is_class=True,
        )
    for c, clearance in _raw().get("class_clearance", {}).items():
        out.setdefault(
            c,
            Drug(
                id=f"class:{c}",
                name=c,
                brands=(),
                classes=(c,),
                clearance=tuple(clearance),
                properties=(),
                refs=(),
                is_class=True,
            ),
        )
    return out


@lru_cache(maxsize=1)
def _index() -> dict[str, tuple[str, str]]:
    """Return normalised name -> (drug id, how)."""
    index: dict[str, tuple[str, str]] = {}
    for d in all_drugs().values():
        index.setdefault(_norm(d.name), (d.id, "generic"))
        for b in d.brands:
            index.setdefault(_norm(b), (d.id, "brand"))
    for e in load_yaml("drugs.yaml"):
        for s in e.get("synonyms", []):
            index.setdefault(_norm(s), (e["id"], "synonym"))
    for c, d in class_drugs().items():
        for form in (c, c + "s", c.replace("-", " "), c.replace("-", " ") + "s"):
            index.setdefault(_norm(form), (d.id, "class"))
    return index


def get_drug(drug_id: str) -> Drug | None:
    """Return the drug (or class pseudo-drug 'class:NAME') for an id, or None."""
    if drug_id.startswith("class:"):
        return class_drugs().get(drug_id.removeprefix("class:"))
    return all_drugs().get(drug_id)


def resolve(name: str) -> Resolved | None:
    """Resolve a medicine name (generic, brand, synonym, class or a close misspelling); None if unknown."""
    key = _norm(name)
    for article in ("a ", "an ", "some ", "my "):
        key = key.removeprefix(article)
    if not key:
        return None
    index = _index()
    first_word = key.split(" ")[0]
    for candidate in (key, first_word):  # "baclofen 10 mg" -> "baclofen"
        if candidate in index:
            drug_id, how = index[candidate]
            return Resolved(query=name.strip(), drug=get_drug(drug_id), how=how)  # type: ignore[arg-type]
    return _typo(name.strip(), first_word if len(first_word) >= TYPO_MIN_LENGTH else key, index)


def _typo(query: str, key: str, index: dict[str, tuple[str, str]]) -> Resolved | None:
    if len(key) < TYPO_MIN_LENGTH:
        return None
    hits = process.extract(key, list(index), scorer=fuzz.ratio, limit=5)
    if not hits or hits[0][1] < TYPO_MIN_SCORE:
        return None
    best_id = index[hits[0][0]][0]
    rivals = [h for h in hits[1:] if index[h[0]][0] != best_id]
    if rivals and hits[0][1] - rivals[0][1] < TYPO_MIN_LEAD:
        return None  # ambiguous: two different drugs are about as close
    return Resolved(query=query, drug=get_drug(best_id), how="typo")  # type: ignore[arg-type]
