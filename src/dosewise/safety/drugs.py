"""Curated drug data (knowledge/data/drugs.yaml + drug_vocabulary.yaml) and name resolution.

Names resolve by generic, brand, synonym, class (and everyday class words such as "blood thinners") or a
single-slip misspelling. An unknown name resolves to None; callers must report it as "unknown - not
checked", never as safe, and may offer ``did_you_mean`` suggestions (which are never applied silently).

``read_medicine`` reads one line as a person types it ("baclofen 10mg tds", "co-codamol 30/500",
"Tylenol with codeine", "baclofen, tizanidine"): it finds every drug named in it (combination products from
drug_products.yaml give each ingredient) and returns the parts it could not read, so that nothing a person
wrote is silently dropped.
"""

from __future__ import annotations

import re
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
# Brand names are made to sound like words, so everyday words sit one slip from them ("layer"/Bayer,
# "loses"/Losec, "systolic"/Bystolic, "enabled"/Enablex). A misspelling is read as a brand only if the brand
# has at least this many letters and the same first letter; never as a class or an everyday item ("points"/
# pints, "static"/statin). Those stay "did you mean" suggestions, never applied.
TYPO_BRAND_MIN_LENGTH = 8
EVERYDAY_IDS = frozenset({"alcohol", "caffeine", "tobacco", "grapefruit"})
SUGGEST_MIN_SCORE = 75.0
SUGGEST_LIMIT = 3
DRUG_FILES = ("drugs.yaml", "drug_vocabulary.yaml")
PRODUCTS_FILE = "drug_products.yaml"
# A name of fewer letters than this is matched inside a longer line only as its first word ("b12 injection"),
# never further in ("I pop a pill" is not the progestogen-only pill "POP").
SHORT_NAME = 5
# Words that say how, when or how much, never which medicine: skipped when a line is read word by word.
FILLER_WORDS = frozenset(
    """a an the my some of for at in on to by as per x every each once twice daily nightly weekly monthly
    morning mornings night nights evening bedtime day days week weeks month months hour hours hourly times
    time hr hrs when needed required prn od om on bd bid tds tid qds qid nocte mane stat mg mcg ug g ml iu unit
    units microgram micrograms milligram milligrams puff puffs tablet tablets tab tabs capsule capsules cap
    caps patch patches pump injection injections infusion inhaler drops drop eye eyes ear nasal spray
    cream gel liquid solution syrup sachet sachets film suppository suppositories rectal oral sublingual
    under tongue iv sc im intrathecal topical low high dose doses half one two three four er xr sr mr cr
    la xl cd pr prolonged release modified extended slow""".split()
)
# A salt named after a drug is part of that drug ("esomeprazole magnesium"), not a second medicine.
SALT_WORDS = frozenset({"magnesium", "calcium", "sodium", "potassium"})


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
    how: str  # generic | brand | synonym | class | typo | part (one ingredient of a combination product)

    @property
    def matched_as(self) -> str:
        if self.how == "generic":
            return self.drug.name
        if self.how == "typo":
            return f"{self.drug.name} (read '{self.query}' as a misspelling)"
        if self.how == "part":
            return f"{self.drug.name} (one ingredient of '{self.query}')"
        return (
            f"{self.drug.name} ({self.how} name '{self.query}')"
            if self.how != "class"
            else f"any {self.drug.name} (drug class)"
        )


def _norm(text: str) -> str:
    return " ".join(text.strip().casefold().replace("_", " ").replace("-", " ").split())


def _clean(text: str) -> str:
    """Return ``text`` as plain lower-case words: no punctuation ("St. John's wort" -> "st johns wort")."""
    text = re.sub(r"#\s*(?=\d)", " no ", text.casefold())  # "Tylenol #3" is "Tylenol No 3"
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text.replace("'", "").replace("\u2019", "")).split())


def _sounds(word: str) -> str:
    """Return a spelling key that ignores the slips people make by ear (ph/f, y/i, ck/k, doubled letters)."""
    key = word.casefold().replace("ph", "f").replace("y", "i").replace("ck", "k").replace("ae", "e")
    return re.sub(r"(.)\1+", r"\1", key)


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


@dataclass(frozen=True)
class Product:
    """A brand or combination product (drug_products.yaml): its ingredients, as drug ids or plain names."""

    name: str
    parts: tuple[str, ...]  # a drug id, or an ingredient name with no entry in the drug files
    refs: tuple[str, ...]


@dataclass(frozen=True)
class Reading:
    """What one typed medicine line names: the drugs found and the parts that could not be read."""

    parts: tuple[Resolved, ...]
    unknown: tuple[str, ...]  # as the person wrote them (or "naloxone (in Suboxone)"): "unknown - not checked"


