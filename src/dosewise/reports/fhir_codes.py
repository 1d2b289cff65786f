"""Code systems used by the FHIR R4 export (mapping documented in docs/formats.md, "FHIR R4").

Only codes that the project's checked clinical-facts notes (section on scales and SNOMED CT)
mark as verified are used; everything else is sent as text only, never guessed.
Dosewise's own codes live in URN code systems, so no one mistakes them for a standard terminology.
"""

from __future__ import annotations

SNOMED = "http://snomed.info/sct"
LOINC = "http://loinc.org"
RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"
UCUM = "http://unitsofmeasure.org"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
CONDITION_CLINICAL = "http://terminology.hl7.org/CodeSystem/condition-clinical"
CONSENT_SCOPE = "http://terminology.hl7.org/CodeSystem/consentscope"  # FHIR R4 Consent.scope (patient-privacy)

DOSEWISE_SCALE = "urn:dosewise:codesystem:scale"  # code = scale id (spasticity, sleep-disruption, ...)
DOSEWISE_SIDE_EFFECT = "urn:dosewise:codesystem:side-effect"  # code = side-effect id (drowsiness, ...)
DOSEWISE_SEVERITY = "urn:dosewise:codesystem:severity"  # mild | moderate | severe, as the person rated it
DOSEWISE_INGREDIENT = "urn:dosewise:codesystem:cannabinoid"  # thc | cbd
DOSEWISE_CONSENT = "urn:dosewise:consent"  # value = person id/grantee email/v<version>
DOSEWISE_TAG = "urn:dosewise:codesystem:tag"  # demo = demo data, not a real person
DOSEWISE_ENTERED_BY = "urn:dosewise:codesystem:entered-by"  # person | caregiver

# Condition id -> the Conditions it is exported as: (text, SNOMED CT code or None = text only).
# Verified codes (clinical-facts.md): ALS 86044005, multiple sclerosis 24700007, dystonia 15802004,
# spasticity (finding) 221360009, muscle cramp (finding) 55300003, fibromyalgia 203082005.
# Spinal cord injury and stroke codes are not verified there, so they go as text only.
CONDITION_CODES: dict[str, tuple[tuple[str, str | None], ...]] = {
    "als": (("Amyotrophic lateral sclerosis / motor neurone disease", "86044005"),),
    "ms-spasticity": (("Multiple sclerosis", "24700007"), ("Spasticity", "221360009")),
    "dystonia": (("Dystonia", "15802004"),),
    "sci-spasticity": (("Spinal cord injury", None), ("Spasticity", "221360009")),
    "muscle-cramps": (("Muscle cramp", "55300003"),),
    "fibromyalgia": (("Fibromyalgia", "203082005"),),
    "stroke-spasticity": (("Stroke", None), ("Spasticity", "221360009")),
}

# Scale id -> verified LOINC code. Pain severity 0-10 NRS 72514-3 is verified; the ALSFRS-R codes
# in the notes are marked "verify at loinc.org", and spasticity has no LOINC code found, so those
# use DOSEWISE_SCALE.
SCALE_LOINC: dict[str, str] = {"pain": "72514-3"}

# Product basis -> (UCUM unit code, human unit) for ingredient strength denominators.
BASIS_UNITS: dict[str, tuple[str, str]] = {
    "ml": ("mL", "mL"),
    "g": ("g", "g"),
    "spray": ("{spray}", "spray"),
    "unit": ("{unit}", "unit"),
    "capsule": ("{capsule}", "capsule"),
}
