"""What the FHIR R4 export maps: the person's records gathered from the store and the other services.

``fhir_source(db)`` returns one ``FhirSourceOut``; ``reports.fhir.build_bundle`` turns it into the Bundle.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from dosewise.model.journal import side_effects
from dosewise.model.scales import get_scale
from dosewise.safety.drugs import all_drugs
from dosewise.services import checks
from dosewise.services.medicines import medicine_out
from dosewise.services.people import person_out
from dosewise.services.products import product_out
from dosewise.services.runtime import get_person_row, now_utc
from dosewise.services.schemas import MedicineOut, PersonOut, ProductOut
from dosewise.store.db import Database
from dosewise.store.journal_queries import live_rows
from dosewise.store.tables import AssessmentRow, DoseRow, MedicineRow, ProductRow, RatingRow, SideEffectRow


class RatingRecord(BaseModel):
    id: int
    scale_id: str
    scale_name: str
    value: float
    at: datetime
    entered_by: str
    items: list[tuple[str, float]] = []  # multi-item scales (ALSFRS-R): (item name, score) in order


class SideEffectRecord(BaseModel):
    id: int
    effect: str
    label: str
    severity: str
    at: datetime
    note: str | None
    entered_by: str


class DoseSpan(BaseModel):
    """First and last dose of a product (the MedicationStatement's effective period)."""

    product_id: int
    first: datetime
    last: datetime
    doses: int


class FhirSourceOut(BaseModel):
    generated_at: datetime
    person: PersonOut
    medicines: list[MedicineOut]
    products: list[ProductOut]
    archived_product_ids: list[int]
    dose_spans: list[DoseSpan]
    ratings: list[RatingRecord]
    side_effects: list[SideEffectRecord]
    rxnorm: dict[int, str] = {}  # medicine id -> RxNorm code, only where the drug data has a verified one


def _rxnorm_codes(medicines: list[MedicineOut]) -> dict[int, str]:
    """Return verified RxNorm codes from the curated drug data (safety.drugs); never guessed."""
    drugs = all_drugs()
    out: dict[int, str] = {}
    for m in medicines:
        drug = drugs.get(m.drug_id or checks.resolve_drug_id(m.name) or "")
        if drug is not None and drug.rxnorm and drug.verified:
            out[m.id] = drug.rxnorm
    return out


def _rating_record(session: Session, r: RatingRow) -> RatingRecord:
    scale = get_scale(r.scale_id)
    items: list[tuple[str, float]] = []
    if r.assessment_id is not None:
        a = session.get(AssessmentRow, r.assessment_id)
        if a is not None:
            items = list(zip(scale.items, a.items, strict=False))
    return RatingRecord(
        id=r.id,
        scale_id=r.scale_id,
        scale_name=scale.name,
        value=r.value,
        at=r.at,
        entered_by=r.entered_by,
        items=items,
    )


def fhir_source(db: Database, *, now: datetime | None = None) -> FhirSourceOut:
    """Return every live record the FHIR R4 export maps (deleted journal entries are left out)."""
    now = now or now_utc()
    labels = side_effects()
    with db.read() as session:
        person = get_person_row(session)
        meds = session.scalars(select(MedicineRow).where(MedicineRow.person_id == person.id).order_by(MedicineRow.id))
        prows = session.scalars(
            select(ProductRow).where(ProductRow.person_id == person.id).order_by(ProductRow.id)
        ).all()
        spans: dict[int, list[datetime]] = defaultdict(list)
        for d in session.scalars(live_rows(DoseRow, person.id).order_by(DoseRow.at)):
            spans[d.product_id].append(d.at)
        ratings = [
            _rating_record(session, r)
            for r in session.scalars(live_rows(RatingRow, person.id).order_by(RatingRow.at, RatingRow.id))
        ]
        effects = [
            SideEffectRecord(
                id=r.id,
                effect=r.effect,
                label=labels.get(r.effect, {}).get("label", r.effect),
                severity=r.severity,
                at=r.at,
                note=r.note,
                entered_by=r.entered_by,
            )
            for r in session.scalars(live_rows(SideEffectRow, person.id).order_by(SideEffectRow.at))
        ]
        med_outs = [medicine_out(m) for m in meds]
        return FhirSourceOut(
            generated_at=now,
            person=person_out(person),
            medicines=med_outs,
            rxnorm=_rxnorm_codes(med_outs),
            products=[product_out(p) for p in prows],
            archived_product_ids=[p.id for p in prows if p.archived],
            dose_spans=[DoseSpan(product_id=k, first=v[0], last=v[-1], doses=len(v)) for k, v in spans.items()],
            ratings=ratings,
            side_effects=effects,
        )
