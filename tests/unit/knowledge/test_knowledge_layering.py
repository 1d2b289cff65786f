"""The knowledge core stays pure: it imports no store, services, web, cli, reports or frameworks."""

from __future__ import annotations

import ast
from pathlib import Path

import dosewise.knowledge

FORBIDDEN = (
    "dosewise.store",
    "dosewise.services",
    "dosewise.web",
    "dosewise.cli",
    "dosewise.reports",
    "sqlalchemy",
    "fastapi",
    "typer",
)


def test_knowledge_modules_import_nothing_from_the_outer_layers():
    folder = Path(dosewise.knowledge.__file__).parent
    for path in folder.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
        names += [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
        bad = [n for n in names if n.startswith(FORBIDDEN)]
        assert not bad, f"{path.name} imports {bad}"
