"""Certificates of analysis: attach one to a product (form or PDF), review it, dose by what was measured.

Attaching a COA stores it (lab, batch, date, unit, per-analyte results with LOQ / ND, panels) and sets the
product's measured content (mg per basis) from it where the units allow; doses, plans and reports then use
the measured content and say so, with the label kept for comparison. One transaction: a refused COA
changes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from dosewise.errors import InvalidInput, NotFound
from dosewise.model.coa import ANALYTES, PANELS, AnalyteResult, Coa, parse_result, validate_coa
from dosewise.model.coa_text import CoaDraft
from dosewise.model.products import Basis, parse_form
from dosewise.safety.coa_review import CoaReview, Finding, LabelFacts, review_coa
from dosewise.services import runtime
from dosewise.services.products import apply_content, find_product, product_out
from dosewise.services.runtime import get_person_row
from dosewise.services.schemas import CoaDraftOut, CoaFindingOut, CoaOut, CoaResultOut, ProductOut
from dosewise.store.db import Database
from dosewise.store.tables import CoaResultRow, CoaRow, PersonRow, ProductRow


def _today(person: PersonRow) -> date:
    return runtime.now_utc().astimezone(ZoneInfo(person.timezone)).date()


def build_coa(
    *,
    lab: str,
    batch: str | None,
    tested_on: date | None,
    unit: str,
    results: dict[str, str],
    loq: float | None = None,
    loqs: Mapping[str, float | None] | None = None,
    panels: dict[str, str] | None = None,
    density_g_ml: float | None = None,
    accredited: bool | None = None,
    source: str = "form",
) -> Coa:
    """Turn the form's texts ('3.41', 'ND', '<LOQ') into a Coa (not yet validated against a date)."""
    unknown = [k for k in results if k not in ANALYTES]
    if unknown:
        raise InvalidInput(f"Unknown analyte '{unknown[0]}'. Use: {', '.join(ANALYTES)}.", field=unknown[0])
    rows = []
    for analyte, text in results.items():
        r = parse_result(text, analyte=analyte, loq=(loqs or {}).get(analyte, loq))
        if r is not None:
            rows.append(r)
    bad = [p for p in (panels or {}) if p not in PANELS]
    if bad:
        raise InvalidInput(f"Unknown panel '{bad[0]}'. Use: {', '.join(PANELS)}.", field="panels")
    return Coa(
        lab=(lab or "").strip(),
        batch=(batch or "").strip() or None,
        tested_on=tested_on,
        unit=(unit or "").strip(),
        results=tuple(rows),
        panels={p: s for p, s in (panels or {}).items() if s},
        density_g_ml=density_g_ml,
        accredited=accredited,
        source=source,
    )


def label_facts(row: ProductRow) -> LabelFacts:
    return LabelFacts(
        name=row.name,
        form=parse_form(row.form),
        basis=Basis(row.basis),
        thc_mg=row.label_thc_mg,
        cbd_mg=row.label_cbd_mg,
        spectrum=row.spectrum,
        batch=row.batch,
    )


def attach_coa(db: Database, *, product: str, coa: Coa, file_name: str | None = None) -> CoaOut:
    """Check and store ``coa`` for ``product``; dose by its measured content where the units allow."""
    with db.transaction() as session:
        person = get_person_row(session)
        prow = find_product(session, person.id, product)
        validate_coa(coa, today=_today(person))
        review = review_coa(coa, label_facts(prow), today=_today(person))
        row = CoaRow(
            person_id=person.id,
            product_id=prow.id,
            lab=coa.lab,
            accredited=coa.accredited,
            batch=coa.batch,
            tested_on=coa.tested_on,
            unit=coa.unit,
            density_g_ml=coa.density_g_ml,
            panels=dict(coa.panels),
            source=coa.source,
            file_name=(file_name or None) and file_name[:200],
            results=[
                CoaResultRow(analyte=r.analyte, value=r.value, qualifier=r.qualifier, loq=r.loq) for r in coa.results
            ],
        )
        session.add(row)
        prow.measured_thc_mg, prow.measured_cbd_mg = review.measured_thc_mg, review.measured_cbd_mg
        apply_content(prow)
        session.flush()
        return _coa_out(row, prow, review)


def _model(row: CoaRow) -> Coa:
    return Coa(
        lab=row.lab,
        batch=row.batch,
        tested_on=row.tested_on,
        unit=row.unit,
        results=tuple(AnalyteResult(r.analyte, r.value, r.qualifier, r.loq) for r in row.results),
        panels=dict(row.panels or {}),
        density_g_ml=row.density_g_ml,
        accredited=row.accredited,
        source=row.source,
    )


def _coa_out(row: CoaRow, prow: ProductRow, review: CoaReview) -> CoaOut:
    def findings(items: list[Finding]) -> list[CoaFindingOut]:
        return [CoaFindingOut(check=f.check, text=f.text, refs=list(f.refs), attention=f.attention) for f in items]

    return CoaOut(
        id=row.id,
        product=product_out(prow),
        lab=row.lab,
        accredited=row.accredited,
        batch=row.batch,
        tested_on=row.tested_on,
        unit=row.unit,
        density_g_ml=row.density_g_ml,
        panels=dict(row.panels or {}),
        source=row.source,
        results=[
            CoaResultOut(analyte=r.analyte, name=ANALYTES[r.analyte], value=r.value, qualifier=r.qualifier, loq=r.loq)
            for r in row.results
        ],
        shows=findings(review.shows),
        does_not_show=findings(review.does_not_show),
        measured_thc_mg=review.measured_thc_mg,
        measured_cbd_mg=review.measured_cbd_mg,
    )


def _latest(session: Session, prow: ProductRow) -> CoaRow | None:
    return session.scalars(
        select(CoaRow).where(CoaRow.product_id == prow.id).order_by(CoaRow.id.desc()).limit(1)
    ).first()


def product_coa(db: Database, *, product_id: int) -> tuple[ProductOut, CoaOut | None]:
    """The product and the review of its latest COA (None when it has none)."""
    with db.read() as session:
        person = get_person_row(session)
        prow = session.get(ProductRow, product_id)
        if prow is None or prow.person_id != person.id or prow.archived:
            raise NotFound(f"No product number {product_id}.")
        row = _latest(session, prow)
        if row is None:
            return product_out(prow), None
        review = review_coa(_model(row), label_facts(prow), today=_today(person))
        return product_out(prow), _coa_out(row, prow, review)


def product_id_of(db: Database, name: str) -> int:
    with db.read() as session:
        return find_product(session, get_person_row(session).id, name).id


def draft_out(draft: CoaDraft) -> CoaDraftOut:
    return CoaDraftOut(
        lab=draft.lab,
        batch=draft.batch,
        tested_on=draft.tested_on,
        unit=draft.unit,
        density_g_ml=draft.density_g_ml,
        accredited=draft.accredited,
        results={r.analyte: _cell(r) for r in draft.results},
        loqs={r.analyte: r.loq for r in draft.results if r.loq is not None},
        panels=dict(draft.panels),
        notes=list(draft.notes),
    )


def _cell(r: AnalyteResult) -> str:
    return r.qualifier if r.qualifier else f"{r.value:g}"
