"""The authorization matrix: every API operation of the app (read from its OpenAPI document, not listed by
hand) x every role (the person's own account, a caregiver, a clinician, signed out) x the person's own or
granted journal / another person's journal, on SQLite and PostgreSQL.

It asserts 0 reads or writes that are not allowed: another person's journal is 404 (the same as a person who
does not exist) and none of its data appears in any answer nor changes; signed out is 401; a role lacking an
action is 403 and changes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from dosewise.services import access, auth, journal, medicines, people, products, sharing
from dosewise.store.db import Database
from dosewise.store.tables import PERSON_OWNED_TABLES
from tests.conftest import NOW
from tests.helpers import every_row
from tests.web.conftest import make_client

PASSWORD = "blue kettle on the stove 42"
# Operations that act on no person's journal (signing in, guides, checking an article's claims, the list of
# people one may open): they ignore ?person= and must simply never show another person's data.
PERSON_FREE = re.compile(
    r"^/(signin|signout|first-run|account(/password)?|pair(/new)?|people|guide(/.*)?|ask|claims|today/who|openapi\.json)$"
)
SIGN_OUT = "/api/v1/signout"  # walked last: it ends the sign-in the rest of the walk needs
ROLE_REFUSAL = re.compile(r"A caregiver can|A clinician can|Only the person themself")
ACTORS = ("owner", "caregiver", "clinician", "signed_out")


@pytest.fixture(autouse=True)
def _cheap_hashes(cheap_hashes: None) -> None:
    """Accounts here are made with cheap hashes (tests.helpers.cheap_password_hashing)."""


def _journal_of(db: Database, name: str, condition: str) -> dict[str, int]:
    pid = people.add_person(db, name=name, conditions=[condition], timezone="UTC").id
    mine = db.for_person(pid)
    oil, _ = products.add_product(mine, name=f"{name} oil", form="oil", cbd_mg=20, thc_mg=0, per="ml")
    journal.record_dose(mine, product=f"{name} oil", amount="5 drops", now=NOW)
    note = journal.record_note(mine, text=f"{name} private note", now=NOW).entry.id
    medicines.add_medicine(mine, name="baclofen", dose_text="10 mg")
    med = medicines.list_medicines(mine)[0].id
    return {"person": pid, "entry_id": note, "product_id": oil.id, "medicine_id": med}


@pytest.fixture
def world(db: Database) -> Iterator[dict[str, object]]:
    """Ana (own account, shared with a caregiver and a clinician) and Ben (his own account, shared with nobody)."""
    ana = _journal_of(db, "Ana", "ms-spasticity")
    ben = _journal_of(db, "Ben", "dystonia")
    auth.add_account(db.for_person(ana["person"]), email="ana@example.org", role="person", password=PASSWORD)
    auth.add_account(db.for_person(ben["person"]), email="ben@example.org", role="person", password=PASSWORD)
    for email, role in (("carer@example.org", "caregiver"), ("doc@example.org", "clinician")):
        auth.add_account(db, email=email, role=role, password=PASSWORD)
        sharing.share(db, person="Ana", email=email, role=role)
    yield {"db": db, "ana": ana, "ben": ben}


def _client(actor: str) -> TestClient:
    client = make_client()
    email = {"owner": "ana@example.org", "caregiver": "carer@example.org", "clinician": "doc@example.org"}
    if actor in email:
        signed = client.post("/api/v1/signin", json={"email": email[actor], "password": PASSWORD})
        assert signed.status_code == 200, signed.text
    return client


def operations(client: TestClient) -> list[tuple[str, str]]:
    """(method, path) of every API operation, from the app's own OpenAPI document."""
    found = client.get("/openapi.json").json()["paths"]
    return sorted((m.upper(), p) for p, ops in found.items() for m in ops if p.startswith("/api/v1/"))


def _url(path: str, ids: dict[str, int]) -> str:
    values = {"kind": "note", "condition": "ms-spasticity", "alert_id": 1, **ids}
    return re.sub(r"\{(\w+)\}", lambda m: str(values[m.group(1)]), path) + f"?person={ids['person']}"


