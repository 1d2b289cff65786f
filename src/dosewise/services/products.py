"""Cannabinoid products: add, edit, list, and find by name (case-insensitive, unique prefix)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from dosewise.errors import AlreadyExists, UnknownProduct
from dosewise.model.products import (
    BASES_OF_FORM,
    DEFAULT_DROP_ML,
    Basis,
    Product,
    parse_basis,
    parse_form,
    validate_product,
)
from dosewise.services import checks
from dosewise.services.runtime import get_person_row
from dosewise.services.schemas import ProductOut
from dosewise.store.db import Database
from dosewise.store.tables import ProductRow


def to_model(row: ProductRow) -> Product:
    return Product(
        name=row.name,
        form=parse_form(row.form),
        basis=Basis(row.basis),
        thc_mg=row.thc_mg,
        cbd_mg=row.cbd_mg,
        drop_ml=row.drop_ml,
        potency_source=row.potency_source,
        id=row.id,
    )


def product_out(row: ProductRow) -> ProductOut:
    return ProductOut(
        id=row.id,
        name=row.name,
        form=row.form,
        route=row.route,
        per=row.basis,
        thc_mg=row.thc_mg,
        cbd_mg=row.cbd_mg,
        drop_ml=row.drop_ml,
        potency_source=row.potency_source,
        content=to_model(row).describe_content(),
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
    raise UnknownProduct(f"No product called '{name}'. Your products: {known}. Add one with 'dosewise product add'.")


def add_product(
    db: Database,
    *,
    name: str,
    form: str,
    per: str | None = None,
    thc_mg: float | None = None,
    cbd_mg: float | None = None,
    drop_ml: float | None = None,
    potency_source: str = "label",
) -> tuple[ProductOut, dict]:
    """Add a product; return it with the interaction check re-run for the person."""
    f = parse_form(form)
    basis = parse_basis(per) if per else BASES_OF_FORM[f][0]
    product = validate_product(
        Product(
            name=name.strip(),
            form=f,
            basis=basis,
            thc_mg=thc_mg,
            cbd_mg=cbd_mg,
            drop_ml=DEFAULT_DROP_ML if drop_ml is None else drop_ml,
            potency_source=potency_source,
        )
    )
    with db.transaction() as session:
        person = get_person_row(session)
        clash = [
            r
            for r in session.scalars(select(ProductRow).where(ProductRow.person_id == person.id))
            if r.name.casefold() == product.name.casefold() and not r.archived
        ]
        if clash:
            raise AlreadyExists(f"You already have a product called '{clash[0].name}'. Use another name or edit it.")
        row = ProductRow(
            person_id=person.id,
            name=product.name,
            form=f.value,
            route=product.route.value,
            basis=basis.value,
            thc_mg=thc_mg,
            cbd_mg=cbd_mg,
            drop_ml=product.drop_ml,
            potency_source=potency_source,
        )
        session.add(row)
        session.flush()
        return product_out(row), checks.findings_for_person(session, person, new_product_id=row.id)


def edit_product(
    db: Database,
    *,
    name: str,
    thc_mg: float | None = None,
    cbd_mg: float | None = None,
    drop_ml: float | None = None,
    potency_source: str | None = None,
    new_name: str | None = None,
) -> ProductOut:
    """Change a product's content or name; past doses keep the mg they were logged with."""
    with db.transaction() as session:
        person = get_person_row(session)
        row = find_product(session, person.id, name)
        if thc_mg is not None:
            row.thc_mg = thc_mg
        if cbd_mg is not None:
            row.cbd_mg = cbd_mg
        if drop_ml is not None:
            row.drop_ml = drop_ml
        if potency_source is not None:
            row.potency_source = potency_source
        if new_name is not None:
            row.name = new_name.strip()
        validate_product(to_model(row))
        return product_out(row)


def list_products(db: Database) -> list[ProductOut]:
    """Return the person's products (not archived), oldest first."""
    with db.read() as session:
        person = get_person_row(session)
        rows = session.scalars(
            select(ProductRow)
            .where(ProductRow.person_id == person.id, ProductRow.archived.is_(False))
            .order_by(ProductRow.id)
        ).all()
        return [product_out(r) for r in rows]
