"""docs/architecture.md stays true: every web route and CLI command is in its map; nothing points outside."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src" / "dosewise"
DOC = ROOT / "docs" / "architecture.md"


def _literal(node: ast.expr | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def web_routes() -> set[str]:
    """Return 'METHOD /path' for every route in web/routes/ (read from the decorators)."""
    found = set()
    for path in (SRC / "web" / "routes").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.args:
                owner = node.func.value
                if isinstance(owner, ast.Name) and owner.id == "router" and node.func.attr in ("get", "post"):
                    route = _literal(node.args[0])
                    if route is not None:
                        found.add(f"{node.func.attr.upper()} {route}")
    return found


def cli_commands() -> set[str]:
    """Return every CLI command as typed ('log dose', 'serve'), read from each module's register()."""
    found = set()
    for path in (SRC / "cli" / "commands").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        groups: dict[str, str] = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "add_typer":
                name = next((_literal(k.value) for k in node.keywords if k.arg == "name"), None)
                if name and isinstance(node.args[0], ast.Name):
                    groups[node.args[0].id] = name
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "command":
                owner, name = node.func.value, _literal(node.args[0]) if node.args else None
                if name and isinstance(owner, ast.Name):
                    found.add(f"{groups[owner.id]} {name}" if owner.id in groups else name)
        found |= set(groups.values())
    return found


def _mentioned(doc: str, method: str, route: str) -> bool:
    pattern = rf"`(GET/POST|{method}) {re.escape(route)}`"
    return re.search(pattern, doc) is not None


def test_every_web_route_is_in_the_map():
    doc = DOC.read_text(encoding="utf-8")
    routes = web_routes()
    assert len(routes) > 30
    missing = sorted(r for r in routes if not _mentioned(doc, *r.split(" ", 1)))
    assert missing == []


def test_every_cli_command_is_in_the_map():
    doc = DOC.read_text(encoding="utf-8")
    commands = cli_commands()
    assert {"log dose", "med stop", "serve", "alerts ack"} <= commands
    missing = sorted(c for c in commands if not re.search(rf"`{re.escape(c)}( [^`]*)?`", doc))
    assert missing == []


def test_the_docs_point_inside_the_repository():
    paths = [ROOT / "README.md", *(ROOT / "docs").glob("*.md"), *SRC.rglob("*.py"), *SRC.rglob("*.yaml")]
    for path in paths:
        text = path.read_text(encoding="utf-8")
        assert "../shared" not in text and "/shared/reference" not in text, path
        assert "personal-analysis-methods.md" not in text, path
