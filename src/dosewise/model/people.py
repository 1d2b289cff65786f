"""People: conditions, flags and the checks on them."""

from __future__ import annotations

import difflib
import math
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from dosewise.errors import InvalidInput
from dosewise.model.inputs import check_text

CONDITIONS: dict[str, str] = {
    "als": "ALS / motor neurone disease",
    "ms-spasticity": "Multiple sclerosis spasticity",
    "dystonia": "Dystonia",
    "sci-spasticity": "Spinal cord injury spasticity",
    "muscle-cramps": "Muscle cramps and spasms",
    "fibromyalgia": "Fibromyalgia",
    "stroke-spasticity": "Spasticity after stroke",
}

FLAGS: dict[str, str] = {
    "pregnant": "Pregnant or planning pregnancy",
    "breastfeeding": "Breastfeeding",
    "psychosis-history": "Personal or family history of psychosis or schizophrenia",
    "liver-disease": "Liver disease or raised liver tests",
    "heart-disease": "Heart disease, arrhythmia or poorly controlled blood pressure",
    "epilepsy": "Epilepsy",
    "substance-use": "History of substance misuse",
    "drives": "Drives or operates machinery",
    "used-thc-before": "Has used THC (cannabis that makes you high) before",
}

# Primary scale suggested for each condition (the person can change it).
DEFAULT_PRIMARY_SCALE: dict[str, str] = {
    "als": "spasticity",
    "ms-spasticity": "spasticity",
    "dystonia": "pain",
    "sci-spasticity": "spasticity",
    "muscle-cramps": "cramp-count",
    "fibromyalgia": "pain",
    "stroke-spasticity": "spasticity",
}


def _choose(text: str, options: dict[str, str], what: str, field_name: str) -> str:
    key = text.strip().lower().replace("_", "-").replace(" ", "-")
    if key in options:
        return key
    close = difflib.get_close_matches(key, list(options), n=1, cutoff=0.6)
    hint = f" Did you mean '{close[0]}'?" if close else ""
    raise InvalidInput(f"Unknown {what} '{text}'.{hint} Choose from: {', '.join(options)}.", field=field_name)


def parse_condition(text: str) -> str:
    """Return the condition id for ``text`` (exact id; typos get a suggestion)."""
    return _choose(text, CONDITIONS, "condition", "condition")


def parse_flag(text: str) -> str:
    """Return the flag id for ``text``."""
    return _choose(text, FLAGS, "flag", "flags")


@dataclass(frozen=True)
class Person:
    name: str
    conditions: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()
    weight_kg: float | None = None
    birth_year: int | None = None
    primary_scale: str = "spasticity"
    timezone: str = "UTC"
    is_demo: bool = False
    id: int | None = None
    settings: dict[str, Any] = field(default_factory=dict)  # as stored (JSON): e.g. {"analysis": {...}}

    def age(self, today: date) -> int | None:
        """Return the age in whole years at most (birth year only is known)."""
        return None if self.birth_year is None else today.year - self.birth_year


def validate_person(person: Person, *, today: date) -> Person:
    """Check a person's fields; raise InvalidInput naming the field to fix."""
    if not person.name.strip():
        raise InvalidInput("A name (or nickname) is needed.", field="name")
    if len(person.name) > 100:
        raise InvalidInput("A name can be at most 100 characters.", field="name")
    check_text(person.name, field="name", one_line=True)
    if person.weight_kg is not None and (not math.isfinite(person.weight_kg) or not 20 <= person.weight_kg <= 350):
        raise InvalidInput("Weight must be between 20 and 350 kg.", field="weight_kg")
    if person.birth_year is not None and not 1900 <= person.birth_year <= today.year:
        raise InvalidInput(f"Birth year must be between 1900 and {today.year}.", field="birth_year")
    for c in person.conditions:
        parse_condition(c)
    for f in person.flags:
        parse_flag(f)
    return person
