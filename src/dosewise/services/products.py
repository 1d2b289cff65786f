"""Cannabinoid products: add (as the label prints it), preview, edit, list, and find by name.

Contents are entered as the label prints them ("1000 mg in 30 ml", "10 mg per capsule", "18 %", "THC-free",
"unknown"); the texts are stored exactly and the mg per basis (ml / unit / spray / g) is derived from them
(model/label_entry.py). A product with a certificate of analysis doses by the measured potency; its label
content is kept for comparison (``label_thc_mg`` / ``label_cbd_mg``).
"""

from __future__ import annotations

from typing import TypedDict

from sqlalchemy import select
from sqlalchemy.orm import Session

from dosewise.errors import AlreadyExists, InvalidInput
from dosewise.model.label_entry import LabelEntry, describe_entry, read_label
from dosewise.model.products import (
    DEFAULT_DROP_ML,
    Product,
    parse_form,
    validate_product,
)
from dosewise.services import checks
from dosewise.services.product_rows import find_product as find_product
from dosewise.services.product_rows import to_model as to_model
from dosewise.services.runtime import get_person_row
from dosewise.services.safety_schemas import CheckOut
from dosewise.services.schemas import ProductOut, ProductPreview
from dosewise.store.db import Database
from dosewise.store.tables import ProductRow

LABEL_FIELDS = ("thc", "cbd", "thca", "cbda")


class LabelContent(TypedDict):
    """What a label says about content, as typed (the keywords ``edit_product`` takes): the texts as printed,
    or mg per basis, and the drop size (ml) and density (g/ml) that turn them into mg."""

    thc: str | None
    cbd: str | None
    thca: str | None
    cbda: str | None
    spectrum: str | None
    thc_mg: float | None
    cbd_mg: float | None
    drop_ml: float | None
    density_g_ml: float | None


class LabelInput(LabelContent):
    """A new product's label (the keywords of ``preview_product`` and ``add_product``)."""

    name: str
    form: str
    per: str | None


SOURCE_WORDS = {
    "label": "the label",
    "measured": "a lab's certificate of analysis",
    "mixed": "a lab's certificate of analysis for one cannabinoid and the label for the other",
}


def apply_content(row: ProductRow) -> None:
    """Dose by what was measured: mg per basis from the latest COA where it gives them, the label's otherwise."""
    row.thc_mg = row.measured_thc_mg if row.measured_thc_mg is not None else row.label_thc_mg
    row.cbd_mg = row.measured_cbd_mg if row.measured_cbd_mg is not None else row.label_cbd_mg
    measured = [v is not None for v in (row.measured_thc_mg, row.measured_cbd_mg)]
    row.potency_source = "measured" if all(measured) else "mixed" if any(measured) else "label"


def label_texts(row: ProductRow) -> dict[str, str | None]:
    """The label as entered; products from before labels were kept show their mg per basis."""
    texts: dict[str, str | None] = {f: getattr(row, f"{f}_label") for f in LABEL_FIELDS}
    if texts["thc"] is None and texts["cbd"] is None:
        for f in ("thc", "cbd"):
            mg = getattr(row, f"label_{f}_mg")
            if mg is None and row.potency_source == "label":
                mg = getattr(row, f"{f}_mg")
            texts[f] = "unknown" if mg is None else f"{mg:.10g} mg per {row.basis}"
    return texts


def _label_entry(row: ProductRow) -> LabelEntry:
    texts = label_texts(row)
    return read_label(
        form=parse_form(row.form),
        per=row.basis,
        spectrum=row.spectrum,
        drop_ml=row.drop_ml,
        density_g_ml=row.density_g_ml,
        **texts,
    )


