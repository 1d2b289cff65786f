"""The layering rule of ARCHITECTURE.md: the core imports nothing above it, and edges skip no layer."""

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "dosewise"
CORE = ("model", "knowledge", "safety", "analysis")
FORBIDDEN_IN_CORE = (
    "dosewise.store",
    "dosewise.services",
    "dosewise.web",
    "dosewise.cli",
    "dosewise.reports",
    "sqlalchemy",
    "fastapi",
    "typer",
    "starlette",
    "alembic",
    "jinja2",
    "uvicorn",
)
FORBIDDEN_IN_EDGES = ("dosewise.store", "sqlalchemy")


def _imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
    return found


def _violations(packages: tuple[str, ...], forbidden: tuple[str, ...]) -> list[str]:
    bad = []
    for pkg in packages:
        for path in sorted((SRC / pkg).rglob("*.py")):
            for line, name in _imports(path):
                if any(name == f or name.startswith(f + ".") for f in forbidden):
                    bad.append(f"{path.relative_to(SRC)}:{line} imports {name}")
    return bad


def test_core_imports_nothing_above_it():
    assert _violations(CORE, FORBIDDEN_IN_CORE) == []


def test_edges_go_through_services():
    edges = tuple(p for p in ("cli", "web", "reports") if (SRC / p).exists())
    assert _violations(edges, FORBIDDEN_IN_EDGES) == []


def test_the_checker_itself_catches_a_violation(tmp_path):
    pkg = tmp_path / "model"
    pkg.mkdir()
    (pkg / "bad.py").write_text("from dosewise.store.tables import Base\nimport sqlalchemy.orm\n")
    globals()["SRC"] = tmp_path
    try:
        assert len(_violations(("model",), FORBIDDEN_IN_CORE)) == 2
    finally:
        globals()["SRC"] = Path(__file__).resolve().parents[2] / "src" / "dosewise"


@pytest.mark.parametrize("pkg", CORE)
def test_core_packages_exist(pkg):
    assert (SRC / pkg / "__init__.py").exists()
