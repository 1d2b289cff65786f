"""The CLI starts fast: a quick log or a look at the journal never loads what other commands need.

Heavy libraries (scipy, numpy, WeasyPrint, the FHIR models, Alembic) are checked in ``sys.modules`` of a real
``dosewise`` process; command modules are read lazily (dosewise.cli.lazy) and list the same help as when
they are all imported.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import typer

from dosewise.cli import commands, lazy
from dosewise.store import db as store_db
from tests.conftest import NOW

HEAVY = ("scipy", "numpy", "weasyprint", "fhir", "fhir_core", "alembic")
PROBE = textwrap.dedent(
    """
    import json, sys
    out = sys.argv[1]
    from dosewise.cli.app import run
    code = run(sys.argv[2:]) if len(sys.argv) > 2 else 0
    with open(out, "w") as f:
        json.dump({"code": code, "modules": sorted(sys.modules)}, f)
    """
)


def _probe(tmp_path: Path, *args: str) -> tuple[int, list[str], str]:
    """Run dosewise ARGS in a fresh Python; return its exit code, the heavy modules it loaded, its output."""
    out = tmp_path / "probe.json"
    env = {**os.environ, "DOSEWISE_NOW": NOW.isoformat()}
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, str(out), *args], capture_output=True, text=True, env=env, timeout=120
    )
    assert out.exists(), proc.stderr
    data = json.loads(out.read_text())
    heavy = [m for m in data["modules"] if m.split(".")[0] in HEAVY]
    return data["code"], heavy, proc.stdout + proc.stderr


def test_importing_the_cli_loads_no_heavy_library(tmp_path):
    code, heavy, _ = _probe(tmp_path)
    assert code == 0
    assert heavy == []


def test_help_loads_no_heavy_library_and_lists_every_command(tmp_path):
    code, heavy, output = _probe(tmp_path, "--help")
    assert code == 0
    assert heavy == []
    for name in ("log", "journal", "analyze", "report", "export", "serve", "plan", "trial"):
        assert f" {name} " in output


def test_log_and_journal_load_no_heavy_library(person, tmp_path):
    code, heavy, output = _probe(tmp_path, "log", "rating", "spasticity", "6")
    assert code == 0, output
    assert "Logged rating: spasticity 6" in output
    assert heavy == []
    code, heavy, output = _probe(tmp_path, "journal", "--days", "2")
    assert code == 0, output
    assert "spasticity" in output
    assert heavy == []


# What a rating does not need: the YAML parser (knowledge files are read from their parse cache), the fuzzy
# matcher and the drug list (only a rule that needs the person's medicines names them), a settings framework,
# the knowledge base's references, label reading.
NOT_FOR_A_RATING = (
    "yaml",
    "rapidfuzz",
    "pydantic_settings",
    "dosewise.safety.drugs",
    "dosewise.safety.interactions",
    "dosewise.knowledge.references",
    "dosewise.services.products",
    "dosewise.services.schemas",
)


def _loaded(tmp_path: Path, *args: str) -> list[str]:
    out = tmp_path / "probe.json"
    env = {**os.environ, "DOSEWISE_NOW": NOW.isoformat()}
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, str(out), *args], capture_output=True, text=True, env=env, timeout=120
    )
    assert out.exists(), proc.stderr
    data = json.loads(out.read_text())
    assert data["code"] == 0, proc.stdout + proc.stderr
    return data["modules"]


def test_a_rating_loads_neither_the_drug_list_nor_yaml_nor_a_settings_framework(person, tmp_path):
    _loaded(tmp_path, "log", "note", "first run fills the knowledge parse cache")
    modules = _loaded(tmp_path, "log", "rating", "spasticity", "6")
    assert [m for m in modules if m in NOT_FOR_A_RATING or m.split(".")[0] in NOT_FOR_A_RATING] == []
    modules = _loaded(tmp_path, "journal", "--days", "2")
    assert [m for m in modules if m in NOT_FOR_A_RATING or m.split(".")[0] in NOT_FOR_A_RATING] == []


# What a log or a look at the journal does without (issue 16): pydantic altogether (Typer's converters for the
# command-line values: dosewise.cli.quick_params; the red-flag rules are dataclasses read back validated), the
# fuzzy matcher and the references (a rule naming a medicine looks it up exactly), the product editor.
NOT_ON_THE_LOG_PATH = (
    "typer._adapters",
    "pydantic.main",
    "pydantic.type_adapter",
    "rapidfuzz",
    "dosewise.knowledge.references",
    "dosewise.services.products",
)


@pytest.mark.parametrize(
    "args",
    [
        ("log", "rating", "spasticity", "6"),
        ("log", "dose", "Calm CBD oil 1000", "5 drops"),
        ("log", "note", "a quiet day"),
        ("log", "side-effect", "drowsiness", "--severity", "moderate"),
        ("log", "symptom", "fever"),
        ("log", "measure", "weight", "64.5"),
        ("log", "assessment", "alsfrs-r", *["4"] * 12),
        ("journal", "--days", "2"),
    ],
)
def test_log_and_journal_load_no_pydantic_nor_fuzzy_matcher(person, tmp_path, args):
    _loaded(tmp_path, "log", "note", "first run fills the knowledge parse cache")
    modules = _loaded(tmp_path, *args)
    assert "dosewise.services.journal" in modules  # the command did run
    assert [m for m in modules if m in NOT_ON_THE_LOG_PATH or m.split(".")[0] in NOT_ON_THE_LOG_PATH] == []


def _console_script(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the installed ``dosewise`` console script (main: quick start and quick exit) in a fresh process."""
    script = Path(sys.executable).with_name("dosewise")
    env = {**os.environ, "DOSEWISE_NOW": NOW.isoformat()}
    return subprocess.run([str(script), *args], capture_output=True, text=True, env=env, timeout=120)