def _rows_of(db: Database, person_id: int) -> list[tuple[object, ...]]:
    out: list[tuple[object, ...]] = []
    with every_row(db) as conn:
        for table in PERSON_OWNED_TABLES:
            t = table.__table__
            out += sorted((tuple(r) for r in conn.execute(select(t).where(t.c.person_id == person_id))), key=repr)
    return out


def _allowed(actor: str, method: str, plain: str) -> bool:
    try:
        access.check_action({"owner": "person"}.get(actor, actor), method, plain)
    except Exception:  # noqa: BLE001 - NotAllowed: the role lacks the action
        return False
    return True


def _send(client: TestClient, method: str, url: str) -> tuple[int, str]:
    answer = client.request(method, url, json={} if method == "POST" else None)
    return answer.status_code, answer.text


@pytest.mark.parametrize("actor", ACTORS)
def test_no_operation_reads_or_writes_what_the_role_may_not(world: dict[str, object], actor: str) -> None:
    db, ana, ben = world["db"], world["ana"], world["ben"]
    assert isinstance(db, Database) and isinstance(ana, dict) and isinstance(ben, dict)
    client = _client(actor)
    ops = operations(make_client())
    assert len(ops) > 40
    ben_before = _rows_of(db, ben["person"])
    leaks, wrong = [], []
    for method, path in [op for op in ops if op[1] != SIGN_OUT] + [("POST", SIGN_OUT)]:
        plain = path.removeprefix("/api/v1")
        free = bool(PERSON_FREE.match(plain))
        for target, ids in (("own", ana), ("other", ben)):
            ana_before = _rows_of(db, ana["person"])
            status, body = _send(client, method, _url(path, ids))
            if "Ben oil" in body or "Ben private note" in body:
                leaks.append(f"{actor} {method} {plain} ({target}): Ben's data in the answer")
            if status >= 500:
                wrong.append(f"{actor} {method} {plain} ({target}): {status}")
            if free:
                continue
            if actor == "signed_out":
                if status != 401:
                    wrong.append(f"signed out {method} {plain} ({target}): {status}, not 401")
            elif target == "other":
                if status != 404 or access.NOT_YOURS not in body:
                    wrong.append(f"{actor} {method} {plain} (other person): {status}, not 404")
            elif not _allowed(actor, method, _url(plain, ids).split("?")[0]):
                if status != 403 or not ROLE_REFUSAL.search(body):
                    wrong.append(f"{actor} {method} {plain}: {status}, not 403")
                if _rows_of(db, ana["person"]) != ana_before:
                    leaks.append(f"{actor} {method} {plain}: refused, but Ana's journal changed")
            elif status == 401 or (status == 403 and ROLE_REFUSAL.search(body)) or access.NOT_YOURS in body:
                wrong.append(f"{actor} {method} {plain} (own/granted): refused with {status}")
    assert _rows_of(db, ben["person"]) == ben_before, "another person's journal changed"
    assert leaks == [], "\n".join(leaks)
    assert wrong == [], "\n".join(wrong)


def test_a_revoked_grant_counts_from_the_next_request(world: dict[str, object]) -> None:
    db, ana = world["db"], world["ana"]
    assert isinstance(db, Database) and isinstance(ana, dict)
    carer = _client("caregiver")
    assert carer.get(f"/api/v1/journal?person={ana['person']}").status_code == 200
    sharing.revoke(db, person="Ana", email="carer@example.org")
    answer = carer.get(f"/api/v1/journal?person={ana['person']}")
    assert answer.status_code == 404 and "Ana private note" not in answer.text
    assert carer.get("/api/v1/journal").status_code == 404  # nobody shares with them any more


