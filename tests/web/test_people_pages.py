"""Two people in one database on the web: ``?person=ID`` chooses, the browser remembers, ids of the other
person's rows are 404 like ids that do not exist; with several people and no choice the page says so."""

from __future__ import annotations

import pytest

from dosewise.services import journal, people, products
from dosewise.store.db import Database
from tests.conftest import NOW
from tests.web.conftest import make_client, token


@pytest.fixture
def two(db: Database) -> tuple[int, int]:
    ana = people.set_person(db, name="Ana", conditions=["ms-spasticity"], timezone="UTC").id
    ben = people.add_person(db, name="Ben", conditions=["dystonia"], timezone="UTC").id
    for pid, oil in ((ana, "Ana oil"), (ben, "Ben oil")):
        scoped = db.for_person(pid)
        products.add_product(scoped, name=oil, form="oil", cbd_mg=20, thc_mg=0, per="ml")
        journal.record_dose(scoped, product=oil, amount="5 drops", now=NOW)
    return ana, ben


def _doses(client, query: str = "") -> set[str]:
    body = client.get(f"/api/v1/journal{query}").json()
    return {e["item"] for d in body["journal"]["days"] for e in d["entries"] if e["kind"] == "dose"}


def test_the_person_is_chosen_and_remembered(two: tuple[int, int]) -> None:
    ana, ben = two
    client = make_client()
    refused = client.get("/api/v1/today")
    assert refused.status_code == 409 and "People page" in refused.json()["error"]
    listed = client.get("/api/v1/people").json()["people"]
    assert [p["name"] for p in listed] == ["Ana", "Ben"]
    assert _doses(client, f"?person={ben}") == {"Ben oil"}
    assert _doses(client) == {"Ben oil"}  # remembered by this browser
    assert _doses(client, f"?person={ana}") == {"Ana oil"}
    page = client.get("/today")
    assert page.status_code == 200 and "Change person" in page.text


@pytest.mark.parametrize("asked", ["999", "abc", "0", "-1", "99999999999999999999999"])
def test_a_person_who_is_not_there_is_404(two: tuple[int, int], asked: str) -> None:
    client = make_client()
    assert client.get(f"/api/v1/today?person={asked}").status_code == 404
    assert client.get(f"/today?person={asked}").status_code == 404


def test_the_other_persons_entries_are_404_and_unchanged(two: tuple[int, int]) -> None:
    ana, ben = two
    client = make_client()
    ben_entry = next(
        e for d in client.get(f"/api/v1/journal?person={ben}").json()["journal"]["days"] for e in d["entries"]
    )
    client.get(f"/api/v1/today?person={ana}")
    path = f"/journal/dose/{ben_entry['id']}"
    assert client.get(f"/api/v1{path}/edit").status_code == 404
    form = {"csrf_token": token(client, "/journal")}
    assert client.post(f"{path}/delete", data=form).status_code == 404
    assert client.post(f"/api/v1{path}/delete", json={}).status_code == 404
    assert _doses(client, f"?person={ben}") == {"Ben oil"}


def test_a_caregiver_with_one_grant_is_not_offered_other_people(
    two: tuple[int, int], db: Database, cheap_hashes
) -> None:
    from dosewise.services import auth, sharing

    ana, ben = two
    auth.add_account(db, email="carer@example.org", role="caregiver", password="blue kettle on the stove 42")
    sharing.share(db, person="Ana", email="carer@example.org", role="caregiver")
    carer = make_client()
    signed = carer.post(
        "/api/v1/signin", json={"email": "carer@example.org", "password": "blue kettle on the stove 42"}
    )
    assert signed.status_code == 200
    page = carer.get("/today")
    assert page.status_code == 200 and "Journal of <strong>Ana</strong>" in page.text
    assert "Change person" not in page.text and carer.get("/api/v1/today").json()["frame"]["several_people"] is False
    assert [p["name"] for p in carer.get("/api/v1/people").json()["people"]] == ["Ana"]
    assert "Ben" not in carer.get("/people").text
    sharing.share(db, person="Ben", email="carer@example.org", role="caregiver")
    assert "Change person" in carer.get(f"/today?person={ana}").text
    assert [p["name"] for p in carer.get("/api/v1/people").json()["people"]] == ["Ana", "Ben"]
    sharing.revoke(db, person="Ben", email="carer@example.org")
    assert "Change person" not in carer.get("/today").text
