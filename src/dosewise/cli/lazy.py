"""Fast start for the CLI: every command is listed from its source and imported only when it runs.

Each module in ``dosewise.cli.commands`` defines ``register(app)``. Importing them all at start-up would load
every command's libraries (scipy, WeasyPrint, the FHIR models, Alembic, ...) before ``dosewise log`` could
write one line. Instead the root group reads each module's ``register`` body with ``ast`` to learn the names
it registers and their help, lists them in ``--help`` from that, and imports a module only when one of its
commands runs. What was read is cached next to the byte code, keyed by the size and mtime of each file and
of this reader.

A module whose ``register`` does something this reader does not follow (a computed name or help text, a help
panel, a group callback) is imported at start-up and registered as before: new commands always join, at worst
eagerly. tests/unit/test_cli_fast_start.py checks that every current module is read lazily and that the lazy
``--help`` is the same as the eager one.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import json
import os
import pkgutil
from dataclasses import asdict, dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup

_CACHE_NAME = "dosewise-lazy-commands.json"
_SHOWN = ("help", "short_help", "hidden", "deprecated", "rich_help_panel")


@dataclass(frozen=True)
class Entry:
    """One command (or command group) a module registers, as ``--help`` lists it."""

    name: str
    module: str
    help: str | None = None
    short_help: str | None = None
    hidden: bool = False
    deprecated: bool = False
    group: bool = False


class Opaque(Exception):
    """The module's ``register`` is not a plain list of ``add_typer`` / ``command`` calls."""


def _constants(call: ast.Call, keys: tuple[str, ...]) -> dict[str, Any]:
    """Keyword arguments of ``call`` that change how a command is listed; each must be a literal."""
    out: dict[str, Any] = {}
    for kw in call.keywords:
        if kw.arg is None:
            raise Opaque("**kwargs")
        if kw.arg in keys:
            if not isinstance(kw.value, ast.Constant):
                raise Opaque(f"{kw.arg} is computed")
            out[kw.arg] = kw.value.value
    if out.get("rich_help_panel"):
        raise Opaque("help panels are not read")
    return out


def _is_method(node: ast.expr, owner: str, name: str) -> bool:
    return (
        isinstance(node, ast.Attribute)
        and node.attr == name
        and isinstance(node.value, ast.Name)
        and node.value.id == owner
    )


class _Reader:
    """Reads one command module's source."""

    def __init__(self, module: str, source: str) -> None:
        self.module = module
        self.tree = ast.parse(source)
        self.functions = {n.name: n for n in self.tree.body if isinstance(n, ast.FunctionDef)}

    def entries(self) -> list[Entry]:
        register = self.functions.get("register")
        if register is None or not register.args.args:
            raise Opaque("no register(app)")
        app = register.args.args[0].arg
        out = []
        for stmt in register.body:
            if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant):
                continue  # a docstring
            if not isinstance(stmt, ast.Expr) or not isinstance(stmt.value, ast.Call):
                raise Opaque("register does more than register")
            out.append(self._entry(app, stmt.value))
        return out

    def _entry(self, app: str, call: ast.Call) -> Entry:
        if _is_method(call.func, app, "add_typer"):
            return self._group(call)
        if isinstance(call.func, ast.Call) and _is_method(call.func.func, app, "command"):
            return self._command(call.func, call.args)
        raise Opaque("unknown registration")

    def _command(self, decorator: ast.Call, args: list[ast.expr]) -> Entry:
        if len(args) != 1 or not isinstance(args[0], ast.Name) or args[0].id not in self.functions:
            raise Opaque("command of a function not defined here")
        shown = _constants(decorator, ("name", *_SHOWN))
        if decorator.args:
            if not isinstance(decorator.args[0], ast.Constant):
                raise Opaque("computed name")
            shown["name"] = decorator.args[0].value
        func = self.functions[args[0].id]
        name = shown.pop("name", None) or func.name.lower().replace("_", "-")  # Typer's default name
        if shown.get("help") is not None:
            shown["help"] = inspect.cleandoc(shown["help"])
        else:
            shown["help"] = ast.get_docstring(func)
        return Entry(name=name, module=self.module, **shown)

    def _group(self, call: ast.Call) -> Entry:
        if len(call.args) != 1 or not isinstance(call.args[0], ast.Name):
            raise Opaque("add_typer of an expression")
        shown = _constants(call, ("name", *_SHOWN))
        name = shown.pop("name", None)
        if not name:
            raise Opaque("group without a literal name")
        typer_call = self._typer_of(call.args[0].id)
        own = _constants(typer_call, _SHOWN)
        merged = {**own, **{k: v for k, v in shown.items() if v is not None}}
        if merged.get("help") is None:
            raise Opaque("group help comes from a callback")
        merged["help"] = inspect.cleandoc(merged["help"])
        return Entry(name=name, module=self.module, group=True, **merged)

    def _typer_of(self, variable: str) -> ast.Call:
        found = None
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Call) and _is_method(node.func, variable, "callback"):
                if any(kw.arg in (None, "help") for kw in node.keywords):
                    raise Opaque("group help set on its callback")  # it would win over Typer(help=...)
            if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == variable for t in node.targets):
                if not (isinstance(node.value, ast.Call) and _is_method(node.value.func, "typer", "Typer")):
                    raise Opaque("group is not typer.Typer(...)")
                found = node.value
        if found is None:
            raise Opaque("group not defined here")
        return found


