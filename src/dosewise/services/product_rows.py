"""A person's product by name, and the model that turns an amount of it into mg (what a dose needs).

Kept apart from ``services/products`` (adding, previewing and editing products, with their interaction checks
and pydantic views) so that ``dosewise log dose`` loads only this. ``services/products`` re-exports both.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from dosewise.errors import UnknownProduct
from dosewise.model.label_entry import THC_FREE_CLAIMS
from dosewise.model.products import Basis, Product, parse_form
from dosewise.store.tables import ProductRow


def to_model(row: ProductRow) -> Product:
    """The product as the dose arithmetic sees it (mg per basis, drop size, where its mg came from)."""
    return Product(
        name=row.name,
        form=parse_form(row.form),
        basis=Basis(row.basis),
        thc_mg=row.thc_mg,
        cbd_mg=row.cbd_mg,
        drop_ml=row.drop_ml,
        potency_source=row.potency_source,
        id=row.id,
        thc_maximum=row.thc_maximum and row.measured_thc_mg is None,
        thc_from_claim=row.measured_thc_mg is None and row.thc_label == "unknown" and row.spectrum in THC_FREE_CLAIMS,
    )


def find_product(session: Session, person_id: int, name: str) -> ProductRow:
    """Return the product matching ``name`` exactly or by unique prefix (case-insensitive)."""
    rows = session.scalars(
        select(ProductRow).where(ProductRow.person_id == person_id, ProductRow.archived.is_(False))
    ).all()
    key = name.strip().casefold()
    exact = [r for r in rows if r.name.casefold() == key]
    if exact:
        return exact[0]
    prefixed = [r for r in rows if r.name.casefold().startswith(key)] if key else []
    if len(prefixed) == 1:
        return prefixed[0]
    known = ", ".join(sorted(r.name for r in rows)) or "none yet"
    if len(prefixed) > 1:
        raise UnknownProduct(
            f"'{name}' matches several products ({', '.join(sorted(r.name for r in prefixed))}). Type more of the name."
        )
    raise UnknownProduct(f"No product called '{name}'. Your products: {known}. Add one on the Products page.")