def test_the_console_script_ends_quickly_with_all_its_output_and_exit_code(person, tmp_path):
    logged = _console_script("log", "rating", "spasticity", "6")
    assert (logged.returncode, logged.stdout.startswith("Logged rating: spasticity 6")) == (0, True), logged.stderr
    refused = _console_script("log", "rating", "spasticity", "55")
    assert refused.returncode == 1
    assert "55 is outside the scale" in refused.stderr
    assert _console_script("log", "rating").returncode == 2
    shown = _console_script("journal", "--json", "--days", "2")
    assert shown.returncode == 0, shown.stderr
    days = json.loads(shown.stdout)["days"]  # the whole document arrived: flushed before the process ended
    assert [e["value"] for d in days for e in d["entries"] if e["item"] == "spasticity"] == [6.0]


def test_the_console_script_closes_the_database_it_wrote(fresh_db):
    """SQLite's write-ahead log is folded into the file when the last connection closes: the quick exit closes."""
    from dosewise.services import people

    people.set_person(fresh_db, name="Ana", conditions=["ms-spasticity"], timezone="UTC")
    name = fresh_db.engine.url.database
    fresh_db.dispose()  # the test's own connections: the command's is the only one
    assert _console_script("log", "note", "closed properly").returncode == 0
    assert Path(name).exists()
    assert not Path(f"{name}-wal").exists()


def test_every_command_module_is_read_lazily():
    entries, eager = lazy.scan(commands)
    assert eager == [], "these modules are imported at start-up; see dosewise/cli/lazy.py"
    assert {e.module for e in entries} == {
        f"{commands.__name__}.{p.stem}" for p in Path(commands.__path__[0]).glob("*.py") if p.stem != "__init__"
    }


def _eager_app() -> typer.Typer:
    """The root app as it was before lazy loading: every module imported and registered."""
    import importlib
    import pkgutil

    app = typer.Typer(name="dosewise", no_args_is_help=True, add_completion=False)
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        importlib.import_module(f"{commands.__name__}.{info.name}").register(app)
    return app


def _lazy_group():
    from dosewise.cli.app import app

    return typer.main.get_group(app)


def test_lazy_listing_is_the_same_as_importing_everything():
    eager = typer.main.get_group(_eager_app()).commands
    listed = _lazy_group().commands
    assert list(listed) == list(eager)
    for name, real in eager.items():
        shown = listed[name]
        assert (shown.help, shown.short_help, shown.hidden, shown.deprecated) == (
            real.help,
            real.short_help,
            real.hidden,
            real.deprecated,
        ), name


