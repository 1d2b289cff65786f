"""FHIR R4 export: every resource validates with fhir.resources, and codes are only the verified ones."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fhir.resources.R4B import get_fhir_model_class

from dosewise.reports.fhir import build_bundle
from dosewise.services import journal, people, products
from dosewise.services.demo import load_demo
from dosewise.services.fhir_source import fhir_source
from tests.conftest import NOW

VERIFIED_SNOMED = {"86044005", "24700007", "15802004", "221360009", "55300003", "203082005"}


def _resources(bundle: dict, kind: str | None = None) -> list[dict]:
    return [e["resource"] for e in bundle["entry"] if kind is None or e["resource"]["resourceType"] == kind]


def _codes(concept: dict, system: str) -> list[str]:
    return [c["code"] for c in concept.get("coding", []) if c["system"] == system]


@pytest.fixture
def bundle(person) -> dict:
    journal.record_dose(person, product="Sativex", amount="2 sprays", at="2026-11-20 21:00", now=NOW)
    journal.record_rating(person, scale="spasticity", value=6, at="2026-11-20 21:05", entered_by="caregiver", now=NOW)
    journal.record_rating(person, scale="pain", value=4, at="2026-11-20 21:06", now=NOW)
    journal.record_side_effect(person, effect="sleepy", severity="moderate", note="after the spray", now=NOW)
    gone = journal.record_rating(person, scale="pain", value=9, at="2026-11-19 10:00", now=NOW)
    journal.delete_entry(person, kind="rating", entry_id=gone.entry.id)
    return build_bundle(fhir_source(person, now=NOW))


def test_every_resource_validates_as_fhir(bundle: dict) -> None:
    assert bundle["type"] == "collection"
    get_fhir_model_class("Bundle").model_validate(bundle)
    for entry in bundle["entry"]:
        res = entry["resource"]
        model = get_fhir_model_class(res["resourceType"]).model_validate(res)
        assert type(model).__name__ == res["resourceType"]
        assert entry["fullUrl"].startswith("urn:uuid:")
    kinds = sorted({r["resourceType"] for r in _resources(bundle)})
    assert kinds == ["Condition", "MedicationStatement", "Observation", "Patient"]  # no grants: no Consent


def test_patient_and_conditions_use_verified_snomed_codes(bundle: dict) -> None:
    (patient,) = _resources(bundle, "Patient")
    assert patient["name"][0]["text"] == "Ana" and patient["birthDate"] == "1979"
    conditions = _resources(bundle, "Condition")
    assert {c["code"]["text"]: _codes(c["code"], "http://snomed.info/sct") for c in conditions} == {
        "Multiple sclerosis": ["24700007"],
        "Spasticity": ["221360009"],
    }
    patient_url = bundle["entry"][0]["fullUrl"]
    assert all(r["subject"]["reference"] == patient_url for r in _resources(bundle) if "subject" in r)


def test_products_carry_thc_and_cbd_strengths(bundle: dict) -> None:
    statements = _resources(bundle, "MedicationStatement")
    by_name = {
        s.get("medicationReference", {}).get("display") or s["medicationCodeableConcept"]["text"]: s for s in statements
    }
    assert set(by_name) == {"baclofen", "Calm CBD oil 1000", "Sativex"}
    assert "coding" not in by_name["baclofen"]["medicationCodeableConcept"]  # no verified RxNorm code yet
    assert by_name["baclofen"]["dosage"][0]["text"] == "10 mg three times a day"
    sativex = by_name["Sativex"]
    (med,) = sativex["contained"]
    assert sativex["medicationReference"]["reference"] == f"#{med['id']}"
    strengths = {
        i["itemCodeableConcept"]["text"]: (i["strength"]["numerator"]["value"], i["strength"]["denominator"]["code"])
        for i in med["ingredient"]
    }
    assert strengths == {"Tetrahydrocannabinol (THC)": (2.7, "{spray}"), "Cannabidiol (CBD)": (2.5, "{spray}")}
    assert sativex["effectivePeriod"]["start"].startswith("2026-11-20T21:00")
    oil = by_name["Calm CBD oil 1000"]["contained"][0]
    assert [i["strength"]["denominator"]["code"] for i in oil["ingredient"]] == ["mL", "mL"]


def test_ratings_use_loinc_only_for_pain(bundle: dict) -> None:
    obs = [o for o in _resources(bundle, "Observation") if "valueQuantity" in o]
    assert len(obs) == 2  # the deleted pain rating is not exported
    pain = next(o for o in obs if o["code"]["text"].startswith("Pain"))
    assert _codes(pain["code"], "http://loinc.org") == ["72514-3"]
    assert pain["valueQuantity"]["value"] == 4
    spas = next(o for o in obs if o["code"]["text"].startswith("Spasticity"))
    assert _codes(spas["code"], "http://loinc.org") == []
    assert _codes(spas["code"], "urn:dosewise:codesystem:scale") == ["spasticity"]
    assert spas["effectiveDateTime"] == "2026-11-20T21:05:00+00:00"
    assert "caregiver" in spas["note"][0]["text"]


def test_side_effects_are_observations_with_severity(bundle: dict) -> None:
    (se,) = [o for o in _resources(bundle, "Observation") if "valueCodeableConcept" in o]
    assert _codes(se["code"], "urn:dosewise:codesystem:side-effect") == ["drowsiness"]
    assert se["valueCodeableConcept"]["text"] == "moderate"
    assert any("after the spray" in n["text"] for n in se["note"])


def test_only_verified_snomed_codes_for_every_condition(person) -> None:
    people.set_person(
        person,
        conditions=[
            "als",
            "sci-spasticity",
            "dystonia",
            "muscle-cramps",
            "fibromyalgia",
            "stroke-spasticity",
            "ms-spasticity",
        ],
        now=NOW,
    )
    bundle = build_bundle(fhir_source(person, now=NOW))
    used = {code for c in _resources(bundle, "Condition") for code in _codes(c["code"], "http://snomed.info/sct")}
    assert used == VERIFIED_SNOMED
    texts = {c["code"]["text"]: c["code"].get("coding") for c in _resources(bundle, "Condition")}
    assert texts["Spinal cord injury"] is None and texts["Stroke"] is None


def test_unknown_content_is_left_out_not_guessed(person) -> None:
    products.add_product(person, name="Market flower", form="flower", per="g")
    bundle = build_bundle(fhir_source(person, now=NOW))
    (flower,) = [
        s
        for s in _resources(bundle, "MedicationStatement")
        if s.get("medicationReference", {}).get("display") == "Market flower"
    ]
    assert all("strength" not in i for i in flower["contained"][0]["ingredient"])


def test_cli_writes_bundle_for_demo_person(cli, fresh_db, tmp_path: Path) -> None:
    load_demo(fresh_db, now=NOW)
    target = tmp_path / "ana.fhir.json"
    r = cli("export", "--fhir", str(target))
    assert r.code == 0, r.output
    bundle = json.loads(target.read_text(encoding="utf-8"))
    get_fhir_model_class("Bundle").model_validate(bundle)
    for entry in bundle["entry"]:  # the export itself does not validate: every resource is checked here
        get_fhir_model_class(entry["resource"]["resourceType"]).model_validate(entry["resource"])
    (patient,) = _resources(bundle, "Patient")
    assert patient["meta"]["tag"][0]["code"] == "demo"
    assert f"{len(bundle['entry'])} resources" in r.out
    r = cli("export")
    assert r.code == 1 and "--fhir" in r.err


def test_alsfrs_r_total_with_each_item_as_a_component(person) -> None:
    items = [4, 4, 3, 4, 3, 3, 4, 4, 3, 4, 2, 4]
    journal.record_assessment(person, scale="alsfrs-r", items=items, at="2026-11-20 10:00", now=NOW)
    bundle = build_bundle(fhir_source(person, now=NOW))
    (obs,) = [o for o in _resources(bundle, "Observation") if "component" in o]
    get_fhir_model_class("Observation").model_validate(obs)
    assert _codes(obs["code"], "urn:dosewise:codesystem:scale") == ["alsfrs-r"]
    assert _codes(obs["code"], "http://loinc.org") == []  # ALSFRS-R LOINC codes are not verified
    assert obs["valueQuantity"]["value"] == sum(items)
    assert [c["valueQuantity"]["value"] for c in obs["component"]] == items
    assert obs["component"][10]["code"]["coding"][0]["code"] == "alsfrs-r/orthopnea"
