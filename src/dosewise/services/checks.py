"""Interaction checks triggered by the journal edges (medicine or product added) and on demand.

The safety engine owns the logic (dosewise.safety.interactions); this module adapts it to the store.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from dosewise.store.medicines import current_medicines
from dosewise.store.tables import PersonRow, ProductRow

if TYPE_CHECKING:
    from dosewise.services.safety_schemas import CheckOut

NO_PRODUCTS_NOTE = "You have no cannabinoid products yet, so your medicines were checked against both CBD and THC."


def resolve_drug_id(name: str) -> str | None:
    """Return the curated drug id for a medicine name (generic, brand or typo), or None if unknown.

    None also for a line naming several drugs or a combination product (no single drug id fits it); the
    checker still reads each part of it by name.
    """
    from dosewise.safety.drugs import resolve  # the drug vocabulary: loaded by the commands that name drugs

    resolved = resolve(name)
    return None if resolved is None else resolved.drug.id


def names_a_drug(name: str) -> bool:
    """Whether the checker finds any curated drug in a medicine line (a combination product counts)."""
    from dosewise.safety.drugs import read_medicine  # the drug vocabulary: loaded by the commands that name drugs

    return bool(read_medicine(name).parts)


def current_medicine_names(session: Session, person_id: int) -> list[str]:
    """Return the names (as written) of the person's current medicines."""
    return [r.name for r in current_medicines(session, person_id)]


def exposure(session: Session, person_id: int, *, exclude_product_id: int | None = None) -> tuple[set[str], bool, bool]:
    """Return (cannabinoids in the person's products, any smoked product, any product at all).

    A product whose THC or CBD content is unknown counts as containing both (labels are often wrong).
    Flower is assumed smoked (smoke induces CYP1A2).
    """
    rows = [
        r
        for r in session.scalars(
            select(ProductRow).where(ProductRow.person_id == person_id, ProductRow.archived.is_(False))
        )
        if r.id != exclude_product_id
    ]
    found: set[str] = set()
    for r in rows:
        if r.cbd_mg is None or r.cbd_mg > 0:
            found.add("cbd")
        if r.thc_mg is None or r.thc_mg > 0:
            found.add("thc")
    return found, any(r.form == "flower" for r in rows), bool(rows)


def findings_for_person(
    session: Session, person: PersonRow, *, only_names: list[str] | None = None, new_product_id: int | None = None
) -> CheckOut:
    """Return the interaction findings for the person's current medicines and their products' cannabinoids.

    With ``only_names`` only those medicines are reported (the one just added). With ``new_product_id`` only
    findings for agents (cbd, thc, smoke) that this product adds to the person's exposure are reported.
    """
    names = current_medicine_names(session, person.id)
    if only_names is not None:
        wanted = {n.casefold() for n in only_names}
        names = [n for n in names if n.casefold() in wanted] or list(only_names)
    cannabinoids, smoked, has_products = exposure(session, person.id)
    if not has_products:
        cannabinoids = {"cbd", "thc"}
    from dosewise.safety.interactions import check
    from dosewise.services.safety_schemas import CheckOut

    result = CheckOut.of(
        check(names, cannabinoids=cannabinoids, smoked=smoked),
        cannabinoids=cannabinoids,
        smoked=smoked,
        note=None if has_products else NO_PRODUCTS_NOTE,
    )
    if new_product_id is not None:
        before, smoked_before, had_products = exposure(session, person.id, exclude_product_id=new_product_id)
        if had_products:
            added = (cannabinoids - before) | ({"smoke"} if smoked and not smoked_before else set())
            result.findings = [f for f in result.findings if f.cannabinoid in added]
            result.note = (
                f"Showing interactions new with this product ({', '.join(sorted(added))})."
                if added
                else "This product adds no new cannabinoid or route: no new interactions. "
                "See all with 'dosewise check'."
            )
    return result
