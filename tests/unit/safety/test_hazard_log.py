"""docs/safety.md stays honest: every test it names exists, and every hazard row names at least one test."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
LOG = ROOT / "docs" / "safety.md"
REF = re.compile(r"`((?:tests/[\w/]+\.py)?)::(\w+)`")


def _rows():
    return [line for line in LOG.read_text(encoding="utf-8").splitlines() if re.match(r"\| H-\d+ ", line)]


def test_every_hazard_row_names_a_test():
    rows = _rows()
    assert len(rows) >= 30
    for row in rows:
        assert REF.search(row), f"hazard without a test: {row[:60]}"


def test_every_named_test_exists():
    missing = []
    for row in _rows():
        current = None
        for path, name in REF.findall(row):
            current = path or current
            assert current, f"test '{name}' has no file in: {row[:60]}"
            source = (ROOT / current).read_text(encoding="utf-8")
            if f"def {name}(" not in source:
                missing.append(f"{current}::{name}")
    assert missing == []


def test_every_hazard_id_is_used_once():
    ids = [row.split()[1] for row in _rows()]
    assert sorted(i for i in set(ids) if ids.count(i) > 1) == []