@lru_cache(maxsize=1)
def products() -> dict[str, Product]:
    """Return every brand or combination product by its cleaned name and aliases (see drug_products.yaml)."""
    out: dict[str, Product] = {}
    for e in load_yaml(PRODUCTS_FILE):
        product = Product(name=e["name"], parts=tuple(e["parts"]), refs=tuple(e.get("refs", [])))
        for name in (e["name"], *e.get("aliases", [])):
            out[_clean(name)] = product
    return out


@lru_cache(maxsize=1)
def _clean_index() -> dict[str, tuple[str, str]]:
    """Return the name index keyed by cleaned words (no punctuation), single-ingredient brands included."""
    out: dict[str, tuple[str, str]] = {}
    for key, hit in _index().items():
        out.setdefault(_clean(key), hit)
    for key, product in products().items():
        if len(product.parts) == 1 and product.parts[0] in all_drugs():
            out.setdefault(key, (product.parts[0], "brand"))
    return out


@lru_cache(maxsize=1)
def _sound_index() -> dict[str, set[str]]:
    """Return spelling key (see _sounds) -> the drug ids whose one-word names have that key."""
    out: dict[str, set[str]] = {}
    for key, (drug_id, _how) in _clean_index().items():
        if " " not in key and len(key) >= TYPO_MIN_LENGTH:
            out.setdefault(_sounds(key), set()).add(drug_id)
    return out


def resolve(name: str) -> Resolved | None:
    """Resolve a medicine name to ONE drug (generic, brand, synonym, class or close misspelling); else None.

    None also for a line that names several drugs or a combination product: ``read_medicine`` reads those.
    """
    reading = read_medicine(name)
    if len(reading.parts) == 1 and not reading.unknown and reading.parts[0].how != "part":
        return reading.parts[0]
    return None


# "30/500", "25/100", "5mg/2.5ml": a strength, not two medicines.
_STRENGTH = re.compile(r"\b\d+(?:[.,]\d+)?\s*[a-z\u00b5%]*\s*/\s*\d+(?:[.,]\d+)?\s*[a-z\u00b5%]*", re.IGNORECASE)
# What separates two medicines typed on one line.
_SEPARATOR = re.compile(r"\s*(?:/|\+|,|;|&|\band\b|\bplus\b)\s*", re.IGNORECASE)
_DOSE_WORD = re.compile(r"^(?:\d+(?:[.,]\d+)?[a-z%]*|x\d+|\d+x)$")


def read_medicine(text: str) -> Reading:
    """Read one typed medicine line: every drug it names, and every part that could not be read.

    Whole-line names win ("calcium and vitamin d"); otherwise the line is split at separators (/ + , ; &
    and, plus) and each piece is read word by word: the longest known names first, misspellings only for
    a piece with no known name. A piece with no drug is returned as unknown; a line with no drug at all is
    returned whole as unknown. Nothing is ever guessed: see TYPO_* above.
    """
    line = " ".join(text.split())
    if not line:
        return Reading((), ())
    whole = _whole(line, line)
    if whole is not None:
        return whole
    pieces = [p.strip() for p in _SEPARATOR.split(_STRENGTH.sub(" ", line)) if p and p.strip()]
    parts: list[Resolved] = []
    unknown: list[str] = []
    for piece in pieces:
        found = _whole(piece, piece) or _scan(piece)
        parts += found.parts
        unknown += found.unknown
    if not parts:
        return Reading((), (line,))
    return Reading(tuple(parts), tuple(dict.fromkeys(unknown)))


def _whole(query: str, text: str) -> Reading | None:
    """Read ``text`` as one name (an exact index entry or a product), or None."""
    key = _norm(text)
    for article in ("a ", "an ", "some ", "my "):
        key = key.removeprefix(article)
    if key in _index():
        drug_id, how = _index()[key]
        return Reading((Resolved(query=query, drug=_indexed(drug_id), how=how),), ())
    product = products().get(_clean(key))
    return None if product is None else _product(query, product)


def _product(query: str, product: Product) -> Reading:
    if len(product.parts) == 1 and product.parts[0] in all_drugs():
        return Reading((Resolved(query=query, drug=_indexed(product.parts[0]), how="brand"),), ())
    found = tuple(Resolved(query=query, drug=_indexed(p), how="part") for p in product.parts if p in all_drugs())
    missing = tuple(f"{p} (in {product.name})" for p in product.parts if p not in all_drugs())
    return Reading(found, missing)


