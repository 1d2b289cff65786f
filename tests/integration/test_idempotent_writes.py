"""A retried write answers what the first one did: one dose, not two (issue 11).

Every form carries a hidden ``request_id``; JSON clients send ``Idempotency-Key``. The write and the token's
record commit together, so a retry after a lost answer returns the first answer and writes nothing; the
same token with a different request is refused and changes nothing; two requests with one token at the
same moment write once. On SQLite and PostgreSQL.
"""

from __future__ import annotations

import re
import threading
import warnings
from datetime import timedelta

import pytest

from dosewise import clock
from dosewise.services import idempotency, journal
from dosewise.store.db import Database
from tests.helpers import snapshot

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
REQUEST_ID = re.compile(r'name="request_id" value="([^"]+)"')
DOSE = {"product": "Calm CBD oil 1000", "amount": "5 drops"}


def _client() -> TestClient:
    from dosewise.web.app import create_app

    return TestClient(create_app(), base_url="http://127.0.0.1", follow_redirects=False)


def _doses(db: Database) -> list[str]:
    return [e.amount_text for d in journal.read_journal(db, days=2).days for e in d.entries if e.kind == "dose"]


def _form(client: TestClient) -> dict[str, str]:
    """The hidden fields of the Today page's first form, as a browser would post them."""
    page = client.get("/today").text
    csrf, request_id = CSRF.search(page), REQUEST_ID.search(page)
    assert csrf and request_id, "every form carries a CSRF token and a request id"
    return {"csrf_token": csrf.group(1), "request_id": request_id.group(1)}


def test_every_form_carries_its_own_fresh_request_id(person: Database) -> None:
    client = _client()
    page = client.get("/today").text
    ids = REQUEST_ID.findall(page)
    assert len(ids) == len(re.findall(r'<form method="post"', page)) > 3
    assert len(set(ids)) == len(ids)
    assert set(REQUEST_ID.findall(client.get("/today").text)).isdisjoint(ids)


def test_a_retried_dose_form_answers_the_first_redirect_and_logs_one_dose(person: Database) -> None:
    client = _client()
    data = {**DOSE, **_form(client)}
    first = client.post("/today/dose", data=data)
    assert first.status_code == 303
    clock.advance(timedelta(minutes=2))  # the browser retries a little later (the answer was lost)
    again = client.post("/today/dose", data=data)
    assert again.status_code == 303 and again.headers["location"] == first.headers["location"]
    assert again.headers["idempotent-replayed"] == "true"
    assert _doses(person) == ["5 drops"]


def test_a_retried_api_dose_answers_the_first_json_and_logs_one_dose(person: Database) -> None:
    client = _client()
    key = {"Idempotency-Key": "phone-1234-abcd"}
    first = client.post("/api/v1/today/dose", json=DOSE, headers=key)
    assert first.status_code == 201
    for _ in range(3):
        again = client.post("/api/v1/today/dose", json=DOSE, headers=key)
        assert again.status_code == 201 and again.json() == first.json()
        assert again.headers["content-type"] == "application/json"
    assert _doses(person) == ["5 drops"]
    other = client.post("/api/v1/today/dose", json={**DOSE, "request_id": "phone-5678-efgh"})
    assert other.status_code == 409, "a new request id is a new request: the double-press guard still asks"


def test_a_form_post_whose_answer_was_lost_then_sent_from_the_phone_queue_logs_one_dose(person: Database) -> None:
    """The phone posted the check-in form; the answer never came back, so offline.js kept it and later sends it
    to the JSON API with the form's own request_id as Idempotency-Key: the dose is in the journal once."""
    client = _client()
    form = _form(client)
    first = client.post("/today/dose", data={**DOSE, **form})
    assert first.status_code == 303
    clock.advance(timedelta(minutes=5))
    queued = client.post("/api/v1/today/dose", json=DOSE, headers={"Idempotency-Key": form["request_id"]})
    assert queued.status_code < 400 and queued.headers["idempotent-replayed"] == "true"
    assert _doses(person) == ["5 drops"]


def test_a_token_used_for_another_request_is_refused_and_changes_nothing(person: Database) -> None:
    client = _client()
    key = {"Idempotency-Key": "phone-1234-abcd"}
    assert client.post("/api/v1/today/dose", json=DOSE, headers=key).status_code == 201
    before = snapshot(person)
    reused = client.post("/api/v1/today/dose", json={**DOSE, "amount": "50 drops"}, headers=key)
    assert reused.status_code == 422
    assert "already used for a different request" in reused.json()["error"]
    elsewhere = client.post("/api/v1/today/rating", json={"value": 3}, headers=key)
    assert elsewhere.status_code == 422
    form = _form(client)
    page = client.post("/today/rating", data={"value": "4", **form})
    assert page.status_code == 303
    page_reused = client.post("/today/rating", data={"value": "7", **form})
    assert page_reused.status_code == 422
    assert "already used" in page_reused.text
    after = snapshot(person)
    assert {k: v for k, v in after.items() if k not in ("request_token", "rating")} == {
        k: v for k, v in before.items() if k not in ("request_token", "rating")
    }
    assert [e.value for d in journal.read_journal(person, days=2).days for e in d.entries if e.kind == "rating"] == [4]


