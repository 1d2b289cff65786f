"""FHIR R4 export: one Bundle (type ``collection``) from ``services.fhir_source.fhir_source``.

Resources: Patient; Condition (SNOMED CT where verified); MedicationStatement for each medicine
(RxNorm only when the drug data carries a verified code) and for each cannabinoid product (with a
contained Medication holding THC and CBD ingredient strengths); Observation per rating (LOINC where
verified, else the Dosewise scale code system); Observation per side effect (Dosewise does not know
what caused it, so it is not sent as an AdverseEvent); Consent per version of each grant (who may read or
write the journal, as caregiver or clinician, until when; category as text only: no verified code in the
knowledge data). Mapping: docs/formats.md, "FHIR R4".

The resources are plain dicts, built the same way every time; tests validate every kind and variant of
resource built here with fhir.resources (tests/integration/test_fhir_export.py,
tests/unit/reports/test_fhir_mapping.py), so an export does not validate its thousands of resources again
(that cost 30x the export itself). fhir.resources 8 ships R5 as its default package and R4B (4.3) as a
subpackage; the resources used here are structurally the same in R4 (4.0.1) and R4B, so the tests use the
R4B models.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import date, datetime
from pathlib import Path
from typing import Any

from dosewise.private import write_private
from dosewise.reports import fhir_codes as codes
from dosewise.services.actors import entered_words
from dosewise.services.fhir_source import DoseSpan, FhirSourceOut, RatingRecord, SideEffectRecord
from dosewise.services.schemas import MedicineOut, ProductOut
from dosewise.services.sharing import GrantOut

Resource = dict[str, Any]  # one FHIR R4 resource (or element) as JSON-ready data

_NAMESPACE = uuid.UUID("5b0d9c3e-8f57-4d4e-9a61-2f4a3c1d7e10")  # fixed: the same data gives the same ids


def _urn(kind: str, key: object) -> str:
    """``urn:uuid:`` + the name-based (SHA-1, version 5) UUID of ``kind/key`` (RFC 4122 4.3, as uuid.uuid5)."""
    digest = bytearray(hashlib.sha1(_NAMESPACE.bytes + f"{kind}/{key}".encode()).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50  # version 5
    digest[8] = (digest[8] & 0x3F) | 0x80  # RFC 4122 variant
    h = digest.hex()
    return f"urn:uuid:{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def _when(at: datetime) -> str:
    return at.isoformat()


def _concept(text: str, system: str | None = None, code: str | None = None, display: str | None = None) -> Resource:
    concept: dict[str, Any] = {"text": text}
    if system and code:
        concept["coding"] = [{"system": system, "code": code, **({"display": display} if display else {})}]
    return concept


def build_bundle(src: FhirSourceOut) -> dict[str, Any]:
    """Return the export as a FHIR R4 Bundle (a JSON-ready dict; the tests validate every kind of resource).

    Medicines get an RxNorm coding only when ``src.rxnorm`` has a verified code for them; else text only.
    """
    patient_ref = _urn("patient", src.person.id)
    resources: list[tuple[str, Resource]] = [(patient_ref, _patient(src))]
    for n, condition in enumerate(src.person.conditions):
        for m, (text, code) in enumerate(codes.CONDITION_CODES.get(condition, ((condition, None),))):
            resources.append((_urn("condition", f"{condition}/{n}/{m}"), _condition(text, code, patient_ref)))
    for med in src.medicines:
        resources.append((_urn("medicine", med.id), _medicine(med, patient_ref, src.rxnorm.get(med.id))))
    spans = {s.product_id: s for s in src.dose_spans}
    for product in src.products:
        resources.append(
            (
                _urn("product", product.id),
                _product(product, patient_ref, spans.get(product.id), archived=product.id in src.archived_product_ids),
            )
        )
    resources += [(_urn("rating", r.id), _rating(r, patient_ref)) for r in src.ratings]
    resources += [(_urn("side-effect", s.id), _side_effect(s, patient_ref)) for s in src.side_effects]
    resources += [(_urn("consent", g.id), _consent(g, patient_ref, src.role_actions)) for g in src.grants]
    bundle = {
        "resourceType": "Bundle",
        "id": str(uuid.uuid5(_NAMESPACE, f"bundle/{src.person.id}/{src.generated_at.isoformat()}")),
        "type": "collection",
        "timestamp": _when(src.generated_at),
        "entry": [{"fullUrl": url, "resource": res} for url, res in resources],
    }
    return bundle


def _patient(src: FhirSourceOut) -> Resource:
    p = src.person
    patient: dict[str, Any] = {"resourceType": "Patient", "active": True, "name": [{"text": p.name}]}
    if p.birth_year is not None:
        patient["birthDate"] = f"{p.birth_year:04d}"  # only the year is known
    if p.is_demo:
        patient["meta"] = {
            "tag": [{"system": codes.DOSEWISE_TAG, "code": "demo", "display": "Demo data - not a real person"}]
        }
    return patient


def _condition(text: str, code: str | None, patient_ref: str) -> Resource:
    return {
        "resourceType": "Condition",
        "clinicalStatus": _concept("Active", codes.CONDITION_CLINICAL, "active"),
        "code": _concept(text, codes.SNOMED, code),
        "subject": {"reference": patient_ref},
    }


def _period(start: date | datetime | None, end: date | datetime | None) -> Resource | None:
    period = {k: v.isoformat() for k, v in (("start", start), ("end", end)) if v is not None}
    return period or None


def _medicine(med: MedicineOut, patient_ref: str, rxnorm: str | None) -> Resource:
    statement: dict[str, Any] = {
        "resourceType": "MedicationStatement",
        "status": "active" if med.stopped is None else "completed",
        "medicationCodeableConcept": _concept(med.name, codes.RXNORM, rxnorm),
        "subject": {"reference": patient_ref},
    }
    if period := _period(med.started, med.stopped):
        statement["effectivePeriod"] = period
    if med.dose_text:
        statement["dosage"] = [{"text": med.dose_text}]
    return statement


def _ingredient(name: str, key: str, mg: float | None, basis: str) -> Resource:
    ingredient: dict[str, Any] = {"itemCodeableConcept": _concept(name, codes.DOSEWISE_INGREDIENT, key)}
    if mg is not None:
        unit_code, unit = codes.BASIS_UNITS[basis]
        ingredient["strength"] = {
            "numerator": {"value": mg, "unit": "mg", "system": codes.UCUM, "code": "mg"},
            "denominator": {"value": 1, "unit": unit, "system": codes.UCUM, "code": unit_code},
        }
    return ingredient


def _product(product: ProductOut, patient_ref: str, span: DoseSpan | None, *, archived: bool) -> Resource:
    medication = {
        "resourceType": "Medication",
        "id": f"product-{product.id}",
        "code": {"text": product.name},
        "form": {"text": product.form},
        "ingredient": [
            _ingredient("Tetrahydrocannabinol (THC)", "thc", product.thc_mg, product.per),
            _ingredient("Cannabidiol (CBD)", "cbd", product.cbd_mg, product.per),
        ],
    }
    statement: dict[str, Any] = {
        "resourceType": "MedicationStatement",
        "contained": [medication],
        "status": "completed" if archived else "active",
        "medicationReference": {"reference": f"#product-{product.id}", "display": product.name},
        "subject": {"reference": patient_ref},
        "dosage": [
            {
                "text": f"Cannabinoid product, {product.content} ({product.potency_source} content); "
                "each dose is in the journal",
                "route": {"text": product.route},
            }
        ],
    }
    if span is not None:
        statement["effectivePeriod"] = {"start": _when(span.first), "end": _when(span.last)}
    return statement


def _rating(r: RatingRecord, patient_ref: str) -> Resource:
    loinc = codes.SCALE_LOINC.get(r.scale_id)
    code = (
        _concept(r.scale_name, codes.LOINC, loinc)
        if loinc
        else _concept(r.scale_name, codes.DOSEWISE_SCALE, r.scale_id, r.scale_name)
    )
    obs: dict[str, Any] = {
        "resourceType": "Observation",
        "status": "final",
        "category": [_concept("Survey", codes.OBSERVATION_CATEGORY, "survey")],
        "code": code,
        "subject": {"reference": patient_ref},
        "effectiveDateTime": _when(r.at),
        "valueQuantity": _score(r.value),
        "performer": _performer(r.entered_by, r.entered_by_account, patient_ref),
        "note": [{"text": _entered(r.entered_by, r.entered_by_account) + "."}],
    }
    if r.items:  # a multi-item scale: the total above, each item as a component
        obs["component"] = [
            {"code": _concept(name, codes.DOSEWISE_SCALE, f"{r.scale_id}/{name}", name), "valueQuantity": _score(value)}
            for name, value in r.items
        ]
    return obs


def _entered(role: str, account: str | None) -> str:
    """ "Entered by maria@example.org (caregiver)" (services/actors.entered_words), capitalised for a note."""
    words = entered_words(account, role) or "entered"
    return words[0].upper() + words[1:]


def _performer(role: str, account: str | None, patient_ref: str) -> list[Resource]:
    """Observation.performer: the patient for their own entries, else who entered it (a display-only reference:
    a caregiver or clinician is named by their account, not a FHIR resource of their own)."""
    if role == "person":
        return [{"reference": patient_ref}]
    return [{"display": entered_words(account, role).removeprefix("entered ").removeprefix("by ")}]


def _score(value: float) -> Resource:
    return {"value": value, "unit": "score", "system": codes.UCUM, "code": "{score}"}


def _side_effect(s: SideEffectRecord, patient_ref: str) -> Resource:
    obs: dict[str, Any] = {
        "resourceType": "Observation",
        "status": "final",
        "code": _concept(s.label, codes.DOSEWISE_SIDE_EFFECT, s.effect, s.label),
        "subject": {"reference": patient_ref},
        "effectiveDateTime": _when(s.at),
        "valueCodeableConcept": _concept(s.severity, codes.DOSEWISE_SEVERITY, s.severity),
        "performer": _performer(s.entered_by, s.entered_by_account, patient_ref),
        "note": [{"text": f"Side effect {_entered(s.entered_by, s.entered_by_account)}; cause not established."}],
    }
    if s.note:
        obs["note"].append({"text": s.note})
    return obs


def _consent(g: GrantOut, patient_ref: str, role_actions: dict[str, tuple[str, ...]]) -> Resource:
    """One version of a grant: active while it counts, inactive once revoked (or replaced) or past ``until``."""
    provision: dict[str, Any] = {
        "type": "permit",
        "period": _period(g.created_at, g.until),
        "actor": [{"role": {"text": g.role}, "reference": {"display": g.email}}],
        "action": [{"text": action} for action in role_actions.get(g.role, ("read",))],
    }
    return {
        "resourceType": "Consent",
        "meta": {"versionId": str(g.version)},
        "identifier": [{"system": codes.DOSEWISE_CONSENT, "value": f"{g.person_id}/{g.email}/v{g.version}"}],
        "status": "active" if g.live else "inactive",
        "scope": _concept("Privacy Consent", codes.CONSENT_SCOPE, "patient-privacy"),
        "category": [{"text": "Patient consent: sharing the Dosewise journal"}],
        "patient": {"reference": patient_ref},
        "dateTime": _when(g.created_at),
        "policyRule": {"text": f"Granted by {g.granted_by}; revocable at any time in Dosewise."},
        "provision": provision,
    }


def write_bundle(path: Path, src: FhirSourceOut) -> int:
    """Write the FHIR R4 Bundle for ``src`` (services.fhir_source.fhir_source) as JSON; return the resource count."""
    bundle = build_bundle(src)
    write_private(path, (json.dumps(bundle, ensure_ascii=False, indent=1) + "\n").encode("utf-8"))
    return len(bundle["entry"])
