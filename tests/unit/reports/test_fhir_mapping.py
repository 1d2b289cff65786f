"""FHIR mapping details that need no database: RxNorm only when given, strengths per basis, demo tag."""

from __future__ import annotations

from datetime import UTC, datetime

from fhir.resources.R4B import get_fhir_model_class

from dosewise.reports.fhir import build_bundle
from dosewise.services.fhir_source import FhirSourceOut
from dosewise.services.schemas import MedicineOut, PersonOut, ProductOut

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)


def _source(**extra) -> FhirSourceOut:
    person = PersonOut(
        id=1,
        name="Bo",
        conditions=["als"],
        flags=[],
        weight_kg=None,
        birth_year=None,
        primary_scale="spasticity",
        timezone="UTC",
        is_demo=False,
    )
    meds = [
        MedicineOut(id=1, name="riluzole", drug_id="riluzole", dose_text=None, started=None, stopped=None),
        MedicineOut(id=2, name="grandma's tea", drug_id=None, dose_text=None, started=None, stopped=None),
    ]
    flower = ProductOut(
        id=3,
        name="Flower",
        form="flower",
        route="inhaled",
        per="g",
        thc_mg=180.0,
        cbd_mg=None,
        drop_ml=0.05,
        potency_source="lab",
        content="180 mg THC per g; CBD not known",
    )
    return FhirSourceOut(
        generated_at=NOW,
        person=person,
        medicines=meds,
        products=[flower],
        archived_product_ids=[3],
        dose_spans=[],
        ratings=[],
        side_effects=[],
        **extra,
    )


def _statements(bundle: dict) -> list[dict]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "MedicationStatement"]


def test_rxnorm_coding_only_for_medicines_with_a_verified_code() -> None:
    bundle = build_bundle(_source(rxnorm={1: "12345"}))
    riluzole, tea, _ = _statements(bundle)
    assert riluzole["medicationCodeableConcept"]["coding"] == [
        {"system": "http://www.nlm.nih.gov/research/umls/rxnorm", "code": "12345"}
    ]
    assert "coding" not in tea["medicationCodeableConcept"]
    assert "coding" not in build_bundle(_source())["entry"][2]["resource"]["medicationCodeableConcept"]


def test_flower_strength_is_per_gram_and_unknown_cbd_is_left_out() -> None:
    bundle = build_bundle(_source())
    product = _statements(bundle)[-1]
    assert product["status"] == "completed"  # archived
    thc, cbd = product["contained"][0]["ingredient"]
    assert thc["strength"]["numerator"]["value"] == 180.0 and thc["strength"]["denominator"]["code"] == "g"
    assert "strength" not in cbd
    assert product["dosage"][0]["route"]["text"] == "inhaled"
    get_fhir_model_class("MedicationStatement").model_validate(product)


def test_patient_without_birth_year_has_no_birth_date_and_no_demo_tag() -> None:
    patient = build_bundle(_source())["entry"][0]["resource"]
    assert "birthDate" not in patient and "meta" not in patient
    condition = build_bundle(_source())["entry"][1]["resource"]
    assert condition["code"]["coding"][0]["code"] == "86044005"


def test_same_data_gives_the_same_ids() -> None:
    a, b = build_bundle(_source()), build_bundle(_source())
    assert [e["fullUrl"] for e in a["entry"]] == [e["fullUrl"] for e in b["entry"]]
    assert len({e["fullUrl"] for e in a["entry"]}) == len(a["entry"])


def test_every_resource_of_every_variant_validates_as_fhir() -> None:
    """Exports do not validate (too slow for thousands of resources): every shape built here is checked once."""
    for bundle in (build_bundle(_source(rxnorm={1: "12345"})), build_bundle(_source())):
        get_fhir_model_class("Bundle").model_validate(bundle)
        for entry in bundle["entry"]:
            resource = entry["resource"]
            get_fhir_model_class(resource["resourceType"]).model_validate(resource)
