"""Schemathesis against /openapi.json: every API operation, fed generated input (valid and invalid), answers
without a server error and as documented (status codes, content types, response schemas). In-process (ASGI),
on SQLite with the demo journal, bounded (a few examples per operation, a fixed seed) so it stays quick.
"""

from __future__ import annotations

import shutil
import warnings
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable

from dosewise.services import demo, runtime
from dosewise.store.db import Database
from tests.conftest import NOW, _reset_caches

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    import schemathesis
    from schemathesis.checks import not_a_server_error
    from schemathesis.generation.modes import GenerationMode
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        response_schema_conformance,
        status_code_conformance,
    )

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
EXAMPLES = 4  # per operation and mode (valid / invalid input): bounded, the whole run takes well under a minute
SLOW = {"GET /api/v1/report.pdf"}  # a PDF takes seconds to lay out: one example each
HOST = {"host": "127.0.0.1"}  # the app answers only to loopback names


@pytest.fixture(scope="session")
def _demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("fuzz-template") / "demo.db"
    db = Database(f"sqlite:///{path}")
    demo.load_demo(db, now=NOW)
    db.dispose()
    return path


@pytest.fixture
def api_app(_demo_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    target = tmp_path / "demo.db"
    shutil.copyfile(_demo_template, target)
    monkeypatch.setenv("DOSEWISE_DATABASE_URL", f"sqlite:///{target}")
    _reset_caches()
    runtime.open_database()
    from dosewise.web.app import create_app

    return create_app()


def _run(operation: Any, mode: GenerationMode, examples: int) -> list[str]:
    """Run ``examples`` generated cases of one operation; return the failures found (empty when none)."""
    failures: list[str] = []

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def check(case: Any) -> None:
        case.call_and_validate(headers=HOST, checks=CHECKS)

    try:
        check()
    except Unsatisfiable:  # no invalid input exists for this operation (a GET without parameters)
        pass
    except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 - collected and reported together, per operation
        failures.append(f"{operation.label} ({mode.value}): {str(exc)[:1500]}")
    return failures


def test_every_api_operation_answers_as_documented_and_never_with_a_server_error(api_app: Any) -> None:
    schema = schemathesis.openapi.from_asgi("/openapi.json", api_app, headers=HOST)
    failures: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 30
    for operation in operations:
        examples = 1 if operation.label in SLOW else EXAMPLES
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            failures += _run(operation, mode, examples)
    assert failures == [], "\n\n".join(failures)