def test_caregiver_entries_say_who_entered_them(world: dict[str, object]) -> None:
    ana = world["ana"]
    assert isinstance(ana, dict)
    carer, doc = _client("caregiver"), _client("clinician")
    where = f"?person={ana['person']}"
    logged = carer.post(f"/api/v1/journal/note{where}", json={"text": "slept well", "entered_by": "person"})
    assert logged.status_code == 201, logged.text
    entry = logged.json()["entry"]  # the form said "me"; the signed-in account is the truth
    assert (entry["entered_by"], entry["entered_by_account"]) == ("caregiver", "carer@example.org")
    noted = doc.post(f"/api/v1/journal/note{where}", json={"text": "Review in 4 weeks"}).json()["entry"]
    assert noted["entered_by_words"] == "entered by doc@example.org (clinician)"  # no longer "person"
    page = _client("owner").get("/journal").text
    assert "entered by carer@example.org (caregiver)" in page and "entered by doc@example.org (clinician)" in page


def test_one_accounts_request_id_never_answers_another_account(world: dict[str, object]) -> None:
    """Two accounts that happen to send the same Idempotency-Key each get their own write and answer."""
    db, ana, ben = world["db"], world["ana"], world["ben"]
    assert isinstance(db, Database) and isinstance(ana, dict) and isinstance(ben, dict)
    key = {"Idempotency-Key": "retry-00000001"}
    note = {"text": "a same-looking note"}
    ana_client, ben_client = _client("owner"), make_client()
    assert ben_client.post("/api/v1/signin", json={"email": "ben@example.org", "password": PASSWORD}).status_code == 200
    first = ana_client.post("/api/v1/journal/note", json=note, headers=key)
    second = ben_client.post("/api/v1/journal/note", json=note, headers=key)
    assert first.status_code == second.status_code == 201, second.text
    assert "idempotent-replayed" not in second.headers, "Ben was answered from Ana's stored answer"
    assert second.json()["entry"]["id"] != first.json()["entry"]["id"]
    again = ana_client.post("/api/v1/journal/note", json=note, headers=key)
    assert again.headers.get("idempotent-replayed") == "true" and again.json() == first.json()
    for who in (ana, ben):
        days = journal.read_journal(db.for_person(who["person"]), days=2).days
        texts = [e.note or e.item for d in days for e in d.entries]
        assert texts.count("a same-looking note") == 1


def test_the_dose_ceiling_is_the_clinicians_or_the_persons_never_the_caregivers(world: dict[str, object]) -> None:
    db, ana = world["db"], world["ana"]
    assert isinstance(db, Database) and isinstance(ana, dict)
    url = f"/api/v1/plan/ceiling?person={ana['person']}"
    carer, doc, owner = _client("caregiver"), _client("clinician"), _client("owner")
    before = _rows_of(db, ana["person"])
    for path in (url, url.replace("/ceiling", "/ceiling/clear")):
        refused = carer.post(path, json={"cbd_mg": "5"})
        assert refused.status_code == 403 and "dose ceiling" in refused.json()["error"]
    assert _rows_of(db, ana["person"]) == before
    assert 'action="/plan/ceiling"' not in carer.get(f"/plan?person={ana['person']}").text
    set_ = doc.post(url, json={"cbd_mg": "10", "note": "Liver tests pending"})
    assert set_.status_code == 200, set_.text
    assert set_.json()["ceiling"]["words"] == "Ceiling set by doc@example.org (clinician) on 21 November 2026"
    page = owner.get("/plan").text
    assert "Ceiling set by doc@example.org (clinician) on 21 November 2026: “Liver tests pending”" in page
    assert owner.post("/api/v1/plan/ceiling", json={"cbd_mg": "8"}).status_code == 200  # the person may lower it
    raised = owner.post("/api/v1/plan/ceiling", json={"cbd_mg": "20"})
    assert raised.status_code == 403 and "only a clinician can raise it" in raised.json()["error"]
    assert owner.post("/api/v1/plan/ceiling/clear", json={}).status_code == 403
    assert doc.post(url.replace("/ceiling", "/ceiling/clear"), json={}).status_code == 200