def read_module(module: str, path: Path) -> list[Entry]:
    """Return the commands ``module`` (at ``path``) registers; raise Opaque if they cannot be read."""
    return _Reader(module, path.read_text(encoding="utf-8")).entries()


def _cache_path(package: ModuleType) -> Path:
    return Path(package.__path__[0]) / "__pycache__" / _CACHE_NAME


def _stamp(path: Path) -> list[int]:
    st = path.stat()
    return [st.st_mtime_ns, st.st_size]


def _reader_stamp() -> list[int]:
    """This file's stamp: a cache written by another version of the reader is not trusted."""
    return _stamp(Path(__file__))


def _load_cache(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data.get("modules", {}) if data.get("reader") == _reader_stamp() else {}


def _save_cache(path: Path, modules: dict[str, Any]) -> None:
    """Best effort: a read-only install simply reads the sources again next time."""
    try:
        path.parent.mkdir(exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps({"reader": _reader_stamp(), "modules": modules}), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        pass


def scan(package: ModuleType) -> tuple[list[Entry], list[str]]:
    """Return (lazily listed entries, modules to import now), modules in name order."""
    cache_path = _cache_path(package)
    cached = _load_cache(cache_path)
    fresh: dict[str, Any] = {}
    entries: list[Entry] = []
    eager: list[str] = []
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        module = f"{package.__name__}.{info.name}"
        path = Path(package.__path__[0]) / f"{info.name}.py"
        if not path.is_file():
            eager.append(module)
            continue
        stamp = _stamp(path)
        hit = cached.get(info.name)
        if hit and hit["stamp"] == stamp:
            found = hit["entries"]
        else:
            try:
                found = [asdict(e) for e in read_module(module, path)]
            except Opaque:
                found = None
        fresh[info.name] = {"stamp": stamp, "entries": found}
        if found is None:
            eager.append(module)
        else:
            entries.extend(Entry(**e) for e in found)
    if fresh != cached:
        _save_cache(cache_path, fresh)
    return entries, eager


def _placeholder(entry: Entry) -> TyperCommand:
    """What ``--help`` lists for a command not imported yet (never run: resolve_command swaps it)."""
    return TyperCommand(
        entry.name,
        help=entry.help,
        short_help=entry.short_help,
        hidden=entry.hidden,
        deprecated=entry.deprecated,
    )


class LazyGroup(TyperGroup):
    """The root group: lists placeholders, imports a command's module when the command is resolved to run.

    ``register_all`` makes one subclass per app holding that app's ``lazy`` entries and listing ``order``.
    """

    lazy: dict[str, Entry] = {}
    order: list[str] = []

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        for name, entry in self.lazy.items():
            self.commands.setdefault(name, _placeholder(entry))
        listed = {n: self.commands[n] for n in self.order if n in self.commands}
        self.commands = {**listed, **self.commands}  # anything unforeseen keeps its place at the end
        self._loaded: set[str] = set()

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        if args:
            name = args[0]
            if name not in self.lazy and ctx.token_normalize_func is not None:
                name = ctx.token_normalize_func(name)
            self.load(name)
        return super().resolve_command(ctx, args)

    def load(self, name: str) -> None:
        """Import the module of command ``name`` and put its real command in place of the placeholder."""
        entry = self.lazy.get(name)
        if entry is None or entry.module in self._loaded:
            return
        own = typer.Typer()
        importlib.import_module(entry.module).register(own)
        real = typer.main.get_group(own).commands
        for sibling in self.lazy.values():
            if sibling.module == entry.module and sibling.name in real:
                self.commands[sibling.name] = real[sibling.name]
        self._loaded.add(entry.module)


def register_all(app: typer.Typer, package: ModuleType) -> None:
    """Make ``app`` list every command in ``package``: read lazily where possible, else imported now.

    The listing keeps Typer's order: every module's commands (modules by name), then every module's groups.
    """
    entries, eager = scan(package)
    by_module: dict[str, list[Entry]] = {}
    for entry in entries:
        by_module.setdefault(entry.module, []).append(entry)
    commands: list[str] = []
    groups: list[str] = []
    for module in sorted({*by_module, *eager}):
        if module in eager:
            seen_commands, seen_groups = len(app.registered_commands), len(app.registered_groups)
            importlib.import_module(module).register(app)
            commands += [
                c.name or typer.main.get_command_name(c.callback.__name__)
                for c in app.registered_commands[seen_commands:]
                if c.callback is not None
            ]
            groups += [g.name for g in app.registered_groups[seen_groups:] if isinstance(g.name, str)]
        else:
            commands += [e.name for e in by_module[module] if not e.group]
            groups += [e.name for e in by_module[module] if e.group]
    lazy = {e.name: e for e in entries}
    app.info.cls = type("LazyRootGroup", (LazyGroup,), {"lazy": lazy, "order": commands + groups})
