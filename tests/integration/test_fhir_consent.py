"""FHIR export of consent: each grant version is one Consent resource (R4B-validated), only the person's own."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from fhir.resources.R4B import get_fhir_model_class

from dosewise import clock
from dosewise.reports.fhir import build_bundle
from dosewise.services import auth, people, sharing
from dosewise.services.access import ROLE_ACTIONS
from dosewise.services.fhir_source import fhir_source
from dosewise.store.db import Database
from tests.conftest import NOW

PASSWORD = "blue kettle on the stove 42"


@pytest.fixture(autouse=True)
def _cheap_hashes(cheap_hashes: None) -> None:
    """Accounts here are made with cheap hashes (tests.helpers.cheap_password_hashing)."""


def _consents(db: Database, person_id: int) -> list[dict[str, Any]]:
    bundle = build_bundle(fhir_source(db.for_person(person_id)))
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Consent"]


def test_each_grant_version_is_a_valid_consent_with_its_status(db: Database) -> None:
    ana = people.add_person(db, name="Ana", conditions=["ms-spasticity"], timezone="UTC").id
    ben = people.add_person(db, name="Ben", conditions=["dystonia"], timezone="UTC").id
    for email, role in (("carer@example.org", "caregiver"), ("doc@example.org", "clinician")):
        auth.add_account(db, email=email, role=role, password=PASSWORD)
    sharing.share(db, person="Ana", email="carer@example.org", role="caregiver")
    sharing.share(db, person="Ana", email="doc@example.org", role="clinician", until=NOW.date())
    sharing.share(db, person="Ben", email="doc@example.org", role="clinician")
    clock.advance(timedelta(hours=1))
    sharing.revoke(db, person="Ana", email="carer@example.org")

    consents = _consents(db, ana)
    for res in consents:
        get_fhir_model_class("Consent").model_validate(res)
    assert len(consents) == 2  # Ben's grant is never in Ana's bundle
    by_grantee = {c["provision"]["actor"][0]["reference"]["display"]: c for c in consents}
    carer, doc = by_grantee["carer@example.org"], by_grantee["doc@example.org"]
    assert carer["status"] == "inactive" and doc["status"] == "active"
    assert doc["provision"]["period"]["end"] == NOW.date().isoformat()
    assert carer["provision"]["actor"][0]["role"]["text"] == "caregiver"
    assert [a["text"] for a in carer["provision"]["action"]] == list(ROLE_ACTIONS["caregiver"])
    assert [a["text"] for a in doc["provision"]["action"]] == list(ROLE_ACTIONS["clinician"])
    assert all(c["scope"]["coding"][0]["code"] == "patient-privacy" for c in consents)
    assert all("coding" not in cat for c in consents for cat in c["category"])  # no code we have not verified
    assert {c["meta"]["versionId"] for c in consents} == {"1"}

    clock.advance(timedelta(days=1))  # past the clinician's last day: the grant no longer counts
    assert {c["status"] for c in _consents(db, ana)} == {"inactive"}
    (bens,) = _consents(db, ben)
    assert bens["status"] == "active" and bens["provision"]["actor"][0]["reference"]["display"] == "doc@example.org"


def test_a_changed_grant_exports_every_version(db: Database) -> None:
    ana = people.add_person(db, name="Ana", conditions=["ms-spasticity"], timezone="UTC").id
    auth.add_account(db, email="carer@example.org", role="caregiver", password=PASSWORD)
    sharing.share(db, person="Ana", email="carer@example.org", role="caregiver")
    sharing.share(db, person="Ana", email="carer@example.org", role="clinician")

    consents = _consents(db, ana)
    assert [(c["meta"]["versionId"], c["status"]) for c in consents] == [("1", "inactive"), ("2", "active")]
    assert consents[1]["provision"]["actor"][0]["role"]["text"] == "clinician"
    assert len({c["identifier"][0]["value"] for c in consents}) == 2
