"""Several uvicorn workers behind a proxy: nothing about a user lives in one worker's memory.

Each ``Worker`` is its own app with its own process memory (database pool, analysis cache, purge timer),
swapped in while it answers, as two processes would have; both use one database. A sign-in made through
one is honoured by the other (and a sign-out through the other ends it), wrong passwords are counted
across both, and a write retried through the other worker with the same Idempotency-Key is written once.
On SQLite and on PostgreSQL (as the app's ordinary role, row-level security on).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest

from dosewise.services import analysis_cache, auth, idempotency, journal, runtime
from dosewise.store.db import Database
from tests.web.conftest import TOKEN, make_client

PASSWORD = "blue kettle on the stove 42"
DOSE = {"product": "Calm CBD oil 1000", "amount": "5 drops"}


class Worker:
    """One worker process: an app built by create_app() and the module state a process keeps to itself."""

    def __init__(self) -> None:
        self.databases: dict[str, Database] = {}
        self.cache: OrderedDict[Any, Any] = OrderedDict()
        self.purged: list[Any] = []
        with self.running():
            self.client = make_client()

    @contextmanager
    def running(self) -> Iterator[None]:
        saved = runtime._databases, analysis_cache._entries, idempotency._last_purge
        runtime._databases, analysis_cache._entries, idempotency._last_purge = (
            self.databases,
            self.cache,
            self.purged,
        )
        try:
            yield
        finally:
            runtime._databases, analysis_cache._entries, idempotency._last_purge = saved

    def get(self, url: str, **kw: Any) -> httpx.Response:
        with self.running():
            return self.client.get(url, **kw)

    def post(self, url: str, **kw: Any) -> httpx.Response:
        with self.running():
            return self.client.post(url, **kw)

    def close(self) -> None:
        for database in self.databases.values():
            database.dispose()


@pytest.fixture
def workers(person: Database) -> Iterator[tuple[Worker, Worker]]:
    one, two = Worker(), Worker()
    yield one, two
    one.close()
    two.close()


@pytest.fixture
def ana_account(person: Database, cheap_hashes: None) -> auth.AccountOut:
    return auth.add_account(person, email="ana@example.org", role="person", password=PASSWORD)


def _sign_in(worker: Worker, password: str = PASSWORD) -> httpx.Response:
    return worker.post("/api/v1/signin", json={"email": "ana@example.org", "password": password})


def test_a_sign_in_on_one_worker_is_honoured_by_the_other(
    workers: tuple[Worker, Worker], ana_account: auth.AccountOut
) -> None:
    one, two = workers
    assert two.get("/api/v1/today").status_code == 401  # not signed in anywhere yet
    assert _sign_in(one).status_code == 200
    two.client.cookies.update(one.client.cookies)  # the proxy sends the browser's next request to the other
    today = two.get("/api/v1/today")
    assert today.status_code == 200 and today.json()["frame"]["person_name"] == "Ana"
    csrf = TOKEN.search(one.get("/today").text)  # a form token made by one worker, checked by the other
    assert csrf is not None
    assert two.post("/signout", data={"csrf_token": csrf.group(1)}).status_code == 303
    assert one.get("/api/v1/today").status_code == 401  # signed out through the other worker: over here too


def test_wrong_passwords_are_counted_across_workers(
    workers: tuple[Worker, Worker], ana_account: auth.AccountOut
) -> None:
    one, two = workers
    for i in range(auth.LOCK_AFTER):
        assert _sign_in((one, two)[i % 2], password="wrong password!!").status_code == 401
    for worker in (one, two):  # neither worker alone saw LOCK_AFTER wrong passwords; together they did
        locked = _sign_in(worker)
        assert locked.status_code == 429 and "locked" in locked.text


def test_a_write_retried_through_the_other_worker_is_written_once(
    workers: tuple[Worker, Worker], person: Database
) -> None:
    one, two = workers
    key = {"Idempotency-Key": "phone-1234-abcd"}
    first = one.post("/api/v1/today/dose", json=DOSE, headers=key)
    assert first.status_code == 201
    again = two.post("/api/v1/today/dose", json=DOSE, headers=key)  # the answer was lost; the retry lands elsewhere
    assert again.status_code == 201 and again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    doses = [e.amount_text for d in journal.read_journal(person, days=2).days for e in d.entries if e.kind == "dose"]
    assert doses == ["5 drops"]
    assert one.databases and two.databases and one.databases != two.databases  # two pools, one database
