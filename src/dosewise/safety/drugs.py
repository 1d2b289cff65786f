"""Curated drug data (knowledge/data/drugs.yaml + drug_vocabulary.yaml) and name resolution.

Names resolve by generic, brand, synonym, class (and everyday class words such as "blood thinners") or a
single-slip misspelling. An unknown name resolves to None; callers must report it as "unknown - not
checked", never as safe, and may offer ``did_you_mean`` suggestions (which are never applied silently).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from dosewise.knowledge.files import YamlRecord, load_yaml

# Typo tolerance. A misspelling is read as a drug only if it is ONE slip away (one letter added, dropped,
# changed or two swapped: optimal string alignment distance 1) from exactly one drug's name, the name is
# at least TYPO_MIN_LENGTH letters, and no other drug's name is within TYPO_RIVAL_DISTANCE. Real drugs
# that look alike ("prednisone"/"prednisolone", "Celebrex"/"Celexa") are further apart than one slip, so a
# fuzzy match can never turn one real drug into another; anything looser is only offered as "did you mean".
TYPO_MAX_DISTANCE = 1
TYPO_RIVAL_DISTANCE = 2
TYPO_MIN_LENGTH = 5
SUGGEST_MIN_SCORE = 75.0
SUGGEST_LIMIT = 3
DRUG_FILES = ("drugs.yaml", "drug_vocabulary.yaml")


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
    inhibits: tuple[str, ...] = ()  # enzymes/transporters it strongly or moderately slows
    induces: tuple[str, ...] = ()  # enzymes it speeds up
    activated_by: str | None = None  # the enzyme that turns a prodrug into its active form

    @property
    def routes_known(self) -> bool:
        """True if its clearance routes were looked up (so 'no rule fired' means 'no known interaction')."""
        return bool(self.clearance)


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
def _raw() -> YamlRecord:
    return load_yaml("interactions.yaml")


@lru_cache(maxsize=1)
def drug_entries() -> tuple[YamlRecord, ...]:
    """Return the raw drug entries of every drug file (an id defined twice is an error)."""
    entries = [e for name in DRUG_FILES for e in load_yaml(name)]
    ids = [e["id"] for e in entries]
    twice = sorted({i for i in ids if ids.count(i) > 1})
    if twice:
        raise ValueError(f"drug ids defined twice: {twice}")
    return tuple(entries)


@lru_cache(maxsize=1)
def all_drugs() -> dict[str, Drug]:
    """Return every curated drug by id, with class-implied properties (and clearance if none listed)."""
    class_props: dict[str, list[str]] = _raw().get("class_properties", {})
    class_clear: dict[str, list[str]] = _raw().get("class_clearance", {})
    drugs: dict[str, Drug] = {}
    for e in drug_entries():
        classes = tuple(e.get("classes", []))
        props = list(e.get("properties", []))
        clearance = list(e.get("clearance", []))
        own_routes = bool(clearance)
        for c in classes:
            props += [p for p in class_props.get(c, []) if p not in props]
            if not own_routes:  # a drug's own routes win over its class's usual ones
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
            inhibits=tuple(e.get("inhibits", [])),
            induces=tuple(e.get("induces", [])),
            activated_by=e.get("activated_by"),
        )
    return drugs


@lru_cache(maxsize=1)
def class_drugs() -> dict[str, Drug]:
    """Return a pseudo-drug per class with known implied properties (so 'an opioid' can be checked)."""
    out = {}
    for c, props in _raw().get("class_properties", {}).items():
        out[c] = Drug(
            id=f"class:{c}",
            name=c.replace("-", " "),
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
                name=c.replace("-", " "),
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
    for e in drug_entries():
        for s in e.get("synonyms", []):
            index.setdefault(_norm(s), (e["id"], "synonym"))
    for c, d in class_drugs().items():
        for form in (c, c + "s", c.replace("-", " "), c.replace("-", " ") + "s"):
            index.setdefault(_norm(form), (d.id, "class"))
    for c, words in _raw().get("class_synonyms", {}).items():  # "blood thinners", "sleeping pills"
        for w in words:
            index.setdefault(_norm(w), (f"class:{c}", "class"))
    return index


def get_drug(drug_id: str) -> Drug | None:
    """Return the drug (or class pseudo-drug 'class:NAME') for an id, or None."""
    if drug_id.startswith("class:"):
        return class_drugs().get(drug_id.removeprefix("class:"))
    return all_drugs().get(drug_id)


def _indexed(drug_id: str) -> Drug:
    """Return a drug the name index points to (the index is built from the same data, so it exists)."""
    drug = get_drug(drug_id)
    if drug is None:
        raise LookupError(f"the drug name index points to an unknown drug id: {drug_id}")
    return drug


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
            return Resolved(query=name.strip(), drug=_indexed(drug_id), how=how)
    return _typo(name.strip(), first_word if len(first_word) >= TYPO_MIN_LENGTH else key, index)


def _typo(query: str, key: str, index: dict[str, tuple[str, str]]) -> Resolved | None:
    """Read ``key`` as a misspelling only if one slip away from exactly one drug (see TYPO_* above)."""
    if len(key) < TYPO_MIN_LENGTH:
        return None
    from rapidfuzz.distance import OSA  # the fuzzy matcher: only for a name the index does not hold

    near = [(n, OSA.distance(key, n)) for n in index if abs(len(n) - len(key)) <= TYPO_RIVAL_DISTANCE]
    close = {index[n][0] for n, d in near if d <= TYPO_MAX_DISTANCE}
    rivals = {index[n][0] for n, d in near if d <= TYPO_RIVAL_DISTANCE} - close
    if len(close) != 1 or rivals:
        return None  # nothing close, or two different drugs about as close: never guess
    return Resolved(query=query, drug=_indexed(close.pop()), how="typo")


def did_you_mean(name: str) -> list[str]:
    """Return up to SUGGEST_LIMIT known names that look like ``name`` (offered, never applied)."""
    key = _norm(name)
    if len(key) < 3:
        return []
    index = _index()
    from rapidfuzz import fuzz, process  # the fuzzy matcher: only when suggesting

    hits = process.extract(key, list(index), scorer=fuzz.ratio, limit=10, score_cutoff=SUGGEST_MIN_SCORE)
    out: list[str] = []
    for text, _score, _ in hits:
        drug = get_drug(index[text][0])
        label = text if drug is None or drug.is_class else drug.name
        if label not in out:
            out.append(label)
    return out[:SUGGEST_LIMIT]
