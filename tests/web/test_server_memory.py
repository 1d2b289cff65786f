"""A started server keeps the garbage collector out of the way of pages (issue 16): what start-up loaded is
frozen, and young collections come every GEN0_THRESHOLD allocations rather than Python's 700."""

from __future__ import annotations

import gc

from dosewise.web.app import GEN0_THRESHOLD
from tests.web.conftest import make_client


def test_a_started_server_freezes_start_up_and_collects_young_objects_less_often(ana):
    before = gc.get_threshold()
    gc.set_threshold(700, *before[1:])
    try:
        with make_client() as client:  # the lifespan runs, as uvicorn runs it before the first request
            assert client.get("/today").status_code == 200
            assert gc.get_threshold()[0] == GEN0_THRESHOLD > 700
            assert gc.get_freeze_count() > 0
    finally:
        gc.set_threshold(*before)
