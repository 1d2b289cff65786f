"""Many pages at once: each page holds a database connection only while it reads, so 40 people opening Today
together all get it (none waits on the others for a connection until the pool gives up)."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import httpx

from dosewise.store.db import Database
from tests.web.conftest import make_client


def test_forty_pages_opened_at_once_all_answer(ana: Database) -> None:
    app = make_client().app

    async def open_pages() -> list[int]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as browser:
            answers = await asyncio.gather(*(browser.get(page) for page in ["/today", "/plan", "/insights"] * 14))
        return [a.status_code for a in answers]

    # Its own thread and event loop: Playwright's sync API keeps a loop running in this thread when a browser
    # test ran earlier in the same pytest worker, and asyncio.run() refuses to start inside a running loop.
    with ThreadPoolExecutor(max_workers=1) as runner:
        answers = runner.submit(asyncio.run, open_pages()).result()
    assert answers == [200] * 42