def _scan(piece: str) -> Reading:
    """Read a piece word by word: known names (longest first), then misspellings; else the piece is unknown."""
    words = _clean(piece).split()
    content = [i for i, w in enumerate(words) if w not in FILLER_WORDS and not _DOSE_WORD.match(w)]
    if not content:
        return Reading((), ())  # only doses and timings ("10mg", "at night"): nothing to check
    first = content[0]
    found: list[Resolved] = []
    missing: list[str] = []  # ingredients of a product named in the piece that have no data
    index, i, last_end = _clean_index(), 0, -1
    while i < len(words):
        for n in range(min(5, len(words) - i), 0, -1):
            gram = " ".join(words[i : i + n])
            if gram not in index and gram not in products():
                continue
            if n == 1 and (words[i] in FILLER_WORDS or (len(gram) < SHORT_NAME and i != first)):
                continue
            if n == 1 and gram in SALT_WORDS and last_end == i:
                continue  # "esomeprazole magnesium": the salt of the drug just read
            if n == 1 and gram in index and index[gram][0] in EVERYDAY_IDS and _bare(words) != [gram]:
                continue  # "drinking water", "nicotine patch": an everyday word counts only on its own
            if gram in index:
                drug_id, how = index[gram]
                found.append(Resolved(query=piece, drug=_indexed(drug_id), how=how))
            else:
                product = _product(piece, products()[gram])
                found += product.parts
                missing += product.unknown
            i, last_end = i + n, i + n
            break
        else:
            i += 1
    if any(not r.drug.is_class for r in found):  # "aspirin 75mg (blood thinner)": the drug, not the class too
        found = [r for r in found if not r.drug.is_class]
    if found or missing:
        return Reading(tuple(found), tuple(missing))
    typos = [r] if (r := _typo(piece, words[first])) is not None else []
    if not typos and len(content) > 1:  # a name of several words, misspelt ("co-trimoxazol")
        typos = [r] if (r := _typo(piece, " ".join(words[j] for j in content))) is not None else []
    return Reading(tuple(typos), ()) if typos else Reading((), (piece,))


def _bare(words: list[str]) -> list[str]:
    """Return ``words`` without articles and numbers (what is left must be the everyday word alone)."""
    return [w for w in words if w not in ("a", "an", "the", "my", "some") and not _DOSE_WORD.match(w)]


def _typo(query: str, word: str) -> Resolved | None:
    """Read ``word`` as a misspelling only if one slip away from exactly one drug (see TYPO_* above).

    Slips are counted on the spelling as typed; only when no drug is one typed slip away, on how it sounds
    (``_sounds``: "baclophen"), and then no other drug may be within TYPO_RIVAL_DISTANCE either way.
    """
    if len(word) < TYPO_MIN_LENGTH or word in FILLER_WORDS or not word.replace(" ", "").isalpha():
        return None
    from rapidfuzz.distance import OSA  # the fuzzy matcher: only for a name the index does not hold

    index = _clean_index()
    said = _sounds(word)
    typed = [(index[n][0], n, OSA.distance(word, n)) for n in index if abs(len(n) - len(word)) <= TYPO_RIVAL_DISTANCE]
    near = {d for d, _n, x in typed if x <= TYPO_RIVAL_DISTANCE}
    close = {d for d, _n, x in typed if x <= TYPO_MAX_DISTANCE}
    heard: list[tuple[str, str, int]] = []
    if not close:  # nothing one typed slip away: try how it sounds ("baclophen"), rivals of both kinds count
        heard = [
            (d, k, OSA.distance(said, k))
            for k, ids in _sound_index().items()
            if abs(len(k) - len(said)) <= TYPO_RIVAL_DISTANCE
            for d in ids
        ]
        close = {d for d, _n, x in heard if x <= TYPO_MAX_DISTANCE}
        near |= {d for d, _n, x in heard if x <= TYPO_RIVAL_DISTANCE}
    if any(not _typo_target(n, word) for _d, n, x in typed + heard if x <= TYPO_MAX_DISTANCE):
        return None  # an everyday-word risk (see TYPO_BRAND_MIN_LENGTH): suggest, never apply
    if len(close) != 1 or near - close:
        return None  # nothing close, or two different drugs about as close: never guess
    return Resolved(query=query, drug=_indexed(close.pop()), how="typo")


@lru_cache(maxsize=1)
def _names_and_sounds() -> dict[str, list[tuple[str, str]]]:
    """Return cleaned name or sound key -> the (drug id, how) entries it stands for."""
    out: dict[str, list[tuple[str, str]]] = {}
    for key, hit in _clean_index().items():
        out.setdefault(key, []).append(hit)
        out.setdefault(_sounds(key), []).append(hit)
    return out


def _typo_target(name: str, word: str) -> bool:
    """Whether a misspelling ``word`` may be read as the indexed ``name`` (cleaned, or its sound key)."""
    entries = _names_and_sounds().get(name, [])
    for drug_id, how in entries:
        if how == "class" or drug_id.startswith("class:") or drug_id in EVERYDAY_IDS:
            return False
        if how == "brand" and (len(name) < TYPO_BRAND_MIN_LENGTH or name[0] != word[0]):
            return False
    return bool(entries)


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