def product_out(row: ProductRow) -> ProductOut:
    model = to_model(row)
    texts = label_texts(row)
    words = describe_entry(_label_entry(row))
    if row.potency_source != "label":
        words = [
            f"Doses use {SOURCE_WORDS.get(row.potency_source, row.potency_source)}: {model.describe_content()}.",
            *[f"Label (for comparison): {w}" for w in words],
        ]
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
        content=model.describe_content(),
        label={k: v for k, v in texts.items() if v is not None},
        spectrum=row.spectrum,
        density_g_ml=row.density_g_ml,
        batch=row.batch,
        label_thc_mg=row.label_thc_mg,
        label_cbd_mg=row.label_cbd_mg,
        thc_maximum=row.thc_maximum,
        in_words=words,
    )


def _text(label: str | None, mg: float | None, what: str) -> str | None:
    """One label text from either the label's words or an mg-per-basis number (not both)."""
    if label is not None and label.strip() and mg is not None:
        raise InvalidInput(f"Give {what} either as the label prints it or as a number, not both.", field=what)
    if mg is not None:
        return f"{mg!r}"
    return label


def _read(
    *,
    form: str,
    per: str | None,
    label: dict[str, str | None],
    spectrum: str | None,
    drop_ml: float | None,
    density_g_ml: float | None,
) -> LabelEntry:
    entry = read_label(
        form=parse_form(form),
        per=per,
        spectrum=spectrum,
        drop_ml=DEFAULT_DROP_ML if drop_ml is None else drop_ml,
        density_g_ml=density_g_ml,
        **{f: label.get(f) for f in LABEL_FIELDS},
    )
    return entry


def _product_of(name: str, entry: LabelEntry) -> Product:
    return validate_product(
        Product(
            name=name.strip(),
            form=entry.form,
            basis=entry.basis,
            thc_mg=None if entry.thc_mg is None else float(entry.thc_mg),
            cbd_mg=None if entry.cbd_mg is None else float(entry.cbd_mg),
            drop_ml=entry.drop_ml,
            thc_maximum=entry.thc_maximum,
            thc_from_claim=entry.thc_from_claim,
        )
    )


def _label_args(
    thc: str | None, cbd: str | None, thca: str | None, cbda: str | None, thc_mg: float | None, cbd_mg: float | None
) -> dict[str, str | None]:
    return {"thc": _text(thc, thc_mg, "thc"), "cbd": _text(cbd, cbd_mg, "cbd"), "thca": thca, "cbda": cbda}


def preview_product(
    db: Database,
    *,
    name: str,
    form: str,
    per: str | None = None,
    thc: str | None = None,
    cbd: str | None = None,
    thca: str | None = None,
    cbda: str | None = None,
    spectrum: str | None = None,
    drop_ml: float | None = None,
    density_g_ml: float | None = None,
    thc_mg: float | None = None,
    cbd_mg: float | None = None,
) -> ProductPreview:
    """Read the label and say in words what one drop / spray / capsule contains; nothing is saved."""
    label = _label_args(thc, cbd, thca, cbda, thc_mg, cbd_mg)
    entry = _read(form=form, per=per, label=label, spectrum=spectrum, drop_ml=drop_ml, density_g_ml=density_g_ml)
    product = _product_of(name, entry)
    with db.read() as session:
        _refuse_clash(session, get_person_row(session).id, product.name)
    return ProductPreview(
        name=product.name,
        form=product.form.value,
        per=product.basis.value,
        label={k: v for k, v in _entry_texts(entry).items() if v != "unknown" or k in ("thc", "cbd")},
        spectrum=entry.spectrum,
        content=product.describe_content(),
        in_words=describe_entry(entry),
        thc_known=entry.thc_mg is not None,
    )


def _entry_texts(entry: LabelEntry) -> dict[str, str]:
    return {f: getattr(entry, f).text for f in LABEL_FIELDS}


