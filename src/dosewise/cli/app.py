"""Typer root. Command groups live in dosewise.cli.commands.* and register themselves.

Each module there defines ``register(app: typer.Typer) -> None``; it is imported only when one of its
commands runs (dosewise.cli.lazy), so ``dosewise log`` never loads what ``dosewise report`` needs. Errors a
person can cause (DosewiseError) become one red line and exit code 1, never a traceback.

The console script (``main``) starts and ends quickly (issue 16): Python's cyclic garbage collector is paused
while the command's modules load (they live until the end anyway) and resumes, with everything loaded so far
set aside (``gc.freeze``), before the command does its work; and once the command has finished, its output is
flushed, its databases closed and the exit handlers run, the process ends without tearing the interpreter down
object by object, which costs a quick command a large part of its time. A command that leaves a thread
running ends the ordinary way. ``run`` (used by the tests) does neither.
"""

from __future__ import annotations

import atexit
import gc
import os
import sys
import threading
from typing import NoReturn

import typer
from rich.markup import escape

from dosewise.cli import commands
from dosewise.cli.lazy import register_all
from dosewise.cli.output import error_line, show_alerts
from dosewise.cli.quick_params import install as quick_params
from dosewise.errors import DosewiseError

quick_params()  # plain values are converted without pydantic (Typer's adapter still takes anything else)
app = typer.Typer(
    name="dosewise",
    help="Dosewise: a careful journal, safety checks and honest analysis for people trying cannabinoids. "
    "Not medical advice: talk to your clinician.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


@app.callback()
def _root(
    person: str | None = typer.Option(
        None,
        "--person",
        help="Who the command is for (a name or number from 'dosewise person list'). "
        "Default: the only person, or the one chosen with 'dosewise person use'.",
    ),
) -> None:
    """Show urgent, unacknowledged alerts before every command."""
    _resume_gc()  # the command's modules are loaded: collect garbage again while it works
    from dosewise.services import runtime
    from dosewise.services.alerts_view import urgent_banner

    runtime.start_cli(person)

    try:
        show_alerts(urgent_banner())
    except DosewiseError:
        pass  # no person yet: nothing to show


register_all(app, commands)


def _usage_exceptions() -> tuple[type[BaseException], ...]:
    """Typer's own command-line errors, plus click's when Typer still uses click (typer < 0.20)."""
    import click

    return tuple({click.ClickException, getattr(typer, "TyperException", click.ClickException)})


def _exit_exceptions() -> tuple[type[BaseException], ...]:
    import click

    return tuple({click.exceptions.Exit, typer.Exit})


def _abort_exceptions() -> tuple[type[BaseException], ...]:
    import click

    return tuple({click.exceptions.Abort, typer.Abort})


def _usage_message(exc: BaseException) -> str:
    """One line for a mistake on the command line: what was wrong, and where the help is."""
    option = getattr(exc, "option_name", None)
    if option and _is_number(option):
        return (
            f"{option} is a negative number: amounts, scores and counts cannot be negative. "
            "Check the value and try again."
        )
    format_message = getattr(exc, "format_message", None)
    message = format_message() if callable(format_message) else str(exc)
    ctx = getattr(exc, "ctx", None)
    hint = f" Try '{ctx.command_path} --help'." if ctx is not None else ""
    message = message.strip()
    return f"{message}{'' if message.endswith(('.', '?')) else '.'}{hint}"


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _file_message(exc: OSError) -> str:
    """One line for a file that could not be written or read (a missing folder, a folder given as a file...)."""
    path = exc.filename2 or exc.filename or "the file"  # filename2: the destination of a rename
    if isinstance(exc, FileNotFoundError):
        return f"Could not use '{path}': the folder does not exist. Create it or choose another place."
    if isinstance(exc, IsADirectoryError):
        return f"'{path}' is a folder. Give a file name inside it, for example {path}/dosewise-file."
    if isinstance(exc, PermissionError):
        return f"You are not allowed to write or read '{path}'. Choose another place."
    return f"Could not use '{path}': {exc.strerror or exc}. Choose another place."


def run(argv: list[str]) -> int:
    """Run the CLI with ``argv``; return the exit code. Errors a person can cause print one line."""
    try:
        app(args=argv, standalone_mode=False, prog_name="dosewise")
    except DosewiseError as exc:
        error_line(exc.message)
        return 1
    except OSError as exc:  # a file a person named (a report, an export, a chart) could not be written or read
        error_line(escape(_file_message(exc)))
        return 1
    except _abort_exceptions():
        error_line("Cancelled.")
        return 1
    except _exit_exceptions() as exc:
        return int(getattr(exc, "exit_code", 0) or 0)
    except _usage_exceptions() as exc:
        if type(exc).__name__ == "NoArgsIsHelpError":
            exc.show()  # type: ignore[attr-defined]  # the command's help, as asked for
            return 0
        error_line(escape(_usage_message(exc)))
        return int(getattr(exc, "exit_code", 2))
    finally:
        runtime = sys.modules.get("dosewise.services.runtime")  # loaded only if the command used the database
        if runtime is not None:
            runtime.end_cli()
    return 0


_gc_paused = False  # set by main() only: tests calling run() keep their collector as it is


def _pause_gc() -> None:
    global _gc_paused
    _gc_paused = True
    gc.disable()


def _resume_gc() -> None:
    global _gc_paused
    if _gc_paused:
        _gc_paused = False
        gc.freeze()  # what start-up loaded stays until the end: later collections skip it
        gc.enable()


def _quick_exit(code: int) -> NoReturn:
    """End the process with ``code`` once its output, databases and exit handlers are done, skipping the
    interpreter's tear-down; with another thread still running, or output that cannot be flushed (a closed
    pipe), end the ordinary way so that Python waits for the thread or reports the pipe as it always has."""
    if threading.active_count() > 1:
        sys.exit(code)
    runtime = sys.modules.get("dosewise.services.runtime")
    if runtime is not None:
        runtime.close_databases()
    atexit._run_exitfuncs()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        sys.exit(code)
    os._exit(code)


def main() -> None:
    """Console-script entry point."""
    _pause_gc()
    try:
        code = run(sys.argv[1:])
    finally:
        _resume_gc()
    _quick_exit(code)
