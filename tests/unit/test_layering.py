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
FORBIDDEN_IN_EDGES = ("dosewise.store", "sqlalchemy", *(f"dosewise.{pkg}" for pkg in CORE))
# The one part of the core an edge may read directly: the vocabulary of labels (model/vocab.py).
ALLOWED_IN_EDGES = ("dosewise.model.vocab",)


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
                if name in ALLOWED_IN_EDGES:
                    continue
                if any(name == f or name.startswith(f + ".") for f in forbidden):
                    bad.append(f"{path.relative_to(SRC)}:{line} imports {name}")
    return bad


def test_core_imports_nothing_above_it():
    assert _violations(CORE, FORBIDDEN_IN_CORE) == []


def test_edges_go_through_services():
    """cli/, web/ and reports/ import services, errors, config, clock and the vocabulary; never store or core."""
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


def _module_graph(root: Path) -> dict[str, set[str]]:
    """Return each dosewise module's dosewise imports (module level and inside functions alike)."""
    names = {}
    for path in root.rglob("*.py"):
        parts = path.relative_to(root.parent).with_suffix("").parts
        names[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    graph: dict[str, set[str]] = {}
    for name, path in names.items():
        deps = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                deps |= {
                    f"{node.module}.{a.name}" if f"{node.module}.{a.name}" in names else node.module for a in node.names
                }
            elif isinstance(node, ast.Import):
                deps |= {a.name for a in node.names}
        graph[name] = {d for d in deps if d in names and d != name}
    return graph


def import_cycles(root: Path) -> list[list[str]]:
    """Return every group of modules that import each other, directly or round a loop."""
    graph, order, low, stack, cycles = _module_graph(root), {}, {}, [], []

    def visit(v: str) -> None:
        order[v] = low[v] = len(order)
        stack.append(v)
        for w in graph[v]:
            if w not in order:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], order[w])
        if low[v] == order[v]:
            group = []
            while not group or group[-1] != v:
                group.append(stack.pop())
            if len(group) > 1:
                cycles.append(sorted(group))

    for v in sorted(graph):
        if v not in order:
            visit(v)
    return cycles


def test_no_import_cycle():
    assert import_cycles(SRC) == []


def test_the_cycle_finder_finds_a_cycle(tmp_path):
    pkg = tmp_path / "dosewise" / "services"
    pkg.mkdir(parents=True)
    (tmp_path / "dosewise" / "__init__.py").write_text("")
    (pkg / "__init__.py").write_text("")
    (pkg / "insights.py").write_text("from dosewise.services.trials import latest\n")
    (pkg / "trials.py").write_text("def analyze():\n    from dosewise.services import insights\n")
    assert import_cycles(tmp_path / "dosewise") == [["dosewise.services.insights", "dosewise.services.trials"]]
