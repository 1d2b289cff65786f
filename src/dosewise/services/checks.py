"""Interaction checks triggered by the journal edges (medicine or product added).

The safety engine owns the logic (dosewise.safety.interactions); this module adapts it to the store.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from dosewise.store.tables import PersonRow


def resolve_drug_id(name: str) -> str | None:
    """Return the curated drug id for a medicine name (generic, brand or typo), or None if unknown."""
    return None


def findings_for_person(session: Session, person: PersonRow) -> dict:
    """Return ``{"findings": [...], "unknown": [...]}`` for the person's medicines and products."""
    return {"findings": [], "unknown": []}
