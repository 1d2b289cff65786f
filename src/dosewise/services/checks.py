"""Interaction checks triggered by the journal edges (medicine or product added) and on demand.

The safety engine owns the logic (dosewise.safety.interactions); this module adapts it to the store.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from dosewise.safety.drugs import resolve
from dosewise.safety.interactions import check
from dosewise.store.tables import MedicineRow, PersonRow, ProductRow

NO_PRODUCTS_NOTE = "You have no cannabinoid products yet, so your medicines were checked against both CBD and THC."


def resolve_drug_id(name: str) -> str | None:
    """Return the curated drug id for a medicine name (generic, brand or typo), or None if unknown."""
    resolved = resolve(name)
    return None if resolved is None else resolved.drug.id


def current_medicine_names(session: Session, person_id: int) -> list[str]:
    """Return the names (as written) of the person's current medicines."""
    rows = session.scalars(select(MedicineRow).where(MedicineRow.person_id == person_id,
                                                     MedicineRow.stopped.is_(None)).order_by(MedicineRow.id))
    return [r.name for r in rows]


def exposure(session: Session, person_id: int) -> tuple[set[str], bool, bool]:
    """Return (cannabinoids in the person's products, any smoked product, any product at all).

    A product whose THC or CBD content is unknown counts as containing both (labels are often wrong).
    Flower is assumed smoked (smoke induces CYP1A2).
    """
    rows = session.scalars(select(ProductRow).where(ProductRow.person_id == person_id,
                                                    ProductRow.archived.is_(False))).all()
    found: set[str] = set()
    for r in rows:
        if r.cbd_mg is None or r.cbd_mg > 0:
            found.add("cbd")
        if r.thc_mg is None or r.thc_mg > 0:
            found.add("thc")
    return found, any(r.form == "flower" for r in rows), bool(rows)


def findings_for_person(session: Session, person: PersonRow, *, only_names: list[str] | None = None) -> dict:
    """Return ``{"findings": [...], "unknown": [...], ...}`` for the person's medicines and products.

    With ``only_names`` only those medicines are reported (e.g. the one just added).
    """
    names = current_medicine_names(session, person.id)
    if only_names is not None:
        wanted = {n.casefold() for n in only_names}
        names = [n for n in names if n.casefold() in wanted] or list(only_names)
    cannabinoids, smoked, has_products = exposure(session, person.id)
    if not has_products:
        cannabinoids = {"cbd", "thc"}
    result = check(names, cannabinoids=cannabinoids, smoked=smoked).as_dict()
    result["cannabinoids"] = sorted(cannabinoids)
    result["smoked"] = smoked
    result["note"] = None if has_products else NO_PRODUCTS_NOTE
    return result