def test_running_a_command_swaps_in_the_real_one(cli):
    assert cli("log", "--help").code == 0
    group = _lazy_group()
    assert group.commands["log"].callback is None  # a placeholder until it runs
    group.load("log")
    assert sorted(group.commands["log"].commands) == sorted(
        ["dose", "rating", "assessment", "side-effect", "note", "symptom", "measure"]
    )


def test_a_mistyped_command_is_still_suggested(cli):
    result = cli("jurnal")
    assert result.code == 2
    assert "Did you mean 'journal'?" in result.err


def _package(tmp_path: Path, name: str, files: dict[str, str]):
    root = tmp_path / name
    root.mkdir()
    (root / "__init__.py").write_text("")
    for file, body in files.items():
        (root / file).write_text(textwrap.dedent(body))
    import importlib

    return importlib.import_module(name)


def test_a_new_module_joins_lazily_or_if_unreadable_eagerly(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    monkeypatch.syspath_prepend(str(tmp_path))
    pkg = _package(
        tmp_path,
        "fake_commands_pkg",
        {
            "plain.py": '''
                import typer

                def hello(name: str) -> None:
                    """Say hello."""
                    typer.echo(f"hello {name}")

                def register(app):
                    app.command("hello")(hello)
            ''',
            "odd.py": """
                import typer
                WORD = "odd"

                def odd() -> None:
                    typer.echo("odd ran")

                def register(app):
                    app.command(WORD, help="Computed " + WORD)(odd)
            """,
        },
    )
    entries, eager = lazy.scan(pkg)
    assert [e.name for e in entries] == ["hello"]
    assert eager == ["fake_commands_pkg.odd"]

    app = typer.Typer(no_args_is_help=True, add_completion=False)

    @app.callback()
    def _root() -> None:
        """Root."""

    lazy.register_all(app, pkg)
    assert "fake_commands_pkg.odd" in sys.modules
    assert "fake_commands_pkg.plain" not in sys.modules
    runner = CliRunner()
    listed = runner.invoke(app, ["--help"])
    assert "hello" in listed.output and "Say hello." in listed.output and "Computed odd" in listed.output
    assert runner.invoke(app, ["hello", "Ana"]).output == "hello Ana\n"
    assert "fake_commands_pkg.plain" in sys.modules
    assert runner.invoke(app, ["odd"]).output == "odd ran\n"


@pytest.mark.parametrize(
    "source",
    [
        "def register(app):\n    for n in ['a']:\n        app.command(n)(f)\n",
        "def register(app):\n    app.command(help=H)(f)\ndef f():\n    pass\n",
        "def register(app):\n    app.add_typer(g, name='x')\nimport typer\ng = typer.Typer()\n",
        "def register(app):\n    app.add_typer(g, name='x')\nimport typer\ng = typer.Typer(help='x')\n"
        "@g.callback(help='other')\ndef cb():\n    pass\n",
    ],
)
def test_registrations_the_reader_cannot_follow_are_left_to_import(tmp_path, source):
    path = tmp_path / "m.py"
    path.write_text(source)
    with pytest.raises(lazy.Opaque):
        lazy.read_module("m", path)


def test_schema_head_read_without_alembic_agrees_with_alembic():
    store_db._head_revision.cache_clear()
    assert store_db._head_revision() == store_db._alembic_head()


WEB_PROBE = textwrap.dedent(
    """
    import json, sys, warnings
    warnings.simplefilter("ignore")
    from dosewise.web.app import create_app
    from fastapi.testclient import TestClient
    status = TestClient(create_app(), base_url="http://127.0.0.1").get("/today").status_code
    with open(sys.argv[1], "w") as f:
        json.dump({"code": status, "modules": sorted(sys.modules)}, f)
    """
)


def test_the_web_app_answers_today_without_heavy_libraries(person, tmp_path):
    """Server start-up: the analysis (numpy, scipy), PDF, FHIR and calendar libraries load when first used."""
    out = tmp_path / "probe.json"
    env = {**os.environ, "DOSEWISE_NOW": NOW.isoformat()}
    proc = subprocess.run([sys.executable, "-c", WEB_PROBE, str(out)], capture_output=True, text=True, env=env)
    assert out.exists(), proc.stderr
    data = json.loads(out.read_text())
    assert data["code"] == 200
    assert [m for m in data["modules"] if m.split(".")[0] in (*HEAVY, "icalendar")] == []
