"""What the FHIR R4 export maps: the person's records gathered from the store and the other services.

``fhir_source(db)`` returns one ``FhirSourceOut``; ``reports.fhir.build_bundle`` turns it into the Bundle.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dosewise.model.journal import side_effects
from dosewise.model.scales import Scale, get_scale
from dosewise.safety.drugs import all_drugs
from dosewise.services import checks
from dosewise.services.access import ROLE_ACTIONS
from dosewise.services.medicines import medicine_out
from dosewise.services.people import person_out
from dosewise.services.products import product_out
from dosewise.services.runtime import get_person_row, now_utc
from dosewise.services.schemas import MedicineOut, PersonOut, ProductOut
from dosewise.services.sharing import GrantOut, consent_records
from dosewise.store.db import Database
from dosewise.store.journal_queries import live, live_rows
from dosewise.store.medicines import medicines as stored_medicines
from dosewise.store.tables import AssessmentRow, DoseRow, ProductRow, RatingRow, SideEffectRow


class RatingRecord(BaseModel):
    id: int
    scale_id: str
    scale_name: str
    value: float
    at: datetime
    entered_by: str
    items: list[tuple[str, float]] = []  # multi-item scales (ALSFRS-R): (item name, score) in order
    entered_by_account: str | None = None  # an account's email, "command line", "this computer"


class SideEffectRecord(BaseModel):
    id: int
    effect: str
    label: str
    severity: str
    at: datetime
    note: str | None
    entered_by: str
    entered_by_account: str | None = None


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
    grants: list[GrantOut] = []  # every version of every consent record (grant) of this person, oldest first
    role_actions: dict[str, tuple[str, ...]] = {}  # grant role -> what it may do (services.access.ROLE_ACTIONS)


def _rxnorm_codes(medicines: list[MedicineOut]) -> dict[int, str]:
    """Return verified RxNorm codes from the curated drug data (safety.drugs); never guessed."""
    drugs = all_drugs()
    out: dict[int, str] = {}
    for m in medicines:
        drug = drugs.get(m.drug_id or checks.resolve_drug_id(m.name) or "")
        if drug is not None and drug.rxnorm and drug.verified:
            out[m.id] = drug.rxnorm
    return out


def _rating_records(session: Session, person_id: int) -> list[RatingRecord]:
    """Live ratings as records, read as plain rows (thousands of them; they were validated when stored)."""
    rows = session.execute(
        select(RatingRow.id, RatingRow.scale_id, RatingRow.value, RatingRow.at)
        .add_columns(RatingRow.entered_by, RatingRow.entered_by_account, RatingRow.assessment_id)
        .where(live(RatingRow, person_id))
        .order_by(RatingRow.at, RatingRow.id)
    ).all()
    wanted = {r.assessment_id for r in rows if r.assessment_id is not None}
    assessments: dict[int, list[float]] = (
        dict(session.execute(select(AssessmentRow.id, AssessmentRow.items).where(AssessmentRow.id.in_(wanted))).all())
        if wanted
        else {}
    )
    out = []
    scales: dict[str, Scale] = {}
    for r in rows:
        scale = scales.get(r.scale_id) or scales.setdefault(r.scale_id, get_scale(r.scale_id))
        items = assessments.get(r.assessment_id)
        out.append(
            RatingRecord.model_construct(
                id=r.id,
                scale_id=r.scale_id,
                scale_name=scale.name,
                value=float(r.value),
                at=r.at,
                entered_by=r.entered_by,
                entered_by_account=r.entered_by_account,
                items=list(zip(scale.items, items, strict=False)) if items is not None else [],
            )
        )
    return out


def _dose_spans(session: Session, person_id: int) -> list[DoseSpan]:
    """First and last live dose and the number of doses, per product (in order of first dose)."""
    rows = session.execute(
        select(DoseRow.product_id, func.min(DoseRow.at), func.max(DoseRow.at), func.count())
        .where(live(DoseRow, person_id))
        .group_by(DoseRow.product_id)
    ).all()
    return [
        DoseSpan(product_id=pid, first=first, last=last, doses=n)
        for pid, first, last, n in sorted(rows, key=lambda r: (r[1], r[0]))
    ]


def fhir_source(db: Database, *, now: datetime | None = None) -> FhirSourceOut:
    """Return every live record the FHIR R4 export maps (deleted journal entries are left out)."""
    now = now or now_utc()
    labels = side_effects()
    with db.read() as session:
        person = get_person_row(session)
        meds = stored_medicines(session, person.id)
        prows = session.scalars(
            select(ProductRow).where(ProductRow.person_id == person.id).order_by(ProductRow.id)
        ).all()
        spans = _dose_spans(session, person.id)
        ratings = _rating_records(session, person.id)
        effects = [
            SideEffectRecord(
                id=r.id,
                effect=r.effect,
                label=labels.get(r.effect, {}).get("label", r.effect),
                severity=r.severity,
                at=r.at,
                note=r.note,
                entered_by=r.entered_by,
                entered_by_account=r.entered_by_account,
            )
            for r in session.scalars(live_rows(SideEffectRow, person.id).order_by(SideEffectRow.at))
        ]
        med_outs = [medicine_out(m) for m in meds]
        person_o = person_out(person)
        product_outs = [product_out(p) for p in prows]
        archived_ids = [p.id for p in prows if p.archived]
    with db.for_person(person_o.id).read() as session:  # grants and accounts: filtered by the person's id
        grants = consent_records(session, person_o.id, now.date())
    return FhirSourceOut(
        generated_at=now,
        person=person_o,
        medicines=med_outs,
        rxnorm=_rxnorm_codes(med_outs),
        products=product_outs,
        archived_product_ids=archived_ids,
        dose_spans=spans,
        ratings=ratings,
        side_effects=effects,
        grants=grants,
        role_actions=ROLE_ACTIONS,
    )