def test_a_refused_write_keeps_nothing_so_the_corrected_form_can_be_sent(person: Database) -> None:
    client = _client()
    form = _form(client)
    bad = client.post("/today/rating", data={"value": "11", **form})
    assert bad.status_code == 400
    good = client.post("/today/rating", data={"value": "5", **form})
    assert good.status_code == 303 and "idempotent-replayed" not in good.headers


def test_a_malformed_key_is_a_clear_400(person: Database) -> None:
    before = snapshot(person)
    r = _client().post("/api/v1/today/dose", json=DOSE, headers={"Idempotency-Key": "x"})
    assert r.status_code == 400 and "Idempotency-Key" in r.json()["error"]
    assert snapshot(person) == before


def test_writes_without_a_token_still_work(person: Database) -> None:
    assert _client().post("/api/v1/today/dose", json=DOSE).status_code == 201
    assert _doses(person) == ["5 drops"]


def test_two_requests_with_one_token_at_the_same_moment_write_once(person: Database) -> None:
    key = {"Idempotency-Key": "same-moment-0001"}
    answers: list[int] = []
    start = threading.Barrier(4)
    clients = [_client() for _ in range(4)]

    def post(client: TestClient) -> None:
        start.wait()
        answers.append(client.post("/api/v1/today/dose", json=DOSE, headers=key).status_code)

    threads = [threading.Thread(target=post, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert answers == [201, 201, 201, 201]
    assert _doses(person) == ["5 drops"]


def test_a_claimed_token_makes_the_second_claim_wait_for_the_first_answer(person: Database) -> None:
    """The service itself: while the first write is open, a second claim waits, then answers the first answer."""
    digest = idempotency.fingerprint("POST", "/x", [("a", "1")])
    first = idempotency.begin_write(person, token="tok-00000001", method="POST", path="/x", digest=digest)
    assert isinstance(first, idempotency.PendingWrite)
    second: list[object] = []
    waiting = threading.Thread(
        target=lambda: second.append(
            idempotency.begin_write(person, token="tok-00000001", method="POST", path="/x", digest=digest)
        )
    )
    waiting.start()
    waiting.join(timeout=1)
    assert waiting.is_alive(), "the second claim waits while the first write is open"
    joined = idempotency.join(first)
    try:
        journal.record_note(person, text="written once")
    finally:
        idempotency.leave(joined)
    idempotency.finish_write(person, first, idempotency.Answer(201, [("content-type", "application/json")], b"{}"))
    waiting.join(timeout=30)
    assert second == [idempotency.Answer(201, [("content-type", "application/json")], b"{}")]
    notes = [e for d in journal.read_journal(person, days=2).days for e in d.entries if e.kind == "note"]
    assert len(notes) == 1


def test_old_tokens_are_purged_after_a_day(person: Database) -> None:
    client = _client()
    key = {"Idempotency-Key": "old-token-0001"}
    assert client.post("/api/v1/today/rating", json={"value": 3}, headers=key).status_code == 201
    clock.advance(timedelta(hours=idempotency.KEEP_HOURS + 1))
    idempotency._last_purge.clear()
    later = client.post("/api/v1/today/rating", json={"value": 4}, headers={"Idempotency-Key": "new-token-01"})
    assert later.status_code == 201
    kept = [row[0] for row in snapshot(person)["request_token"]]
    assert kept == [idempotency.scoped_token("local", "new-token-01")]  # stored per caller, never as sent


@pytest.mark.parametrize("path", ["/today/dose", "/api/v1/today/dose"])
def test_a_write_that_fails_inside_rolls_back_everything(person: Database, path: str) -> None:
    """A refused dose (unknown product) with a token: no dose, no token kept."""
    client = _client()
    before = snapshot(person)
    data = {"product": "No such oil", "amount": "5 drops"}
    r = (
        client.post(path, data={**data, **_form(client)})
        if not path.startswith("/api")
        else client.post(path, json=data, headers={"Idempotency-Key": "unknown-product-1"})
    )
    assert r.status_code == 404
    assert snapshot(person) == before
