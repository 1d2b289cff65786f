"""What ``ask`` returns: one answer with its short plain sentence, and answers about named medicines.

The short answer is never a new claim: for an evidence entry it states the entry's grade in plain words
(GRADE_SHORT); for any other entry it is the entry's own first sentence. A question about a medicine
and a product ("is CBD safe with botox") is answered from the interaction checker's cited findings
(safety/interactions.py), or "no known interaction (checked)" when the medicine's routes are recorded
and no rule applies; a medicine Dosewise does not know is never answered as safe.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from dosewise.knowledge.entries import Entry
from dosewise.model.vocab import InteractionSeverity
from dosewise.safety.drugs import _index as drug_index
from dosewise.safety.drugs import get_drug
from dosewise.safety.interactions import check

# Grade -> a plain sentence about what the grade means (NASEM-style grades, see schema.Grade).
GRADE_SHORT = {
    "substantial": "Yes: there is good evidence of a benefit for {outcome}.",
    "moderate": "Probably: there is moderate evidence of a benefit for {outcome}.",
    "limited": "Maybe: there is only limited evidence of a benefit for {outcome}.",
    "insufficient": "Not known: there is not enough evidence about {outcome}.",
    "evidence-of-no-effect": "No: the trials found no benefit for {outcome}.",
}
AGENT_CANNABINOIDS = {
    "cbd": {"cbd"},
    "thc": {"thc"},
    "nabiximols": {"cbd", "thc"},
    "dronabinol": {"thc"},
    "nabilone": {"thc"},
    "smoked-vaped": {"cbd", "thc"},
}
MAX_SHORT = 240


@dataclass(frozen=True)
class Answer:
    """One curated entry (or checked medicine) returned for a question."""

    condition: str | None
    topic: str
    grade: str | None
    text: str
    citations: tuple[str, ...]
    verified: bool = True
    short: str = ""  # one plain sentence: the short answer, shown before the graded detail


def first_sentence(text: str) -> str:
    """Return the first sentence of ``text`` (a very short one, like "No.", takes the next one too)."""
    parts = re.split(r"(?<=[.!?])\s+(?=[A-Z\"(])", text.strip())
    out = parts[0]
    if len(out) < 25 and len(parts) > 1:
        out = f"{out} {parts[1]}"
    return out if len(out) <= MAX_SHORT else out[: MAX_SHORT - 1].rsplit(" ", 1)[0] + "…"


def short_answer(entry: Entry) -> str:
    """Return the one-sentence short answer for ``entry`` (see module docstring)."""
    if entry.kind == "evidence" and entry.grade in GRADE_SHORT:
        outcome = entry.keywords[0].lower() if entry.keywords else "this"
        return GRADE_SHORT[entry.grade].format(outcome=outcome)
    if entry.kind == "myth":
        return first_sentence(entry.text.split("what the evidence shows: ", 1)[-1])
    return first_sentence(entry.text)


def medicine_names() -> list[str]:
    """Every name the interaction checker knows (generic, brand, synonym, class, everyday words)."""
    return list(drug_index())


def medicine_answers(drugs: tuple[str, ...], agents: tuple[str, ...]) -> list[Answer]:
    """Answer "is X safe with CBD/THC" from the interaction checker for the medicines named."""
    chosen = set().union(*(AGENT_CANNABINOIDS.get(a, set()) for a in agents)) or {"cbd", "thc"}
    result = check(list(drugs), cannabinoids=frozenset(chosen), smoked="smoked-vaped" in agents)
    out = []
    for f in result.findings:
        agent = f.cannabinoid.upper() if f.cannabinoid in ("cbd", "thc") else "any cannabinoid"
        text = f"{f.matched_as[:1].upper()}{f.matched_as[1:]} with {agent}: {f.direction}. What to watch: {f.monitor}."
        short = f"{f.matched_as.split(' (')[0].capitalize()} with {agent}: {InteractionSeverity(f.severity).plain}."
        out.append(Answer(None, "interactions", None, text, f.citations, f.verified, short))
    for c in result.cleared:
        if not c.checked:
            continue
        names = " or ".join(sorted(a.upper() for a in chosen))
        drug = c.matched_as.split(" (")[0]
        text = (
            f"No known interaction (checked): none of the ways {names} change other medicines, or are changed "
            f"by them, applies to {c.matched_as} in Dosewise's data. This is not a guarantee: ask your pharmacist."
        )
        refs = _refs_for(c.drug)
        short = f"No known interaction between {drug} and {names} (checked)."
        out.append(Answer(None, "interactions", None, text, refs, c.verified, short))
    return out


def _refs_for(name: str) -> tuple[str, ...]:
    hit = drug_index().get(" ".join(name.casefold().split()))
    drug = get_drug(hit[0]) if hit else None
    return drug.refs if drug else ()
