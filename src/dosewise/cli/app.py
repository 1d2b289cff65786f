"""Typer root. Command groups live in dosewise.cli.commands.* and register themselves.

Each module there defines ``register(app: typer.Typer) -> None``. Errors a person can cause
(DosewiseError) become one red line and exit code 1, never a traceback.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys

import typer

from dosewise.cli import commands
from dosewise.cli.output import error_line, show_alerts
from dosewise.errors import DosewiseError

app = typer.Typer(
    name="dosewise",
    help="Dosewise: a careful journal, safety checks and honest analysis for people trying cannabinoids. "
    "Not medical advice: talk to your clinician.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


@app.callback()
def _root() -> None:
    """Show urgent, unacknowledged alerts before every command."""
    from dosewise.services.alerts_view import urgent_banner

    try:
        show_alerts(urgent_banner())
    except DosewiseError:
        pass  # no person yet: nothing to show


def _register_commands() -> None:
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{commands.__name__}.{info.name}")
        module.register(app)


_register_commands()


def run(argv: list[str]) -> int:
    """Run the CLI with ``argv``; return the exit code. Errors a person can cause print one line."""
    import click

    try:
        app(args=argv, standalone_mode=False, prog_name="dosewise")
    except DosewiseError as exc:
        error_line(exc.message)
        return 1
    except click.exceptions.Abort:
        error_line("Cancelled.")
        return 1
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    return 0


def main() -> None:
    """Console-script entry point."""
    sys.exit(run(sys.argv[1:]))
