"""One row builder per journal entry kind: validate the values of one entry and return its table row.

The journal service (CLI 'log', web forms, edits), CSV import and the demo all build entries here, so an
entry is checked and stored the same way whichever door it came in by. Each builder refuses bad input with
a message saying what to fix (errors.InvalidInput and friends). Units: mg THC / mg CBD per dose; scale
points; measurement units from knowledge/data/measurements.yaml. Times are aware UTC, already checked
(not in the future) by the caller.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from dosewise.model.journal import (
    check_measurement,
    check_plausible,
    find_measurement,
    parse_severity,
    parse_side_effect,
    parse_symptom,
    validate_entered_by,
    validate_note,
)
from dosewise.model.scales import Scale, validate_items, validate_score
from dosewise.model.units import Amount
from dosewise.store.tables import (
    AssessmentRow,
    DoseRow,
    MeasurementRow,
    NoteRow,
    ProductRow,
    RatingRow,
    SideEffectRow,
    SymptomRow,
)


def _optional_note(note: str | None) -> str | None:
    return validate_note(note) if note is not None and note.strip() else None


def dose_row(
    *,
    person_id: int,
    product: ProductRow,
    amount: Amount,
    at: datetime,
    entered_by: str = "person",
    note: str | None = None,
    confirm_unusual: bool = False,
) -> DoseRow:
    """Return a dose row; an implausible amount is refused unless confirmed, then stored flagged 'unusual'."""
    unusual = check_plausible(amount.thc_mg, amount.cbd_mg, confirm_unusual=confirm_unusual)
    return DoseRow(
        person_id=person_id,
        product_id=product.id,
        product=product,
        amount=amount.quantity,
        unit=amount.unit.value,
        thc_mg=amount.thc_mg,
        cbd_mg=amount.cbd_mg,
        unusual=unusual,
        mg_source=product.potency_source,  # mg worked out from the label or a lab certificate
        note=_optional_note(note),
        at=at,
        entered_by=validate_entered_by(entered_by),
    )


def rating_row(*, person_id: int, scale: Scale, value: float, at: datetime, entered_by: str = "person") -> RatingRow:
    """Return a rating row on a single-score scale (the value checked against the scale's range)."""
    return RatingRow(
        person_id=person_id,
        scale_id=scale.id,
        value=validate_score(scale, value),
        at=at,
        entered_by=validate_entered_by(entered_by),
    )


def assessment_rows(
    session: Session, *, person_id: int, scale: Scale, items: list[float], at: datetime, entered_by: str = "person"
) -> RatingRow:
    """Store a multi-item assessment (ALSFRS-R) and return the rating row that carries its total."""
    who = validate_entered_by(entered_by)
    total = validate_items(scale, items)
    a = AssessmentRow(person_id=person_id, scale_id=scale.id, items=items, total=total, at=at, entered_by=who)
    session.add(a)
    session.flush()
    return RatingRow(person_id=person_id, scale_id=scale.id, value=total, assessment_id=a.id, at=at, entered_by=who)


def side_effect_row(
    *,
    person_id: int,
    effect: str,
    severity: str,
    at: datetime,
    entered_by: str = "person",
    note: str | None = None,
) -> SideEffectRow:
    """Return a side-effect row (effect by id or synonym; severity mild, moderate or severe)."""
    return SideEffectRow(
        person_id=person_id,
        effect=parse_side_effect(effect),
        severity=parse_severity(severity).value,
        note=_optional_note(note),
        at=at,
        entered_by=validate_entered_by(entered_by),
    )


def note_row(*, person_id: int, text: str, at: datetime, entered_by: str = "person") -> NoteRow:
    """Return a note row; the text is kept verbatim."""
    return NoteRow(person_id=person_id, text=validate_note(text), at=at, entered_by=validate_entered_by(entered_by))


def symptom_row(
    *, person_id: int, symptom: str, at: datetime, entered_by: str = "person", note: str | None = None
) -> SymptomRow:
    """Return a symptom row (a symptom or event the red-flag rules watch)."""
    return SymptomRow(
        person_id=person_id,
        symptom=parse_symptom(symptom),
        note=_optional_note(note),
        at=at,
        entered_by=validate_entered_by(entered_by),
    )


def measurement_row(
    *, person_id: int, kind: str, value: float, at: datetime, entered_by: str = "person"
) -> MeasurementRow:
    """Return a measurement row (kind by id or word; value within the data-entry limits)."""
    m = find_measurement(kind)
    return MeasurementRow(
        person_id=person_id,
        kind=m.id,
        value=check_measurement(m, value),
        at=at,
        entered_by=validate_entered_by(entered_by),
    )