def _refuse_clash(session: Session, person_id: int, name: str, *, except_id: int | None = None) -> None:
    rows = session.scalars(select(ProductRow).where(ProductRow.person_id == person_id)).all()
    clash = [r for r in rows if r.name.casefold() == name.casefold() and not r.archived and r.id != except_id]
    if clash:
        raise AlreadyExists(
            f"You already have a product called '{clash[0].name}'. Use another name or edit it.", field="name"
        )


def add_product(
    db: Database,
    *,
    name: str,
    form: str,
    per: str | None = None,
    thc: str | None = None,
    cbd: str | None = None,
    thca: str | None = None,
    cbda: str | None = None,
    spectrum: str | None = None,
    thc_mg: float | None = None,
    cbd_mg: float | None = None,
    drop_ml: float | None = None,
    density_g_ml: float | None = None,
    batch: str | None = None,
) -> tuple[ProductOut, CheckOut]:
    """Add a product from its label; return it with the interaction check re-run for the person."""
    label = _label_args(thc, cbd, thca, cbda, thc_mg, cbd_mg)
    entry = _read(form=form, per=per, label=label, spectrum=spectrum, drop_ml=drop_ml, density_g_ml=density_g_ml)
    product = _product_of(name, entry)
    with db.transaction() as session:
        person = get_person_row(session)
        _refuse_clash(session, person.id, product.name)
        row = ProductRow(
            person_id=person.id,
            name=product.name,
            form=product.form.value,
            route=product.route.value,
            basis=product.basis.value,
            drop_ml=product.drop_ml,
            potency_source="label",
            archived=False,
            measured_thc_mg=None,
            measured_cbd_mg=None,
        )
        _store_label(row, entry, batch=_batch(batch))
        session.add(row)
        session.flush()
        return product_out(row), checks.findings_for_person(session, person, new_product_id=row.id)


def _batch(batch: str | None) -> str | None:
    text = (batch or "").strip()
    if len(text) > 60:
        raise InvalidInput("A batch number can be at most 60 characters.", field="batch")
    return text or None


def _store_label(row: ProductRow, entry: LabelEntry, *, batch: str | None) -> None:
    """Keep the label exactly as read; a product dosed by its label takes the label's mg."""
    for f, text in _entry_texts(entry).items():
        setattr(row, f"{f}_label", text)
    row.spectrum = entry.spectrum
    row.density_g_ml = entry.density_g_ml
    row.drop_ml = entry.drop_ml
    row.thc_maximum = entry.thc_maximum
    row.label_thc_mg = None if entry.thc_mg is None else float(entry.thc_mg)
    row.label_cbd_mg = None if entry.cbd_mg is None else float(entry.cbd_mg)
    row.batch = batch if batch is not None else row.batch
    apply_content(row)


def edit_product(
    db: Database,
    *,
    name: str,
    thc: str | None = None,
    cbd: str | None = None,
    thca: str | None = None,
    cbda: str | None = None,
    spectrum: str | None = None,
    thc_mg: float | None = None,
    cbd_mg: float | None = None,
    drop_ml: float | None = None,
    density_g_ml: float | None = None,
    batch: str | None = None,
    new_name: str | None = None,
) -> ProductOut:
    """Change a product's label, drop size, batch or name; past doses keep the mg they were logged with."""
    with db.transaction() as session:
        person = get_person_row(session)
        row = find_product(session, person.id, name)
        label = label_texts(row)
        given = _label_args(thc, cbd, thca, cbda, thc_mg, cbd_mg)
        label.update({k: v for k, v in given.items() if v is not None})
        entry = _read(
            form=row.form,
            per=row.basis,
            label=label,
            spectrum=row.spectrum if spectrum is None else spectrum,
            drop_ml=row.drop_ml if drop_ml is None else drop_ml,
            density_g_ml=row.density_g_ml if density_g_ml is None else density_g_ml,
        )
        _store_label(row, entry, batch=_batch(batch) if batch is not None else None)
        if new_name is not None:
            _refuse_clash(session, person.id, new_name.strip(), except_id=row.id)
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
